// The one import besides the memory: the host's grace period (docs/router-abi.md "Threads").

/** Returns once every packet call that was running (on any thread) when it was called has
 *  returned; packet calls that start later see every store this call made before. Control
 *  calls use it before reusing a route list and before letting a second route feed a
 *  recipient stream that was written without its lock. */
@external("env", "sync")
export declare function hostSync(): void;

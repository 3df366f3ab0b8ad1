/* fuzz_env.h — what the libFuzzer targets of test/fuzz/ share: the plugin's own code
 * (host-c, linked in statically with wasmtime and the real router.wasm), the fake core's
 * janus_* helpers (test/harness/fake_janus.c), and janus_callbacks that read every byte the
 * plugin hands to Janus, so AddressSanitizer sees a relay that reaches outside its packet. */
#ifndef TS_FUZZ_ENV_H
#define TS_FUZZ_ENV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <plugins/plugin.h>

#define FUZZ_HANDLES 3

/* The plugin (create()) initialized once with the real router and no control socket; quiet
 * log. Returns the plugin. */
janus_plugin *fuzz_plugin(void);
/* Handle i (0..FUZZ_HANDLES-1), attached and set up on first use; its session id. */
janus_plugin_session *fuzz_handle(int i);
uint32_t fuzz_id(int i);
/* Routes, valves, m-lines and data channels of the handles as after start-up: every
 * handle hung up and set up again (routes and recordings gone), then configured. */
void fuzz_reset_media(void);
/* Bytes the callbacks were handed (all of them read). */
extern volatile uint64_t fuzz_relayed_bytes;
#endif

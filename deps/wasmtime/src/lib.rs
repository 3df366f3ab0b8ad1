//! Re-exports the wasmtime C API so its `#[no_mangle]` symbols land in libwasmtime.a.
pub use wasmtime_c_api::*;

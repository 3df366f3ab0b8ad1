// Publishes the C API headers generated for exactly these features, so the
// headers and libwasmtime.a always come from one build.
use std::{env, fs, path::Path};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn main() {
    let inc = env::var("DEP_WASMTIME_C_API_INCLUDE").expect("wasmtime-c-api include dir");
    if let Ok(prefix) = env::var("JANUS_TS_WASMTIME_PREFIX") {
        copy_dir(Path::new(&inc), &Path::new(&prefix).join("include"));
    }
    println!("cargo:rerun-if-env-changed=JANUS_TS_WASMTIME_PREFIX");
}

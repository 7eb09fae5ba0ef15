//! The scope file (`--scope scope.toml`): parsed and resolved against the built-in catalog.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("scope.toml", data);
    if let Ok(scope) = srmap::input::scope::read(&path, srmap_fuzz::catalog()) {
        // What the engines ask a resolved scope first.
        for system in &scope.systems {
            let _ = system.offering_ids();
        }
        let _ = scope.framework_ids();
    }
});

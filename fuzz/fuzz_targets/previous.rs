//! An earlier report's findings (`gaps --previous previous.json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("previous.json", data);
    let _ = srmap::gaps::previous::read(&path);
});

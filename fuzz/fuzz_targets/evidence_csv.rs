//! The evidence register as CSV (`--evidence evidence.csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("evidence.csv", data);
    srmap_fuzz::read_evidence(&path);
});

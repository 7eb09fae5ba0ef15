//! `srmap import prowler`: a Prowler compliance CSV written out as an evidence register (rows
//! without a FRAMEWORK column are PCI DSS ones), which `gaps --evidence` must then read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::prowler::{import, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out").join("evidence.csv");
    let opts = Options {
        file: srmap_fuzz::file("prowler.csv", data),
        framework: Some("pci-dss-4.0.1".into()),
        system: None,
        owner: None,
        location: None,
        out: out.clone(),
    };
    if import(srmap_fuzz::catalog(), &opts).is_ok() {
        if let Err(diags) = srmap::input::evidence::read(&out, None, |_| {}) {
            panic!("the register the import wrote does not read back: {diags:?}");
        }
    }
});

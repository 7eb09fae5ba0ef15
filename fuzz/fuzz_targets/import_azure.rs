//! `srmap import azure-baseline`: a service's security baseline workbook (the file, or the
//! parts of one) assembled into the files of a data folder (see srmap_fuzz::check_drafts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::azure::{drafts, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out");
    let file = srmap_fuzz::file(
        "storage-security-baseline.xlsx",
        &srmap_fuzz::workbook(data, &["Security Profile", "Feature Summary"]),
    );
    let opts = Options {
        files: vec![file],
        model: None,
        offering: None,
        name: None,
        base: None,
        aliases: Vec::new(),
        out: out.clone(),
    };
    if let Ok((drafts, report)) = drafts(srmap_fuzz::catalog(), &opts) {
        srmap_fuzz::check_drafts(&drafts, report, &out);
    }
});

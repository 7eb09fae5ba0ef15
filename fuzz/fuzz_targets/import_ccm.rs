//! `srmap import ccm`: a CCM v4 or CAIQ v4 workbook (the file, or the parts of one) assembled
//! into the files of a data folder (see srmap_fuzz::check_drafts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::ccm::{drafts, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out");
    let file = srmap_fuzz::file("ccm.xlsx", &srmap_fuzz::workbook(data, &["CCM"]));
    let opts = Options {
        file,
        sheet: None,
        offering: None,
        name: None,
        model: None,
        out: out.clone(),
    };
    if let Ok((drafts, report)) = drafts(srmap_fuzz::catalog(), &opts) {
        srmap_fuzz::check_drafts(&drafts, report, &out);
    }
});

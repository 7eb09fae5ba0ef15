//! `srmap import fedramp-crm`: a FedRAMP CIS/CRM workbook (the file, or the parts of one)
//! assembled into the files of a data folder (see srmap_fuzz::check_drafts); its CIS and CRM
//! worksheets are found by name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::fedramp::{drafts, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out");
    let workbook = srmap_fuzz::file(
        "crm.xlsx",
        &srmap_fuzz::workbook(data, &["CIS Worksheet", "CRM Worksheet"]),
    );
    let opts = Options {
        workbook,
        baseline: None,
        sheets: Vec::new(),
        offering: "acme/cloud".into(),
        name: None,
        model: None,
        out: out.clone(),
    };
    if let Ok((drafts, report)) = drafts(srmap_fuzz::catalog(), &opts) {
        srmap_fuzz::check_drafts(&drafts, report, &out);
    }
});

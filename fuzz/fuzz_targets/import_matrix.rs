//! `srmap import matrix`: a responsibility matrix, CSV or a workbook (the file, or the parts of
//! one when the input starts with `PK` or `#### `), with the control IDs in column A, the owner
//! in B, what the provider does in C and what the customer does in D; the framework is the one
//! most IDs belong to; assembled into the files of a data folder (see
//! srmap_fuzz::check_drafts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::matrix::{drafts, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out");
    let file = if data.starts_with(b"PK") || data.starts_with(srmap_fuzz::MARKER) {
        srmap_fuzz::file("matrix.xlsx", &srmap_fuzz::workbook(data, &[]))
    } else {
        srmap_fuzz::file("matrix.csv", data)
    };
    let opts = Options {
        file,
        control_column: "A".into(),
        owner_column: "B".into(),
        provider_column: Some("C".into()),
        customer_column: Some("D".into()),
        framework: None,
        offering: Some("acme/crm".into()),
        name: None,
        model: None,
        sheet: None,
        header_row: None,
        out: out.clone(),
    };
    if let Ok((drafts, report)) = drafts(srmap_fuzz::catalog(), &opts) {
        srmap_fuzz::check_drafts(&drafts, report, &out);
    }
});

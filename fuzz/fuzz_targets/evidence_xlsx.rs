//! The evidence register as a workbook (`--evidence evidence.xlsx`): the input is the file
//! (`PK...`) or the parts of one (see srmap_fuzz::workbook).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("evidence.xlsx", &srmap_fuzz::workbook(data, &["Evidence"]));
    srmap_fuzz::read_evidence(&path);
});

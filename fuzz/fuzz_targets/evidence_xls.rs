//! The evidence register as an XLS workbook (`--evidence evidence.xls`): the input is the file
//! (a compound file) or its `Workbook` stream, the BIFF records (see srmap_fuzz::xls). calamine
//! parses an XLS workbook whole; src/table/biff.rs walks the records first.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("evidence.xls", &srmap_fuzz::xls(data));
    srmap_fuzz::read_evidence(&path);
});

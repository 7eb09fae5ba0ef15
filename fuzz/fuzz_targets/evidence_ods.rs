//! The evidence register as an ODS workbook (`--evidence evidence.ods`): the input is the file
//! (`PK...`) or its `content.xml` (see srmap_fuzz::opendocument). calamine parses an ODS
//! workbook whole; src/table/opendocument.rs counts what it would hold first.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = srmap_fuzz::file("evidence.ods", &srmap_fuzz::opendocument(data));
    srmap_fuzz::read_evidence(&path);
});

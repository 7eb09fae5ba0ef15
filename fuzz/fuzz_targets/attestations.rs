//! The attestations on file (`--attestations FILE`): CSV, or a workbook when the input is one
//! (`PK...`) or starts with a `#### ` part.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = if data.starts_with(b"PK") || data.starts_with(srmap_fuzz::MARKER) {
        srmap_fuzz::file(
            "attestations.xlsx",
            &srmap_fuzz::workbook(data, &["Attestations"]),
        )
    } else {
        srmap_fuzz::file("attestations.csv", data)
    };
    if let Ok(rows) = srmap::input::attestations::read(&path, None, srmap_fuzz::catalog()) {
        for a in &rows {
            assert!(
                !a.all || a.offerings.is_empty(),
                "`*` with offerings listed"
            );
        }
    }
});

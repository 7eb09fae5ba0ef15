//! `srmap import oscal-catalog`: an OSCAL catalog (JSON), and a profile when the input has a
//! `#### profile.json` section after the catalog, assembled into the files of a data folder
//! (see srmap_fuzz::check_drafts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use srmap::import::oscal::{drafts, Options};

fuzz_target!(|data: &[u8]| {
    let out = srmap_fuzz::empty_dir("out");
    let sections = srmap_fuzz::sections(data);
    let (_, catalog) = sections[0];
    let profile = sections
        .get(1)
        .map(|(_, profile)| srmap_fuzz::file("profile.json", profile));
    let opts = Options {
        catalog: srmap_fuzz::file("catalog.json", catalog),
        profile,
        id: None,
        out: out.clone(),
    };
    if let Ok((drafts, report)) = drafts(srmap_fuzz::catalog(), &opts) {
        srmap_fuzz::check_drafts(&drafts, report, &out);
    }
});

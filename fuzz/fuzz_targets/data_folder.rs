//! A `--data` folder as `srmap validate --data DIR` checks it: the input's `#### PATH`
//! sections are the folder's files (see srmap_fuzz::sections), laid over a small part of the
//! built-in data (the shared lists, the generic models and two frameworks) so that a run stays
//! fast.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use srmap::data::{DataFile, DataSet};

/// The frameworks of the built-in data every folder is laid over (the ones the seeds' matrices
/// name most).
const FRAMEWORKS: [&str; 2] = ["soc2-2017", "mcsb-v1"];

/// The built-in files every folder is laid over: the shared lists (the applicability settings
/// of the frameworks kept), the generic models and two small frameworks.
static BASE: LazyLock<DataSet> = LazyLock::new(|| {
    let mut set = DataSet::builtin();
    let keep = |rel: &str| {
        matches!(
            rel,
            "frameworks/layers.csv"
                | "frameworks/features.csv"
                | "frameworks/applicability.csv"
                | "frameworks/pbc/artefacts.csv"
                | "providers/attestations.csv"
        ) || rel.starts_with("providers/generic/")
            || FRAMEWORKS.iter().any(|f| {
                rel == format!("frameworks/{f}.toml") || rel == format!("frameworks/{f}.csv")
            })
    };
    set.files.retain(|rel, _| keep(rel));
    let rel = "frameworks/applicability.csv";
    let settings = &set.files[rel];
    let text: String = settings
        .text
        .lines()
        .enumerate()
        .filter(|(i, line)| {
            *i == 0
                || FRAMEWORKS
                    .iter()
                    .any(|f| line.starts_with(&format!("{f},")))
        })
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    let file = DataFile::new(rel, settings.origin.clone(), text);
    set.files.insert(rel.to_string(), file);
    set
});

fuzz_target!(|data: &[u8]| {
    let dir = srmap_fuzz::data_folder(data);
    let mut set = BASE.clone();
    if set.overlay_dir(&dir).is_err() {
        return;
    }
    if let Ok(catalog) = srmap::Catalog::load(&set) {
        let _ = srmap::share_rules::check(&catalog);
    }
});

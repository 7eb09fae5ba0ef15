//! What each importer writes, pinned file by file (length and digest) so that restructuring the
//! importers cannot change their output unnoticed. Cases that read `../shared/reference/` skip
//! when it is not there.

#[path = "import_support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::path::Path;

use support::*;

/// FNV-1a, 64 bits: enough to notice that a file changed.
fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Every file under `dir` (or `dir` itself when it is a file), sorted, with length and digest.
fn listing(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        } else {
            files.push(p);
        }
    }
    files.sort();
    let mut out = String::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let rel = f.strip_prefix(dir).unwrap_or(&f).display().to_string();
        let rel = if rel.is_empty() { "(file)".into() } else { rel };
        writeln!(out, "{rel:<48} {:>9} {}", bytes.len(), digest(&bytes)).unwrap();
    }
    out
}

fn import(what: &str, input: &Path, extra: &[&str], out_name: &str) -> String {
    let dir = tempdir();
    let out = dir.path().join(out_name);
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), what.into(), input.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend(["-o".into(), out.clone().into()]);
    ok(args);
    listing(&out)
}

#[test]
fn matrix() {
    insta::assert_snapshot!(import(
        "matrix",
        &fixture("import-matrix/pci-matrix.csv"),
        &[
            "--control-column",
            "A",
            "--owner-column",
            "Responsibility",
            "--provider-column",
            "D",
            "--customer-column",
            "What you do",
            "--framework",
            "pci",
        ],
        "data",
    ));
}

#[test]
fn prowler() {
    insta::assert_snapshot!(import(
        "prowler",
        &fixture("import-prowler/pci_aws.csv"),
        &["--system", "app"],
        "evidence.csv",
    ));
}

#[test]
fn oscal_catalog() {
    insta::assert_snapshot!(import(
        "oscal-catalog",
        &fixture("import-oscal/catalog.json"),
        &[],
        "data",
    ));
}

#[test]
fn oscal_catalog_nist_moderate() {
    let (Some(cat), Some(profile)) = (
        reference("oscal/NIST_SP-800-53_rev5_catalog.json"),
        reference("oscal/NIST_SP-800-53_rev5_MODERATE-baseline_profile-min.json"),
    ) else {
        return;
    };
    let profile = profile.display().to_string();
    insta::assert_snapshot!(import(
        "oscal-catalog",
        &cat,
        &["--profile", &profile],
        "data",
    ));
}

#[test]
fn fedramp_crm() {
    let Some(wb) = reference("fedramp/SSP-Appendix-J-CSO-CIS-and-CRM-Workbook.xlsx") else {
        return;
    };
    insta::assert_snapshot!(import(
        "fedramp-crm",
        &wb,
        &["--baseline", "moderate", "--offering", "acme/cloud"],
        "data",
    ));
}

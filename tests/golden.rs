//! Every report the sample produces, pinned before the architecture changes under it: the
//! findings, the diffs and the comparison in full, and every other output (tables, Markdown,
//! OSCAL, XLSX, PDF) byte for byte through its length and a digest. A change of any output shows
//! up here; accept it with `INSTA_UPDATE=always cargo test --test golden` only when it is meant.

use std::fmt::Write as _;
use std::path::PathBuf;

use assert_cmd::Command;

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/northwind")
}

/// Run srmap in the sample folder (relative paths keep the output free of this machine's paths)
/// and return what it wrote: standard output, or the file named after `-o`.
fn output(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let mut full: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let file = match full.iter().position(|a| a == "-o") {
        Some(i) => {
            let path = dir.path().join(&full[i + 1]);
            full[i + 1] = path.display().to_string();
            Some(path)
        }
        None => None,
    };
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(sample_dir())
        .args(&full)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match file {
        Some(path) => std::fs::read(path).unwrap(),
        None => out.stdout,
    }
}

/// FNV-1a, 64 bits: enough to notice that a file changed.
fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

const GAPS: &[&str] = &[
    "gaps",
    "--scope",
    "scope.toml",
    "--evidence",
    "evidence.xlsx",
    "--attestations",
    "attestations.csv",
    "--as-of",
    "2026-09-30",
];
const SCOPE_DIFF: &[&str] = &[
    "diff",
    "--from-scope",
    "scope.toml",
    "--to-scope",
    "target.toml",
    "--as-of",
    "2026-09-30",
];
const OFFERING_DIFF: &[&str] = &[
    "diff",
    "--from",
    "onprem",
    "--to",
    "aws/ec2,aws/rds",
    "--framework",
    "pci-dss-4.0.1",
    "--as-of",
    "2026-09-30",
];
const COMPARE: &[&str] = &[
    "compare",
    "--offering",
    "aws/rds,azure/sql-database,gcp/cloud-sql",
    "--framework",
    "soc2-2017",
    "--as-of",
    "2026-09-30",
];
const SCOPE_COMPARE: &[&str] = &["compare", "--scope", "scope.toml", "--as-of", "2026-09-30"];
const MAP: &[&str] = &[
    "map",
    "--offering",
    "aws/rds,azure/app-service",
    "--framework",
    "pci-dss-4.0.1,hipaa-security",
    "--as-of",
    "2026-09-30",
];
const PBC: &[&str] = &[
    "template",
    "pbc",
    "--scope",
    "scope.toml",
    "--attestations",
    "attestations.csv",
    "--as-of",
    "2026-09-30",
];
const SOA: &[&str] = &["soa", "--scope", "scope.toml", "--as-of", "2026-09-30"];

fn with(base: &[&str], extra: &[&str]) -> Vec<String> {
    base.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn run(args: &[String]) -> Vec<u8> {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    output(&refs)
}

fn text(args: &[String]) -> String {
    String::from_utf8(run(args)).unwrap()
}

#[test]
fn gap_findings() {
    insta::assert_snapshot!(text(&with(GAPS, &["--format", "json"])));
}

/// The same run against last quarter's report: each finding new or open, the resolved listed.
#[test]
fn gap_findings_since_last_quarter() {
    insta::assert_snapshot!(text(&with(
        GAPS,
        &["--previous", "previous.json", "--format", "csv"]
    )));
}

#[test]
fn scope_template() {
    insta::assert_snapshot!(text(&["template".to_string(), "scope".to_string()]));
}

#[test]
fn statement_of_applicability() {
    insta::assert_snapshot!(text(&with(SOA, &["--format", "csv"])));
}

#[test]
fn scope_diff() {
    insta::assert_snapshot!(text(&with(SCOPE_DIFF, &["--format", "json"])));
}

#[test]
fn offering_diff() {
    insta::assert_snapshot!(text(&with(OFFERING_DIFF, &["--format", "csv"])));
}

#[test]
fn comparison() {
    insta::assert_snapshot!(text(&with(COMPARE, &["--format", "json"])));
}

#[test]
fn scope_comparison() {
    insta::assert_snapshot!(text(&with(SCOPE_COMPARE, &["--format", "csv"])));
}

#[test]
fn owner_map() {
    insta::assert_snapshot!(text(&with(MAP, &["--format", "csv"])));
}

#[test]
fn pbc_list() {
    insta::assert_snapshot!(text(&with(PBC, &["--format", "csv"])));
}

/// Every other output of the same runs, by length and digest.
#[test]
fn every_output_byte_for_byte() {
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, base: &[&str], formats: &[&str]| {
        for f in formats {
            let extra: Vec<&str> = match *f {
                "xlsx" | "pdf" => vec!["-o", if *f == "xlsx" { "out.xlsx" } else { "out.pdf" }],
                other => vec!["--format", other],
            };
            runs.push((format!("{name} {f}"), with(base, &extra)));
        }
    };
    add("gaps", GAPS, &["table", "csv", "json", "md", "xlsx", "pdf"]);
    add(
        "scope-diff",
        SCOPE_DIFF,
        &["table", "csv", "json", "md", "xlsx", "pdf"],
    );
    add(
        "offering-diff",
        OFFERING_DIFF,
        &["table", "csv", "json", "md", "xlsx", "pdf"],
    );
    add("compare", COMPARE, &["table", "csv", "json", "md", "xlsx"]);
    add(
        "scope-compare",
        SCOPE_COMPARE,
        &["table", "csv", "json", "md", "xlsx"],
    );
    add("map", MAP, &["table", "csv", "json", "md"]);
    add(
        "map-oscal",
        &[
            "map",
            "--offering",
            "aws/rds",
            "--framework",
            "pci-dss-4.0.1",
            "--as-of",
            "2026-09-30",
            "--system-name",
            "Cardholder data environment",
            "--fips199",
            "moderate",
        ],
        &["oscal"],
    );
    add("pbc", PBC, &["table", "csv", "json", "md", "xlsx"]);
    add("soa", SOA, &["table", "csv", "json", "md", "xlsx", "pdf"]);
    let previous = with(GAPS, &["--previous", "previous.json"]);
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    add("gaps-previous", &previous, &["json", "xlsx", "pdf"]);
    add(
        "evidence-template",
        &["template", "evidence", "--as-of", "2026-09-30"],
        &["csv", "xlsx"],
    );
    add(
        "matrix",
        &["matrix", "aws/rds", "saas"],
        &["table", "json", "md"],
    );
    add("matrix-facts", &["matrix", "--facts", "aws/rds"], &["csv"]);
    add("frameworks", &["frameworks"], &["csv", "json"]);
    add(
        "controls",
        &["controls", "soc2-2017"],
        &["csv", "json", "md"],
    );
    add("offerings", &["offerings"], &["csv", "json"]);
    let mut pinned = String::new();
    for (name, args) in &runs {
        let bytes = run(args);
        writeln!(pinned, "{name:<28} {:>9} {}", bytes.len(), digest(&bytes)).unwrap();
    }
    insta::assert_snapshot!(pinned);
}

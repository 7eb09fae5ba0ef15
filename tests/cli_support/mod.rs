//! Helpers shared by the tests that run srmap on fixtures and the sample
//! (tests/applicability.rs, tests/gaps_worklist.rs, tests/severity.rs).

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the repository, as an argument.
pub fn path(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// A file of the bundled sample, as an argument.
pub fn sample(rel: &str) -> String {
    path(&format!("samples/northwind/{rel}"))
}

pub fn run(args: &[&str]) -> Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

/// Run with `--format json`, expect success, and parse what it wrote.
pub fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings of a `srmap gaps` run (`--format json` added).
pub fn findings(args: &[&str]) -> Vec<Value> {
    json(args).as_array().unwrap().clone()
}

/// The sample's quarterly gap run (`srmap gaps` on its scope, register workbook and
/// attestations, as of 2026-09-30), without an output: add `-o`, `--format` or more. (Not every
/// test binary that includes these helpers runs it.)
#[allow(dead_code)]
pub fn sample_gaps() -> Vec<String> {
    [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &sample("evidence.xlsx"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
    ]
    .map(String::from)
    .to_vec()
}

//! Helpers shared by the `srmap import` tests (tests/import_*.rs).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A published file from ../shared/reference/, or None (with a message saying the test part
/// is skipped) when the folder is not there.
pub fn reference(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared/reference").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping the part of this test that reads {}: ../shared/reference/ is not here",
            p.display()
        );
        None
    }
}

pub fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run and expect success; the standard error.
pub fn ok<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = run(args);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// Run and expect exit 2; the standard error.
pub fn fails<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    stderr(&out)
}

/// (read, imported, skipped) from the summary line `what: 1,234 rows read, 1,200 imported, 34 skipped`.
pub fn counts(err: &str) -> (usize, usize, usize) {
    let line = err
        .lines()
        .rev()
        .find(|l| l.contains(" rows read, "))
        .unwrap_or_else(|| panic!("no summary line in:\n{err}"));
    let text = line.split_once(": ").unwrap().1.replace(',', "");
    let nums: Vec<usize> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[0], nums[1], nums[2])
}

/// The `skipped:` lines.
pub fn skipped(err: &str) -> Vec<String> {
    err.lines()
        .filter(|l| l.starts_with("skipped: "))
        .map(str::to_string)
        .collect()
}

/// `srmap validate --data DIR` passes.
pub fn validates(dir: &Path) {
    let out = run([
        Path::new("validate").as_os_str(),
        "--data".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "validate --data {}:\n{}",
        dir.display(),
        stderr(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("ok: "), "{stdout}");
}

/// `srmap map --data DIR --offering O --framework F --format json` rows.
pub fn map(dir: &Path, offering: &str, framework: &str) -> Vec<serde_json::Value> {
    let out = run([
        "map".as_ref(),
        "--data".as_ref(),
        dir.as_os_str(),
        "--offering".as_ref(),
        offering.as_ref(),
        "--framework".as_ref(),
        framework.as_ref(),
        "--format".as_ref(),
        std::ffi::OsStr::new("json"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

pub fn row<'a>(rows: &'a [serde_json::Value], control: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["control"] == control)
        .unwrap_or_else(|| panic!("no row for {control}"))
}

/// `srmap gaps --data DIR` over a one-system scope (and an optional evidence register).
pub fn gaps(
    dir: &Path,
    offering: &str,
    framework: &str,
    evidence: Option<&Path>,
) -> Vec<serde_json::Value> {
    let scope = dir.join("scope.toml");
    std::fs::write(
        &scope,
        format!(
            "organization = \"Test\"\nperiod = {{ start = \"2025-01-01\", end = \"2025-12-31\" }}\n\n[[systems]]\nname = \"app\"\nofferings = [\"{offering}\"]\nframeworks = [\"{framework}\"]\n"
        ),
    )
    .unwrap();
    let mut args: Vec<std::ffi::OsString> = vec![
        "gaps".into(),
        "--data".into(),
        dir.into(),
        "--scope".into(),
        scope.into(),
        "--as-of".into(),
        "2025-06-30".into(),
        "--format".into(),
        "json".into(),
    ];
    if let Some(e) = evidence {
        args.push("--evidence".into());
        args.push(e.into());
    }
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// An offering file written by an import, parsed.
pub fn offering_toml(dir: &Path, rel: &str) -> toml::Table {
    let text = std::fs::read_to_string(dir.join(rel)).unwrap();
    text.parse::<toml::Table>().unwrap()
}

/// The `[[controls]]` rows of an offering file.
pub fn controls(dir: &Path, rel: &str) -> Vec<toml::Table> {
    offering_toml(dir, rel)
        .get("controls")
        .and_then(|c| c.as_array())
        .map(|a| a.iter().map(|v| v.as_table().unwrap().clone()).collect())
        .unwrap_or_default()
}

pub fn control<'a>(rows: &'a [toml::Table], id: &str) -> &'a toml::Table {
    rows.iter()
        .find(|r| r["control"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no [[controls]] row for {id}"))
}

pub fn s<'a>(t: &'a toml::Table, key: &str) -> &'a str {
    t.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

/// Write a workbook: sheets of rows, each row a list of cells (empty strings stay empty).
pub fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Cells from string slices.
pub fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

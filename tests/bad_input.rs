//! The bad-input corpus: every folder under `tests/fixtures/bad-input/` is one hostile or broken
//! input. Each holds its input files and a `case.toml`:
//!
//! ```toml
//! # what the case is about, in one line
//! about = "a date with trailing text"
//! # the arguments after `srmap`, run inside a copy of the folder;
//! # `{sample}` stands for samples/northwind of this repository
//! args = ["gaps", "--scope", "{sample}/scope.toml", "--evidence", "evidence.csv", "-o", "out.csv"]
//! # the diagnostic code and its place as srmap prints them: `error[CODE]: PLACE`
//! code = "bad-date"
//! place = "evidence.csv:2:6"
//! # optional: the exit code (default 2)
//! exit = 2
//! ```
//!
//! The runner checks, for every case: the exit code, that standard error has
//! `error[CODE]: PLACE`, and that nothing was written (the folder holds exactly the files it held
//! before: no output, no temporary file). At the end it checks the corpus size and, on Linux, the
//! peak memory of the largest run (every run must stay under 512 MB).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::Deserialize;

/// The corpus may only grow: lower this never.
const AT_LEAST: usize = 97;
/// The peak memory every case must stay under.
const MEMORY_BOUND_KB: i64 = 512 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    args: Vec<String>,
    code: String,
    place: String,
    #[serde(default = "two")]
    exit: i32,
}

fn two() -> i32 {
    2
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The peak resident memory of the largest child waited for so far, in KB (Linux).
#[cfg(target_os = "linux")]
fn children_peak_kb() -> Option<i64> {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    (rc == 0).then_some(usage.ru_maxrss)
}

#[cfg(not(target_os = "linux"))]
fn children_peak_kb() -> Option<i64> {
    None
}

#[test]
fn every_bad_input_is_refused_in_place_and_writes_nothing() {
    let corpus = root().join("tests/fixtures/bad-input");
    let sample = root().join("samples/northwind");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(dir.join("case.toml"))
            .unwrap_or_else(|e| panic!("{name}: case.toml: {e}"));
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !case.about.trim().is_empty(),
            "{name}: say what it is about"
        );
        let work = scratch.path().join(&name);
        copy_dir(dir, &work);
        let before = files(&work);
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("{sample}", &sample.display().to_string()))
            .collect();
        let out = Command::cargo_bin("srmap")
            .unwrap()
            .current_dir(&work)
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let want = format!("error[{}]: {}", case.code, case.place);
        let mut wrong = Vec::new();
        if out.status.code() != Some(case.exit) {
            wrong.push(format!(
                "exit {:?}, expected {}",
                out.status.code(),
                case.exit
            ));
        }
        if !stderr.contains(&want) {
            wrong.push(format!("standard error lacks `{want}`"));
        }
        let after = files(&work);
        let written: Vec<_> = after.difference(&before).collect();
        if !written.is_empty() {
            wrong.push(format!("wrote {written:?}"));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{name} ({}): {}\n{stderr}",
                case.about,
                wrong.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        dirs.len() >= AT_LEAST,
        "the corpus has {} cases, fewer than {AT_LEAST}",
        dirs.len()
    );
    if let Some(peak) = children_peak_kb() {
        assert!(
            peak < MEMORY_BOUND_KB,
            "a bad input took {} MB at its peak (bound 512 MB)",
            peak / 1024
        );
    }
}

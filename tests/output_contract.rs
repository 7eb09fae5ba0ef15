//! The output contract: every report command writes every one of its formats to standard output
//! with `-o -`, byte for byte what `-o FILE` writes; `-o -` never creates a file named `-`; a
//! run that fails leaves no file (and an older file untouched).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples/northwind")
        .join(name)
        .display()
        .to_string()
}

/// Every report command with the formats it writes and the first column of its CSV header.
fn commands() -> Vec<(Vec<String>, &'static [&'static str], &'static str)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let rows: &[&str] = &["table", "csv", "json", "md"];
    vec![
        (
            vec![
                "gaps".into(),
                "--scope".into(),
                sample("scope.toml"),
                "--evidence".into(),
                sample("evidence.xlsx"),
                "--attestations".into(),
                sample("attestations.csv"),
                "--as-of".into(),
                "2026-09-30".into(),
            ],
            &["table", "csv", "json", "md", "xlsx", "pdf"],
            "id",
        ),
        (
            vec![
                "diff".into(),
                "--from-scope".into(),
                sample("scope.toml"),
                "--to-scope".into(),
                sample("target.toml"),
                "--as-of".into(),
                "2026-09-30".into(),
            ],
            &["table", "csv", "json", "md", "xlsx", "pdf"],
            "system",
        ),
        (
            s(&[
                "diff",
                "--from",
                "onprem",
                "--to",
                "aws/ec2",
                "--framework",
                "pci-dss-4.0.1",
                "--as-of",
                "2026-09-30",
            ]),
            &["table", "csv", "json", "md", "xlsx", "pdf"],
            "system",
        ),
        (
            s(&[
                "compare",
                "--offering",
                "aws/rds,gcp/cloud-sql",
                "--framework",
                "soc2-2017",
                "--as-of",
                "2026-09-30",
            ]),
            &["table", "csv", "json", "md", "xlsx"],
            "framework",
        ),
        (
            s(&[
                "map",
                "--offering",
                "aws/rds",
                "--framework",
                "soc2-2017",
                "--as-of",
                "2026-09-30",
            ]),
            &["table", "csv", "json", "md"],
            "framework",
        ),
        (
            s(&[
                "map",
                "--offering",
                "aws/rds",
                "--framework",
                "soc2-2017",
                "--as-of",
                "2026-09-30",
                "--system-name",
                "Reporting",
                "--fips199",
                "low",
            ]),
            &["oscal"],
            "",
        ),
        (
            vec![
                "template".into(),
                "pbc".into(),
                "--scope".into(),
                sample("scope.toml"),
                "--as-of".into(),
                "2026-09-30".into(),
            ],
            &["table", "csv", "json", "md", "xlsx"],
            "id",
        ),
        (
            s(&["template", "evidence", "--as-of", "2026-09-30"]),
            &["csv", "xlsx"],
            "control",
        ),
        (s(&["matrix", "aws/rds"]), rows, "offering"),
        (s(&["matrix", "aws/rds", "--facts"]), rows, "offering"),
        (s(&["controls", "soc2-2017"]), rows, "id"),
        (
            s(&[
                "controls",
                "hipaa-security",
                "--mapped-to",
                "nist-800-53-r5",
                "--as-of",
                "2026-09-30",
            ]),
            &["table", "csv", "json", "md", "oscal"],
            "id",
        ),
        (s(&["frameworks"]), rows, "id"),
        (s(&["offerings"]), rows, "id"),
    ]
}

fn srmap(dir: &Path, args: &[String]) -> std::process::Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output, args: &[String]) {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dash_writes_every_format_to_stdout_as_the_file_would() {
    for (base, formats, first_column) in commands() {
        for format in formats {
            let dir = tempfile::tempdir().unwrap();
            let mut to_stdout = base.clone();
            to_stdout.extend([
                "--format".into(),
                format.to_string(),
                "-o".into(),
                "-".into(),
            ]);
            let piped = srmap(dir.path(), &to_stdout);
            ok(&piped, &to_stdout);
            assert!(
                !dir.path().join("-").exists(),
                "{to_stdout:?} created a file named -"
            );
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                0,
                "{to_stdout:?} left a file"
            );
            assert!(
                !String::from_utf8_lossy(&piped.stderr).contains("written to"),
                "{to_stdout:?}: the written-to message is for files"
            );

            let file = dir.path().join(format!("out.{format}"));
            let mut to_file = base.clone();
            to_file.extend([
                "--format".into(),
                format.to_string(),
                "-o".into(),
                file.display().to_string(),
            ]);
            let written = srmap(dir.path(), &to_file);
            ok(&written, &to_file);
            assert!(written.stdout.is_empty(), "{to_file:?} wrote to stdout");
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                bytes == piped.stdout,
                "{to_stdout:?}: standard output differs from the file"
            );

            let out = &piped.stdout;
            match *format {
                "xlsx" => assert!(out.starts_with(b"PK"), "{to_stdout:?}"),
                "pdf" => assert!(out.starts_with(b"%PDF"), "{to_stdout:?}"),
                "json" | "oscal" => {
                    serde_json::from_slice::<serde_json::Value>(out)
                        .unwrap_or_else(|e| panic!("{to_stdout:?}: {e}"));
                }
                "csv" => {
                    let text = String::from_utf8(out.clone()).unwrap();
                    let header = text.lines().next().unwrap_or_default();
                    assert_eq!(
                        header.split(',').next(),
                        Some(first_column),
                        "{to_stdout:?}: {header}"
                    );
                }
                _ => assert!(!out.is_empty(), "{to_stdout:?}"),
            }
        }
    }
}

#[test]
fn dash_without_format_is_csv_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = ["frameworks", "-o", "-"].map(String::from).to_vec();
    let dash = srmap(dir.path(), &args);
    ok(&dash, &args);
    let plain = srmap(dir.path(), &["frameworks".to_string()]);
    assert_eq!(dash.stdout, plain.stdout);
    assert!(String::from_utf8_lossy(&dash.stdout).starts_with("id,name,"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn binary_formats_without_o_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = ["template", "evidence", "--format", "xlsx"]
        .map(String::from)
        .to_vec();
    let out = srmap(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("xlsx output needs a file"), "{err}");
    assert!(err.contains("-o -"), "{err}");
}

#[test]
fn a_failed_run_leaves_no_file_and_an_old_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // Inputs with problems: nothing is written, not even an empty file.
    let broken = dir.path().join("scope.toml");
    std::fs::write(&broken, "organization = 1\n").unwrap();
    for name in ["gaps.pdf", "gaps.xlsx", "gaps.csv"] {
        let target = dir.path().join(name);
        let args: Vec<String> = vec![
            "gaps".into(),
            "--scope".into(),
            broken.display().to_string(),
            "-o".into(),
            target.display().to_string(),
        ];
        let out = srmap(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!target.exists(), "{args:?} left {name}");
    }
    // An older report stays as it was.
    let old = dir.path().join("old.csv");
    std::fs::write(&old, "before\n").unwrap();
    let args: Vec<String> = vec![
        "template".into(),
        "pbc".into(),
        "--scope".into(),
        broken.display().to_string(),
        "-o".into(),
        old.display().to_string(),
    ];
    assert_eq!(srmap(dir.path(), &args).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "before\n");
    // A write that fails at the end (the target is a folder) leaves no temporary file.
    let folder = dir.path().join("taken");
    std::fs::create_dir(&folder).unwrap();
    let args: Vec<String> = vec![
        "frameworks".into(),
        "--format".into(),
        "csv".into(),
        "-o".into(),
        folder.display().to_string(),
    ];
    let out = srmap(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".srmap-"))
        .collect();
    assert!(left.is_empty(), "left {left:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_srmap"))
        .current_dir(dir.path())
        .args(["frameworks", "--format", "json", "-o", "-"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[cannot-write]: standard output: No space left on device"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

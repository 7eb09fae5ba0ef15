//! The conventions of the command line (issue 14): shell completions, manual pages, examples in
//! `--help` that are the README's, "did you mean" for every ID a user types, and `--quiet`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(rel: &str) -> String {
    root()
        .join("samples/northwind")
        .join(rel)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The commands listed under `Commands:` in a help text (without `help`).
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Every command and subcommand, as argument lists (`["import", "ccm"]`).
fn every_command() -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut todo: Vec<Vec<String>> = commands_in(&stdout(&["--help"]))
        .into_iter()
        .map(|c| vec![c])
        .collect();
    while let Some(cmd) = todo.pop() {
        let mut args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        args.push("--help");
        for sub in commands_in(&stdout(&args)) {
            let mut deeper = cmd.clone();
            deeper.push(sub);
            todo.push(deeper);
        }
        all.push(cmd);
    }
    all.sort();
    all
}

#[test]
fn every_command_has_examples_and_they_are_the_readmes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: BTreeSet<&str> = readme.lines().map(str::trim).collect();
    let commands = every_command();
    assert!(commands.len() >= 20, "{commands:?}");
    for cmd in &commands {
        let mut args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&args);
        let examples: Vec<&str> = help
            .lines()
            .skip_while(|l| *l != "Examples:" && *l != "Example:")
            .skip(1)
            .collect();
        assert!(
            !examples.is_empty(),
            "`srmap {}` has no examples",
            cmd.join(" ")
        );
        for line in examples {
            // Unwrapped: clap wraps help at 100 columns.
            assert!(line.len() <= 100, "too wide for --help: {line}");
            assert!(
                lines.contains(line.trim()),
                "`srmap {} --help` shows an example the README does not have: {line}",
                cmd.join(" ")
            );
        }
    }
}

#[test]
fn bash_completion_is_pinned_and_every_shell_gets_one() {
    let bash = stdout(&["completions", "bash"]);
    let head: Vec<&str> = bash.lines().take(20).collect();
    insta::assert_snapshot!("bash_completion_head", head.join("\n"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for word in ["srmap", "gaps", "evidence", "fail-on", "completions"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[bad-option]: <SHELL>"));
}

#[test]
fn completions_and_man_write_to_a_file_with_dash_o() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("srmap.bash");
    stdout(&["completions", "bash", "-o", file.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stdout(&["completions", "bash"])
    );
    let page = dir.path().join("srmap.1");
    stdout(&["man", "-o", page.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), stdout(&["man"]));
}

/// `man -l FILE`, rendered as text; None when `man` is not installed.
fn man_l(page: &Path) -> Option<Output> {
    let out = std::process::Command::new("man")
        .args(["-P", "cat", "-l"])
        .arg(page)
        .env("MANWIDTH", "100")
        .env("LC_ALL", "C.UTF-8")
        .output();
    match out {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("man: {e}"),
    }
}

#[test]
fn man_pages_render_with_man() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(out.status.success());
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    // One page per command, and srmap's own.
    assert_eq!(pages.len(), every_command().len() + 1, "{pages:?}");
    for p in [
        "srmap.1",
        "srmap-gaps.1",
        "srmap-import-ccm.1",
        "srmap-template-pbc.1",
    ] {
        assert!(pages.iter().any(|x| x == p), "{p} missing: {pages:?}");
    }
    let Some(main) = man_l(&dir.path().join("srmap.1")) else {
        eprintln!("skipped: `man` is not installed (apt-get install man-db)");
        return;
    };
    let text = String::from_utf8_lossy(&main.stdout);
    assert!(
        main.status.success(),
        "{}",
        String::from_utf8_lossy(&main.stderr)
    );
    assert!(
        main.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&main.stderr)
    );
    for want in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "srmap-gaps(1)",
        "--quiet",
    ] {
        assert!(text.contains(want), "srmap.1 lacks {want}:\n{text}");
    }
    let gaps = man_l(&dir.path().join("srmap-gaps.1")).unwrap();
    let text = String::from_utf8_lossy(&gaps.stdout);
    assert!(
        gaps.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&gaps.stderr)
    );
    for want in ["--evidence", "--fail-on", "EXAMPLES"] {
        assert!(text.contains(want), "srmap-gaps.1 lacks {want}:\n{text}");
    }
    // The examples keep their lines (not filled into a paragraph).
    assert!(
        text.lines().any(|l| l.trim()
            == "srmap gaps ... --fail-on any         # exit 1 when there is a gap (or: high, medium, a gap code)"),
        "{text}"
    );
}

/// Run, expect an input error: exit 2, nothing on standard output, and `error[CODE]: PLACE: `
/// followed somewhere on its line by `says`.
fn refused(args: &[&str], code: &str, place: &str, says: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let head = format!("error[{code}]: {place}: ");
    let line = err
        .lines()
        .find(|l| l.starts_with(&head))
        .unwrap_or_else(|| panic!("{args:?}: no `{head}` in:\n{err}"));
    assert!(line.contains(says), "{args:?}: `{says}` not in:\n{line}");
}

#[test]
fn every_id_a_user_types_gets_the_nearest_suggested() {
    let scope = sample("scope.toml");
    let cases: &[(&[&str], &str, &str, &str)] = &[
        // Offerings: a typo, an abbreviation, initials, a squashed spelling.
        (
            &["matrix", "aws/ec3"],
            "unknown-offering",
            "OFFERING",
            "unknown offering `aws/ec3`: did you mean `aws/ec2`?",
        ),
        (
            &["map", "--offering", "gcp/gcs", "--framework", "pci"],
            "unknown-offering",
            "--offering",
            "did you mean `gcp/cloud-storage`?",
        ),
        (
            &["diff", "--from", "onprem", "--to", "azure/vm", "--framework", "pci"],
            "unknown-offering",
            "--to",
            "did you mean `azure/virtual-machines`",
        ),
        (
            &["diff", "--from", "aws/ec3", "--to", "aws/rds"],
            "unknown-offering",
            "--from",
            "did you mean `aws/ec2`?",
        ),
        (
            &["compare", "--offering", "aws/rds", "--offering", "gcp/cloudsql"],
            "unknown-offering",
            "--offering",
            "did you mean `gcp/cloud-sql`?",
        ),
        (
            &["matrix", "gcp/gce"],
            "unknown-offering",
            "OFFERING",
            "did you mean `gcp/compute-engine`?",
        ),
        // Frameworks: as people say them.
        (
            &["controls", "iso-27001"],
            "unknown-framework",
            "FRAMEWORK",
            "unknown framework `iso-27001`: did you mean `iso27001-2022`?",
        ),
        (
            &["map", "--offering", "aws/ec2", "--framework", "fedramp-moderate"],
            "unknown-framework",
            "--framework",
            "did you mean `fedramp-r5-moderate`?",
        ),
        (
            &["controls", "nist-800-53-r5", "--mapped-to", "ISO 27001"],
            "unknown-framework",
            "--mapped-to",
            "did you mean `iso27001-2022`?",
        ),
        (
            &["compare", "--offering", "aws/rds,gcp/cloud-sql", "--framework", "pci-dss-3.2.1"],
            "unknown-framework",
            "--framework",
            "did you mean `pci-dss-4.0.1`?",
        ),
        // Gap codes and severities.
        (
            &["gaps", "--scope", &scope, "--fail-on", "expired"],
            "bad-option",
            "--fail-on",
            "did you mean `evidence-expired` or `attestation-expired`?",
        ),
        (
            &["gaps", "--scope", &scope, "--fail-on", "missing-evidnce"],
            "bad-option",
            "--fail-on",
            "did you mean `missing-evidence`?",
        ),
        (
            &["gaps", "--scope", &scope, "--fail-on", "hihg"],
            "bad-option",
            "--fail-on",
            "did you mean `high`?",
        ),
        // Formats: every format the command writes is listed, oscal where it is one.
        (
            &["map", "--offering", "aws/ec2", "--framework", "pci", "--format", "jsno"],
            "bad-option",
            "--format",
            "`jsno` is not a format: did you mean `json`? (this command writes table, csv, json, md, oscal)",
        ),
        (
            &["soa", "--scope", &scope, "--format", "excel"],
            "bad-option",
            "--format",
            "did you mean `xlsx`? (this command writes table, csv, json, md, xlsx, pdf)",
        ),
        (
            &["gaps", "--scope", &scope, "--format", "yaml"],
            "bad-option",
            "--format",
            "`yaml` is not a format; this command writes table, csv, json, md, xlsx, pdf",
        ),
        (
            &["frameworks", "--format", "oscal"],
            "bad-option",
            "--format",
            "this command cannot write oscal; it writes table, csv, json, md",
        ),
        // Controls named to `map --control`.
        (
            &[
                "map",
                "--offering",
                "iaas",
                "--framework",
                "hipaa-security",
                "--control",
                "164.312(a)(2)(v)",
            ],
            "unknown-control",
            "--control",
            "`164.312(a)(2)(iv)`",
        ),
        // Short lists: providers, layers, commands.
        (
            &["offerings", "--provider", "gpc"],
            "bad-option",
            "--provider",
            "did you mean `gcp`?",
        ),
        (
            &["controls", "pci", "--layer", "netwrk"],
            "bad-option",
            "--layer",
            "did you mean `network-controls`?",
        ),
        (
            &["man", "gap"],
            "bad-option",
            "COMMAND",
            "did you mean `gaps`?",
        ),
    ];
    for (args, code, place, says) in cases {
        refused(args, code, place, says);
    }
    // An unambiguous start of a framework ID is that framework, not a suggestion.
    assert!(stdout(&["controls", "pci", "--format", "csv"]).contains("8.3.1"));
    // Nothing near: no suggestion, the list instead.
    refused(
        &["matrix", "oracle/autonomous-database"],
        "unknown-offering",
        "OFFERING",
        "unknown offering `oracle/autonomous-database`; run `srmap offerings` for the list",
    );
}

#[test]
fn scope_ids_get_the_suggestion_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let scope = dir.path().join("scope.toml");
    std::fs::write(
        &scope,
        r#"organization = "Example"
period = { start = "2025-10-01", end = "2026-09-30" }

[[systems]]
name = "app"
offerings = ["aws/ec3", "gcp/gcs"]
frameworks = ["iso-27001", "fedramp-moderate"]
"#,
    )
    .unwrap();
    let out = run(&["soa", "--scope", scope.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err =
        String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", dir.path().display()), "");
    for want in [
        "error[unknown-offering]: scope.toml:6:14 (systems.offerings): unknown offering `aws/ec3`: did you mean `aws/ec2`?",
        "error[unknown-offering]: scope.toml:6:25 (systems.offerings): unknown offering `gcp/gcs`: did you mean `gcp/cloud-storage`?",
        "error[unknown-framework]: scope.toml:7:15 (systems.frameworks): unknown framework `iso-27001`: did you mean `iso27001-2022`?",
        "error[unknown-framework]: scope.toml:7:28 (systems.frameworks): unknown framework `fedramp-moderate`: did you mean `fedramp-r5-moderate`?",
    ] {
        assert!(err.contains(want), "missing {want}\nin:\n{err}");
    }
}

#[test]
fn quiet_says_nothing_but_problems_and_a_pipe_gets_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gaps.csv");
    let args = [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &sample("evidence.csv"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
        "-o",
        file.to_str().unwrap(),
    ];
    let loud = run(&args);
    assert!(loud.status.success());
    let said = String::from_utf8_lossy(&loud.stderr);
    assert!(said.contains("written to"), "{said}");
    // Standard error is a pipe here: no progress bar, whatever the run.
    assert!(!said.contains("reading"), "{said}");
    let mut quiet = args.to_vec();
    quiet.push("--quiet");
    let out = run(&quiet);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // -q before the command works as well (a global option).
    let mut short = vec!["-q"];
    short.extend(args);
    assert!(run(&short).stderr.is_empty());
    // Problems are still reported.
    let out = run(&["-q", "matrix", "aws/ec3"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[unknown-offering]"));
}

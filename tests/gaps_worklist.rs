//! The worklist of `srmap gaps`: assignees (register owner, `[owners]`, `unassigned`), due dates
//! (`[worklist]`), stable IDs, and `--previous` (new, open, resolved), over
//! tests/fixtures/gaps-worklist/ and the sample.

use std::collections::{BTreeMap, HashSet};
#[path = "cli_support/mod.rs"]
pub mod support;

use std::path::Path;

use calamine::{Reader, Xlsx};
use serde_json::Value;
use support::{findings as json, path, root, run, sample};

fn fixture(rel: &str) -> String {
    path(&format!("tests/fixtures/gaps-worklist/{rel}"))
}

/// The fixture's arguments for a quarter (`q2` at 2026-06-30, `q3` at 2026-09-30).
fn quarter(q: &str) -> Vec<String> {
    let as_of = if q == "q2" {
        "2026-06-30"
    } else {
        "2026-09-30"
    };
    [
        "gaps",
        "--scope",
        &fixture("scope.toml"),
        "--evidence",
        &fixture(&format!("evidence-{q}.csv")),
        "--attestations",
        &fixture("attestations.csv"),
        "--as-of",
        as_of,
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The one finding of `code` about `control` on `system`.
fn one<'a>(f: &'a [Value], system: &str, control: &str, code: &str) -> &'a Value {
    let hits: Vec<&Value> = f
        .iter()
        .filter(|x| x["system"] == system && x["control"] == control && x["code"] == code)
        .collect();
    assert_eq!(hits.len(), 1, "{system} {control} {code}: {hits:#?}");
    hits[0]
}

#[test]
fn every_finding_has_an_assignee_by_the_most_specific_rule() {
    let f = json(&strs(&quarter("q2")));
    let who = |system: &str, control: &str, code: &str| {
        one(&f, system, control, code)["assignee"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let missing = "missing-evidence";
    // A control family, and a longer prefix under it.
    assert_eq!(who("app", "CC6.1", missing), "I. Iam (Identity)");
    assert_eq!(who("app", "CC6.2", missing), "R. Review (Access Reviews)");
    // A layer of the control (CC1.5: governance and personnel) before the system.
    assert_eq!(who("app", "CC1.5", missing), "P. People (HR)");
    // The system, then the framework, then the default.
    assert_eq!(who("app", "CC1.1", missing), "A. App (App Team)");
    assert_eq!(
        who("store", "164.308(a)(1)(ii)(A)", missing),
        "H. Hipaa (Privacy Officer)"
    );
    assert_eq!(who("store", "CC1.1", missing), "D. Default (GRC)");
    // Provider reports and agreements, and attestation rows: vendor management.
    for x in f.iter().filter(|x| x["party"] == "provider") {
        assert_eq!(x["assignee"], "V. Vendor (Vendor Management)", "{x}");
    }
    let unused = f
        .iter()
        .find(|x| x["code"] == "unused-attestation")
        .unwrap();
    assert_eq!(unused["assignee"], "V. Vendor (Vendor Management)");
    // A register row's own owner wins over every rule.
    assert_eq!(who("app", "CC99.9", "unknown-control"), "E. Evidence (Ops)");
    for x in &f {
        assert!(
            !x["assignee"].as_str().unwrap().is_empty(),
            "every finding has someone: {x}"
        );
    }
}

#[test]
fn a_register_row_without_an_owner_falls_to_the_scope() {
    let f = json(&strs(&quarter("q3")));
    let pending = one(&f, "app", "CC1.3", "evidence-not-approved");
    assert_eq!(pending["evidence_id"], "E-03");
    assert_eq!(pending["assignee"], "A. App (App Team)");
    let stale_rule = one(&f, "app", "CC1.2", "evidence-due-soon");
    assert_eq!(stale_rule["assignee"], "E. Evidence (Ops)");
}

#[test]
fn without_owners_findings_are_explicitly_unassigned() {
    let dir = root().join("tests/fixtures/gaps-all-codes");
    let p = |n: &str| dir.join(n).display().to_string();
    let f = json(&[
        "gaps",
        "--scope",
        &p("scope.toml"),
        "--evidence",
        &p("evidence.csv"),
        "--attestations",
        &p("attestations.csv"),
        "--as-of",
        "2026-06-30",
    ]);
    let missing = f.iter().find(|x| x["code"] == "missing-evidence").unwrap();
    assert_eq!(missing["assignee"], "unassigned");
    let provider = f
        .iter()
        .find(|x| x["code"] == "missing-attestation")
        .unwrap();
    assert_eq!(provider["assignee"], "unassigned");
    // Register rows still name their owner.
    let stale = f.iter().find(|x| x["code"] == "stale-evidence").unwrap();
    assert_ne!(stale["assignee"], "unassigned");
    assert_ne!(stale["assignee"], "");
}

#[test]
fn due_dates_follow_the_period_the_cadence_and_the_row_fix_days() {
    let f = json(&strs(&quarter("q2")));
    let due = |system: &str, control: &str, code: &str| {
        one(&f, system, control, code)["due"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Period ends 2026-12-31; due-before-period-end-days = 30.
    assert_eq!(due("app", "CC1.1", "missing-evidence"), "2026-12-01");
    // A quarterly control: one cadence after the as-of date, sooner than the period's end.
    assert_eq!(due("app", "CC6.2", "missing-evidence"), "2026-09-30");
    // Provider findings: the period's end less the lead days.
    let provider = f
        .iter()
        .find(|x| x["code"] == "attestation-not-covering-offering")
        .unwrap();
    assert_eq!(provider["due"], "2026-12-01");
    // Rows to fix: as-of + row-fixes-due-in-days (10).
    assert_eq!(due("app", "CC99.9", "unknown-control"), "2026-07-10");
    for x in &f {
        assert!(x["due"].is_string(), "every finding has a due date: {x}");
    }
    // Evidence due soon: the day it stops counting.
    let q3 = json(&strs(&quarter("q3")));
    let soon = one(&q3, "app", "CC1.2", "evidence-due-soon");
    assert_eq!(soon["due"], soon["since"]);
}

#[test]
fn ids_are_stable_from_run_to_run_and_unique_in_a_report() {
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
    ];
    let a = json(&args);
    let b = json(&args);
    let ids = |f: &[Value]| -> Vec<String> {
        f.iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&a), ids(&b), "two runs give the same IDs");
    let unique: HashSet<String> = ids(&a).into_iter().collect();
    assert_eq!(unique.len(), a.len(), "IDs are unique within a report");
    for id in &unique {
        assert!(
            id.len() == 10
                && id.starts_with("G-")
                && id[2..].chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
    }
    // The register's rows in another order: every gap keeps its ID.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample("evidence.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let shuffled = dir.path().join("evidence.csv");
    std::fs::write(&shuffled, lines.join("\n") + "\n").unwrap();
    let mut moved = args.to_vec();
    let reg = shuffled.display().to_string();
    moved[4] = &reg;
    let c = json(&moved);
    let by_id = |f: &[Value]| -> BTreeMap<String, String> {
        f.iter()
            .map(|x| {
                (
                    x["id"].as_str().unwrap().to_string(),
                    format!(
                        "{} {} {} {}",
                        x["system"], x["control"], x["code"], x["evidence_id"]
                    ),
                )
            })
            .collect()
    };
    assert_eq!(by_id(&a), by_id(&c));
    // The same gap on the earlier date keeps its ID too.
    let mut earlier = args.to_vec();
    earlier[8] = "2026-06-30";
    let e = json(&earlier);
    let key = |x: &Value| {
        format!(
            "{} {} {} {}",
            x["system"], x["framework"], x["control"], x["code"]
        )
    };
    let first = |f: &[Value], k: &str| {
        f.iter()
            .find(|x| key(x) == k)
            .map(|x| x["id"].as_str().unwrap().to_string())
    };
    let k = key(a.iter().find(|x| x["code"] == "missing-evidence").unwrap());
    assert_eq!(first(&a, &k), first(&e, &k));
}

/// Run Q2, write its JSON, then Q3 with `--previous`.
fn two_quarters(dir: &Path) -> (Vec<Value>, Vec<Value>, String) {
    let prev = dir.join("q2.json");
    let mut q2 = quarter("q2");
    q2.extend(["--format", "json", "-o"].map(String::from));
    q2.push(prev.display().to_string());
    assert!(run(&strs(&q2)).status.success());
    let before: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&prev).unwrap()).unwrap();
    let mut q3 = quarter("q3");
    q3.extend(["--previous".to_string(), prev.display().to_string()]);
    (before, json(&strs(&q3)), prev.display().to_string())
}

#[test]
fn previous_marks_new_open_and_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let (before, after, _) = two_quarters(dir.path());
    assert!(
        before.iter().all(|x| x["change"] == ""),
        "no change without --previous"
    );
    let change = |system: &str, control: &str, code: &str| {
        one(&after, system, control, code)["change"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Still missing: open, with the same ID as last quarter.
    assert_eq!(change("app", "CC1.1", "missing-evidence"), "open");
    assert_eq!(
        one(&after, "app", "CC1.1", "missing-evidence")["id"],
        one(&before, "app", "CC1.1", "missing-evidence")["id"]
    );
    // Evidence arrived for CC6.2 on both systems: resolved.
    assert_eq!(change("app", "CC6.2", "missing-evidence"), "resolved");
    assert_eq!(change("store", "CC6.2", "missing-evidence"), "resolved");
    // CC1.3 now has a pending row: the missing-evidence gap is resolved, a new one opens.
    assert_eq!(change("app", "CC1.3", "missing-evidence"), "resolved");
    assert_eq!(change("app", "CC1.3", "evidence-not-approved"), "new");
    // The bad register row is gone.
    assert_eq!(change("app", "CC99.9", "unknown-control"), "resolved");
    // Resolved findings come after the worklist, as they were last quarter.
    let first_resolved = after
        .iter()
        .position(|x| x["change"] == "resolved")
        .unwrap();
    assert!(after[first_resolved..]
        .iter()
        .all(|x| x["change"] == "resolved"));
    assert!(after[..first_resolved]
        .iter()
        .all(|x| x["change"] == "new" || x["change"] == "open"));
    let was = one(&before, "app", "CC6.2", "missing-evidence");
    let now = one(&after, "app", "CC6.2", "missing-evidence");
    assert_eq!(now["id"], was["id"]);
    assert_eq!(now["detail"], was["detail"]);
    // Every finding of last quarter is open or resolved now; every new one was not there.
    let ids = |f: &[Value], c: &[&str]| -> HashSet<String> {
        f.iter()
            .filter(|x| c.is_empty() || c.contains(&x["change"].as_str().unwrap()))
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&before, &[]), ids(&after, &["open", "resolved"]));
    assert!(ids(&before, &[]).is_disjoint(&ids(&after, &["new"])));
}

#[test]
fn a_previous_report_chains_and_resolved_findings_never_fail_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, prev) = two_quarters(dir.path());
    // Q3 with --previous, written as JSON, is itself a valid previous report: its resolved rows
    // are not carried again.
    let q3_file = dir.path().join("q3.json");
    let mut q3 = quarter("q3");
    q3.extend(["--previous".to_string(), prev.clone()]);
    q3.extend(["--format", "json", "-o"].map(String::from));
    q3.push(q3_file.display().to_string());
    assert!(run(&strs(&q3)).status.success());
    let mut again = quarter("q3");
    again.extend(["--previous".to_string(), q3_file.display().to_string()]);
    let f = json(&strs(&again));
    assert!(f.iter().all(|x| x["change"] == "open"), "nothing changed");
    // Q3 has no unknown-control gap; last quarter's, resolved, does not fail the run.
    let mut fail = quarter("q3");
    fail.extend(
        [
            "--previous",
            &prev,
            "--fail-on",
            "unknown-control",
            "--format",
            "csv",
        ]
        .map(String::from),
    );
    let out = run(&strs(&fail));
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("id,system,framework,control,party,assignee,code,"));
    assert!(csv
        .lines()
        .any(|l| l.contains(",unknown-control,") && l.ends_with(",resolved")));
}

#[test]
fn the_workbook_counts_the_changes_and_filters_the_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let (_, after, prev) = two_quarters(dir.path());
    let path = dir.path().join("q3.xlsx");
    let mut q3 = quarter("q3");
    q3.extend(["--previous".to_string(), prev]);
    q3.extend(["-o".to_string(), path.display().to_string()]);
    assert!(run(&strs(&q3)).status.success());
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let summary = wb.worksheet_range("Summary").unwrap();
    let value = |label: &str| -> String {
        summary
            .rows()
            .find(|r| r[0] == label)
            .map(|r| r[1].to_string())
            .unwrap_or_else(|| panic!("no {label} row"))
    };
    let count = |c: &str| {
        after
            .iter()
            .filter(|x| x["change"] == c && x["severity"] != "info")
            .count()
            .to_string()
    };
    assert_eq!(value("New gaps"), count("new"));
    assert_eq!(value("Still open"), count("open"));
    assert_eq!(value("Resolved"), count("resolved"));
    let work = wb.worksheet_range("Worklist").unwrap();
    let header: Vec<String> = work
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for col in ["id", "party", "assignee", "due", "change"] {
        assert!(header.iter().any(|h| h == col), "no {col} column");
    }
    assert_eq!(
        work.height() - 1,
        after.len(),
        "resolved rows are listed too"
    );
}

#[test]
fn the_pdf_summary_counts_the_changes() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("pdftotext is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, after, prev) = two_quarters(dir.path());
    let path = dir.path().join("q3.pdf");
    let mut q3 = quarter("q3");
    q3.extend(["--previous".to_string(), prev]);
    q3.extend(["-o".to_string(), path.display().to_string()]);
    assert!(run(&strs(&q3)).status.success());
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let n = |c: &str| {
        after
            .iter()
            .filter(|x| x["change"] == c && x["severity"] != "info")
            .count()
    };
    let line = format!(
        "{} new gaps, {} still open, {} resolved (Appendix E).",
        n("new"),
        n("open"),
        n("resolved")
    );
    assert!(text.contains(&line), "no `{line}` in the PDF");
    assert!(text.contains("Appendix E. Resolved since the previous report"));
    assert!(text.contains("Who has the gaps"));
    assert!(text.contains("R. Review (Access Reviews)"));
}

/// Run, expect exit 2 with every `expected` part in the message.
fn input_error(args: &[&str], expected: &[&str]) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(err.contains(e), "no `{e}` in:\n{err}");
    }
}

#[test]
fn a_malformed_previous_report_is_an_input_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("prev.json");
    std::fs::write(
        &bad,
        "[\n  {\"id\": \"G-00000001\", \"code\": \"missing-evidence\"},\n  {\"id\": \"G-00000002\", \"code\": \"no-such-gap\"}\n]\n",
    )
    .unwrap();
    let mut args = quarter("q3");
    args.extend(["--previous".to_string(), bad.display().to_string()]);
    input_error(
        &strs(&args),
        &[
            "bad-json",
            "prev.json:3:",
            "`no-such-gap` is not a gap code",
        ],
    );
    std::fs::write(&bad, "{\"findings\": []}").unwrap();
    input_error(
        &strs(&args),
        &["bad-json", "prev.json:1:", "--previous takes"],
    );
    std::fs::write(&bad, "[{\"code\": \"missing-evidence\"").unwrap();
    input_error(&strs(&args), &["bad-json", "prev.json:1:"]);
}

#[test]
fn owners_that_name_nothing_are_input_errors_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let scope = dir.path().join("scope.toml");
    std::fs::write(
        &scope,
        r#"organization = "Broken owners"
period = { start = "2026-01-01", end = "2026-12-31" }

[[systems]]
name = "app"
offerings = ["aws/rds"]
frameworks = ["soc2-2017"]

[owners]
systems = { ap = "A. App" }
frameworks = { soc3 = "B. Soc" }
layers = { people = "C. People" }
controls = { "soc2-2017:CC66" = "D. Iam", "soc2-2017" = "E. Bad" }
default = ""

[worklist]
due-before-period-end-days = 30
"#,
    )
    .unwrap();
    let s = scope.display().to_string();
    input_error(
        &["gaps", "--scope", &s, "--as-of", "2026-06-30"],
        &[
            "unknown-system",
            "scope.toml:10:18 (owners.systems.ap)",
            "unknown-framework",
            "scope.toml:11:23 (owners.frameworks.soc3)",
            "unknown-layer",
            "(owners.layers.people)",
            "unknown-control",
            "(owners.controls.soc2-2017:CC66): no control of soc2-2017 is `CC66`",
            "bad-id",
            "(owners.controls.soc2-2017)",
            "missing-value",
            "(owners.default)",
        ],
    );
    std::fs::write(
        &scope,
        "organization = \"x\"\nperiod = { start = \"2026-01-01\", end = \"2026-12-31\" }\n[[systems]]\nname = \"app\"\nofferings = [\"aws/rds\"]\nframeworks = [\"soc2-2017\"]\n[worklist]\ndue-days = 3\n",
    )
    .unwrap();
    input_error(
        &["gaps", "--scope", &s, "--as-of", "2026-06-30"],
        &["bad-toml", "scope.toml:8:", "due-days"],
    );
}

#[test]
fn the_sample_names_owners_and_its_previous_report_reads() {
    let mut args = support::sample_gaps();
    args.extend(["--previous".to_string(), sample("previous.json")]);
    let f = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(f.iter().all(|x| x["assignee"] != "unassigned"));
    for c in ["new", "open", "resolved"] {
        assert!(f.iter().any(|x| x["change"] == c), "no {c} finding");
    }
}

//! Severity from the control: the `weight` column of the framework files, `control-failing` for
//! failed checks, the severity a finding gets from its code and its control's weight, and the
//! readiness on the summary. Over tests/fixtures/control-failing/ and the sample.

#[path = "cli_support/mod.rs"]
pub mod support;

use std::path::Path;

use calamine::{DataType, Reader, Xlsx};
use serde_json::Value;
use support::{findings as json, path, run};

const FIXTURE: &str = "tests/fixtures/control-failing";

fn fixture_args() -> Vec<String> {
    vec![
        "gaps".into(),
        "--scope".into(),
        path(&format!("{FIXTURE}/scope.toml")),
        "--evidence".into(),
        path(&format!("{FIXTURE}/evidence.csv")),
        "--attestations".into(),
        path(&format!("{FIXTURE}/attestations.csv")),
        "--as-of".into(),
        "2026-09-30".into(),
    ]
}

fn sample_args() -> Vec<String> {
    let s = |f: &str| path(&format!("samples/northwind/{f}"));
    vec![
        "gaps".into(),
        "--scope".into(),
        s("scope.toml"),
        "--evidence".into(),
        s("evidence.csv"),
        "--attestations".into(),
        s("attestations.csv"),
        "--as-of".into(),
        "2026-09-30".into(),
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The gaps (information left out) on one control: (code, severity).
fn gaps_on<'a>(
    f: &'a [Value],
    system: &str,
    framework: &str,
    control: &str,
) -> Vec<(&'a str, &'a str)> {
    f.iter()
        .filter(|x| {
            x["system"] == system
                && x["framework"] == framework
                && x["control"] == control
                && x["severity"] != "info"
        })
        .map(|x| (x["code"].as_str().unwrap(), x["severity"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_failed_check_is_control_failing_with_the_controls_weight() {
    let f = json(&strs(&fixture_args()));
    let on = |c: &str| gaps_on(&f, "shop", "pci-dss-4.0.1", c);
    // 1.3.1 (inbound traffic to the CDE) is key: a failed Prowler-style row is high.
    assert_eq!(on("1.3.1"), [("control-failing", "high")]);
    let failing = f.iter().find(|x| x["control"] == "1.3.1").unwrap();
    assert_eq!(
        failing["evidence_id"],
        "PROWLER-2026-09-01-pci-dss-4.0.1-1.3.1"
    );
    assert_eq!(failing["since"], "2026-09-01");
    assert!(failing["detail"]
        .as_str()
        .unwrap()
        .contains("records a failed check"));
    // Standard: still high (the control is not operating); supporting (policy wording): medium.
    assert_eq!(on("2.2.1"), [("control-failing", "high")]);
    assert_eq!(on("12.1.1"), [("control-failing", "medium")]);
    // A later failed check overrules an earlier good patch report ...
    assert_eq!(on("6.3.3"), [("control-failing", "high")]);
    // ... and a later passing result fixes an earlier failure.
    assert_eq!(on("8.2.6"), []);
    // A document a reviewer turned down is still an unapproved document.
    assert_eq!(on("5.2.1"), [("evidence-not-approved", "medium")]);
    // Missing evidence follows the weight: key high, standard medium, supporting low.
    assert_eq!(on("8.4.2"), [("missing-evidence", "high")]);
    assert_eq!(on("12.5.1"), [("missing-evidence", "medium")]);
    assert_eq!(on("12.1.2"), [("missing-evidence", "low")]);
    // Failing controls come first in the worklist, after nothing but provider gaps.
    let first_gap = f.iter().find(|x| x["severity"] != "info").unwrap();
    assert_eq!(first_gap["code"], "control-failing");
}

#[test]
fn fail_on_high_counts_a_failing_control() {
    let mut args = fixture_args();
    args.extend(["--fail-on".into(), "control-failing".into()]);
    assert_eq!(run(&strs(&args)).status.code(), Some(1));
    let mut args = fixture_args();
    args.extend(["--fail-on".into(), "high".into()]);
    assert_eq!(run(&strs(&args)).status.code(), Some(1));
}

#[test]
fn the_workbook_says_what_overruled_a_row_and_shows_weights_and_readiness() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gaps.xlsx");
    let mut args = fixture_args();
    args.extend(["-o".into(), out.display().to_string()]);
    assert!(run(&strs(&args)).status.success());
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let rows = wb.worksheet_range("Evidence rows").unwrap();
    let outcome = |id: &str| {
        rows.rows()
            .find(|r| r[2] == id)
            .map(|r| r[4].to_string())
            .unwrap()
    };
    assert_eq!(
        outcome("EV-PATCH-09"),
        "does not count: a later failed check (PROWLER-2026-09-15-pci-dss-4.0.1-6.3.3) shows the control not operating"
    );
    assert_eq!(
        outcome("PROWLER-2026-09-15-pci-dss-4.0.1-6.3.3"),
        "reported: control-failing"
    );
    assert!(
        outcome("PROWLER-2026-08-01-pci-dss-4.0.1-8.2.6").starts_with("not needed"),
        "a failure fixed by a later pass is not needed"
    );
    assert_eq!(
        outcome("PROWLER-2026-09-10-pci-dss-4.0.1-8.2.6"),
        "counts for shop"
    );

    let header = |sheet: &calamine::Range<calamine::Data>| -> Vec<String> {
        sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    let work = wb.worksheet_range("Worklist").unwrap();
    let wcol = header(&work).iter().position(|c| c == "weight").unwrap();
    let ccol = header(&work).iter().position(|c| c == "control").unwrap();
    let weight_of = |control: &str| {
        work.rows()
            .find(|r| r[ccol] == control)
            .map(|r| r[wcol].to_string())
            .unwrap()
    };
    assert_eq!(weight_of("1.3.1"), "key");
    assert_eq!(weight_of("12.1.1"), "supporting");
    let owners = wb.worksheet_range("Owner map").unwrap();
    let owner_header = header(&owners);
    assert_eq!(owner_header[owner_header.len() - 2], "weight");
    assert_eq!(owner_header.last().unwrap(), "evidence expected");

    // Readiness: one row per system and framework, met of the customer's and shared controls.
    let summary = wb.worksheet_range("Systems").unwrap();
    let head = summary
        .rows()
        .position(|r| r.first().is_some_and(|c| *c == "system"))
        .unwrap();
    let cols: Vec<String> = summary
        .rows()
        .nth(head)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| cols.iter().position(|c| c == name).unwrap();
    let row = summary.rows().nth(head + 1).unwrap();
    let (of, met, share) = (
        row[col("customer + shared")].as_f64().unwrap(),
        row[col("met")].as_f64().unwrap(),
        row[col("readiness")].as_f64().unwrap(),
    );
    assert!(of > 0.0 && met > 0.0 && met < of, "{met} of {of}");
    assert!((share - met / of).abs() < 1e-9);
    let f = json(&strs(&fixture_args()));
    let open: std::collections::BTreeSet<&str> = f
        .iter()
        .filter(|x| x["severity"] != "info" && x["control"] != "")
        .map(|x| x["control"].as_str().unwrap())
        .collect();
    assert_eq!(of - met, open.len() as f64, "met: no open gap");
}

#[test]
fn on_the_sample_mfa_and_encryption_gaps_rank_above_policy_wording_gaps() {
    let f = json(&strs(&sample_args()));
    let rank = |system: &str, framework: &str, control: &str| {
        f.iter()
            .position(|x| {
                x["system"] == system && x["framework"] == framework && x["control"] == control
            })
            .unwrap_or_else(|| panic!("no finding on {system} {framework} {control}"))
    };
    let severity = |i: usize| f[i]["severity"].as_str().unwrap();
    // MFA and encryption: PCI 8.4.3 (MFA for remote access), HIPAA 164.312(e)(2)(ii) (encryption
    // in transit), PCI 4.2.1 (strong cryptography on public networks), SOC 2 CC6.1 (a failed
    // Prowler check of logical access and encryption settings).
    let risky = [
        rank("payments", "pci-dss-4.0.1", "8.4.3"),
        rank("patient-portal", "hipaa-security", "164.312(e)(2)(ii)"),
        rank("payments", "pci-dss-4.0.1", "4.2.1"),
        rank("patient-portal", "soc2-2017", "CC6.1"),
    ];
    // Policy wording: HIPAA 164.316(b)(1) (written policies), PCI 9.1.1 (physical security
    // policy), PCI 4.1.1 (policy for encrypting PAN in transit, stale), PCI 10.1.1 (logging
    // policy, not approved).
    let paperwork = [
        rank("patient-portal", "hipaa-security", "164.316(b)(1)"),
        rank("payments", "pci-dss-4.0.1", "9.1.1"),
        rank("payments", "pci-dss-4.0.1", "4.1.1"),
        rank("payments", "pci-dss-4.0.1", "10.1.1"),
    ];
    for &r in &risky {
        assert_eq!(severity(r), "high", "{}", f[r]);
        for &p in &paperwork {
            assert_eq!(severity(p), "low", "{}", f[p]);
            assert!(r < p, "{} ranks below {}", f[r], f[p]);
        }
    }
    assert_eq!(f[risky[3]]["code"], "control-failing");
    // Severities are spread: every level is used, and high is not the bulk of the gaps.
    let count = |s: &str| f.iter().filter(|x| x["severity"] == s).count();
    let gaps = count("high") + count("medium") + count("low");
    assert!(count("high") > 0 && count("medium") > 0 && count("low") > 0);
    assert!(count("high") * 2 < gaps, "{} of {gaps} high", count("high"));
}

fn write_framework(dir: &Path, csv: &str) {
    let fw = dir.join("frameworks");
    std::fs::create_dir_all(&fw).unwrap();
    std::fs::write(
        fw.join("acme-risk.toml"),
        "id = \"acme-risk\"\nname = \"ACME risk\"\nversion = \"1\"\n",
    )
    .unwrap();
    std::fs::write(fw.join("acme-risk.csv"), csv).unwrap();
}

#[test]
fn an_unknown_weight_is_an_input_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    write_framework(
        dir.path(),
        "id,title,group,kind,parent,layers,cadence,evidence,weight\n\
         AR-1,Admins use MFA,Access,control,,accounts-identities,annual,MFA export.,key\n\
         AR-2,Policy is written,Governance,control,,governance-training,annual,Policy.,critical\n",
    );
    let out = run(&["validate", "--data", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[unknown-weight]: ")
            && err.contains("acme-risk.csv:3:")
            && err.contains("(weight): control `AR-2`: `critical` is not a risk weight; expected one of key, standard, supporting"),
        "{err}"
    );
}

#[test]
fn a_framework_without_the_column_is_standard_throughout() {
    let dir = tempfile::tempdir().unwrap();
    write_framework(
        dir.path(),
        "id,title,group,kind,parent,layers,cadence,evidence\n\
         AR-1,Admins use MFA,Access,control,,accounts-identities,annual,MFA export.\n",
    );
    let data = dir.path().display().to_string();
    assert!(run(&["validate", "--data", &data]).status.success());
    let rows = json(&["controls", "acme-risk", "--data", &data]);
    assert_eq!(rows[0]["weight"], "standard");
    let rows = json(&["controls", "pci-dss-4.0.1"]);
    let weight = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["weight"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(weight("8.4.1"), "key");
    assert_eq!(weight("12.5.1"), "standard");
    assert_eq!(weight("1.1.1"), "supporting");
}

//! Applicability and the Statement of Applicability end to end: the scope's settings and
//! exclusions, `srmap soa`, and what `srmap gaps` and `srmap template pbc` leave out.

#[path = "cli_support/mod.rs"]
pub mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::{json, path, run};

fn soa(scope: &str) -> Value {
    json(&["soa", "--scope", &path(scope), "--as-of", "2026-09-30"])
}

/// The status and reason of one control on one system.
fn row<'a>(st: &'a Value, system: &str, framework: &str, control: &str) -> (&'a str, &'a str) {
    let r = st["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["system"] == system && r["framework"] == framework && r["control"] == control)
        .unwrap_or_else(|| panic!("no row for {system} {framework} {control}"));
    (r["status"].as_str().unwrap(), r["reason"].as_str().unwrap())
}

fn failure(scope: &str) -> String {
    let out = run(&["soa", "--scope", &path(scope)]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_sample_has_no_finding_about_a_control_that_does_not_apply() {
    let scope = "samples/northwind/scope.toml";
    let st = soa(scope);
    let left_out: BTreeSet<(String, String, String)> = st["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "applicable")
        .map(|r| {
            (
                r["system"].as_str().unwrap().to_string(),
                r["framework"].as_str().unwrap().to_string(),
                r["control"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Appendices A1-A3, the service-provider-only requirements, SOC 2 privacy, HIPAA 164.314(b).
    for (sys, fw, c) in [
        ("payments", "pci-dss-4.0.1", "A1.1.1"),
        ("payments", "pci-dss-4.0.1", "A2.1.1"),
        ("payments", "pci-dss-4.0.1", "A3.5.1"),
        ("payments", "pci-dss-4.0.1", "12.9.1"),
        ("payments", "pci-dss-4.0.1", "11.4.7"),
        ("patient-portal", "soc2-2017", "P1.1"),
        ("patient-portal", "soc2-2017", "PI1.1"),
        ("patient-portal", "hipaa-security", "164.314(b)(1)"),
        ("analytics", "iso27001-2022", "A.8.30"),
        ("workplace", "iso27001-2022", "A.8.28"),
    ] {
        assert!(
            left_out.contains(&(sys.into(), fw.into(), c.into())),
            "{sys} {fw} {c} should not apply"
        );
    }
    let findings = json(&[
        "gaps",
        "--scope",
        &path(scope),
        "--evidence",
        &path("samples/northwind/evidence.xlsx"),
        "--attestations",
        &path("samples/northwind/attestations.csv"),
        "--as-of",
        "2026-09-30",
    ]);
    let about: Vec<&Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let key = |k: &str| f[k].as_str().unwrap_or("").to_string();
            left_out.contains(&(key("system"), key("framework"), key("control")))
        })
        .collect();
    assert!(about.is_empty(), "{about:#?}");
    // Not even a finding on every system of the framework (system left blank).
    assert!(!findings.as_array().unwrap().iter().any(|f| {
        f["framework"] == "pci-dss-4.0.1" && f["control"].as_str().unwrap_or("").starts_with("A1.")
    }));
    // Processing integrity applies on payments, which adds it to its SOC 2 categories.
    assert_eq!(row(&st, "payments", "soc2-2017", "PI1.1").0, "applicable");
}

#[test]
fn the_statement_lists_every_excluded_control_with_its_reason() {
    let st = soa("samples/northwind/scope.toml");
    let excluded: Vec<(&str, &str, &str)> = st["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "excluded")
        .map(|r| {
            (
                r["system"].as_str().unwrap(),
                r["control"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    let ids: Vec<(&str, &str)> = excluded.iter().map(|(s, c, _)| (*s, *c)).collect();
    assert_eq!(
        ids,
        [
            ("analytics", "A.8.30"),
            ("workplace", "A.8.28"),
            ("workplace", "A.8.30"),
        ]
    );
    for (_, c, reason) in &excluded {
        assert!(reason.contains("scope.toml:"), "{c}: {reason}");
        assert!(reason.len() > 40, "{c}: {reason}");
    }
    let (status, reason) = row(&st, "payments", "pci-dss-4.0.1", "A1.1.1");
    assert_eq!(status, "not-applicable");
    assert!(reason.contains("multi-tenant-provider = false"), "{reason}");
    // Every not-applicable control says which setting decided it.
    for r in st["rows"].as_array().unwrap() {
        if r["status"] == "not-applicable" {
            assert!(
                r["reason"].as_str().unwrap().contains("The scope says"),
                "{r}"
            );
        }
    }
    // The counts agree with the rows.
    let sum = |k: &str| {
        st["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[k].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum("excluded"), 3);
    assert_eq!(
        sum("applicable") + sum("not_applicable") + sum("excluded"),
        st["rows"].as_array().unwrap().len() as u64
    );
}

#[test]
fn systems_override_settings_and_an_excluded_parent_takes_its_parts() {
    let st = soa("tests/fixtures/applicability/scope.toml");
    // The shop is a merchant; the platform a multi-tenant service provider.
    assert_eq!(
        row(&st, "shop", "pci-dss-4.0.1", "12.9.1").0,
        "not-applicable"
    );
    assert_eq!(
        row(&st, "shop", "pci-dss-4.0.1", "A1.1.1").0,
        "not-applicable"
    );
    let (status, reason) = row(&st, "platform", "pci-dss-4.0.1", "A1.1.1");
    assert_eq!(status, "applicable");
    assert!(reason.contains("multi-tenant-provider = true"), "{reason}");
    assert_eq!(
        row(&st, "platform", "pci-dss-4.0.1", "12.9.1").0,
        "applicable"
    );
    // Designated entity is set by the scope for both systems.
    assert_eq!(
        row(&st, "platform", "pci-dss-4.0.1", "A3.1.1").0,
        "not-applicable"
    );
    // SOC 2: availability in, confidentiality out.
    assert_eq!(row(&st, "shop", "soc2-2017", "A1.2").0, "applicable");
    assert_eq!(row(&st, "shop", "soc2-2017", "C1.1").0, "not-applicable");
    assert_eq!(row(&st, "shop", "soc2-2017", "CC6.1").0, "applicable");
    // HIPAA: the excluded standard and its implementation specifications.
    assert_eq!(
        row(&st, "shop", "hipaa-security", "164.310(d)(1)").0,
        "excluded"
    );
    let (status, reason) = row(&st, "shop", "hipaa-security", "164.310(d)(2)(i)");
    assert_eq!(status, "excluded");
    assert!(reason.starts_with("part of 164.310(d)(1)"), "{reason}");
    // A setting left out keeps its controls, and says so.
    let (status, reason) = row(&st, "shop", "hipaa-security", "164.314(a)(2)(ii)");
    assert_eq!(status, "applicable");
    assert!(
        reason.contains("does not set `government-entity`"),
        "{reason}"
    );
    // An exclusion for one system leaves the others alone; `8.30` is read as A.8.30.
    assert_eq!(
        row(&st, "platform", "iso27001-2022", "A.8.30").0,
        "excluded"
    );
    // The PBC list requests nothing for what does not apply.
    let pbc = json(&[
        "template",
        "pbc",
        "--scope",
        &path("tests/fixtures/applicability/scope.toml"),
        "--as-of",
        "2026-09-30",
    ]);
    let requested = |fw: &str, c: &str| -> Option<Value> {
        pbc["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["framework"] == fw && r["control"] == c)
            .map(|r| r["systems"].clone())
    };
    assert!(requested("hipaa-security", "164.310(d)(1)").is_none());
    assert!(requested("soc2-2017", "C1.1").is_none());
    let a1 = requested("pci-dss-4.0.1", "A1.1.1").expect("A1.1.1 is requested for the platform");
    assert!(a1.to_string().contains("platform"), "{a1}");
    assert!(!a1.to_string().contains("shop"), "{a1}");
}

#[test]
fn an_exclusion_without_a_reason_exits_2_with_its_place() {
    let err = failure("tests/fixtures/applicability/no-reason.toml");
    assert!(
        err.contains("error[exclusion-without-reason]:")
            && err.contains("no-reason.toml:11:11 (exclude.reason)"),
        "{err}"
    );
    assert!(
        err.contains("no-reason.toml:16:10 (exclude.reason)"),
        "{err}"
    );
}

#[test]
fn an_unknown_control_a_clause_or_an_unknown_system_exits_2_with_its_place() {
    let err = failure("tests/fixtures/applicability/unknown-control.toml");
    for want in [
        "error[unknown-control]: ",
        "unknown-control.toml:11:11 (exclude.control): `A.9.9` is not a control of iso27001-2022",
        "error[exclusion-not-allowed]: ",
        "unknown-control.toml:16:11",
        "error[unknown-system]: ",
        "unknown-control.toml:22:12",
        "error[exclusion-out-of-scope]: ",
        "unknown-control.toml:26:13",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // gaps stops the same way, before anything is written.
    let out = run(&[
        "gaps",
        "--scope",
        &path("tests/fixtures/applicability/no-reason.toml"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unknown_settings_and_values_exit_2_with_their_places() {
    let err = failure("tests/fixtures/applicability/bad-settings.toml");
    for want in [
        "bad-settings.toml:10:10 (applicability.entity): pci-dss-4.0.1 `entity` cannot be \"acquirer\"",
        "bad-settings.toml:11:25 (applicability.multi-tenant-provider): pci-dss-4.0.1 `multi-tenant-provider` is true or false",
        "bad-settings.toml:12:1 (applicability): `colour` is not a setting of pci-dss-4.0.1",
        "bad-settings.toml:15:14 (applicability.categories): soc2-2017 `categories` cannot be \"avilability\"",
        "bad-settings.toml:18:1 (applicability): iso27001-2022 has no applicability settings",
        "must be quoted, as in [applicability.\"pci-dss-4.0.1\"]",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert_eq!(err.matches("error[bad-applicability]").count(), 6, "{err}");
}

#[test]
fn validate_rejects_an_unknown_applies_to_condition() {
    let out = run(&[
        "--data",
        &path("tests/fixtures/applicability/bad-data"),
        "validate",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[unknown-applicability]: ")
            && err
                .contains("tiny.csv:3:5 (applies_to): control `T-2`: condition `service-provider`"),
        "{err}"
    );
}

#[test]
fn the_statement_is_written_in_every_format() {
    let scope = path("samples/northwind/scope.toml");
    for format in ["table", "csv", "md", "xlsx", "pdf"] {
        let out = run(&[
            "soa",
            "--scope",
            &scope,
            "--as-of",
            "2026-09-30",
            "--format",
            format,
            "-o",
            "-",
        ]);
        assert!(out.status.success(), "{format}: {out:?}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
    let csv = run(&["soa", "--scope", &scope, "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("system,framework,control,title,group,status,reason\n"));
    assert!(text.contains(",A.8.30,"));
}

#[test]
fn the_scope_template_documents_every_setting_and_reads_back() {
    let out = run(&["template", "scope"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "# [applicability.\"pci-dss-4.0.1\"]",
        "# multi-tenant-provider = false",
        "# early-tls-pos-terminals = false",
        "# designated-entity = false",
        "# [applicability.\"soc2-2017\"]",
        "\"processing-integrity\"",
        "# [applicability.\"hipaa-security\"]",
        "\"group-health-plan\"",
        "# [[exclude]]",
        "iso27001-2022 (its `clause` rows)",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    // As written it is a valid scope; uncommenting the settings keeps it valid.
    let dir = std::env::temp_dir().join(format!("srmap-scope-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("scope.toml");
    std::fs::write(&plain, &text).unwrap();
    let st = json(&["soa", "--scope", plain.to_str().unwrap()]);
    assert!(st["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "applicable"));
    let (settings, rest) = text.split_once("# Exclusions").unwrap();
    let start = settings.find("\n# [applicability.").unwrap();
    let uncommented: String = settings[start..]
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(x) if x.starts_with('[') || x.contains(" = ") => x.to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let full = dir.join("full.toml");
    std::fs::write(
        &full,
        format!("{}{uncommented}\n# Exclusions{rest}", &settings[..start]),
    )
    .unwrap();
    let st = json(&["soa", "--scope", full.to_str().unwrap()]);
    assert_eq!(
        st["summaries"][0]["profile"],
        "categories = [\"security\", \"availability\", \"confidentiality\", \"processing-integrity\", \"privacy\"]"
    );
    std::fs::remove_dir_all(&dir).ok();
}

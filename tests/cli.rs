//! CLI tests over tests/fixtures/<scenario>/ and snapshots of output and --help.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn srmap() -> Command {
    Command::cargo_bin("srmap").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn stdout(args: &[&str]) -> String {
    let out = srmap().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_is_pinned() {
    insta::assert_snapshot!("help", stdout(&["--help"]));
    insta::assert_snapshot!("map_help", stdout(&["map", "--help"]));
    for cmd in [
        vec!["gaps"],
        vec!["diff"],
        vec!["compare"],
        vec!["controls"],
        vec!["template", "pbc"],
        vec!["import", "fedramp-crm"],
        vec!["import", "prowler"],
        vec!["import", "matrix"],
    ] {
        let mut args = cmd.clone();
        args.push("--help");
        insta::assert_snapshot!(
            format!("{}_help", cmd.join("_").replace('-', "_")),
            stdout(&args)
        );
    }
}

#[test]
fn validate_passes_on_the_builtin_data() {
    let out = stdout(&["validate"]);
    assert!(out.starts_with("ok: "), "{out}");
    assert!(out.contains("12 frameworks"), "{out}");
}

#[test]
fn validate_reports_every_problem_with_file_and_line() {
    let dir = fixture("broken-data");
    let out = srmap()
        .args(["validate", "--data"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    let err = err.replace(&format!("{}/", dir.display()), "");
    insta::assert_snapshot!("validate_broken", err);
}

#[test]
fn a_broken_data_dir_stops_every_command_with_exit_2() {
    let out = srmap()
        .args(["frameworks", "--format", "csv", "--data"])
        .arg(fixture("broken-data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[unknown-layer]"));
}

#[test]
fn frameworks_json_contract() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["frameworks", "--format", "json"])).unwrap();
    let list = v.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "fedramp-r5-high",
            "fedramp-r5-li-saas",
            "fedramp-r5-low",
            "fedramp-r5-moderate",
            "gdpr",
            "hipaa-security",
            "hipaa-security-2025-proposed",
            "iso27001-2022",
            "mcsb-v1",
            "nist-800-53-r5",
            "pci-dss-4.0.1",
            "soc2-2017"
        ]
    );
    for f in list {
        assert!(
            f["name"].is_string()
                && f["version"].is_string()
                && f["controls"].as_u64().unwrap() > 0
        );
        let proposed = f["id"] == "hipaa-security-2025-proposed";
        assert_eq!(
            f["status"],
            if proposed { "proposed" } else { "final" },
            "{}",
            f["id"]
        );
    }
}

/// The list users read first: the releases and amendments each framework reflects (NIST SP
/// 800-53 release 5.2.0, ISO/IEC 27001 with its 2024 amendment) and which one is only proposed.
#[test]
fn frameworks_list_is_pinned() {
    let table = stdout(&["frameworks", "--format", "table"]);
    assert!(table.contains("Rev. 5 release 5.2.0"), "{table}");
    assert!(table.contains("2022+A1:2024"), "{table}");
    let proposed = table
        .lines()
        .find(|l| l.starts_with("hipaa-security-2025-proposed "))
        .expect("the proposed HIPAA rule is listed");
    assert!(proposed.contains("proposed") && proposed.contains("not final"));
    insta::assert_snapshot!("frameworks", stdout(&["frameworks", "--format", "csv"]));
}

/// The controls NIST SP 800-53 releases 5.1.1 and 5.2.0 added resolve in every spelling files
/// use (5.2.0 writes IDs zero-padded: SI-02(07)).
#[test]
fn controls_of_nist_release_5_2_0_resolve() {
    for (spelling, canonical) in [
        ("SA-24", "SA-24"),
        ("SA-15(13)", "SA-15(13)"),
        ("SI-2(7)", "SI-2(7)"),
        ("SI-02(07)", "SI-2(7)"),
        ("si-2.7", "SI-2(7)"),
        ("NIST SP 800-53 Rev. 5 SA-15 (13)", "SA-15(13)"),
        ("IA-13(03)", "IA-13(3)"),
    ] {
        let out = stdout(&[
            "map",
            "--offering",
            "iaas",
            "--framework",
            "nist-800-53-r5",
            "--control",
            spelling,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["control"], canonical, "{spelling}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["controls", "nist-800-53-r5", "--format", "json"])).unwrap();
    let titles: std::collections::HashMap<&str, &str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["title"].as_str().unwrap()))
        .collect();
    assert_eq!(titles["SA-24"], "Design for Cyber Resiliency");
    assert_eq!(
        titles["SA-15(13)"],
        "Development Process, Standards, and Tools | Logging Syntax"
    );
    assert_eq!(titles["SI-2(7)"], "Flaw Remediation | Root Cause Analysis");
    assert_eq!(titles.len(), 1014);
    // FedRAMP's Rev5 baselines do not list them.
    for baseline in ["fedramp-r5-low", "fedramp-r5-moderate", "fedramp-r5-high"] {
        let out = srmap()
            .args([
                "map",
                "--offering",
                "iaas",
                "--framework",
                baseline,
                "--control",
                "SA-24",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{baseline}");
    }
}

/// ISO/IEC 27001:2022/Amd 1:2024 puts climate change into clauses 4.1 and 4.2.
#[test]
fn iso_clauses_4_1_and_4_2_carry_the_climate_amendment() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["controls", "iso27001-2022", "--format", "json"])).unwrap();
    for id in ["4.1", "4.2"] {
        let c = v
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        let text = format!("{} {}", c["title"], c["evidence"]).to_lowercase();
        assert!(text.contains("climate"), "{id}: {text}");
    }
}

#[test]
fn controls_json_contract_and_spellings() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["controls", "iso27001-2022", "--format", "json"])).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 123);
    assert_eq!(
        list.iter()
            .filter(|c| c["id"].as_str().unwrap().starts_with("A."))
            .count(),
        93
    );
    for c in list {
        assert!(c["title"].is_string());
        assert!(!c["layers"].as_array().unwrap().is_empty());
    }
    let gdpr: serde_json::Value =
        serde_json::from_str(&stdout(&["controls", "gdpr", "--all", "--format", "json"])).unwrap();
    assert_eq!(gdpr.as_array().unwrap().len(), 99);
}

#[test]
fn offerings_json_contract() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "offerings",
        "--provider",
        "aws",
        "--format",
        "json",
    ]))
    .unwrap();
    for o in v.as_array().unwrap() {
        assert_eq!(o["provider"], "aws");
        assert!(o["id"].as_str().unwrap().starts_with("aws/"));
        assert!(o["model"].is_string() && o["name"].is_string());
    }
}

#[test]
fn map_accepts_the_spellings_real_files_use() {
    for (fw, spelling, canonical) in [
        ("soc2-2017", "cc_6_1", "CC6.1"),
        ("hipaa-security", "164_308_a_1_ii_a", "164.308(a)(1)(ii)(A)"),
        ("gdpr", "article_32", "Art. 32"),
        ("gdpr", "32", "Art. 32"),
        ("iso27001-2022", "ISO_IEC_27001_2022_A.5.1", "A.5.1"),
        ("pci-dss-4.0.1", "PCI_DSS_v4.0.1_8.3.1", "8.3.1"),
    ] {
        let out = stdout(&[
            "map",
            "--offering",
            "iaas",
            "--framework",
            fw,
            "--control",
            spelling,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["control"], canonical, "{spelling}");
    }
}

#[test]
fn an_ambiguous_spelling_is_reported_not_guessed() {
    let out = srmap()
        .args([
            "map",
            "--offering",
            "iaas",
            "--framework",
            "pci-dss-4.0.1,iso27001-2022",
            "--control",
            "9.2.1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could mean pci-dss-4.0.1:9.2.1 or iso27001-2022:9.2.1"),
        "{err}"
    );
    // The canonical ID of ISO clause 5.1 is 5.1; Annex A.5.1 keeps its `A.` (bare 5.10 has no clause twin).
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "map",
        "--offering",
        "iaas",
        "--framework",
        "iso27001-2022",
        "--control",
        "5.1",
        "--control",
        "5.10",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v[0]["control"], "5.1");
    assert_eq!(v[1]["control"], "A.5.10");
}

#[test]
fn map_json_has_the_contract_fields() {
    let out = stdout(&[
        "map",
        "--offering",
        "aws/ec2",
        "--offering",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 400);
    for r in rows {
        for key in [
            "framework",
            "control",
            "title",
            "offering",
            "owner",
            "basis",
            "customer_duty",
            "provider_duty",
        ] {
            assert!(r.get(key).is_some_and(|x| x.is_string()), "{key} in {r}");
        }
        assert!(["provider", "customer", "shared", "not-applicable"]
            .contains(&r["owner"].as_str().unwrap()));
    }
}

#[test]
fn map_csv_has_the_same_columns_and_is_written_to_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("owners.csv");
    srmap()
        .args([
            "map",
            "--offering",
            "saas",
            "--framework",
            "soc2-2017",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..8],
        [
            "framework",
            "control",
            "title",
            "offering",
            "owner",
            "basis",
            "customer_duty",
            "provider_duty"
        ]
    );
    assert_eq!(rdr.records().count(), 61);
}

#[test]
fn map_md_snapshot() {
    insta::assert_snapshot!(
        "map_md",
        stdout(&[
            "map",
            "--offering",
            "onprem,aws/ec2,aws/rds,saas",
            "--framework",
            "hipaa-security",
            "--control",
            "164.312(a)(2)(iv)",
            "--control",
            "164.310(a)(1)",
            "--format",
            "md"
        ])
    );
}

#[test]
fn output_is_deterministic() {
    let args = [
        "map",
        "--offering",
        "azure/app-service",
        "--framework",
        "gdpr",
        "--format",
        "csv",
    ];
    assert_eq!(stdout(&args), stdout(&args));
}

#[test]
fn a_new_control_in_a_framework_file_shows_up_in_map() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("frameworks")).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/soc2-2017.csv"),
    )
    .unwrap();
    let extended = format!(
        "{builtin}CC9.9,Backups of the vendor register are tested,CC9 Risk mitigation,criterion,,backup-recovery,backups,quarterly,Restore test record.\n"
    );
    std::fs::write(dir.path().join("frameworks/soc2-2017.csv"), extended).unwrap();
    let out = srmap()
        .args([
            "map",
            "--offering",
            "paas",
            "--framework",
            "soc2-2017",
            "--control",
            "CC9.9",
            "--format",
            "json",
            "--data",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["control"], "CC9.9");
    assert_eq!(v[0]["owner"], "shared");
}

#[test]
fn a_new_offering_file_shows_up_in_map_with_its_overrides() {
    let data = fixture("new-offering");
    let out = srmap()
        .args([
            "map",
            "--offering",
            "acme/managed-vm",
            "--framework",
            "soc2-2017",
            "--control",
            "CC6.4",
            "--control",
            "CC6.8",
            "--format",
            "json",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["control"], "CC6.4");
    assert_eq!(
        v[0]["owner"], "shared",
        "the matrix row overrides the physical layers"
    );
    assert!(v[0]["basis"].as_str().unwrap().starts_with("matrix row in"));
    assert!(v[0]["source"].as_str().unwrap().contains("#colocation"));
    assert_eq!(v[1]["control"], "CC6.8");
    let listed = stdout(&[
        "offerings",
        "--format",
        "csv",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(listed.contains("acme/managed-vm"));
}

#[test]
fn unknown_names_are_usage_errors() {
    for args in [
        vec!["map", "--offering", "aws/ec3", "--framework", "gdpr"],
        vec!["map", "--offering", "iaas", "--framework", "fedramp"],
        vec!["map", "--offering", "iaas", "--framework", "cobit"],
        vec!["controls", "cobit"],
        vec![
            "map",
            "--offering",
            "iaas",
            "--framework",
            "gdpr",
            "--format",
            "docx",
        ],
    ] {
        let out = srmap().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The 2025 HIPAA Security Rule NPRM: a separate framework, labelled proposed, every
/// specification required, with a crosswalk from the current rule that shows what it adds.
#[test]
fn the_proposed_hipaa_rule_loads_with_its_crosswalk_from_the_current_rule() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "controls",
        "hipaa-security-2025-proposed",
        "--format",
        "json",
    ]))
    .unwrap();
    let controls = v.as_array().unwrap();
    assert!(
        controls
            .iter()
            .all(|c| c["kind"] == "standard" || c["kind"] == "required"),
        "no addressable specification is left"
    );
    let title = |id: &str| {
        controls
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} is a control"))["title"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(title("164.308(a)(1)").contains("network map"));
    assert!(title("164.308(a)(13)").contains("72 hours"));
    assert!(title("164.308(a)(14)").contains("Compliance audit"));
    assert!(title("164.312(b)").contains("at rest and in transit"));
    assert!(title("164.312(f)").contains("multi-factor"));
    assert!(title("164.312(h)").contains("6 months") && title("164.312(h)").contains("12"));

    // What the proposal adds: each proposed control with the current controls it relates to.
    let m: serde_json::Value = serde_json::from_str(&stdout(&[
        "controls",
        "hipaa-security-2025-proposed",
        "--mapped-to",
        "hipaa-security",
        "--format",
        "json",
    ]))
    .unwrap();
    let pairs: Vec<(String, String, String)> = m
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("id"), s("mapped_control"), s("relationship"))
        })
        .collect();
    let of = |id: &str| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|p| p.0 == id)
            .map(|p| (p.1.clone(), p.2.clone()))
            .collect()
    };
    // New in the proposal: nothing in the current rule maps to them.
    for new in [
        "164.308(a)(1)",
        "164.308(a)(4)",
        "164.312(a)(2)(ii)",
        "164.312(h)",
    ] {
        assert_eq!(of(new), [(String::new(), String::new())], "{new}");
    }
    // Stricter: today's addressable encryption at rest and in transit, now required.
    assert_eq!(
        of("164.312(b)"),
        [
            ("164.312(a)(2)(iv)".to_string(), "superset".to_string()),
            ("164.312(e)(2)(ii)".to_string(), "superset".to_string()),
        ]
    );
    // Renumbered, same duty.
    assert_eq!(
        of("164.308(a)(8)"),
        [("164.308(a)(2)".to_string(), "equal".to_string())]
    );

    // Every report names it as proposed.
    let dir = tempfile::tempdir().unwrap();
    let scope = dir.path().join("scope.toml");
    std::fs::write(
        &scope,
        r#"organization = "Clinic"
period = { start = "2026-01-01", end = "2026-12-31" }

[[systems]]
name = "ehr"
offerings = ["aws/rds"]
frameworks = ["hipaa-security", "hipaa-security-2025-proposed"]

[applicability."hipaa-security-2025-proposed"]
entity = "covered-entity"
"#,
    )
    .unwrap();
    let soa: serde_json::Value = serde_json::from_str(&stdout(&[
        "soa",
        "--scope",
        scope.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    let names: Vec<&str> = soa["summaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "HIPAA Security Rule 45 CFR 164.308-164.316",
            "HIPAA Security Rule as proposed (NPRM, not final) 90 FR 898 (6 January 2025)"
        ]
    );
    let rows = soa["rows"].as_array().unwrap();
    let plan = rows
        .iter()
        .find(|r| r["framework"] == "hipaa-security-2025-proposed" && r["control"] == "164.314(b)")
        .unwrap();
    assert_eq!(plan["status"], "not-applicable", "group health plans only");
}

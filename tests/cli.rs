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
    assert!(out.contains("11 frameworks"), "{out}");
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

//! `srmap import prowler`: scan results become evidence rows. Fixtures of our own (AWS, Azure and
//! Kubernetes column layouts), files generated from Prowler's framework maps in the reference
//! folder, a large file to check the streaming, and the evidence in `srmap gaps`.

#[path = "import_support/mod.rs"]
mod support;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use support::*;

fn import(file: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "prowler".into(), file.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend(["-o".into(), out.into()]);
    run(args)
}

/// Evidence rows by control: (status, effective_date, title, notes, evidence_id).
fn evidence(path: &Path) -> HashMap<String, HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "control",
            "system",
            "evidence_id",
            "title",
            "kind",
            "owner",
            "effective_date",
            "expires",
            "status",
            "location",
            "notes"
        ]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let m: HashMap<String, String> = header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect();
            (m["control"].clone(), m)
        })
        .collect()
}

#[test]
fn pci_results_fold_into_one_row_per_requirement() {
    let dir = tempdir();
    let ev = dir.path().join("evidence.csv");
    let out = import(
        &fixture("import-prowler/pci_aws.csv"),
        &["--system", "app"],
        &ev,
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (10, 5, 5), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("pci_aws.csv:7: `99.9.9` is not a control of pci-dss-4.0.1 (2 rows)"),
        "{sk}"
    );
    assert!(
        sk.contains("pci_aws.csv:9: STATUS `ERROR` is not PASS, FAIL or MANUAL"),
        "{sk}"
    );
    assert!(
        sk.contains("pci_aws.csv:10: ASSESSMENTDATE: `03/01/2025` is not an ISO date"),
        "{sk}"
    );
    assert!(
        sk.contains("pci_aws.csv:11: framework `CIS` is not one srmap has"),
        "{sk}"
    );
    let rows = evidence(&ev);
    assert_eq!(rows.len(), 3);
    let r = &rows["pci-dss-4.0.1:1.2.5"];
    assert_eq!(r["status"], "failed");
    assert_eq!(r["effective_date"], "2025-03-01");
    assert_eq!(r["system"], "app");
    assert_eq!(r["kind"], "report");
    assert_eq!(r["owner"], "Prowler scan");
    assert_eq!(r["location"], "pci_aws.csv");
    assert_eq!(r["evidence_id"], "PROWLER-2025-03-01-pci-dss-4.0.1-1.2.5");
    assert!(
        r["title"].contains("1 passed, 1 failed, 0 manual (requirements 1.2.5.1, 1.2.5.2)"),
        "{}",
        r["title"]
    );
    assert!(
        r["notes"].contains("Failing: arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1."),
        "{}",
        r["notes"]
    );
    let r = &rows["pci-dss-4.0.1:8.3.1"];
    assert_eq!(r["status"], "approved");
    assert_eq!(
        r["effective_date"], "2025-03-02",
        "the latest assessment date"
    );
    assert!(r["notes"].contains("1 muted"), "{}", r["notes"]);
    assert_eq!(rows["pci-dss-4.0.1:12.1.1"]["status"], "pending");

    // The register feeds `srmap gaps`.
    std::fs::create_dir_all(dir.path().join("providers")).unwrap();
    let f = gaps(dir.path(), "aws/ec2", "pci-dss-4.0.1", Some(&ev));
    let of = |c: &str| {
        f.iter()
            .filter(|x| x["control"] == c)
            .map(|x| x["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    // A failed check is a failing control (1.2.5 is a key control: high), not an unapproved
    // document; manual checks left are pending.
    assert_eq!(of("1.2.5"), ["control-failing"]);
    let failing = f.iter().find(|x| x["control"] == "1.2.5").unwrap();
    assert_eq!(failing["severity"], "high");
    assert!(of("12.1.1").contains(&"evidence-not-approved".to_string()));
    assert!(!of("8.3.1").contains(&"missing-evidence".to_string()));
    assert!(!f.iter().any(|x| x["code"] == "unknown-control"));
}

#[test]
fn azure_and_kubernetes_layouts() {
    let dir = tempdir();
    let ev = dir.path().join("soc2.csv");
    let out = import(&fixture("import-prowler/soc2_azure.csv"), &[], &ev);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (2, 2, 0));
    let rows = evidence(&ev);
    assert_eq!(rows["soc2-2017:CC6.1"]["status"], "approved");
    assert_eq!(
        rows["soc2-2017:CC6.1"]["effective_date"], "2025-03-01",
        "Unix timestamps too"
    );
    assert!(rows["soc2-2017:CC6.1"]["notes"].contains("Scanned: sub-0001."));
    assert!(rows.contains_key("soc2-2017:A1.2"));

    // No FRAMEWORK column: --framework is needed.
    let k8s = fixture("import-prowler/iso_kubernetes.csv");
    let ev = dir.path().join("iso.csv");
    let out = import(&k8s, &[], &ev);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--framework"), "{}", stderr(&out));
    assert!(!ev.exists());
    let out = import(
        &k8s,
        &[
            "--framework",
            "iso27001-2022",
            "--owner",
            "Platform team",
            "--location",
            "s3://scans/iso.csv",
        ],
        &ev,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = evidence(&ev);
    assert_eq!(rows["iso27001-2022:A.8.9"]["status"], "failed");
    assert_eq!(rows["iso27001-2022:A.8.15"]["status"], "approved");
    assert_eq!(rows["iso27001-2022:A.8.15"]["effective_date"], "2025-02-28");
    assert_eq!(rows["iso27001-2022:A.8.15"]["owner"], "Platform team");
    assert_eq!(
        rows["iso27001-2022:A.8.15"]["location"],
        "s3://scans/iso.csv"
    );
    assert!(rows["iso27001-2022:A.8.15"]["notes"].contains("Scanned: prod-cluster."));
}

#[test]
fn unreadable_files_stop_with_exit_2() {
    let dir = tempdir();
    let ev = dir.path().join("ev.csv");
    let err = stderr(&import(
        &fixture("import-prowler/missing_column.csv"),
        &[],
        &ev,
    ));
    assert!(
        err.contains("the header has no `requirements_id` column"),
        "{err}"
    );
    assert!(err.contains("no `assessmentdate` column"), "{err}");
    let out = import(
        &fixture("import-prowler/pci_aws.csv"),
        &[],
        &dir.path().join("ev.xlsx"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("written as CSV"), "{}", stderr(&out));
    let out = import(&fixture("import-prowler/nope.csv"), &[], &ev);
    assert_eq!(out.status.code(), Some(2));
    let out = import(
        &fixture("import-prowler/pci_aws.csv"),
        &["--framework", "nope"],
        &ev,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!ev.exists());
}

/// A compliance CSV built from one of Prowler's framework maps: two results per requirement
/// with checks (PASS, then FAIL for every third), one MANUAL for those without.
fn from_map(json: &Path, out: &Path) -> (String, usize) {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let fw = v["Framework"].as_str().unwrap();
    let name = v["Name"].as_str().unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(f, "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;REQUIREMENTS_DESCRIPTION;REQUIREMENTS_ATTRIBUTES_SECTION;REQUIREMENTS_ATTRIBUTES_SERVICE;STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME").unwrap();
    let mut n = 0;
    for (i, r) in v["Requirements"].as_array().unwrap().iter().enumerate() {
        let id = r["Id"].as_str().unwrap();
        let a = &r["Attributes"][0];
        let section = a["Section"]
            .as_str()
            .or(a["Category"].as_str())
            .unwrap_or("")
            .replace(';', ",");
        let checks: Vec<&str> = r["Checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        let results: Vec<(&str, &str)> = if checks.is_empty() {
            vec![("MANUAL", "manual")]
        } else {
            checks
                .iter()
                .take(2)
                .enumerate()
                .map(|(k, c)| (if k == 1 && i % 3 == 0 { "FAIL" } else { "PASS" }, *c))
                .collect()
        };
        for (status, check) in results {
            writeln!(f, "aws;d;123456789012;eu-west-1;2025-03-01 10:00:00.000000;{id};x;{section};svc;{status};x;arn:{check}:{i};{check};False;res;{fw};{name}").unwrap();
            n += 1;
        }
    }
    (fw.to_string(), n)
}

#[test]
fn prowler_framework_maps_resolve_to_srmap_controls() {
    let Some(dir_ref) = reference("prowler") else {
        return;
    };
    let dir = tempdir();
    // (map, srmap framework, evidence rows expected: None = count the Section prefixes)
    let cases = [
        ("pci_4.0_aws.json", "pci-dss-4.0.1"),
        ("soc2_aws.json", "soc2-2017"),
        ("hipaa_aws.json", "hipaa-security"),
        ("gdpr_aws.json", "gdpr"),
        ("iso27001_2022_aws.json", "iso27001-2022"),
        ("nist_800_53_revision_5_aws.json", "nist-800-53-r5"),
    ];
    for (map_file, framework) in cases {
        let json = dir_ref.join(map_file);
        let csv = dir.path().join(format!("{map_file}.csv"));
        let (_, rows) = from_map(&json, &csv);
        let ev = dir.path().join(format!("{framework}-evidence.csv"));
        let out = import(&csv, &[], &ev);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        let (read, imported, skipped_rows) = counts(&err);
        assert_eq!(read, rows, "{map_file}");
        assert_eq!(imported + skipped_rows, rows);
        let ev_rows = evidence(&ev);
        assert!(ev_rows
            .keys()
            .all(|k| k.starts_with(&format!("{framework}:"))));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let reqs = v["Requirements"].as_array().unwrap();
        match framework {
            "pci-dss-4.0.1" => {
                // 1,679 check rows such as 1.2.5.1 are 107 requirements (their Section prefix)
                let sections: BTreeSet<&str> = reqs
                    .iter()
                    .map(|r| {
                        r["Attributes"][0]["Section"]
                            .as_str()
                            .unwrap()
                            .split(':')
                            .next()
                            .unwrap()
                    })
                    .collect();
                assert_eq!(sections.len(), 107);
                assert_eq!(ev_rows.len(), 107);
                assert_eq!(skipped_rows, 0, "{err}");
                assert!(ev_rows.contains_key("pci-dss-4.0.1:1.2.5"));
            }
            "nist-800-53-r5" => {
                // a few of Prowler's IDs are enhancements NIST withdrew in Rev. 5
                assert!(
                    skipped(&err)
                        .iter()
                        .all(|l| l.contains("places no duty (informative)")),
                    "{err}"
                );
                assert!(ev_rows.len() > 190, "{}", ev_rows.len());
                assert!(ev_rows.contains_key("nist-800-53-r5:AC-2(1)"));
            }
            _ => {
                assert_eq!(skipped_rows, 0, "{map_file}: {err}");
                assert_eq!(
                    ev_rows.len(),
                    reqs.len(),
                    "{map_file}: one row per requirement"
                );
            }
        }
        if framework == "soc2-2017" {
            assert!(ev_rows.contains_key("soc2-2017:CC6.1"));
        }
        if framework == "hipaa-security" {
            assert!(ev_rows.contains_key("hipaa-security:164.308(a)(1)(ii)(A)"));
        }
        if framework == "gdpr" {
            assert!(ev_rows.contains_key("gdpr:Art. 32"));
        }
    }
    // The PCI register in gaps: every row points at a control.
    std::fs::create_dir_all(dir.path().join("providers")).unwrap();
    let f = gaps(
        dir.path(),
        "aws/ec2",
        "pci-dss-4.0.1",
        Some(&dir.path().join("pci-dss-4.0.1-evidence.csv")),
    );
    assert!(!f.iter().any(|x| x["code"] == "unknown-control"));
    assert!(f.iter().any(|x| x["code"] == "evidence-not-approved"));
}

#[test]
fn a_large_scan_is_streamed() {
    let dir = tempdir();
    let csv = dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    writeln!(f, "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;REQUIREMENTS_DESCRIPTION;REQUIREMENTS_ATTRIBUTES_SECTION;REQUIREMENTS_ATTRIBUTES_SERVICE;STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME").unwrap();
    let reqs = ["1.2.5.1", "8.3.1", "10.2.1.1", "11.3.1", "6.3.3"];
    let sections = ["1.2.5: x", "8.3.1: x", "10.2.1: x", "11.3.1: x", "6.3.3: x"];
    let n = 120_000;
    for i in 0..n {
        let k = i % reqs.len();
        let status = if k == 3 && i % 1000 == 3 {
            "FAIL"
        } else {
            "PASS"
        };
        writeln!(f, "aws;d;123456789012;eu-west-1;2025-03-01 10:00:00;{};x;{};svc;{status};x;arn:aws:s3:::bucket-{i};check_{k};False;bucket-{i};PCI;PCI DSS v4.0", reqs[k], sections[k]).unwrap();
    }
    drop(f);
    let ev = dir.path().join("ev.csv");
    let out = import(&csv, &[], &ev);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (n, n, 0));
    let rows = evidence(&ev);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows["pci-dss-4.0.1:11.3.1"]["status"], "failed");
    assert_eq!(rows["pci-dss-4.0.1:6.3.3"]["status"], "approved");
    assert!(
        rows["pci-dss-4.0.1:11.3.1"]["notes"].contains("and 115 more"),
        "{}",
        rows["pci-dss-4.0.1:11.3.1"]["notes"]
    );
    assert!(
        rows["pci-dss-4.0.1:8.3.1"]["title"].contains("24000 passed"),
        "{}",
        rows["pci-dss-4.0.1:8.3.1"]["title"]
    );
}

#[test]
fn dash_writes_the_register_to_standard_output() {
    let dir = tempdir();
    let file = dir.path().join("evidence.csv");
    let input = fixture("import-prowler/pci_aws.csv");
    let out = import(&input, &["--system", "app"], &file);
    assert!(out.status.success(), "{}", stderr(&out));
    let piped = assert_cmd::Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(dir.path())
        .args(["import", "prowler"])
        .arg(&input)
        .args(["--system", "app", "-o", "-"])
        .output()
        .unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(piped.stdout, std::fs::read(&file).unwrap());
    assert!(stderr(&piped).contains("written to standard output"));
    assert!(!dir.path().join("-").exists(), "no file named `-`");
}

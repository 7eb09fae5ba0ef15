//! `srmap import ccm`: CCM v4 and CAIQ v4 workbooks built here (no CCM text is published in the
//! reference folder: the 197-control fixture takes its IDs from the CCM's domain sizes and its
//! ownership from Prowler's csa_ccm_4.0.json where that file has the control).

#[path = "import_support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::Path;

use support::*;

/// CCM v4 domains and how many controls each has (197 in all).
const DOMAINS: [(&str, &str, usize); 17] = [
    ("A&A", "Audit & Assurance", 6),
    ("AIS", "Application & Interface Security", 7),
    (
        "BCR",
        "Business Continuity Management and Operational Resilience",
        11,
    ),
    ("CCC", "Change Control and Configuration Management", 9),
    ("CEK", "Cryptography, Encryption & Key Management", 21),
    ("DCS", "Datacenter Security", 15),
    ("DSP", "Data Security and Privacy Lifecycle Management", 19),
    ("GRC", "Governance, Risk and Compliance", 8),
    ("HRS", "Human Resources", 13),
    ("IAM", "Identity & Access Management", 16),
    ("IPY", "Interoperability & Portability", 4),
    ("IVS", "Infrastructure & Virtualization Security", 9),
    ("LOG", "Logging and Monitoring", 13),
    (
        "SEF",
        "Security Incident Management, E-Discovery, & Cloud Forensics",
        8,
    ),
    (
        "STA",
        "Supply Chain Management, Transparency, and Accountability",
        14,
    ),
    ("TVM", "Threat & Vulnerability Management", 10),
    ("UEM", "Universal Endpoint Management", 14),
];

/// Ownership per control from Prowler's CCM map: id -> [IaaS, PaaS, SaaS].
fn prowler_ownership() -> HashMap<String, [String; 3]> {
    let Some(p) = reference("prowler/csa_ccm_4.0.json") else {
        return HashMap::new();
    };
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["attributes"];
            let get = |k: &str| a[k].as_str().unwrap().to_string();
            (
                r["id"].as_str().unwrap().to_string(),
                [get("IaaS"), get("PaaS"), get("SaaS")],
            )
        })
        .collect()
}

/// A CCM v4-shaped workbook: title rows, header on row 3, a banner row before each domain.
fn ccm_fixture(path: &Path, own: &HashMap<String, [String; 3]>) -> usize {
    let mut rows = vec![
        cells(&["Cloud Controls Matrix v4 (test fixture: no CCM wording)"]),
        vec![],
        cells(&[
            "Control Domain",
            "Control Title",
            "Control ID",
            "Control Specification",
            "CCM Lite",
            "IaaS",
            "PaaS",
            "SaaS",
            "Notes",
        ]),
    ];
    let pattern = ["Shared", "CSP-Owned", "CSC-Owned"];
    let mut n = 0;
    for (prefix, name, count) in DOMAINS {
        rows.push(cells(&[&format!("{name} - {prefix}")]));
        for i in 1..=count {
            let id = format!("{prefix}-{i:02}");
            let o = own.get(&id).cloned().unwrap_or_else(|| {
                [
                    pattern[n % 3].into(),
                    pattern[(n + 1) % 3].into(),
                    pattern[(n + 2) % 3].into(),
                ]
            });
            rows.push(cells(&[
                if i == 1 { name } else { "" },
                &format!("Fixture title {id}"),
                &id,
                "(specification text not reproduced)",
                "No",
                &o[0],
                &o[1],
                &o[2],
            ]));
            n += 1;
        }
    }
    xlsx(
        path,
        &[("Introduction", vec![cells(&["About"])]), ("CCM", rows)],
    );
    n
}

fn import(file: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "ccm".into(), file.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend(["-o".into(), out.into()]);
    run(args)
}

#[test]
fn all_197_controls_become_a_framework_and_three_offerings() {
    let own = prowler_ownership();
    let dir = tempdir();
    let wb = dir.path().join("CCMv4.xlsx");
    let n = ccm_fixture(&wb, &own);
    assert_eq!(n, 197);
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (197, 197, 0), "banner rows are not data rows");
    let csv = std::fs::read_to_string(data.join("frameworks/csa-ccm-4.csv")).unwrap();
    assert_eq!(csv.lines().count(), 198);
    assert!(csv.contains("IAM-01,Fixture title IAM-01,Identity & Access Management,control,,accounts-identities;identity-infrastructure,annual,"));
    assert!(csv.contains("DCS-15,Fixture title DCS-15,Datacenter Security,control,,physical-facilities;physical-hosts,"));
    for (model, i) in [("iaas", 0), ("paas", 1), ("saas", 2)] {
        let rel = format!("providers/csa/{model}.toml");
        let rows = controls(&data, &rel);
        assert_eq!(rows.len(), 197, "{model}");
        let t = offering_toml(&data, &rel);
        assert_eq!(t["model"].as_str(), Some(model));
        for (id, values) in &own {
            let r = control(&rows, id);
            assert_eq!(s(r, "source_value"), values[i], "{id} {model}");
            let want = match values[i].as_str() {
                "Shared" => "shared",
                "CSP-Owned" => "provider",
                _ => "customer",
            };
            assert_eq!(s(r, "owner"), want, "{id} {model}");
        }
        let r = control(&rows, "A&A-01");
        assert!(
            s(r, "source").starts_with("CCMv4.xlsx, sheet CCM, row 5"),
            "{}",
            s(r, "source")
        );
    }
    if !own.is_empty() {
        assert_eq!(own.len(), 65, "Prowler's CCM map carries 65 controls");
    }
    validates(&data);
    let m = map(&data, "csa/iaas", "csa-ccm-4");
    assert_eq!(m.len(), 197);
    let f = gaps(&data, "csa/saas", "csa-ccm-4", None);
    assert!(f.iter().any(|x| x["code"] == "missing-evidence"));
}

#[test]
fn banners_bad_ids_and_unknown_owners_are_reported() {
    let dir = tempdir();
    let wb = dir.path().join("small.xlsx");
    xlsx(
        &wb,
        &[(
            "CCM",
            vec![
                cells(&["title"]),
                vec![],
                cells(&[
                    "Control Domain",
                    "Control Title",
                    "Control ID",
                    "Control Specification",
                    "CCM Lite",
                    "IaaS",
                    "PaaS",
                    "SaaS",
                ]),
                cells(&["Audit & Assurance - A&A"]),
                cells(&[
                    "Audit & Assurance",
                    "One",
                    "A&A-01",
                    "",
                    "Yes",
                    "Shared",
                    "Shared",
                    "CSP-owned",
                ]),
                cells(&[
                    "",
                    "Two",
                    "A&A-02",
                    "",
                    "Yes",
                    "Shared",
                    "Maybe",
                    "CSP-owned",
                ]),
                cells(&[
                    "", "Three", "AA-03", "", "Yes", "Shared", "Shared", "Shared",
                ]),
                cells(&["", "Four", "A&A-04", "", "Yes", "", "", ""]),
                cells(&[
                    "",
                    "Five",
                    "a&a-5",
                    "",
                    "Yes",
                    "CSC-owned",
                    "",
                    "Shared CSP and CSC",
                ]),
            ],
        )],
    );
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (5, 2, 3), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("sheet CCM, row 6: PaaS: `Maybe` is not an owner srmap knows"),
        "{sk}"
    );
    assert!(
        sk.contains("row 7: `AA-03` is not a CCM v4 control ID"),
        "{sk}"
    );
    assert!(
        sk.contains("row 8: no IaaS, PaaS or SaaS ownership value"),
        "{sk}"
    );
    let paas = controls(&data, "providers/csa/paas.toml");
    assert_eq!(paas.len(), 1, "A&A-05 has no PaaS value");
    let saas = controls(&data, "providers/csa/saas.toml");
    assert_eq!(s(control(&saas, "A&A-05"), "owner"), "shared");
    assert_eq!(
        s(control(&saas, "A&A-05"), "source_value"),
        "Shared CSP and CSC"
    );
    let csv = std::fs::read_to_string(data.join("frameworks/csa-ccm-4.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        5,
        "A&A-01, -02, -04, -05 are controls even when their row is skipped"
    );
    validates(&data);
}

fn caiq_fixture(path: &Path) {
    xlsx(
        path,
        &[
            ("Introduction", vec![cells(&["CAIQ v4"])]),
            (
                "CAIQv4.0.3",
                vec![
                    cells(&["Consensus Assessments Initiative Questionnaire (test fixture)"]),
                    cells(&[
                        "Question ID",
                        "Question",
                        "CSP CAIQ Answer",
                        "SSRM Control Ownership",
                        "CSP Implementation Description (Optional/Recommended)",
                        "CSC Responsibilities (Optional/Recommended)",
                    ]),
                    cells(&["A&A-01.1", "q", "Yes", "CSP-owned", "We audit yearly.", ""]),
                    cells(&[
                        "A&A-01.2",
                        "q",
                        "Yes",
                        "Shared CSP and CSC",
                        "",
                        "Review our reports.",
                    ]),
                    cells(&["IAM-02.1", "q", "Yes", "3rd-party outsourced", "", ""]),
                    cells(&[
                        "DSP-01.1",
                        "q",
                        "Yes",
                        "CSC-owned",
                        "",
                        "Classify your data.",
                    ]),
                    cells(&["STA-03.1", "q", "Yes", "Shared CSP and 3rd-party", "", ""]),
                    cells(&["LOG-01.1", "q", "Yes", "Whoever", "", ""]),
                    cells(&["LOG-02.1", "q", "Yes", "", "", ""]),
                ],
            ),
        ],
    );
}

#[test]
fn caiq_answers_roll_questions_up_to_controls() {
    let dir = tempdir();
    let wb = dir.path().join("Acme-CAIQ.xlsx");
    caiq_fixture(&wb);
    let data = dir.path().join("data");
    let out = import(&wb, &["--offering", "acme/crm"], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (7, 5, 2), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("sheet CAIQv4.0.3, row 8: `Whoever` is not an owner"),
        "{sk}"
    );
    assert!(
        sk.contains("row 9: no SSRM Control Ownership value"),
        "{sk}"
    );
    let rows = controls(&data, "providers/acme/crm.toml");
    assert_eq!(rows.len(), 4);
    let aa = control(&rows, "A&A-01");
    assert_eq!(s(aa, "owner"), "shared");
    assert_eq!(
        s(aa, "source_value"),
        "A&A-01.1: CSP-owned; A&A-01.2: Shared CSP and CSC"
    );
    assert_eq!(s(aa, "provider"), "We audit yearly.");
    assert_eq!(s(aa, "customer"), "Review our reports.");
    assert_eq!(
        s(aa, "source"),
        "Acme-CAIQ.xlsx, sheet CAIQv4.0.3, rows 3, 4"
    );
    assert_eq!(s(control(&rows, "IAM-02"), "owner"), "provider");
    assert_eq!(s(control(&rows, "DSP-01"), "owner"), "customer");
    assert_eq!(s(control(&rows, "STA-03"), "owner"), "provider");
    assert_eq!(
        offering_toml(&data, "providers/acme/crm.toml")["model"].as_str(),
        Some("saas")
    );
    validates(&data);
    let m = map(&data, "acme/crm", "csa-ccm-4");
    assert_eq!(row(&m, "DSP-01")["owner"], "customer");

    // Without --offering: caiq/<file name>
    let data2 = dir.path().join("data2");
    let out = import(&wb, &["--model", "paas"], &data2);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data2.join("providers/caiq/acme-caiq.toml").exists());
}

#[test]
fn a_caiq_after_the_ccm_keeps_the_whole_framework() {
    let dir = tempdir();
    let ccm = dir.path().join("ccm.xlsx");
    ccm_fixture(&ccm, &HashMap::new());
    let caiq = dir.path().join("caiq.xlsx");
    caiq_fixture(&caiq);
    let data = dir.path().join("data");
    assert!(import(&ccm, &[], &data).status.success());
    let out = import(&caiq, &["--offering", "acme/crm"], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("kept from the earlier import"), "{err}");
    let csv = std::fs::read_to_string(data.join("frameworks/csa-ccm-4.csv")).unwrap();
    assert_eq!(csv.lines().count(), 198);
    validates(&data);
}

#[test]
fn workbooks_that_are_not_ccm_stop_with_exit_2() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let wb = dir.path().join("other.xlsx");
    xlsx(&wb, &[("Sheet1", vec![cells(&["a", "b"])])]);
    let err = fails([
        "import".as_ref(),
        "ccm".as_ref(),
        wb.as_os_str(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    assert!(err.contains("has no `CCM` sheet"), "{err}");
    let err = fails([
        "import".as_ref(),
        "ccm".as_ref(),
        wb.as_os_str(),
        "--sheet".as_ref(),
        "Nope".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    assert!(err.contains("has no sheet `Nope`"), "{err}");
    let err = fails([
        "import".as_ref(),
        "ccm".as_ref(),
        wb.as_os_str(),
        "--sheet".as_ref(),
        "Sheet1".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    assert!(err.contains("missing-column"), "{err}");
    let csv = dir.path().join("x.csv");
    std::fs::write(&csv, "a,b\n").unwrap();
    let err = fails([
        "import".as_ref(),
        "ccm".as_ref(),
        csv.as_os_str(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    assert!(err.contains("cannot open the workbook"), "{err}");
    assert!(!data.exists());
}

#[test]
fn ownership_labels_under_a_merged_heading() {
    let dir = tempdir();
    let wb = dir.path().join("two-row-header.xlsx");
    xlsx(
        &wb,
        &[(
            "CCM",
            vec![
                cells(&[
                    "Control Domain",
                    "Control Title",
                    "Control ID",
                    "Control Specification",
                    "SSRM Control Applicability and Ownership",
                ]),
                cells(&["", "", "", "", "IaaS", "PaaS", "SaaS"]),
                cells(&[
                    "Logging and Monitoring",
                    "Audit logs",
                    "LOG-03",
                    "",
                    "CSC-Owned",
                    "Shared",
                    "CSP-Owned",
                ]),
            ],
        )],
    );
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (1, 1, 0));
    for (model, owner) in [
        ("iaas", "customer"),
        ("paas", "shared"),
        ("saas", "provider"),
    ] {
        let rows = controls(&data, &format!("providers/csa/{model}.toml"));
        assert_eq!(s(control(&rows, "LOG-03"), "owner"), owner, "{model}");
    }
    validates(&data);
}

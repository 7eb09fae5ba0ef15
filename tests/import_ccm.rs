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
    ccm_release_fixture(
        path,
        "Cloud Controls Matrix v4 (test fixture: no CCM wording)",
        &[],
        own,
    )
}

/// A CCM workbook whose title cell (A1) is `title`, with `extra` controls in some domains
/// beyond the v4.0 counts (a later release's, numbered after the last v4.0 one).
fn ccm_release_fixture(
    path: &Path,
    title: &str,
    extra: &[(&str, usize)],
    own: &HashMap<String, [String; 3]>,
) -> usize {
    let mut rows = vec![
        cells(&[title]),
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
        let count = count
            + extra
                .iter()
                .filter(|(p, _)| *p == prefix)
                .map(|(_, n)| n)
                .sum::<usize>();
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

/// The framework's `version` and the offerings' names, as written to `dir`.
fn release_written(dir: &Path) -> (String, String) {
    let fw: toml::Table = std::fs::read_to_string(dir.join("frameworks/csa-ccm-4.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let iaas = offering_toml(dir, "providers/csa/iaas.toml");
    (
        fw["version"].as_str().unwrap().to_string(),
        iaas["name"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_known_release_is_read_from_the_title_cell_and_recorded() {
    let dir = tempdir();
    for (i, title) in ["CLOUD CONTROLS MATRIX v4.0.12", "v4.0.12"]
        .iter()
        .enumerate()
    {
        let wb = dir.path().join(format!("ccm-{i}.xlsx"));
        ccm_release_fixture(&wb, title, &[], &HashMap::new());
        let data = dir.path().join(format!("data-{i}"));
        let out = import(&wb, &[], &data);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("note: CCM v4.0.12, the release named by ")
                && err.contains("sheet CCM, cell A1"),
            "says which release it read: {err}"
        );
        assert!(!err.contains("warning["), "{err}");
        assert_eq!(counts(&err), (197, 197, 0));
        let (version, name) = release_written(&data);
        assert_eq!(version, "4.0.12");
        assert_eq!(name, "CSA CCM v4.0.12 shared-responsibility model: IaaS");
        validates(&data);
        let out = run([
            "frameworks".as_ref(),
            "--data".as_ref(),
            data.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ccm = v
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "csa-ccm-4")
            .unwrap();
        assert_eq!(ccm["version"], "4.0.12");
    }
}

#[test]
fn an_unknown_release_is_read_with_the_same_rules_and_one_warning() {
    // CCM v4.1 (January 2026) has 207 controls: ten more than v4.0's 197.
    let dir = tempdir();
    let wb = dir.path().join("CCMv4.1.xlsx");
    let extra = [("AIS", 2), ("DSP", 3), ("IAM", 2), ("LOG", 1), ("STA", 2)];
    let n = ccm_release_fixture(&wb, "CLOUD CONTROLS MATRIX v4.1", &extra, &HashMap::new());
    assert_eq!(n, 207);
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "a warning does not stop the import: {err}"
    );
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning[")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].starts_with("warning[unknown-ccm-version]: ")
            && warnings[0].contains(
                "CCMv4.1.xlsx: sheet CCM, cell A1: CCM v4.1 is not a release srmap knows"
            )
            && warnings[0].contains("v4.0 column rules"),
        "{}",
        warnings[0]
    );
    assert_eq!(counts(&err), (207, 207, 0), "same column rules: {err}");
    let (version, name) = release_written(&data);
    assert_eq!(version, "4.1", "recorded as the workbook says, not guessed");
    assert_eq!(name, "CSA CCM v4.1 shared-responsibility model: IaaS");
    assert_eq!(controls(&data, "providers/csa/saas.toml").len(), 207);
    validates(&data);
}

#[test]
fn a_workbook_that_names_no_release_gets_a_warning_not_a_guess() {
    let dir = tempdir();
    let wb = dir.path().join("untitled.xlsx");
    ccm_release_fixture(&wb, "Cloud Controls Matrix", &[], &HashMap::new());
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning[")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].starts_with("warning[no-ccm-version]: ")
            && warnings[0].contains(
                "untitled.xlsx: sheet CCM: no title cell above the header names a CCM release"
            ),
        "{}",
        warnings[0]
    );
    let (version, name) = release_written(&data);
    assert_eq!(version, "4 (release not stated in untitled.xlsx)");
    assert_eq!(
        name,
        "CSA CCM v4 (release not stated) shared-responsibility model: IaaS"
    );
    validates(&data);
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
    let crm = offering_toml(&data, "providers/acme/crm.toml");
    assert_eq!(crm["model"].as_str(), Some("saas"));
    assert!(
        crm["summary"]
            .as_str()
            .unwrap()
            .starts_with("A provider's CAIQ v4.0.3 answers"),
        "the release the sheet's name gives"
    );
    assert!(
        err.contains("note: CAIQ v4.0.3, the release named by "),
        "{err}"
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

/// A CCM with a `Scope Applicability (Mappings)` sheet: a framework row above the
/// `Control Mapping, Gap Level, Addendum` triples, multi-line cells, `27001: ` / `27002: `
/// prefixes, `No Mapping`, all three gap levels, an unknown ID and a framework srmap has no
/// catalog for. Ownership (IaaS, PaaS, SaaS) is chosen so that the SaaS owner differs from the
/// generic saas layer rule where it is carried.
fn ccm_with_mappings(path: &Path) {
    let own = |id: &str, title: &str, i: &str, p: &str, s: &str| {
        cells(&["", title, id, "(not reproduced)", "No", i, p, s])
    };
    let ccm = vec![
        cells(&["Cloud Controls Matrix v4 (fixture)"]),
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
        own("A&A-01", "Audit policy", "CSC-Owned", "Shared", "Shared"),
        own(
            "DSP-01",
            "Data policy",
            "CSC-Owned",
            "CSC-Owned",
            "CSP-Owned",
        ),
        own(
            "GRC-01",
            "Governance policy",
            "CSC-Owned",
            "Shared",
            "Shared",
        ),
        own(
            "IAM-01",
            "Identity policy",
            "CSC-Owned",
            "Shared",
            "CSP-Owned",
        ),
        own("IAM-02", "Password policy", "CSC-Owned", "Shared", "Shared"),
        own(
            "LOG-01",
            "Logging policy",
            "CSC-Owned",
            "Shared",
            "CSP-Owned",
        ),
    ];
    let mut head = cells(&[
        "Control Domain",
        "Control Title",
        "Control ID",
        "Control Specification",
    ]);
    let mut frameworks = cells(&["", "", "", ""]);
    for name in [
        "AICPA TSC 2017",
        "CIS v8.0",
        "ISO/IEC 27001:2022, 27002:2022",
        "NIST 800-53 rev 5",
        "PCI DSS v4.0",
    ] {
        frameworks.extend(cells(&[name, "", ""]));
        head.extend(cells(&["Control Mapping", "Gap Level", "Addendum"]));
    }
    // Per row: (id, [(mapping, gap)] for TSC, CIS, ISO, NIST, PCI).
    let row = |id: &str, m: [(&str, &str); 5]| {
        let mut r = cells(&["", "(title)", id, "(not reproduced)"]);
        for (mapping, gap) in m {
            r.extend(cells(&[
                mapping,
                gap,
                if gap == "No Gap" { "" } else { "(addendum)" },
            ]));
        }
        r
    };
    let mappings = vec![
        cells(&["Scope applicability (fixture: IDs only)"]),
        frameworks,
        head,
        cells(&["Audit & Assurance - A&A"]),
        row(
            "A&A-01",
            [
                ("CC4.1\nCC4.2", "Partial Gap"),
                ("1.1", "No Gap"),
                ("27001: 9.2.1\n27002: 5.35", "No Gap"),
                ("CA-2", "No Gap"),
                ("12.4.1", "No Gap"),
            ],
        ),
        row(
            "DSP-01",
            [
                ("No Mapping", "Full Gap"),
                ("3.1", "Partial Gap"),
                ("27002: 5.12", "Full Gap"),
                ("No Mapping", "Full Gap"),
                ("No Mapping", "Full Gap"),
            ],
        ),
        row(
            "GRC-01",
            [
                ("CC1.1", "No Gap"),
                ("", ""),
                ("27001: 5.1", "Maybe"),
                ("PM-1", "No Gap"),
                ("12.1.1", "Partial Gap"),
            ],
        ),
        row(
            "IAM-01",
            [
                ("CC6.1", "Full Gap"),
                ("6.1", "No Gap"),
                ("27002: 5.15", "No Gap"),
                ("AC-1\nAC-2", "Partial Gap"),
                ("7.1.1\n8.1.1", "No Gap"),
            ],
        ),
        row(
            "IAM-02",
            [
                ("No Mapping", "Full Gap"),
                ("", ""),
                ("27001: A.5.17\n27002: 9.99", "No Gap"),
                ("IA-5\nXX-99", "Partial Gap"),
                ("8.3.6", "No Gap"),
            ],
        ),
        row(
            "LOG-01",
            [
                ("CC7.2", "No Gap"),
                ("8.1", "No Gap"),
                ("27001: A.8.15\n27002: 8.15", "No Gap"),
                ("AU-1", "No Gap"),
                ("No Mapping", ""),
            ],
        ),
        row(
            "XYZ-01",
            [("CC1.1", "No Gap"), ("", ""), ("", ""), ("", ""), ("", "")],
        ),
    ];
    xlsx(
        path,
        &[("CCM", ccm), ("Scope Applicability (Mappings)", mappings)],
    );
}

fn crosswalk(dir: &Path, to: &str) -> String {
    std::fs::read_to_string(dir.join(format!("frameworks/crosswalks/csa-ccm-4_to_{to}.csv")))
        .unwrap()
}

#[test]
fn the_mappings_sheet_becomes_crosswalks_to_the_built_in_frameworks() {
    let dir = tempdir();
    let wb = dir.path().join("ccm-mapped.xlsx");
    ccm_with_mappings(&wb);
    let data = dir.path().join("data");
    let out = import(&wb, &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // 6 CCM rows (all imported) + 7 mapping rows (4 clean, 3 skipped).
    assert_eq!(counts(&err), (13, 10, 3), "{err}");

    assert_eq!(
        crosswalk(&data, "iso27001-2022"),
        "csa-ccm-4,iso27001-2022,relationship\n\
         A&A-01,9.2.1,intersect\n\
         A&A-01,A.5.35,intersect\n\
         IAM-01,A.5.15,subset\n\
         IAM-02,A.5.17,intersect\n\
         LOG-01,A.8.15,subset\n",
        "27002 IDs are Annex A; one No Gap target is subset, several (or one plus an unknown) intersect; Full Gap writes nothing"
    );
    assert_eq!(
        crosswalk(&data, "nist-800-53-r5"),
        "csa-ccm-4,nist-800-53-r5,relationship\n\
         A&A-01,CA-2,subset\n\
         GRC-01,PM-1,subset\n\
         IAM-01,AC-1,intersect\n\
         IAM-01,AC-2,intersect\n\
         IAM-02,IA-5,intersect\n\
         LOG-01,AU-1,subset\n"
    );
    assert_eq!(
        crosswalk(&data, "pci-dss-4.0.1"),
        "csa-ccm-4,pci-dss-4.0.1,relationship\n\
         A&A-01,12.4.1,subset\n\
         GRC-01,12.1.1,intersect\n\
         IAM-01,7.1.1,intersect\n\
         IAM-01,8.1.1,intersect\n\
         IAM-02,8.3.6,subset\n"
    );
    assert_eq!(
        crosswalk(&data, "soc2-2017"),
        "csa-ccm-4,soc2-2017,relationship\n\
         A&A-01,CC4.1,intersect\n\
         A&A-01,CC4.2,intersect\n\
         GRC-01,CC1.1,subset\n\
         LOG-01,CC7.2,subset\n"
    );

    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("sheet Scope Applicability (Mappings), row 7: iso27001-2022: gap level `Maybe` is not No Gap, Partial Gap or Full Gap"),
        "{sk}"
    );
    assert!(
        sk.contains(
            "row 9: iso27001-2022: `27002: 9.99` is not an Annex A control of iso27001-2022"
        ),
        "{sk}"
    );
    assert!(
        sk.contains("nist-800-53-r5: `XX-99` is not a control of nist-800-53-r5"),
        "{sk}"
    );
    assert!(
        sk.contains("row 11: `XYZ-01` is not a CCM v4 control ID"),
        "{sk}"
    );
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
    let unknown: Vec<&&str> = notes
        .iter()
        .filter(|l| l.contains("no catalog for"))
        .collect();
    assert_eq!(unknown.len(), 1, "{err}");
    assert!(unknown[0].contains("`CIS v8.0`"), "{err}");
    assert!(
        notes
            .iter()
            .any(|l| l.contains("crosswalk csa-ccm-4 -> iso27001-2022")
                && l.contains("5 pairs (2 subset, 3 intersect)")
                && l.contains("2 27002 IDs read as Annex A controls")),
        "{err}"
    );
    assert!(err.contains("wrote "), "{err}");
    validates(&data);

    // The CCM rows reach ISO through the crosswalk.
    let iso = map(&data, "csa/saas", "iso27001-2022");
    let carried = row(&iso, "A.5.15");
    assert_eq!(
        carried["owner"], "provider",
        "IAM-01 is CSP-owned on SaaS; the layer rule would say customer: {carried}"
    );
    let basis = carried["basis"].as_str().unwrap();
    assert!(
        basis.starts_with("via crosswalk from the csa-ccm-4 rows")
            && basis.contains("IAM-01=provider (superset)"),
        "{basis}"
    );
    // Full Gap carries nothing: DSP-01 (CSP-owned) does not decide A.5.12.
    let full_gap = row(&iso, "A.5.12");
    assert!(
        full_gap["basis"].as_str().unwrap().starts_with("layers: "),
        "{full_gap}"
    );
    assert_eq!(full_gap["owner"], "customer");
    // Unmapped: the layer rule, and the source is the layer table's, not the CCM file.
    for id in ["A.7.4", "A.5.12"] {
        let r = row(&iso, id);
        assert!(r["basis"].as_str().unwrap().starts_with("layers: "), "{r}");
        assert!(
            !r["source"].as_str().unwrap().contains("ccm-mapped.xlsx"),
            "the CCM rows did not decide {id}: {r}"
        );
    }
    // Physical monitoring: the provider's data centres and, by default for ISO, the
    // organisation's own premises.
    assert_eq!(row(&iso, "A.7.4")["owner"], "shared");
    // The CCM's own rows still cite their sheet and row.
    let ccm = map(&data, "csa/saas", "csa-ccm-4");
    assert!(row(&ccm, "IAM-01")["source"]
        .as_str()
        .unwrap()
        .starts_with("ccm-mapped.xlsx, sheet CCM, row 7"));
    // And NIST: CA-2 from A&A-01 (Shared on SaaS).
    let nist = map(&data, "csa/saas", "nist-800-53-r5");
    assert_eq!(row(&nist, "CA-2")["owner"], "shared");
}

#[test]
fn a_ccm_without_the_mappings_sheet_writes_no_crosswalk() {
    let dir = tempdir();
    let wb = dir.path().join("ccm.xlsx");
    ccm_fixture(&wb, &HashMap::new());
    let data = dir.path().join("data");
    assert!(import(&wb, &[], &data).status.success());
    assert!(!data.join("frameworks/crosswalks").exists());
}

#[test]
fn a_caiq_with_no_ownership_answers_stops_with_one_error() {
    let dir = tempdir();
    let wb = dir.path().join("Blank-CAIQ.xlsx");
    let mut rows = vec![cells(&[
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description (Optional/Recommended)",
    ])];
    for q in ["A&A-01.1", "A&A-01.2", "IAM-02.1", "LOG-01.1"] {
        rows.push(cells(&[q, "q", "Yes", "", ""]));
    }
    xlsx(&wb, &[("CAIQv4.0.3", rows)]);
    let data = dir.path().join("data");
    let out = import(&wb, &["--offering", "acme/blank"], &data);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("error[no-ownership-answers]: "),
        "{err}"
    );
    assert!(
        errors[0].contains("Blank-CAIQ.xlsx: sheet CAIQv4.0.3"),
        "{err}"
    );
    assert!(
        errors[0].contains(
            "no row answers who owns the control; fill in column D (SSRM Control Ownership)"
        ),
        "{err}"
    );
    assert!(skipped(&err).is_empty(), "{err}");
    assert!(!data.exists(), "nothing is written");
}

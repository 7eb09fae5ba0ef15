//! `srmap import matrix`: any matrix with a control column and an owner column (CSV and XLSX),
//! every vocabulary of the reference table, broken inputs, and the result in validate, map and
//! gaps.

#[path = "import_support/mod.rs"]
mod support;

use std::path::Path;

use support::*;

const MATRIX: &str = "providers/acme/crm.toml";

fn import(file: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "matrix".into(), file.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend([
        "--offering".into(),
        "acme/crm".into(),
        "-o".into(),
        out.into(),
    ]);
    run(args)
}

#[test]
fn a_csv_matrix_by_letter_and_by_header() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let file = fixture("import-matrix/pci-matrix.csv");
    let out = import(
        &file,
        &[
            "--control-column",
            "A",
            "--owner-column",
            "Responsibility",
            "--provider-column",
            "D",
            "--customer-column",
            "What you do",
            "--framework",
            "pci",
        ],
        &data,
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (9, 6, 3), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("pci-matrix.csv:7: `Maybe` is not an owner srmap knows"),
        "{sk}"
    );
    assert!(
        sk.contains("pci-matrix.csv:8: `99.9.9` is not a control of pci-dss-4.0.1"),
        "{sk}"
    );
    assert!(sk.contains("pci-matrix.csv:11: no owner value"), "{sk}");
    let rows = controls(&data, MATRIX);
    assert_eq!(rows.len(), 5);
    let r = control(&rows, "8.3.1");
    assert_eq!(s(r, "owner"), "customer");
    assert_eq!(s(r, "source_value"), "Customer");
    assert_eq!(s(r, "customer"), "Turn on MFA for every console user.");
    assert_eq!(s(r, "source"), "pci-matrix.csv, line 2");
    assert_eq!(s(control(&rows, "8.3.2"), "owner"), "provider");
    assert_eq!(
        s(control(&rows, "8.3.2"), "provider"),
        "Encrypts stored credentials."
    );
    assert_eq!(s(control(&rows, "9.4.1"), "owner"), "provider");
    let logs = control(&rows, "10.2.1");
    assert_eq!(
        s(logs, "owner"),
        "shared",
        "two rows for one requirement combine"
    );
    assert_eq!(
        s(logs, "source_value"),
        "line 5: Shared responsibility; line 6: CSP-owned"
    );
    assert_eq!(s(logs, "source"), "pci-matrix.csv, lines 5, 6");
    assert_eq!(s(control(&rows, "12.1.1"), "owner"), "customer");
    let t = offering_toml(&data, MATRIX);
    assert_eq!(t["model"].as_str(), Some("paas"));
    assert_eq!(t["provider"].as_str(), Some("acme"));
    assert_eq!(
        t["layers"].as_table().unwrap().len(),
        19,
        "every layer but the scope-decided customer-premises"
    );
    validates(&data);
    let m = map(&data, "acme/crm", "pci-dss-4.0.1");
    assert_eq!(row(&m, "9.4.1")["owner"], "provider");
    assert_eq!(
        row(&m, "8.3.1")["customer_duty"],
        "Turn on MFA for every console user."
    );
    let f = gaps(&data, "acme/crm", "pci-dss-4.0.1", None);
    assert!(f
        .iter()
        .any(|x| x["control"] == "8.3.1" && x["code"] == "missing-evidence"));
    assert!(f
        .iter()
        .any(|x| x["offering"] == "acme/crm" && x["code"] == "missing-attestation"));
}

/// Every value of the reference README's vocabulary table, with the owner it must give.
const VOCABULARY: [(&str, &str); 36] = [
    ("CSP-owned", "provider"),
    ("CSC-owned", "customer"),
    ("3rd-party outsourced", "provider"),
    ("Shared CSP and CSC", "shared"),
    ("Shared CSP and 3rd-party", "provider"),
    ("Shared", "shared"),
    ("CSP-Owned", "provider"),
    ("Customer-Owned", "customer"),
    ("Service Provider Corporate", "provider"),
    ("Service Provider System Specific", "provider"),
    (
        "Service Provider Hybrid (Corporate and System Specific)",
        "provider",
    ),
    (
        "Configured by Customer (Customer System Specific)",
        "customer",
    ),
    (
        "Provided by Customer (Customer System Specific)",
        "customer",
    ),
    (
        "Shared (Service Provider and Customer Responsibility)",
        "shared",
    ),
    ("Inherited from Pre-Existing Authorization", "provider"),
    ("Yes", "provider"),
    ("Partial", "shared"),
    ("No", "customer"),
    ("sp-corporate", "provider"),
    ("sp-system", "provider"),
    ("customer-configured", "customer"),
    ("customer-provided", "customer"),
    ("inherited", "provider"),
    ("satisfied", "customer"),
    ("Customer", "customer"),
    ("Microsoft", "provider"),
    ("Not Applicable", "not-applicable"),
    ("Google responsibility", "provider"),
    ("Customer responsibility", "customer"),
    ("Shared responsibility", "shared"),
    ("Inherited controls", "provider"),
    ("Shared controls", "shared"),
    ("Customer specific controls", "customer"),
    ("Common", "provider"),
    ("System-Specific", "customer"),
    ("Hybrid", "shared"),
];

#[test]
fn every_vocabulary_value_in_a_workbook_with_its_header_lower_down() {
    let dir = tempdir();
    let wb = dir.path().join("matrix.xlsx");
    // Control IDs: the first 36 NIST SP 800-53 AC and AU controls.
    let ids: Vec<String> = (1..=20)
        .map(|n| format!("AC-{n}"))
        .chain((1..=16).map(|n| format!("AU-{n}")))
        .collect();
    let mut rows = vec![
        cells(&["Acme responsibility matrix"]),
        vec![],
        cells(&["Notes", "Control", "Owner"]),
    ];
    for (id, (value, _)) in ids.iter().zip(VOCABULARY) {
        rows.push(cells(&["", id, value]));
    }
    xlsx(&wb, &[("Cover", vec![cells(&["x"])]), ("Matrix", rows)]);
    let data = dir.path().join("data");
    let out = import(
        &wb,
        &[
            "--sheet",
            "matrix",
            "--header-row",
            "3",
            "--control-column",
            "control",
            "--owner-column",
            "C",
            "--framework",
            "nist-800-53-r5",
            "--model",
            "saas",
            "--name",
            "Acme CRM",
        ],
        &data,
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // AC-13 and AU-15 are withdrawn in Rev. 5: nothing to own.
    let sk = skipped(&err);
    assert_eq!(counts(&err), (36, 36 - sk.len(), sk.len()), "{err}");
    assert!(
        sk.iter()
            .all(|l| l.contains("places no duty (informative)")),
        "{err}"
    );
    let rows = controls(&data, MATRIX);
    let mut checked = 0;
    for (id, (value, owner)) in ids.iter().zip(VOCABULARY) {
        if sk
            .iter()
            .any(|l| l.contains(&format!("nist-800-53-r5 {id} ")))
        {
            continue;
        }
        let r = control(&rows, id);
        assert_eq!(s(r, "owner"), owner, "{value}");
        assert_eq!(s(r, "source_value"), value, "kept verbatim");
        assert!(s(r, "source").starts_with("matrix.xlsx, sheet Matrix, row "));
        checked += 1;
    }
    assert!(checked >= 30);
    let t = offering_toml(&data, MATRIX);
    assert_eq!(t["model"].as_str(), Some("saas"));
    assert_eq!(t["name"].as_str(), Some("Acme CRM"));
    validates(&data);
    let m = map(&data, "acme/crm", "nist-800-53-r5");
    assert_eq!(row(&m, "AC-2")["owner"], "customer");
}

#[test]
fn broken_inputs_stop_with_exit_2() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let file = fixture("import-matrix/pci-matrix.csv");
    let args = |cc: &str, oc: &str, fw: &str| -> Vec<String> {
        [
            "--control-column",
            cc,
            "--owner-column",
            oc,
            "--framework",
            fw,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run_with = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        import(&file, &refs, &data)
    };
    let out = run_with(args("Requirement", "Who owns it", "pci"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--owner-column: no column `Who owns it` in the header (found: Requirement, Topic, Responsibility"), "{}", stderr(&out));
    let out = run_with(args("Requirement", "C", "nope"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown framework `nope`"),
        "{}",
        stderr(&out)
    );
    let mut a = args("A", "C", "pci");
    a.extend(["--header-row".into(), "99".into()]);
    let out = run_with(a);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no row 99"), "{}", stderr(&out));
    let wb = dir.path().join("m.xlsx");
    xlsx(&wb, &[("S", vec![cells(&["Control", "Owner"])])]);
    let out = import(
        &wb,
        &[
            "--sheet",
            "Nope",
            "--control-column",
            "A",
            "--owner-column",
            "B",
            "--framework",
            "pci",
        ],
        &data,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no sheet `Nope`"));
    assert!(!data.exists());
}

#[test]
fn nothing_is_written_into_a_folder_that_would_not_validate() {
    let dir = tempdir();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("providers/acme")).unwrap();
    std::fs::write(
        data.join("providers/acme/old.toml"),
        "id = \"acme/old\"\nprovider = \"acme\"\n",
    )
    .unwrap();
    let out = import(
        &fixture("import-matrix/pci-matrix.csv"),
        &[
            "--control-column",
            "A",
            "--owner-column",
            "C",
            "--framework",
            "pci",
        ],
        &data,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("old.toml"), "{err}");
    assert!(err.contains("error[import-invalid]"), "{err}");
    assert!(!data.join(MATRIX).exists());
}

#[test]
fn the_issue_command_works_without_framework_or_offering() {
    // srmap import matrix ANY.xlsx --control-column B --owner-column E -o DIR
    let dir = tempdir();
    let data = dir.path().join("data");
    let file = fixture("import-matrix/pci-matrix.csv");
    let out = run([
        "import".as_ref(),
        "matrix".as_ref(),
        file.as_os_str(),
        "--control-column".as_ref(),
        "A".as_ref(),
        "--owner-column".as_ref(),
        "C".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("framework detected: pci-dss-4.0.1"), "{err}");
    assert!(err.contains("offering ID: imported/pci-matrix"), "{err}");
    assert!(data.join("providers/imported/pci-matrix.toml").exists());
    let map = run([
        "--data".as_ref(),
        data.as_os_str(),
        "map".as_ref(),
        "--offering".as_ref(),
        "imported/pci-matrix".as_ref(),
        "--framework".as_ref(),
        "pci-dss-4.0.1".as_ref(),
        "--control".as_ref(),
        "8.3.1".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(map.status.success(), "{}", stderr(&map));
    let v: serde_json::Value = serde_json::from_slice(&map.stdout).unwrap();
    assert_eq!(v[0]["owner"], "customer");
    assert!(v[0]["basis"].as_str().unwrap().starts_with("matrix row"));
}

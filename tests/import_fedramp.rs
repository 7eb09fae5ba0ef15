//! `srmap import fedramp-crm`: the published Rev5 workbook, Rev5- and Rev4-shaped fixtures built
//! here, broken inputs, and the imported offering in validate, map and gaps.

#[path = "import_support/mod.rs"]
mod support;

use std::path::Path;

use support::*;

const WORKBOOK: &str = "fedramp/SSP-Appendix-J-CSO-CIS-and-CRM-Workbook.xlsx";
const MATRIX: &str = "providers/acme/cloud.toml";

fn import(workbook: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> =
        vec!["import".into(), "fedramp-crm".into(), workbook.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend([
        "--offering".into(),
        "acme/cloud".into(),
        "-o".into(),
        out.into(),
    ]);
    run(args)
}

#[test]
fn the_blank_rev5_template_reads_every_part_and_skips_it() {
    let Some(wb) = reference(WORKBOOK) else {
        return;
    };
    // (baseline, CIS rows + CRM rows): 688 Moderate parts, 791 High, 424 Low and LI-SaaS.
    for (baseline, rows) in [
        ("moderate", 1376),
        ("high", 1582),
        ("low", 848),
        ("li-saas", 848),
    ] {
        let dir = tempdir();
        let out = import(&wb, &["--baseline", baseline], dir.path());
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert_eq!(counts(&err), (rows, 0, rows), "{baseline}");
        let reasons: Vec<String> = skipped(&err)
            .iter()
            .map(|l| l.rsplit(": ").next().unwrap().to_string())
            .collect();
        assert_eq!(reasons.len(), rows);
        assert_eq!(
            reasons
                .iter()
                .filter(|r| *r == "no origination marked")
                .count(),
            rows / 2
        );
        assert_eq!(
            reasons
                .iter()
                .filter(|r| *r == "no Can Be Inherited from CSP value")
                .count(),
            rows / 2
        );
        assert!(skipped(&err)[0].contains("sheet "), "{}", skipped(&err)[0]);
        validates(dir.path());
        assert!(controls(dir.path(), MATRIX).is_empty());
    }
}

#[test]
fn the_example_crm_sheet_rolls_parts_up_to_controls() {
    let Some(wb) = reference(WORKBOOK) else {
        return;
    };
    let dir = tempdir();
    let out = import(
        &wb,
        &["--sheet", "Example CRM Worksheet Responses"],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (62, 62, 0));
    let rows = controls(dir.path(), MATRIX);
    assert_eq!(rows.len(), 22, "62 parts of 22 controls and enhancements");
    let ac2 = control(&rows, "AC-2");
    assert_eq!(s(ac2, "owner"), "shared");
    assert_eq!(s(ac2, "framework"), "nist-800-53-r5");
    assert!(
        s(ac2, "source_value").starts_with("AC-2(a): Partial; AC-2(b): Partial"),
        "{}",
        s(ac2, "source_value")
    );
    assert!(
        s(ac2, "source").contains("sheet Example CRM Worksheet Responses, rows 3, 4"),
        "{}",
        s(ac2, "source")
    );
    assert!(s(ac2, "customer").contains("Application accounts"));
    // `AC-02 (09)`: zero-padded enhancement, No
    let ac29 = control(&rows, "AC-2(9)");
    assert_eq!(s(ac29, "owner"), "customer");
    assert_eq!(s(ac29, "source_value"), "AC-02 (09): No");
    assert_eq!(s(control(&rows, "IR-6(1)"), "owner"), "shared");
    assert_eq!(s(control(&rows, "RA-5(8)"), "owner"), "customer");
    assert_eq!(s(control(&rows, "AC-3"), "owner"), "shared");

    validates(dir.path());
    let map = map(dir.path(), "acme/cloud", "nist-800-53-r5");
    let ac2 = row(&map, "AC-2");
    assert_eq!(ac2["owner"], "shared");
    assert!(ac2["basis"]
        .as_str()
        .unwrap()
        .contains("Example CRM Worksheet Responses"));
    assert_eq!(row(&map, "IA-5(1)")["owner"], "customer");

    let findings = gaps(dir.path(), "acme/cloud", "nist-800-53-r5", None);
    assert!(findings
        .iter()
        .any(|f| f["control"] == "AC-2(9)" && f["code"] == "missing-evidence"));
}

fn rev5_fixture(path: &Path) {
    let origination = [
        "Service Provider Corporate",
        "Service Provider System Specific",
        "Service Provider Hybrid (Corporate and System Specific)",
        "Configured by Customer (Customer System Specific)",
        "Provided by Customer (Customer System Specific)",
        "Shared (Service Provider and Customer Responsibility)",
        "Inherited from Pre-Existing  Authorization",
    ];
    let mut h2 = cells(&[
        "",
        "Implemented",
        "Partially Implemented",
        "Planned",
        "Alternative Implementation",
        "N/A",
    ]);
    h2.extend(origination.iter().map(|s| s.to_string()));
    // columns: A id, B-F status, G-M origination
    let cis_row = |id: &str, marks: &[usize]| {
        let mut r = vec![String::new(); 13];
        r[0] = id.to_string();
        r[1] = "X".into();
        for m in marks {
            r[*m] = "X".into();
        }
        r
    };
    let mut na = vec![String::new(); 13];
    na[0] = "AU-3(a)".into();
    na[5] = "X".into();
    let cis = vec![
        cells(&["FedRAMP Moderate Control Implementation Summary (CIS) Worksheet"]),
        cells(&[
            "Control ID",
            "Implementation Status",
            "",
            "",
            "",
            "",
            "Control Origination",
        ]),
        h2,
        cis_row("AC-1(a)", &[6]),  // provider
        cis_row("AC-1(b)", &[9]),  // customer -> AC-1 shared
        cis_row("AC-2(a)", &[6]),  // CRM says No: CRM wins
        cis_row("AC-2(b)", &[11]), // shared
        cis_row("AC-3", &[12]),    // inherited -> provider
        cis_row("AU-2(a)", &[]),   // no marks
        cis_row("XX-1", &[6]),     // not NIST
        cis_row("AC-2(99)", &[6]), // no such enhancement
        na,                        // implementation N/A only
    ];
    let crm = vec![
        cells(&["FedRAMP Moderate Customer Responsibility Matrix (CRM) Worksheet"]),
        cells(&["GUIDANCE: ..."]),
        vec![],
        cells(&[
            "Control ID",
            "Can Be Inherited from CSP",
            "Specific Inheritance and Customer Agency/CSP Responsibilities",
        ]),
        cells(&["AC-2(a)", "No", "The customer manages its own accounts."]),
        cells(&["AC-2(b)", "", ""]),
        cells(&["AT-2(a)", "Maybe", ""]),
        cells(&["PE-3(a)", "Yes", ""]),
    ];
    xlsx(
        path,
        &[
            (
                "Instructions",
                vec![
                    vec![],
                    vec![],
                    vec![],
                    cells(&["", "CSP", "System Name"]),
                    cells(&["", "Acme", "Cloud One"]),
                ],
            ),
            ("Moderate CIS Worksheet", cis),
            ("Moderate CRM Worksheet", crm),
        ],
    );
}

#[test]
fn crm_wins_and_cis_fills_the_gaps() {
    let dir = tempdir();
    let wb = dir.path().join("rev5.xlsx");
    rev5_fixture(&wb);
    let data = dir.path().join("data");
    let out = import(&wb, &["--baseline", "moderate"], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // CIS: 9 rows (6 used, AU-3(a) as not applicable); CRM: 4 rows (2 used)
    assert_eq!(counts(&err), (13, 8, 5), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(sk.contains("row 9: no origination marked"), "{sk}");
    assert!(
        sk.contains("row 10: `XX-1` is not a NIST SP 800-53 control ID"),
        "{sk}"
    );
    assert!(
        sk.contains("row 11: `AC-2(99)` is not a control of nist-800-53-r5"),
        "{sk}"
    );
    assert!(
        sk.contains("sheet Moderate CRM Worksheet, row 6: no Can Be Inherited from CSP value"),
        "{sk}"
    );
    assert!(
        sk.contains("row 7: `Maybe` is not an owner srmap knows"),
        "{sk}"
    );

    let rows = controls(&data, MATRIX);
    let ac1 = control(&rows, "AC-1");
    assert_eq!(s(ac1, "owner"), "shared");
    assert_eq!(
        s(ac1, "source_value"),
        "AC-1(a): Service Provider Corporate; AC-1(b): Configured by Customer (Customer System Specific)"
    );
    let ac2 = control(&rows, "AC-2");
    assert_eq!(
        s(ac2, "owner"),
        "shared",
        "customer (CRM No) + shared (CIS)"
    );
    assert_eq!(
        s(ac2, "source_value"),
        "AC-2(a): No (CIS: Service Provider Corporate); AC-2(b): Shared (Service Provider and Customer Responsibility)"
    );
    assert_eq!(s(ac2, "customer"), "The customer manages its own accounts.");
    assert!(
        s(ac2, "source").contains(
            "sheet Moderate CRM Worksheet, row 5; sheet Moderate CIS Worksheet, rows 6, 7"
        ),
        "{}",
        s(ac2, "source")
    );
    assert_eq!(s(control(&rows, "AC-3"), "owner"), "provider");
    assert_eq!(s(control(&rows, "PE-3"), "owner"), "provider");
    assert_eq!(s(control(&rows, "AU-3"), "owner"), "not-applicable");
    let t = offering_toml(&data, MATRIX);
    assert_eq!(
        t["name"].as_str(),
        Some("Acme Cloud One"),
        "the system named on the Instructions sheet"
    );
    assert_eq!(t["model"].as_str(), Some("paas"));
    assert!(t["summary"]
        .as_str()
        .unwrap()
        .contains("generic paas model"));
    assert_eq!(
        t["layers"].as_table().unwrap().len(),
        19,
        "every layer but the scope-decided customer-premises"
    );
    validates(&data);
    let m = map(&data, "acme/cloud", "nist-800-53-r5");
    assert_eq!(row(&m, "AC-3")["owner"], "provider");
    gaps(&data, "acme/cloud", "nist-800-53-r5", None);
}

#[test]
fn rev4_workbooks_are_read_too() {
    let dir = tempdir();
    let wb = dir.path().join("rev4.xlsx");
    let origination = [
        "Service Provider Corporate",
        "Service Provider System Specific",
        "Service Provider Hybrid (Corporate and System Specific)",
        "Configured by Customer (Customer System Specific)",
        "Provided by Customer (Customer System Specific)",
        "Shared (Service Provider and Customer Responsibility)",
        "Inherited from pre-existing FedRAMP Authorization for [Click here to enter text], Date of Authorization",
    ];
    let mut header = cells(&[
        "Control ID",
        "Implemented",
        "Partially Implemented",
        "Planned",
        "Alternative Implementation",
        "Not Applicable",
    ]);
    header.extend(origination.iter().map(|s| s.to_string()));
    let row = |id: &str, mark: usize| {
        let mut r = vec![String::new(); 13];
        r[0] = id.into();
        r[mark] = "X".into();
        r
    };
    xlsx(
        &wb,
        &[
            (
                "CIS Worksheet",
                vec![
                    cells(&["Control Implementation Summary (CIS) Worksheet"]),
                    header,
                    row("AC-1a", 6),
                    row("AC-1b", 6),
                    row("AC-2 (1)", 9),
                    row("PE-2a.", 12),
                ],
            ),
            (
                "CRM Worksheet",
                vec![
                    cells(&["Customer Responsibility Matrix (CRM) Worksheet"]),
                    cells(&[
                        "Control ID",
                        "Can Be Inherited from CSP",
                        "Specific Inheritance and Customer Agency/CSP Responsibilities",
                    ]),
                    cells(&[
                        "AC-2 (1)",
                        "Partial",
                        "Customer automates its own account management.",
                    ]),
                ],
            ),
        ],
    );
    for extra in [&[][..], &["--baseline", "moderate"][..]] {
        let data = dir.path().join(format!("data{}", extra.len()));
        let out = import(&wb, extra, &data);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert_eq!(counts(&err), (5, 5, 0), "{err}");
        let rows = controls(&data, MATRIX);
        assert_eq!(rows.len(), 3);
        assert_eq!(s(control(&rows, "AC-1"), "owner"), "provider");
        assert_eq!(
            s(control(&rows, "AC-1"), "source_value"),
            "AC-1a: Service Provider Corporate; AC-1b: Service Provider Corporate"
        );
        let enh = control(&rows, "AC-2(1)");
        assert_eq!(s(enh, "owner"), "shared");
        assert_eq!(
            s(enh, "source_value"),
            "AC-2 (1): Partial (CIS: Configured by Customer (Customer System Specific))"
        );
        assert_eq!(s(control(&rows, "PE-2"), "owner"), "provider");
        validates(&data);
    }
}

#[test]
fn broken_inputs_stop_with_exit_2_and_write_nothing() {
    let dir = tempdir();
    let wb = dir.path().join("rev5.xlsx");
    rev5_fixture(&wb);
    let data = dir.path().join("data");

    let err = stderr(&import(&wb, &["--sheet", "Nope"], &data));
    assert!(err.contains("has no sheet `Nope`"), "{err}");
    assert!(
        err.contains("Moderate CIS Worksheet"),
        "lists the sheets: {err}"
    );

    let err = stderr(&import(&wb, &["--baseline", "high"], &data));
    assert!(err.contains("missing-sheet"), "{err}");

    let err = stderr(&import(&wb, &[], &data));
    assert!(err.contains("--baseline"), "{err}");

    // A sheet that is neither CIS nor CRM
    let err = stderr(&import(&wb, &["--sheet", "Instructions"], &data));
    assert!(err.contains("missing-column"), "{err}");

    // A CRM header without its Control ID column
    let bad = dir.path().join("bad.xlsx");
    xlsx(
        &bad,
        &[(
            "CRM Worksheet",
            vec![
                cells(&["ID", "Can Be Inherited from CSP"]),
                cells(&["AC-1", "Yes"]),
            ],
        )],
    );
    let err = stderr(&import(&bad, &[], &data));
    assert!(err.contains("has no `Control ID` column"), "{err}");

    let err = stderr(&import(
        &dir.path().join("missing.xlsx"),
        &["--baseline", "low"],
        &data,
    ));
    assert!(err.contains("no such file"), "{err}");

    let out = run([
        "import".as_ref(),
        "fedramp-crm".as_ref(),
        wb.as_os_str(),
        "--baseline".as_ref(),
        "moderate".as_ref(),
        "--offering".as_ref(),
        "Acme Cloud".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("provider/name"), "{}", stderr(&out));

    assert_eq!(
        import(&wb, &["--sheet", "Nope"], &data).status.code(),
        Some(2)
    );
    assert!(!data.exists(), "nothing written");
}

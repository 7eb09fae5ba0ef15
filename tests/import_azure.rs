//! `srmap import azure-baseline`: the 8 published service baselines, a small fixture built
//! here, broken workbooks, and the result in validate, map and gaps.

#[path = "import_support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use support::*;

/// (file, offering, feature rows, distinct benchmark controls, rows without a control ID,
/// operating-system owner from the security profile, model)
const BASELINES: [(&str, &str, usize, usize, usize, &str, &str); 8] = [
    (
        "app-service",
        "azure/app-service-baseline",
        44,
        33,
        1,
        "provider",
        "paas",
    ),
    (
        "azure-container-apps",
        "azure/azure-container-apps-baseline",
        35,
        27,
        0,
        "provider",
        "containers",
    ),
    (
        "azure-kubernetes-service-aks",
        "azure/azure-kubernetes-service-aks-baseline",
        35,
        27,
        0,
        "provider",
        "containers",
    ),
    (
        "azure-sql",
        "azure/azure-sql-baseline",
        35,
        27,
        0,
        "provider",
        "paas",
    ),
    (
        "functions",
        "azure/functions-baseline",
        35,
        27,
        0,
        "provider",
        "paas",
    ),
    (
        "key-vault",
        "azure/key-vault-baseline",
        36,
        27,
        0,
        "provider",
        "paas",
    ),
    (
        "storage",
        "azure/storage-baseline",
        35,
        27,
        0,
        "provider",
        "paas",
    ),
    (
        "virtual-machines-linux",
        "azure/virtual-machines-linux-baseline",
        35,
        27,
        0,
        "customer",
        "iaas",
    ),
];

fn import(files: &[PathBuf], extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["import".into(), "azure-baseline".into()];
    args.extend(files.iter().map(|f| f.into()));
    args.extend(extra.iter().map(|s| s.into()));
    args.extend(["-o".into(), out.into()]);
    run(args)
}

fn rel(offering: &str) -> String {
    format!("providers/{offering}.toml")
}

#[test]
fn each_published_baseline_becomes_an_offering() {
    let Some(dir_ref) = reference("azure-baselines") else {
        return;
    };
    let all: Vec<PathBuf> = BASELINES
        .iter()
        .map(|b| dir_ref.join(format!("{}-security-baseline.xlsx", b.0)))
        .collect();
    // One at a time: the counts of each file.
    for (b, file) in BASELINES.iter().zip(&all) {
        let dir = tempdir();
        let out = import(std::slice::from_ref(file), &[], dir.path());
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert_eq!(counts(&err), (b.2, b.2 - b.4, b.4), "{}", b.0);
        let rows = controls(dir.path(), &rel(b.1));
        assert_eq!(rows.len(), b.3, "{}", b.0);
        let t = offering_toml(dir.path(), &rel(b.1));
        assert_eq!(t["model"].as_str(), Some(b.6), "{}", b.0);
        assert_eq!(
            t["layers"]["operating-system"]["owner"].as_str(),
            Some(b.5),
            "{}",
            b.0
        );
        assert!(t["summary"]
            .as_str()
            .unwrap()
            .contains("MicrosoftDocs/SecurityBenchmarks"));
    }
    // All eight into one folder: one framework with every control any of them names.
    let dir = tempdir();
    let out = import(&all, &[], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (290, 289, 1));
    let sk = skipped(&err);
    assert_eq!(sk.len(), 1);
    assert!(
        sk[0].ends_with(
            "sheet Feature Summary, row 35: no ASB control ID (feature `Service Principals`)"
        ),
        "{}",
        sk[0]
    );
    let header = std::fs::read_to_string(dir.path().join("frameworks/mcsb-v1.toml")).unwrap();
    assert!(header.contains(
        "Microsoft cloud security benchmark service baselines, MicrosoftDocs/SecurityBenchmarks"
    ));
    let csv = std::fs::read_to_string(dir.path().join("frameworks/mcsb-v1.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        35,
        "33 benchmark controls, and the one more the built-in mcsb-v1 has"
    );
    assert!(
        csv.lines().nth(1).unwrap().starts_with("NS-1,"),
        "sorted by domain: {csv}"
    );
    assert!(csv.contains("\nBR-1,"));

    let app = controls(dir.path(), &rel("azure/app-service-baseline"));
    let br1 = control(&app, "BR-1");
    assert_eq!(s(br1, "owner"), "customer");
    assert_eq!(
        s(br1, "source_value"),
        "Azure Backup: Customer; Service Native Backup Capability: Not Applicable"
    );
    assert_eq!(
        s(br1, "source"),
        "app-service-security-baseline.xlsx, sheet Feature Summary, rows 9, 29"
    );
    let ns1 = control(&app, "NS-1");
    assert_eq!(
        s(ns1, "owner"),
        "shared",
        "Microsoft NSG support + customer VNet integration"
    );
    assert_eq!(s(control(&app, "ES-1"), "owner"), "not-applicable");
    let kv = controls(dir.path(), &rel("azure/key-vault-baseline"));
    assert_eq!(s(control(&kv, "IM-1"), "owner"), "provider");

    validates(dir.path());
    for b in BASELINES {
        let m = map(dir.path(), b.1, "mcsb-v1");
        assert_eq!(m.len(), 34, "{}", b.1);
    }
    let m = map(dir.path(), "azure/app-service-baseline", "mcsb-v1");
    assert_eq!(row(&m, "BR-1")["owner"], "customer");
    let kv = map(dir.path(), "azure/key-vault-baseline", "mcsb-v1");
    let by_layers = kv
        .iter()
        .filter(|r| r["basis"].as_str().unwrap().starts_with("layers:"))
        .count();
    assert_eq!(
        by_layers,
        34 - 27,
        "controls the baseline does not list follow their layers"
    );
    let f = gaps(dir.path(), "azure/key-vault-baseline", "mcsb-v1", None);
    assert!(f
        .iter()
        .any(|x| x["control"] == "IM-8" && x["code"] == "missing-evidence"));
}

fn baseline(path: &Path, host: &str, rows: Vec<Vec<String>>) {
    let mut summary = vec![cells(&[
        "Control Domain",
        "ASB Control ID",
        "ASB Control Title",
        "Guidance",
        "Responsibility",
        "Feature Name",
        "Feature Description",
        "Feature Supported",
        "Feature Enabled by Default",
        "Feature Reference",
        "Feature Notes",
        "Guidance Notes",
    ])];
    summary.extend(rows);
    xlsx(
        path,
        &[
            (
                "Security Profile",
                vec![
                    cells(&["Behavior Attribute", "Description", "Value"]),
                    cells(&["Product Category", "x", "Compute"]),
                    cells(&["Customer can access HOST / OS", "x", host]),
                ],
            ),
            ("Feature Summary", summary),
        ],
    );
}

fn feature(domain: &str, id: &str, resp: &str, name: &str, default: &str) -> Vec<String> {
    cells(&[
        domain,
        id,
        &format!("Title of {id}"),
        "guidance",
        resp,
        name,
        "d",
        "True",
        default,
        "None",
        "None",
        "None",
    ])
}

#[test]
fn features_combine_per_control_and_bad_rows_are_reported() {
    let dir = tempdir();
    let wb = dir.path().join("widget-security-baseline.xlsx");
    baseline(
        &wb,
        "Limited Access",
        vec![
            feature("Network Security", "NS-1", "Microsoft", "Isolation", "True"),
            feature(
                "Network Security",
                "NS-1",
                "Customer",
                "Private Link",
                "False",
            ),
            feature(
                "Data Protection",
                "DP-4",
                "Microsoft",
                "Encryption at rest",
                "True",
            ),
            feature("Data Protection", "DP-5", "Partner", "Keys", "False"),
            feature(
                "Endpoint security",
                "ES-1",
                "Not Applicable",
                "EDR",
                "Not Applicable",
            ),
            feature("None", "None", "Customer", "Service Principals", "False"),
            feature("Bogus", "ZZ-9", "Customer", "x", "False"),
            feature("Backup and recovery", "BR-1", "", "Backup", "False"),
        ],
    );
    let data = dir.path().join("data");
    let out = import(&[wb], &[], &data);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (8, 4, 4), "{err}");
    let sk = skipped(&err).join("\n");
    assert!(
        sk.contains("row 5: `Partner` is not an owner srmap knows"),
        "{sk}"
    );
    assert!(
        sk.contains("row 7: no ASB control ID (feature `Service Principals`)"),
        "{sk}"
    );
    assert!(
        sk.contains("row 8: `ZZ-9` is not a Microsoft cloud security benchmark control ID"),
        "{sk}"
    );
    assert!(sk.contains("row 9: no Responsibility value"), "{sk}");
    let rows = controls(&data, "providers/azure/widget-baseline.toml");
    let ns1 = control(&rows, "NS-1");
    assert_eq!(s(ns1, "owner"), "shared");
    assert_eq!(
        s(ns1, "source_value"),
        "Isolation: Microsoft; Private Link: Customer"
    );
    assert_eq!(
        s(ns1, "provider"),
        "Microsoft provides: Isolation (on by default)."
    );
    assert_eq!(
        s(ns1, "customer"),
        "Configure and operate: Private Link (see the baseline's guidance)."
    );
    assert_eq!(s(control(&rows, "DP-4"), "owner"), "provider");
    assert_eq!(s(control(&rows, "ES-1"), "owner"), "not-applicable");
    let t = offering_toml(&data, "providers/azure/widget-baseline.toml");
    assert_eq!(
        t["layers"]["operating-system"]["owner"].as_str(),
        Some("shared"),
        "Limited Access"
    );
    assert_eq!(t["model"].as_str(), Some("paas"));
    validates(&data);

    // --model wins over the profile; a second baseline adds to the framework.
    let wb2 = dir.path().join("gadget-security-baseline.xlsx");
    baseline(
        &wb2,
        "Full Access",
        vec![feature(
            "Incident Response",
            "IR-1",
            "Customer",
            "Plan",
            "False",
        )],
    );
    let out = import(&[wb2], &["--model", "faas"], &data);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = offering_toml(&data, "providers/azure/gadget-baseline.toml");
    assert_eq!(t["model"].as_str(), Some("faas"));
    assert_eq!(
        t["layers"]["operating-system"]["owner"].as_str(),
        Some("customer")
    );
    let csv = std::fs::read_to_string(data.join("frameworks/mcsb-v1.csv")).unwrap();
    for id in ["NS-1", "DP-4", "ES-1", "IR-1"] {
        assert!(csv.contains(&format!("\n{id},")), "{id} in {csv}");
    }
    validates(&data);
    let m = map(&data, "azure/widget-baseline", "mcsb-v1");
    assert_eq!(row(&m, "NS-1")["owner"], "shared");
}

#[test]
fn broken_baselines_stop_with_exit_2() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let no_sheet = dir.path().join("a-security-baseline.xlsx");
    xlsx(
        &no_sheet,
        &[("Security Profile", vec![cells(&["Behavior Attribute"])])],
    );
    let out = import(&[no_sheet], &[], &data);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no sheet `Feature Summary`"),
        "{}",
        stderr(&out)
    );

    let no_col = dir.path().join("b-security-baseline.xlsx");
    xlsx(
        &no_col,
        &[(
            "Feature Summary",
            vec![
                cells(&["Control Domain", "ASB Control ID", "Owner"]),
                cells(&["x", "NS-1", "Customer"]),
            ],
        )],
    );
    let out = import(&[no_col], &[], &data);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no `Responsibility` column"),
        "{}",
        stderr(&out)
    );

    let out = import(&[dir.path().join("missing.xlsx")], &[], &data);
    assert_eq!(out.status.code(), Some(2));
    assert!(!data.exists());
}

/// A feature row with every column: (id, responsibility, feature, supported, default,
/// reference, notes).
fn frow(
    id: &str,
    resp: &str,
    name: &str,
    supported: &str,
    default: &str,
    reference: &str,
    notes: &str,
) -> Vec<String> {
    cells(&[
        "Domain",
        id,
        &format!("Title of {id}"),
        "guidance",
        resp,
        name,
        "d",
        supported,
        default,
        reference,
        notes,
        "None",
    ])
}

fn facts(t: &toml::Table) -> Vec<&toml::Table> {
    t.get("features")
        .and_then(|f| f.as_array())
        .map(|a| a.iter().map(|f| f.as_table().unwrap()).collect())
        .unwrap_or_default()
}

fn fact<'a>(t: &'a toml::Table, feature: &str) -> Option<&'a toml::Table> {
    facts(t)
        .into_iter()
        .find(|f| f["feature"].as_str() == Some(feature))
}

#[test]
fn feature_rows_become_facts() {
    let dir = tempdir();
    let wb = dir.path().join("widget.xlsx");
    let na = "Not Applicable";
    baseline(
        &wb,
        "No Access",
        vec![
            frow(
                "DP-4",
                "Microsoft",
                "Data at Rest Encryption Using Platform Keys",
                "True",
                "True",
                "None",
                "Encryption is on and cannot be disabled by users.",
            ),
            frow(
                "DP-5",
                na,
                "Data at Rest Encryption Using CMK",
                "False",
                na,
                "None",
                "None",
            ),
            frow(
                "DP-3",
                "Customer",
                "Data in Transit Encryption",
                "True",
                "False",
                "TLS settings: https://example.com/tls.",
                "None",
            ),
            frow(
                "NS-2",
                "Customer",
                "Disable Public Network Access",
                "True",
                "False",
                "None",
                "None",
            ),
            frow(
                "NS-2",
                "Customer",
                "Azure Private Link",
                "True",
                "False",
                "None",
                "None",
            ),
            frow(
                "LT-4",
                "Customer",
                "Azure Resource Logs",
                "True",
                "False",
                "None",
                "None",
            ),
            // A backup feature without a control ID still gives its fact (mcsb BR-1).
            frow(
                "None",
                "Shared",
                "Service Native Backup Capability",
                "True",
                "False",
                "Backup: https://example.com/backup",
                "None",
            ),
            frow("BR-1", na, "Azure Backup", na, na, "None", "None"),
            frow(
                "IM-1",
                "Microsoft",
                "Azure AD Authentication Required for Data Plane Access",
                "True",
                "True",
                "None",
                "None",
            ),
            frow(
                "PA-1",
                "Microsoft",
                "Local Admin Accounts",
                "True",
                "True",
                "None",
                "None",
            ),
            frow(
                "AM-2",
                na,
                "Azure Policy Support",
                "False",
                na,
                "None",
                "None",
            ),
        ],
    );
    let data = dir.path().join("data");
    let out = import(
        &[wb],
        &["--id", "acme/widget", "--name", "Widget", "--model", "paas"],
        &data,
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (11, 10, 1), "{err}");
    let t = offering_toml(&data, "providers/acme/widget.toml");
    assert_eq!(t["name"].as_str(), Some("Widget"));
    let page = "https://learn.microsoft.com/en-us/security/benchmark/azure/baselines/widget-security-baseline";
    let want = [
        ("encryption-at-rest", "always-on", "provider", "DP-4", page),
        (
            "customer-managed-keys",
            "not-supported",
            "not-applicable",
            "DP-5",
            page,
        ),
        (
            "encryption-in-transit",
            "off",
            "customer",
            "DP-3",
            "https://example.com/tls",
        ),
        ("public-access", "open", "customer", "NS-2", page),
        ("audit-logging", "off", "customer", "LT-4", page),
        // The baseline says Shared, but nothing is backed up until the customer sets it up:
        // frameworks/features.csv lets only the customer act on `off`, and a note says so.
        (
            "backups",
            "off",
            "customer",
            "BR-1",
            "https://example.com/backup",
        ),
        ("os-patching", "provider", "provider", "", page),
        ("host-access", "none", "provider", "", page),
        ("identity-integration", "on", "provider", "IM-1", page),
    ];
    let got: Vec<(String, String, String, String, String)> = facts(&t)
        .iter()
        .map(|f| {
            let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            (
                s("feature"),
                s("default"),
                s("responsibility"),
                s("mcsb"),
                s("source"),
            )
        })
        .collect();
    let want: Vec<(String, String, String, String, String)> = want
        .iter()
        .map(|w| (w.0.into(), w.1.into(), w.2.into(), w.3.into(), w.4.into()))
        .collect();
    assert_eq!(got, want);
    assert!(
        err.contains("backups is `off`: the baseline's shared becomes customer"),
        "{err}"
    );
    let public = fact(&t, "public-access").unwrap();
    assert!(public["customer_action"]
        .as_str()
        .unwrap()
        .contains("private endpoints"));
    assert_eq!(t["layers"]["personnel"]["owner"].as_str(), Some("shared"));
    assert!(t["layers"].get("customer-premises").is_none());
    // PA-1 names only accounts and identity: Microsoft's word is kept, the owner is shared.
    let rows = controls(&data, "providers/acme/widget.toml");
    let pa1 = control(&rows, "PA-1");
    assert_eq!(s(pa1, "owner"), "shared");
    assert_eq!(s(pa1, "source_value"), "Local Admin Accounts: Microsoft");
    assert!(s(pa1, "customer").contains("accounts and identities"));
    assert_eq!(
        s(control(&rows, "AM-2"), "owner"),
        "customer",
        "governance only"
    );
    assert_eq!(s(control(&rows, "DP-4"), "owner"), "provider");
    validates(&data);
    let text = std::fs::read_to_string(data.join("providers/acme/widget.toml")).unwrap();
    assert!(text.starts_with("# Written by `srmap import azure-baseline` from widget.xlsx"));
    assert!(text.contains("MicrosoftDocs/SecurityBenchmarks (CC-BY-4.0)"));

    // Public access disabled by default is `blocked`; no "Disable Public Network Access"
    // support, no fact.
    let wb2 = dir.path().join("gadget.xlsx");
    baseline(
        &wb2,
        "Read Only",
        vec![
            frow(
                "NS-2",
                "Microsoft",
                "Disable Public Network Access",
                "True",
                "True",
                "None",
                "None",
            ),
            frow(
                "DP-4",
                "Customer",
                "Data at Rest Encryption Using Platform Keys",
                "True",
                "False",
                "None",
                "None",
            ),
        ],
    );
    let out = import(std::slice::from_ref(&wb2), &["--id", "acme/gadget"], &data);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = offering_toml(&data, "providers/acme/gadget.toml");
    assert_eq!(
        fact(&t, "public-access").unwrap()["default"].as_str(),
        Some("blocked")
    );
    assert_eq!(
        fact(&t, "encryption-at-rest").unwrap()["default"].as_str(),
        Some("off")
    );
    assert_eq!(
        fact(&t, "host-access").unwrap()["default"].as_str(),
        Some("limited")
    );
    assert_eq!(
        fact(&t, "os-patching").unwrap()["default"].as_str(),
        Some("shared")
    );
    let wb3 = dir.path().join("thing.xlsx");
    baseline(
        &wb3,
        "No Access",
        vec![frow(
            "NS-2",
            na,
            "Disable Public Network Access",
            "False",
            na,
            "None",
            "None",
        )],
    );
    let out = import(&[wb3], &[], &data);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = offering_toml(&data, "providers/azure/thing-baseline.toml");
    assert!(fact(&t, "public-access").is_none());

    // --id, --name, --base and --alias describe one offering.
    let out = import(&[wb2.clone(), wb2.clone()], &["--id", "acme/two"], &data);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give one baseline, not 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn base_keeps_an_offerings_layers() {
    let dir = tempdir();
    let wb = dir.path().join("db.xlsx");
    baseline(
        &wb,
        "No Access",
        vec![frow(
            "DP-4",
            "Microsoft",
            "Data at Rest Encryption Using Platform Keys",
            "True",
            "True",
            "None",
            "None",
        )],
    );
    let data = dir.path().join("data");
    // A new offering on the layers of an existing one.
    let out = import(
        std::slice::from_ref(&wb),
        &[
            "--offering",
            "acme/db",
            "--base",
            "azure/sql-database",
            "--alias",
            "acme/database",
        ],
        &data,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let t = offering_toml(&data, "providers/acme/db.toml");
    assert_eq!(t["model"].as_str(), Some("paas"));
    assert_eq!(
        t["layers"]["runtime-middleware"]["provider"].as_str(),
        Some("Microsoft upgrades and patches the SQL Database engine without customer action.")
    );
    assert!(t["summary"]
        .as_str()
        .unwrap()
        .contains("copied from azure/sql-database"));
    assert_eq!(
        t["aliases"].as_array().unwrap()[0].as_str(),
        Some("acme/database")
    );
    validates(&data);
    let m = map(&data, "acme/database", "mcsb-v1");
    assert_eq!(row(&m, "DP-4")["owner"], "provider");
    // Regenerating an offering in place keeps its name and summary.
    let out = import(
        &[wb],
        &[
            "--offering",
            "azure/sql-database",
            "--base",
            "azure/sql-database",
        ],
        &data,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let t = offering_toml(&data, "providers/azure/sql-database.toml");
    assert_eq!(t["name"].as_str(), Some("Azure SQL Database"));
    assert!(t["summary"]
        .as_str()
        .unwrap()
        .starts_with("Managed SQL Server database"));
    // An unknown base stops the import.
    let out = import(
        &[dir.path().join("db.xlsx")],
        &["--offering", "acme/x", "--base", "nope/nothing"],
        &data,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--base"), "{}", stderr(&out));
}

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
    assert_eq!(csv.lines().count(), 34, "33 benchmark controls");
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
        assert_eq!(m.len(), 33, "{}", b.1);
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
        33 - 27,
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

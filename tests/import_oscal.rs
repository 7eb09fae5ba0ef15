//! `srmap import oscal-catalog`: the published NIST SP 800-53 r5 and HIPAA catalogs and the
//! Moderate profiles, a small catalog of our own, broken files, and the result in validate and
//! map.

#[path = "import_support/mod.rs"]
mod support;

use std::path::Path;

use support::*;

fn import(catalog: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> =
        vec!["import".into(), "oscal-catalog".into(), catalog.into()];
    args.extend(extra.iter().map(|s| s.into()));
    args.extend(["-o".into(), out.into()]);
    run(args)
}

fn csv_ids(dir: &Path, id: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(format!("frameworks/{id}.csv")))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_nist_catalog_and_its_moderate_profiles() {
    let Some(cat) = reference("oscal/NIST_SP-800-53_rev5_catalog.json") else {
        return;
    };
    let dir = tempdir();
    let out = import(&cat, &[], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (1007, 1007, 0));
    let ids = csv_ids(dir.path(), "nist-800-53-r5");
    assert_eq!(ids.len(), 1007);
    assert!(ids.contains(&"AC-2(1)".to_string()) && ids.contains(&"SR-12".to_string()));
    let csv = std::fs::read_to_string(dir.path().join("frameworks/nist-800-53-r5.csv")).unwrap();
    assert!(csv.contains(
        "\nAC-2(1),Automated System Account Management,Access Control,enhancement,AC-2,"
    ));
    validates(dir.path());
    let m = map(dir.path(), "iaas", "nist-800-53-r5");
    assert_eq!(m.len(), 1007);
    assert_eq!(row(&m, "PE-3")["owner"], "provider");

    let Some(profile) = reference("oscal/NIST_SP-800-53_rev5_MODERATE-baseline_profile-min.json")
    else {
        return;
    };
    let dir = tempdir();
    let p = profile.display().to_string();
    let out = import(&cat, &["--profile", &p], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (287, 287, 0));
    assert_eq!(csv_ids(dir.path(), "nist-800-53-r5-moderate").len(), 287);
    validates(dir.path());
    assert_eq!(
        map(dir.path(), "saas", "nist-800-53-r5-moderate").len(),
        287
    );

    let Some(fedramp) = reference("fedramp/FedRAMP_rev5_MODERATE-baseline_profile-min.json") else {
        return;
    };
    let dir = tempdir();
    let p = fedramp.display().to_string();
    let out = import(
        &cat,
        &["--profile", &p, "--id", "fedramp-moderate-oscal"],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        counts(&err),
        (323, 323, 0),
        "the FedRAMP Rev5 Moderate baseline has 323 controls"
    );
    validates(dir.path());
}

#[test]
fn the_hipaa_catalog_gives_its_22_standards() {
    let Some(cat) = reference("oscal/hipaa-2.0.0_catalog.json") else {
        return;
    };
    let dir = tempdir();
    let out = import(&cat, &[], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (22, 22, 0));
    assert!(err.contains("126 key activities"), "{err}");
    assert!(
        err.contains("taken from the built-in hipaa-security"),
        "{err}"
    );
    let id = "hipaa-cybersecurity-resource-guide-2.0.0";
    let ids = csv_ids(dir.path(), id);
    assert_eq!(ids.len(), 22);
    assert_eq!(ids[0], "164.308(a)(1)");
    let header = std::fs::read_to_string(dir.path().join(format!("frameworks/{id}.toml"))).unwrap();
    assert!(header.contains("agreements = [\"hipaa-baa\"]"), "{header}");
    validates(dir.path());
    let m = map(dir.path(), "iaas", id);
    assert_eq!(m.len(), 22);
}

#[test]
fn a_small_catalog_with_a_profile() {
    let dir = tempdir();
    let cat = fixture("import-oscal/catalog.json");
    let out = import(&cat, &[], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (7, 6, 1));
    assert!(
        skipped(&err)[0].ends_with("catalog.json (ac-2.10): AC-2(10) is withdrawn"),
        "{err}"
    );
    assert!(err.contains("warning: 2 controls have no known layers and were given governance-training (e.g. ORG-1, ORG-2)"), "{err}");
    let id = "example-control-catalog-1.2";
    let csv = std::fs::read_to_string(dir.path().join(format!("frameworks/{id}.csv"))).unwrap();
    assert!(csv.contains("\nPE-99,A control the built-in framework does not have,Physical and Environmental Protection,control,,physical-facilities,"), "{csv}");
    assert!(csv.contains("\nAC-2(1),Automated System Account Management,Access Control,enhancement,AC-2,accounts-identities,"), "{csv}");
    assert!(csv.contains("\nORG-2,Review the register every year,Organisation rules,control,,governance-training,"), "{csv}");
    let header = std::fs::read_to_string(dir.path().join(format!("frameworks/{id}.toml"))).unwrap();
    assert!(
        header.contains("2 controls had no known layers"),
        "{header}"
    );
    assert!(
        header.contains("The layers of 1 controls were chosen by NIST SP 800-53 family"),
        "{header}"
    );
    validates(dir.path());
    assert_eq!(
        row(&map(dir.path(), "saas", id), "PE-99")["owner"],
        "provider"
    );

    let profile = fixture("import-oscal/profile.json").display().to_string();
    let out = import(
        &cat,
        &["--profile", &profile, "--id", "example-low"],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(counts(&err), (4, 3, 1));
    assert!(
        err.contains(
            "profile.json (zz-1): the profile selects a control the catalog does not have"
        ),
        "{err}"
    );
    assert_eq!(
        csv_ids(dir.path(), "example-low"),
        ["AC-1", "AC-2(1)", "ORG-1"]
    );
    let csv = std::fs::read_to_string(dir.path().join("frameworks/example-low.csv")).unwrap();
    assert!(
        csv.contains("\nAC-2(1),Automated System Account Management,Access Control,enhancement,,"),
        "no parent outside the selection: {csv}"
    );
    validates(dir.path());

    // Without --id: from the profile's title and version
    let dir = tempdir();
    assert!(import(&cat, &["--profile", &profile], dir.path())
        .status
        .success());
    assert!(dir
        .path()
        .join("frameworks/example-low-profile-1.0.csv")
        .exists());
}

#[test]
fn broken_files_stop_with_exit_2() {
    let dir = tempdir();
    let out_dir = dir.path().join("data");
    let err = fails([
        "import".as_ref(),
        "oscal-catalog".as_ref(),
        fixture("import-oscal/broken.json").as_os_str(),
        "-o".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert!(
        err.contains("error[bad-json]") && err.contains("broken.json:1:"),
        "{err}"
    );
    let err = fails([
        "import".as_ref(),
        "oscal-catalog".as_ref(),
        fixture("import-oscal/profile.json").as_os_str(),
        "-o".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert!(err.contains("is not an OSCAL catalog"), "{err}");
    let err = fails([
        "import".as_ref(),
        "oscal-catalog".as_ref(),
        fixture("import-oscal/catalog.json").as_os_str(),
        "--id".as_ref(),
        "Bad Id".as_ref(),
        "-o".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert!(err.contains("must be lower-case"), "{err}");
    let err = fails([
        "import".as_ref(),
        "oscal-catalog".as_ref(),
        fixture("import-oscal/nope.json").as_os_str(),
        "-o".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert!(err.contains("unreadable-file"), "{err}");
    assert!(!out_dir.exists());
}

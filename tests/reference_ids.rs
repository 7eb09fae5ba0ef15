//! The built-in catalogs know every control ID that real products use (Prowler's framework maps,
//! Azure Policy's regulatory initiatives), in the spellings those files use.
//! Reads ../shared/reference/; skips with a message when it is absent.

use std::path::PathBuf;

use srmap::control_id::Unresolved;
use srmap::Catalog;

fn reference(rel: &str) -> Option<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference")
        .join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) => {
            eprintln!("skipped: {} is absent", path.display());
            None
        }
    }
}

/// IDs the framework does not know. An ambiguous spelling counts as known when one of its
/// readings is right (ISO `8.1` is clause 8.1, its own ID: Annex A 8.1 is `A.8.1`).
fn unresolved(c: &Catalog, fw: &str, ids: impl Iterator<Item = String>) -> Vec<String> {
    let fw = c.framework(fw).unwrap();
    ids.filter(|id| match fw.resolve(id) {
        Ok(_) => false,
        Err(Unresolved::Ambiguous(candidates)) => candidates.is_empty(),
        Err(Unresolved::Unknown) => true,
    })
    .collect()
}

#[test]
fn prowler_requirement_ids_resolve() {
    let c = Catalog::load_with(&[] as &[&str]).unwrap();
    for (file, fw) in [
        ("prowler/hipaa_aws.json", "hipaa-security"),
        ("prowler/soc2_aws.json", "soc2-2017"),
        ("prowler/iso27001_2022_aws.json", "iso27001-2022"),
        ("prowler/gdpr_aws.json", "gdpr"),
    ] {
        let Some(v) = reference(file) else { return };
        let ids = v["Requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Id"].as_str().unwrap().to_string());
        let bad = unresolved(&c, fw, ids);
        assert!(bad.is_empty(), "{file}: {bad:?}");
    }
    // PCI rows are requirement + check number; the requirement is the Section's prefix.
    let Some(v) = reference("prowler/pci_4.0_aws.json") else {
        return;
    };
    let ids = v["Requirements"].as_array().unwrap().iter().flat_map(|r| {
        r["Attributes"].as_array().unwrap().iter().map(|a| {
            a["Section"]
                .as_str()
                .unwrap()
                .split(':')
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
    });
    let bad = unresolved(&c, "pci-dss-4.0.1", ids);
    assert!(bad.is_empty(), "pci: {bad:?}");
}

#[test]
fn azure_policy_group_names_resolve() {
    let c = Catalog::load_with(&[] as &[&str]).unwrap();
    for (file, fw) in [
        ("azure-policy/PCI_DSS_v4.0.1.json", "pci-dss-4.0.1"),
        ("azure-policy/SOC_2.json", "soc2-2017"),
        ("azure-policy/ISO_IEC_27001_2022.json", "iso27001-2022"),
        ("azure-policy/EU_GDPR_2016_679.json", "gdpr"),
    ] {
        let Some(v) = reference(file) else { return };
        let groups = v["properties"]["policyDefinitionGroups"]
            .as_array()
            .unwrap();
        let ids = groups
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_string());
        let bad = unresolved(&c, fw, ids);
        assert!(bad.is_empty(), "{file}: {bad:?}");
    }
}

#[test]
fn crosswalk_ids_resolve() {
    let c = Catalog::load_with(&[] as &[&str]).unwrap();
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/crosswalks");
    let Ok(hipaa) = std::fs::read_to_string(base.join("hipaa-standard_to_nist-800-53-r5.csv"))
    else {
        eprintln!("skipped: crosswalks absent");
        return;
    };
    let ids = hipaa
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string());
    let bad = unresolved(&c, "hipaa-security", ids);
    assert!(bad.is_empty(), "{bad:?}");
    let iso = std::fs::read_to_string(base.join("nist-800-53-r5_to_iso27001-2022.csv")).unwrap();
    let ids = iso
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string());
    let bad = unresolved(&c, "iso27001-2022", ids);
    assert!(bad.is_empty(), "{bad:?}");
}

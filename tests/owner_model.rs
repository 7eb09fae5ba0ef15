//! Owner model v2 (shared controls, the customer's own premises, per-service facts), on the
//! built-in data and through the CLI as users run it.

use assert_cmd::Command;
use serde_json::Value;
use srmap::ownership::{decide, decide_with, Assumptions};
use srmap::{Catalog, Party};

fn catalog() -> Catalog {
    Catalog::load_with(&[] as &[&str]).unwrap_or_else(|d| panic!("built-in data: {d}"))
}

fn srmap() -> Command {
    Command::cargo_bin("srmap").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = srmap().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn owner(c: &Catalog, off: &str, fw: &str, ctl: &str) -> Party {
    let fw = c.framework(fw).unwrap();
    let control = fw.resolve(ctl).unwrap_or_else(|_| panic!("{ctl}"));
    decide(c.offering(off).unwrap(), fw, control).owner
}

const IAAS: [&str; 4] = [
    "iaas",
    "aws/ec2",
    "azure/virtual-machines",
    "gcp/compute-engine",
];

/// AWS's shared controls (patch management, configuration management, awareness training), in
/// every built-in framework: both parties run them, each for its own layers.
const SHARED_CONTROLS: [(&str, &str); 24] = [
    ("pci-dss-4.0.1", "6.3.1"),
    ("pci-dss-4.0.1", "6.3.3"),
    ("pci-dss-4.0.1", "11.3.1"),
    ("pci-dss-4.0.1", "2.2.1"),
    ("pci-dss-4.0.1", "12.6.1"),
    ("pci-dss-4.0.1", "12.6.3"),
    ("iso27001-2022", "A.8.8"),
    ("iso27001-2022", "A.8.9"),
    ("iso27001-2022", "A.6.3"),
    ("iso27001-2022", "A.8.32"),
    ("soc2-2017", "CC7.1"),
    ("soc2-2017", "CC8.1"),
    ("soc2-2017", "CC2.2"),
    ("hipaa-security", "164.308(a)(5)"),
    ("hipaa-security", "164.308(a)(5)(ii)(B)"),
    ("gdpr", "Art. 32"),
    ("nist-800-53-r5", "SI-2"),
    ("nist-800-53-r5", "RA-5"),
    ("nist-800-53-r5", "CM-2"),
    ("nist-800-53-r5", "CM-6"),
    ("nist-800-53-r5", "AT-2"),
    ("nist-800-53-r5", "AT-3"),
    ("fedramp-r5-moderate", "SI-2"),
    ("fedramp-r5-moderate", "AT-2"),
];

#[test]
fn patching_configuration_and_training_are_shared_on_iaas() {
    let c = catalog();
    for (fw, ctl) in SHARED_CONTROLS {
        for off in IAAS {
            assert_eq!(
                owner(&c, off, fw, ctl),
                Party::Shared,
                "{fw} {ctl} on {off}"
            );
        }
        assert_eq!(owner(&c, "onprem", fw, ctl), Party::Customer, "{fw} {ctl}");
    }
    // The basis names the provider's side.
    let fw = c.framework("iso27001-2022").unwrap();
    let d = decide(
        c.offering("aws/ec2").unwrap(),
        fw,
        fw.resolve("A.6.3").unwrap(),
    );
    assert!(d.basis.describe().contains("personnel=shared"), "{d:?}");
    assert!(!d.provider_duty.starts_with("None"), "{d:?}");
}

#[test]
fn the_auditors_spot_checks() {
    let c = catalog();
    let pci = "pci-dss-4.0.1";
    // Multi-tenant service providers' duty: the cloud provider's part is not "None".
    assert_eq!(owner(&c, "iaas", pci, "11.4.7"), Party::Shared);
    assert_eq!(owner(&c, "saas", pci, "11.4.7"), Party::Provider);
    // Media are the provider's disks and the customer's own media, not laptop patching.
    let media = c.framework(pci).unwrap().resolve("9.4.1").unwrap();
    assert!(media.layers.contains(&"physical-hosts".to_string()));
    assert!(media.layers.contains(&"customer-premises".to_string()));
    // Capacity is not backup.
    for (fw, ctl) in [("iso27001-2022", "A.8.6"), ("soc2-2017", "A1.1")] {
        let ctl = c.framework(fw).unwrap().resolve(ctl).unwrap();
        assert!(!ctl.layers.contains(&"backup-recovery".to_string()), "{fw}");
        assert_eq!(
            owner(&c, "saas", fw, &ctl.id),
            Party::Provider,
            "{fw} {}",
            ctl.id
        );
    }
    // A requirement's policies and roles follow the controls they govern, on every service model
    // (a named service's facts may then refine single requirements, not the policy).
    let fw = c.framework(pci).unwrap();
    for req in 1..=11 {
        let governed: Vec<&str> = fw
            .obligations()
            .filter(|x| {
                x.id.starts_with(&format!("{req}.")) && !x.id.starts_with(&format!("{req}.1."))
            })
            .map(|x| x.id.as_str())
            .collect();
        for off in ["onprem", "iaas", "containers", "paas", "faas", "saas"] {
            let want = Party::combine(governed.iter().map(|x| owner(&c, off, pci, x)));
            for policy in [format!("{req}.1.1"), format!("{req}.1.2")] {
                assert_eq!(owner(&c, off, pci, &policy), want, "{policy} on {off}");
            }
        }
    }
    // SaaS customers may not test the provider's platform.
    for ctl in ["11.4.1", "11.4.2", "11.4.3", "11.4.4"] {
        assert_eq!(owner(&c, "saas", pci, ctl), Party::Provider, "{ctl}");
    }
    // Clocks are the platform's on PaaS and SaaS.
    for off in ["paas", "saas", "aws/rds", "microsoft/m365"] {
        assert_eq!(
            owner(&c, off, "iso27001-2022", "A.8.17"),
            Party::Provider,
            "{off}"
        );
        assert_eq!(owner(&c, off, pci, "10.6.1"), Party::Provider, "{off}");
    }
    // Patching on a SaaS is the provider's (Microsoft's shared responsibility chart).
    assert_eq!(owner(&c, "microsoft/m365", pci, "6.3.3"), Party::Provider);
}

#[test]
fn premises_come_from_the_scope_and_the_command_line() {
    let c = catalog();
    let iso = c.framework("iso27001-2022").unwrap();
    let a71 = iso.resolve("A.7.1").unwrap();
    let m365 = c.offering("microsoft/m365").unwrap();
    assert!(iso.premises, "ISO certifies the organisation");
    assert_eq!(decide(m365, iso, a71).owner, Party::Shared);
    let system_only = decide_with(m365, iso, a71, Assumptions::premises(Some(false)));
    assert_eq!(system_only.owner, Party::Provider);
    assert!(system_only.basis.describe().contains("out of scope"));
    // The same through `map --premises`.
    let cc64 = |premises: &[&str]| {
        let mut args = vec![
            "map",
            "--offering",
            "aws/ec2",
            "--framework",
            "soc2-2017",
            "--control",
            "CC6.4",
            "--format",
            "json",
        ];
        args.extend(premises);
        json(&args)[0].clone()
    };
    let system_only = cc64(&["--premises", "no"]);
    assert_eq!(system_only["owner"], "provider");
    assert!(system_only["basis"]
        .as_str()
        .unwrap()
        .contains("own premises out of scope"));
    let default = cc64(&[]);
    assert_eq!(default["owner"], "shared");
    assert!(default["basis"]
        .as_str()
        .unwrap()
        .contains("customer-premises=customer (own premises in scope)"));
    assert!(default["customer_duty"]
        .as_str()
        .unwrap()
        .contains("your offices"));
}

#[test]
fn facts_decide_owners_and_cite_their_pages() {
    let c = catalog();
    // Every named offering states facts, each with an https source; the hand-written AWS,
    // Google Cloud and SaaS matrices state every feature, the Azure ones generated from
    // Microsoft's baselines the features those baselines cover (at least encryption at rest, keys,
    // transit, logging, backups, OS patching, host access and identity).
    for o in c.offerings().filter(|o| o.provider != "generic") {
        for f in &o.facts {
            assert!(f.source.starts_with("https://"), "{} {}", o.id, f.feature);
        }
        let stated: Vec<&str> = o.facts.iter().map(|f| f.feature.as_str()).collect();
        if o.provider == "azure" && o.id != "azure/cosmos-db" {
            for f in [
                "encryption-at-rest",
                "customer-managed-keys",
                "encryption-in-transit",
                "audit-logging",
                "backups",
                "os-patching",
                "host-access",
                "identity-integration",
            ] {
                assert!(stated.contains(&f), "{} states {f}", o.id);
            }
        } else {
            assert_eq!(
                stated.len(),
                c.features.len(),
                "{} states every feature",
                o.id
            );
        }
    }
    // The same PCI requirement, decided by the services' defaults.
    let rows = json(&[
        "map",
        "--offering",
        "aws/ec2,aws/s3",
        "--framework",
        "pci-dss-4.0.1",
        "--control",
        "3.5.1",
        "--format",
        "json",
    ]);
    let [ec2, s3] = [&rows[0], &rows[1]];
    assert_ne!(ec2["owner"], Party::Provider.as_str());
    let feature = |r: &Value, f: &str| {
        r["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["feature"] == f)
            .cloned()
            .unwrap_or_else(|| panic!("{f} in {r}"))
    };
    assert_eq!(feature(ec2, "encryption-at-rest")["default"], "off");
    assert_eq!(feature(s3, "encryption-at-rest")["default"], "always-on");
    assert!(ec2["basis"]
        .as_str()
        .unwrap()
        .contains("fact encryption-at-rest off"));
    assert!(ec2["source"].as_str().unwrap().starts_with("https://"));
}

#[test]
fn matrix_json_lists_the_facts() {
    let docs = json(&["matrix", "aws/rds", "--format", "json"]);
    let doc = &docs[0];
    assert_eq!(doc["offering"], "aws/rds");
    assert_eq!(doc["narrows"], serde_json::json!(["aws/ec2"]));
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), 11);
    for f in features {
        for key in [
            "feature",
            "default",
            "responsibility",
            "customer_action",
            "source",
        ] {
            assert!(f[key].is_string(), "{key} in {f}");
        }
    }
    let backups = features.iter().find(|f| f["feature"] == "backups").unwrap();
    assert_eq!(backups["default"], "automatic");
    // The customer's premises are the scope's, never a matrix row.
    assert!(doc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["layer"] != "customer-premises"));
    let csv = srmap()
        .args(["matrix", "gcp/cloud-sql", "--facts", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.starts_with("offering,feature,default,responsibility"));
    assert_eq!(text.lines().count(), 12);
}

#[test]
fn managed_databases_differ_fact_by_fact() {
    let cmp = json(&[
        "compare",
        "--offering",
        "aws/rds",
        "--offering",
        "azure/sql-database",
        "--offering",
        "gcp/cloud-sql",
        "--framework",
        "pci-dss-4.0.1",
        "--differences",
        "--format",
        "json",
    ]);
    let rows = cmp["rows"].as_array().unwrap();
    assert!(rows.len() >= 10, "only {} differences", rows.len());
    let facts = cmp["fact_differences"].as_array().unwrap();
    let features: Vec<&str> = facts
        .iter()
        .map(|f| f["feature"].as_str().unwrap())
        .collect();
    assert!(features.contains(&"encryption-at-rest"), "{features:?}");
    for f in facts {
        for (_, side) in f["sides"].as_object().unwrap() {
            assert!(
                side["default"] == "not stated"
                    || side["source"].as_str().unwrap().starts_with("https://"),
                "{f}"
            );
        }
    }
    for r in rows {
        let owners: Vec<&Value> = r["owners"].as_object().unwrap().values().collect();
        let owner_differs = owners.iter().any(|o| *o != owners[0]);
        assert!(
            owner_differs || !r["differing_facts"].as_array().unwrap().is_empty(),
            "a difference that cites nothing: {r}"
        );
        // Every difference in owner is explained by the facts behind it.
        if owner_differs {
            assert!(
                r["facts"]
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|f| !f.as_str().unwrap().is_empty()),
                "{r}"
            );
        }
    }
    // 3.5.1: RDS is encrypted only when chosen at creation; Azure SQL and Cloud SQL by default.
    let pan = rows
        .iter()
        .find(|r| r["control"] == "3.5.1")
        .expect("3.5.1 differs");
    assert_eq!(pan["owners"]["aws/rds"], "customer");
    assert_ne!(pan["owners"]["azure/sql-database"], "customer");
    assert_ne!(pan["owners"]["gcp/cloud-sql"], "customer");
}

#[test]
fn validate_enforces_the_shrinking_share() {
    let c = catalog();
    assert!(
        !srmap::share_rules::check(&c).has_errors(),
        "{}",
        srmap::share_rules::check(&c)
    );
    let out = srmap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "--data", "tests/fixtures/share-grows"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!("validate_share_grows", err.replace('\\', "/"));
}

#[test]
fn validate_checks_every_fact() {
    let out = srmap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "--data", "tests/fixtures/bad-facts"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!("validate_bad_facts", err.replace('\\', "/"));
}

#[test]
fn named_services_cover_what_people_run() {
    let c = catalog();
    let count = |p: &str| c.offerings().filter(|o| o.provider == p).count();
    assert!(count("aws") >= 20, "aws: {}", count("aws"));
    assert!(count("gcp") >= 15, "gcp: {}", count("gcp"));
    let saas = c
        .offerings()
        .filter(|o| o.provider != "generic" && o.model == srmap::offering::Model::Saas)
        .count();
    assert!(saas >= 6, "saas: {saas}");
    for id in [
        "microsoft-365",
        "google-workspace",
        "salesforce",
        "aws/kms",
        "aws/cloudtrail",
        "aws/sqs",
        "aws/cloudfront",
        "aws/waf",
        "aws/cognito",
        "gcp/pubsub",
        "gcp/cloud-kms",
        "gcp/cloud-logging",
        "gcp/cloud-armor",
        "gcp/identity-platform",
    ] {
        assert!(c.offering(id).is_ok(), "{id}");
    }
}

/// Each system of a scope keeps its own `premises`, in `compare --scope` and in `diff` between
/// scopes; `--premises` overrides them all.
#[test]
fn each_system_keeps_its_own_premises() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let scope = format!("{dir}/tests/fixtures/premises/scope.toml");
    let target = format!("{dir}/tests/fixtures/premises/target.toml");
    let cmp = json(&[
        "compare",
        "--scope",
        &scope,
        "--differences",
        "--format",
        "json",
    ]);
    let a71 = cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["control"] == "A.7.1")
        .expect("A.7.1 differs between the systems");
    assert_eq!(a71["owners"]["offices"], "shared");
    assert_eq!(a71["owners"]["platform"], "provider");
    let all_out = json(&[
        "compare",
        "--scope",
        &scope,
        "--differences",
        "--premises",
        "no",
        "--format",
        "json",
    ]);
    assert!(all_out["rows"].as_array().unwrap().is_empty());

    let rows = json(&[
        "diff",
        "--from-scope",
        &scope,
        "--to-scope",
        &target,
        "--format",
        "json",
    ]);
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().all(|r| r["system"] == "platform"), "{rows:?}");
    let a71 = rows.iter().find(|r| r["control"] == "A.7.1").unwrap();
    assert_eq!(a71["change"], "newly-shared");
    assert!(a71["layers"]
        .as_str()
        .unwrap()
        .contains("customer-premises: not-applicable -> customer"));
    // Out of scope on both sides, nothing moves.
    let none = json(&[
        "diff",
        "--from-scope",
        &scope,
        "--to-scope",
        &target,
        "--premises",
        "no",
        "--format",
        "json",
    ]);
    assert!(none.as_array().unwrap().is_empty());
}

/// A control none of whose layers is in play says so, not "ask the provider" and "the customer
/// operates it" at once; the migration review only lets the customer stop what it leaves.
#[test]
fn duties_say_what_is_true() {
    let rows = json(&[
        "map",
        "--offering",
        "aws/ec2",
        "--framework",
        "pci-dss-4.0.1",
        "--control",
        "9.4.6",
        "--premises",
        "no",
        "--format",
        "json",
    ]);
    assert_eq!(rows[0]["owner"], "not-applicable");
    assert!(rows[0]["customer_duty"]
        .as_str()
        .unwrap()
        .starts_with("Not applicable here"));
    let moves = json(&[
        "diff",
        "--from",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
        "--format",
        "json",
    ]);
    for r in moves.as_array().unwrap() {
        if r["to_owner"] != "provider" {
            // The customer keeps a part of every layer that stays customer or shared.
            assert!(
                !r["customer_may_stop"]
                    .as_str()
                    .unwrap()
                    .contains("security group"),
                "{r}"
            );
        }
    }
}

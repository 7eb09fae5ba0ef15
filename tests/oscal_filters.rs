//! `map --format oscal` honours `--control` and `--owner` as the other formats do: the SSP keeps
//! only the implemented requirements asked for, each exactly as in the full plan.

use assert_cmd::Command;
use serde_json::Value;

const AS_OF: [&str; 2] = ["--as-of", "2026-09-30"];
/// What an SSP says of the system.
const SYSTEM: [&str; 4] = [
    "--system-name",
    "Cardholder data environment",
    "--fips199",
    "moderate",
];

fn srmap(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .args(AS_OF)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = srmap(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The SSP of `map` with these arguments.
fn ssp(args: &[&str]) -> Value {
    let mut all = vec!["map"];
    all.extend(args);
    all.extend(["--format", "oscal"]);
    all.extend(SYSTEM);
    json(&all)
}

fn requirements(doc: &Value) -> Vec<Value> {
    doc["system-security-plan"]["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap()
        .clone()
}

fn prop<'a>(req: &'a Value, name: &str) -> &'a str {
    req["props"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
        .unwrap_or_else(|| panic!("no {name} prop"))
}

const RDS: [&str; 4] = ["--offering", "aws/rds", "--framework", "pci-dss-4.0.1"];
const TWO: [&str; 4] = [
    "--offering",
    "aws/ec2,aws/rds",
    "--framework",
    "pci-dss-4.0.1",
];

/// Everything but the implemented requirements.
/// The plan around the requirements, without what names the document itself (its UUID and
/// the remarks that say which part of the framework it holds).
fn frame(doc: &Value) -> Value {
    let mut d = doc.clone();
    let ssp = &mut d["system-security-plan"];
    ssp["control-implementation"]["implemented-requirements"] = Value::Null;
    ssp["uuid"] = Value::Null;
    ssp["metadata"]["remarks"] = Value::Null;
    d
}

#[test]
fn unfiltered_plan_has_every_requirement() {
    let full = ssp(&RDS);
    let reqs = requirements(&full);
    // Every PCI DSS requirement, as the JSON owner map lists them.
    let rows = json(&[&["map"][..], &RDS[..], &["--format", "json"]].concat());
    assert_eq!(reqs.len(), rows.as_array().unwrap().len());
    assert_eq!(reqs.len(), 280);
    // Naming every owner keeps everything, byte for byte.
    let all_owners = ssp(&[
        &RDS[..],
        &[
            "--owner",
            "provider",
            "--owner",
            "customer",
            "--owner",
            "shared",
            "--owner",
            "not-applicable",
        ],
    ]
    .concat());
    assert_eq!(all_owners, full);
}

#[test]
fn control_keeps_only_that_requirement() {
    let full = ssp(&RDS);
    let one = ssp(&[&RDS[..], &["--control", "8.3.1"]].concat());
    let reqs = requirements(&one);
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    assert_eq!(reqs[0]["control-id"], "_8.3.1");
    assert_eq!(prop(&reqs[0], "label"), "8.3.1");
    // The same requirement as in the full plan, UUIDs included, and the same plan around it.
    let same = requirements(&full)
        .into_iter()
        .find(|r| r["control-id"] == "_8.3.1")
        .unwrap();
    assert_eq!(reqs[0], same);
    assert_eq!(frame(&one), frame(&full));
    // A part of the plan is another document than the whole: its own UUID, and it says so.
    let (one, full) = (&one["system-security-plan"], &full["system-security-plan"]);
    assert_ne!(one["uuid"], full["uuid"]);
    let remarks = one["metadata"]["remarks"].as_str().unwrap();
    assert!(
        remarks.ends_with("Only part of the framework: controls 8.3.1."),
        "{remarks}"
    );
    assert!(!full["metadata"]["remarks"]
        .as_str()
        .unwrap()
        .contains("Only part"));

    let two = ssp(&[
        &RDS[..],
        &["--control", "8.3.1", "--control", "pci-dss-4.0.1:1.2.3"],
    ]
    .concat());
    let labels: Vec<String> = requirements(&two)
        .iter()
        .map(|r| prop(r, "label").to_string())
        .collect();
    // In framework order, not in the order asked.
    assert_eq!(labels, ["1.2.3", "8.3.1"]);
}

#[test]
fn owner_keeps_the_requirements_with_that_owner() {
    // On two offerings the owner is the one across them: EC2 and RDS leave nothing to the
    // provider alone, so `--owner provider` keeps nothing there.
    for (offerings, absent) in [(&RDS, None), (&TWO, Some("provider"))] {
        let full = requirements(&ssp(offerings));
        for owner in ["provider", "customer", "shared"] {
            let expected: Vec<Value> = full
                .iter()
                .filter(|r| prop(r, "owner") == owner)
                .cloned()
                .collect();
            if absent == Some(owner) {
                assert!(expected.is_empty());
                continue;
            }
            assert!(
                !expected.is_empty() && expected.len() < full.len(),
                "{offerings:?} {owner}: the sample should keep some and drop some"
            );
            let kept = requirements(&ssp(&[&offerings[..], &["--owner", owner]].concat()));
            assert_eq!(kept, expected, "{offerings:?} --owner {owner}");
        }
    }
}

#[test]
fn owner_on_one_offering_agrees_with_the_json_map() {
    let rows = json(
        &[
            &["map"][..],
            &RDS[..],
            &["--owner", "shared", "--format", "json"],
        ]
        .concat(),
    );
    let mut from_json: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["control"].as_str().unwrap().to_string())
        .collect();
    from_json.sort();
    let mut from_ssp: Vec<String> =
        requirements(&ssp(&[&RDS[..], &["--owner", "shared"]].concat()))
            .iter()
            .map(|r| prop(r, "label").to_string())
            .collect();
    from_ssp.sort();
    assert_eq!(from_ssp, from_json);
}

#[test]
fn control_and_owner_combine() {
    let doc = ssp(&[&RDS[..], &["--control", "8.3.1", "--control", "1.2.3"]].concat());
    let owners: Vec<String> = requirements(&doc)
        .iter()
        .map(|r| prop(r, "owner").to_string())
        .collect();
    let first = owners[0].clone();
    let narrowed = ssp(&[
        &RDS[..],
        &[
            "--control",
            "8.3.1",
            "--control",
            "1.2.3",
            "--owner",
            &first,
        ],
    ]
    .concat());
    let kept = requirements(&narrowed);
    assert!(!kept.is_empty());
    assert!(kept.iter().all(|r| prop(r, "owner") == first));
}

#[test]
fn nothing_left_is_an_error_not_an_empty_plan() {
    // Ask for 8.3.1 with an owner it does not have.
    let doc = ssp(&[&RDS[..], &["--control", "8.3.1"]].concat());
    let owner = prop(&requirements(&doc)[0], "owner").to_string();
    let other = if owner == "provider" {
        "customer"
    } else {
        "provider"
    };
    let out = srmap(
        &[
            &["map"][..],
            &RDS[..],
            &["--control", "8.3.1", "--owner", other, "--format", "oscal"],
            &SYSTEM[..],
        ]
        .concat(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("at least one implemented requirement"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

//! Crosswalks (`controls --mapped-to`), evidence reuse (`gaps --reuse-mapped`), ownership carried
//! across crosswalks, and OSCAL output (`map --format oscal`).

use std::collections::HashSet;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/crosswalk-reuse")
        .join(rel)
        .display()
        .to_string()
}

fn json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn mapped_to_shows_crosswalks_in_both_directions() {
    let rows = json(&[
        "controls",
        "hipaa-security",
        "--mapped-to",
        "nist-800-53-r5",
    ]);
    let rows = rows.as_array().unwrap();
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["mapped_control"] != "")
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["mapped_control"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 189, "every pair NIST publishes");
    assert!(pairs.contains(&("164.308(a)(1)", "AU-6")));
    assert!(rows
        .iter()
        .all(|r| r["relationship"] == "intersect" || r["relationship"] == ""));
    let back = json(&[
        "controls",
        "nist-800-53-r5",
        "--mapped-to",
        "hipaa-security",
    ]);
    assert!(back
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "AU-6" && r["mapped_control"] == "164.308(a)(1)"));
    let iso = json(&["controls", "iso27001-2022", "--mapped-to", "nist-800-53-r5"]);
    let n = iso
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["mapped_control"] != "")
        .count();
    assert_eq!(n, 642);
    let none = Command::cargo_bin("srmap")
        .unwrap()
        .args(["controls", "gdpr", "--mapped-to", "pci-dss-4.0.1"])
        .output()
        .unwrap();
    assert_eq!(
        none.status.code(),
        Some(2),
        "no crosswalk is an error, not an empty list"
    );
}

fn gaps(reuse: Option<&str>) -> Vec<Value> {
    let (scope, ev) = (fixture("scope.toml"), fixture("evidence.csv"));
    let data = fixture("data");
    let mut args = vec![
        "gaps",
        "--data",
        &data,
        "--scope",
        &scope,
        "--evidence",
        &ev,
        "--as-of",
        "2026-06-30",
    ];
    if let Some(r) = reuse {
        args.push(r);
    }
    json(&args).as_array().unwrap().clone()
}

fn codes(f: &[Value], framework: &str, control: &str) -> Vec<String> {
    f.iter()
        .filter(|x| x["framework"] == framework && x["control"] == control)
        .map(|x| x["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn evidence_is_reused_only_when_asked_and_only_as_far_as_the_relationship_allows() {
    let plain = gaps(None);
    assert_eq!(codes(&plain, "soc2-2017", "CC6.1"), ["missing-evidence"]);
    assert_eq!(
        codes(&plain, "hipaa-security", "164.308(a)(1)"),
        ["missing-evidence"]
    );

    // CC6.1 is a subset of A.5.15: A.5.15's evidence covers it. CC6.2 only intersects: it does not.
    let subset = gaps(Some("--reuse-mapped"));
    assert!(codes(&subset, "soc2-2017", "CC6.1").is_empty());
    assert_eq!(codes(&subset, "soc2-2017", "CC6.2"), ["missing-evidence"]);
    assert_eq!(
        codes(&subset, "hipaa-security", "164.308(a)(1)"),
        ["missing-evidence"],
        "NIST's pairs all intersect"
    );

    let wide = gaps(Some("--reuse-mapped=intersect"));
    // Reused evidence is judged by the reusing control's cadence: CC6.2 is quarterly, and I-1
    // covers only one quarter of the period.
    assert_eq!(codes(&wide, "soc2-2017", "CC6.2"), ["missing-occurrence"]);
    let cc62 = wide.iter().find(|x| x["control"] == "CC6.2").unwrap();
    assert!(
        cc62["detail"]
            .as_str()
            .unwrap()
            .ends_with("1 of 4 quarters from 2025-07-01 to 2026-06-30 covered"),
        "{cc62}"
    );
    assert!(
        codes(&wide, "hipaa-security", "164.308(a)(1)").is_empty(),
        "AU-6's review records count through the crosswalk"
    );
    // A reused row that fails is reported against the control that reused it, marked as such.
    let stale: Vec<&Value> = wide
        .iter()
        .filter(|x| x["reused_from"] == "nist-800-53-r5:CP-9")
        .collect();
    assert!(!stale.is_empty());
    assert!(stale
        .iter()
        .all(|x| x["code"] == "stale-evidence" && x["framework"] != "nist-800-53-r5"));
    assert!(stale
        .iter()
        .any(|x| x["framework"] == "hipaa-security" && x["control"] == "164.308(a)(7)"));
    assert!(stale[0]["detail"]
        .as_str()
        .unwrap()
        .contains("reused from nist-800-53-r5:CP-9"));
}

#[test]
fn reuse_is_marked_in_the_xlsx_owner_map() {
    use calamine::{Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gaps.xlsx");
    let (scope, ev, data) = (
        fixture("scope.toml"),
        fixture("evidence.csv"),
        fixture("data"),
    );
    let status = Command::cargo_bin("srmap")
        .unwrap()
        .args([
            "gaps",
            "--data",
            &data,
            "--scope",
            &scope,
            "--evidence",
            &ev,
            "--as-of",
            "2026-06-30",
            "--reuse-mapped",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let owners = wb.worksheet_range("Owner map").unwrap();
    let hit = owners
        .rows()
        .find(|r| r[1] == "soc2-2017" && r[2] == "CC6.1")
        .unwrap();
    assert_eq!(hit[8].to_string(), "I-1 (reused from iso27001-2022:A.5.15)");
}

#[test]
fn matrix_rows_over_nist_carry_to_mapped_hipaa_controls() {
    let data = fixture("data");
    let rows = json(&[
        "map",
        "--data",
        &data,
        "--offering",
        "acme/fedramp-saas",
        "--framework",
        "hipaa-security",
    ]);
    let by = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["control"] == id)
            .unwrap()
            .clone()
    };
    let audit = by("164.312(b)");
    assert!(
        audit["basis"]
            .as_str()
            .unwrap()
            .starts_with("via crosswalk from the nist-800-53-r5 rows"),
        "{audit}"
    );
    assert!(audit["basis"]
        .as_str()
        .unwrap()
        .contains("AU-6=provider (intersect)"));
    let incidents = by("164.308(a)(6)");
    assert_eq!(incidents["owner"], "shared", "IR-4 is shared in the CRM");
    let accounts = by("164.308(a)(3)");
    assert_eq!(
        accounts["owner"], "customer",
        "AC-2 is the customer's in the CRM, and accounts always are"
    );
    // Controls no NIST row reaches keep the layer rule.
    let facility = by("164.310(a)(1)");
    assert!(facility["basis"].as_str().unwrap().starts_with("layers: "));
}

fn ssp(args: &[&str]) -> Value {
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .args(["--format", "oscal", "--as-of", "2026-09-30"])
        .args([
            "--system-name",
            "Cardholder data environment",
            "--fips199",
            "moderate",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && s.chars()
            .enumerate()
            .all(|(i, c)| [8, 13, 18, 23].contains(&i) || c.is_ascii_hexdigit())
        && matches!(b[14], b'4' | b'5')
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

fn is_token(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || ".-_".contains(c))
}

#[test]
fn oscal_ssp_has_the_schema_shape_and_consistent_references() {
    let doc = ssp(&[
        "map",
        "--offering",
        "aws/ec2",
        "--offering",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
    ]);
    let s = &doc["system-security-plan"];
    for key in [
        "uuid",
        "metadata",
        "import-profile",
        "system-characteristics",
        "system-implementation",
        "control-implementation",
    ] {
        assert!(!s[key].is_null(), "{key}");
    }
    assert_eq!(s["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(s["metadata"]["last-modified"], "2026-09-30T00:00:00Z");
    for key in [
        "system-ids",
        "system-name",
        "description",
        "system-information",
        "status",
        "authorization-boundary",
    ] {
        assert!(
            !s["system-characteristics"][key].is_null(),
            "system-characteristics.{key}"
        );
    }
    let comps = s["system-implementation"]["components"].as_array().unwrap();
    assert_eq!(comps.len(), 3, "this system and two offerings");
    let comp_ids: HashSet<&str> = comps.iter().map(|c| c["uuid"].as_str().unwrap()).collect();
    let reqs = s["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap();
    assert_eq!(reqs.len(), 280);
    let mut provided = HashSet::new();
    let mut responsibilities = HashSet::new();
    let mut all_uuids = HashSet::new();
    for r in reqs {
        assert!(
            is_token(r["control-id"].as_str().unwrap()),
            "{}",
            r["control-id"]
        );
        assert!(all_uuids.insert(r["uuid"].as_str().unwrap().to_string()));
        for b in r["by-components"].as_array().unwrap() {
            assert!(comp_ids.contains(b["component-uuid"].as_str().unwrap()));
            assert!(is_uuid(b["uuid"].as_str().unwrap()));
            for p in b["export"]["provided"].as_array().into_iter().flatten() {
                provided.insert(p["uuid"].as_str().unwrap().to_string());
            }
            for p in b["export"]["responsibilities"]
                .as_array()
                .into_iter()
                .flatten()
            {
                responsibilities.insert(p["uuid"].as_str().unwrap().to_string());
                assert!(provided.contains(p["provided-uuid"].as_str().unwrap()));
            }
        }
    }
    let mut inherited = 0;
    let mut satisfied = 0;
    for r in reqs {
        for b in r["by-components"].as_array().unwrap() {
            for i in b["inherited"].as_array().into_iter().flatten() {
                inherited += 1;
                assert!(provided.contains(i["provided-uuid"].as_str().unwrap()));
            }
            for x in b["satisfied"].as_array().into_iter().flatten() {
                satisfied += 1;
                assert!(responsibilities.contains(x["responsibility-uuid"].as_str().unwrap()));
            }
        }
    }
    assert!(inherited > 0 && satisfied > 0);
    let physical = reqs
        .iter()
        .find(|r| r["props"][0]["value"] == "9.2.1")
        .unwrap();
    assert_eq!(physical["control-id"], "_9.2.1");
    // Facility entry: the provider's data centres and (PCI's default) the customer's premises.
    assert_eq!(physical["props"][1]["value"], "shared");
    assert_eq!(
        ssp(&[
            "map",
            "--offering",
            "aws/ec2",
            "--offering",
            "aws/rds",
            "--framework",
            "pci-dss-4.0.1"
        ]),
        doc,
        "deterministic"
    );
}

#[test]
fn oscal_uses_nist_control_ids_for_nist() {
    let doc = ssp(&[
        "map",
        "--offering",
        "aws/ec2",
        "--framework",
        "nist-800-53-r5",
    ]);
    let reqs = doc["system-security-plan"]["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap()
        .clone();
    let ids: HashSet<&str> = reqs
        .iter()
        .map(|r| r["control-id"].as_str().unwrap())
        .collect();
    assert!(ids.contains("ac-2") && ids.contains("ac-2.1"));
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(["map", "--offering", "iaas", "--format", "oscal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "one framework per SSP");
}

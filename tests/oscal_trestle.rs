//! OSCAL 1.2 output checked by a validator: `map --format oscal` writes an SSP whose
//! `import-profile` resolves (srmap's profile and catalog beside it, or the profile named with
//! `--profile-href`), with the system's name and FIPS 199 levels as given and no placeholder;
//! `controls X --mapped-to Y --format oscal` writes a control mapping collection over the
//! catalogs beside it. Both are byte-stable. `scripts/check_oscal.py` loads every file with
//! compliance-trestle's models and resolves the references; those tests skip, saying so, when
//! no Python with trestle is found (`$SRMAP_VENV`, then `.venv/` of the repository, then
//! `python3`; `.ci/run` installs it into `.venv/`).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

const AS_OF: [&str; 2] = ["--as-of", "2026-09-30"];

fn srmap(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .args(AS_OF)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = srmap(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file of `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

const SCOPE: &str = r#"organization = "Northwind"
period = { start = "2026-01-01", end = "2026-12-31" }

[[systems]]
name = "Payments API"
description = "Takes card payments for the web shop."
offerings = ["aws/ec2", "aws/rds"]
frameworks = ["pci-dss-4.0.1"]
fips-199 = "confidentiality=high, integrity=moderate, availability=low"

[[systems]]
name = "Intranet"
offerings = ["microsoft/m365"]
frameworks = ["iso27001-2022"]
"#;

/// The SSPs and mappings the trestle check reads, written into `dir`; their file names.
fn write_all(dir: &Path) -> Vec<&'static str> {
    std::fs::write(dir.join("scope.toml"), SCOPE).unwrap();
    ok(
        dir,
        &[
            "map",
            "--scope",
            "scope.toml",
            "--system",
            "payments api",
            "--format",
            "oscal",
            "-o",
            "pci-ssp.json",
        ],
    );
    ok(
        dir,
        &[
            "map",
            "--offering",
            "aws/ec2",
            "--framework",
            "nist-800-53-r5",
            "--system-name",
            "Batch analytics",
            "--fips199",
            "moderate",
            "--format",
            "oscal",
            "-o",
            "nist-ssp.json",
        ],
    );
    ok(
        dir,
        &[
            "controls",
            "hipaa-security",
            "--mapped-to",
            "nist-800-53-r5",
            "--format",
            "oscal",
            "-o",
            "hipaa-to-nist.json",
        ],
    );
    ok(
        dir,
        &[
            "controls",
            "hipaa-security-2025-proposed",
            "--mapped-to",
            "hipaa-security",
            "--format",
            "oscal",
            "-o",
            "proposed-to-hipaa.json",
        ],
    );
    vec![
        "pci-ssp.json",
        "nist-ssp.json",
        "hipaa-to-nist.json",
        "proposed-to-hipaa.json",
    ]
}

#[test]
fn documents_and_their_companions_are_written_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    let names: Vec<String> = files(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        [
            "hipaa-security-2025-proposed.catalog.json",
            "hipaa-security.catalog.json",
            "hipaa-to-nist.json",
            "nist-800-53-r5.catalog.json",
            "nist-800-53-r5.profile.json",
            "nist-ssp.json",
            "pci-dss-4.0.1.catalog.json",
            "pci-dss-4.0.1.profile.json",
            "pci-ssp.json",
            "proposed-to-hipaa.json",
            "scope.toml",
        ]
    );
    let ssp = read(&dir.path().join("pci-ssp.json"));
    let s = &ssp["system-security-plan"];
    assert_eq!(s["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(s["import-profile"]["href"], "pci-dss-4.0.1.profile.json");
    let profile = read(&dir.path().join("pci-dss-4.0.1.profile.json"));
    let import = &profile["profile"]["imports"][0];
    assert_eq!(import["href"], "pci-dss-4.0.1.catalog.json");
    // The profile selects exactly the controls the SSP implements (the whole framework here).
    let selected: HashSet<&str> = import["include-controls"][0]["with-ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let implemented: HashSet<&str> = s["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["control-id"].as_str().unwrap())
        .collect();
    assert_eq!(selected, implemented);
    let catalog = read(&dir.path().join("pci-dss-4.0.1.catalog.json"));
    let ids: Vec<&str> = catalog["catalog"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(selected.iter().all(|id| ids.contains(id)));
    assert_eq!(
        ids.len(),
        ids.iter().collect::<HashSet<_>>().len(),
        "catalog IDs are unique"
    );
}

#[test]
fn the_ssp_states_the_system_as_given_and_no_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    let text = std::fs::read_to_string(dir.path().join("pci-ssp.json")).unwrap();
    for placeholder in ["To be described", "This system\"", "System on ", "\"#\""] {
        assert!(!text.contains(placeholder), "{placeholder}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    let chars = &doc["system-security-plan"]["system-characteristics"];
    assert_eq!(chars["system-name"], "Payments API");
    assert_eq!(
        chars["description"],
        "Takes card payments for the web shop."
    );
    assert_eq!(chars["security-sensitivity-level"], "fips-199-high");
    let levels = &chars["security-impact-level"];
    assert_eq!(
        levels["security-objective-confidentiality"],
        "fips-199-high"
    );
    assert_eq!(levels["security-objective-integrity"], "fips-199-moderate");
    assert_eq!(levels["security-objective-availability"], "fips-199-low");
    let info = &chars["system-information"]["information-types"][0];
    assert_eq!(info["confidentiality-impact"]["base"], "fips-199-high");
    assert_eq!(info["availability-impact"]["base"], "fips-199-low");
    assert!(chars["remarks"]
        .as_str()
        .unwrap()
        .contains("scope.toml (system `Payments API`)"));

    let nist = read(&dir.path().join("nist-ssp.json"));
    let chars = &nist["system-security-plan"]["system-characteristics"];
    assert_eq!(chars["system-name"], "Batch analytics");
    assert_eq!(chars["security-sensitivity-level"], "fips-199-moderate");
    assert!(chars["remarks"]
        .as_str()
        .unwrap()
        .contains("the command line"));
}

#[test]
fn a_missing_name_or_level_is_an_error_that_says_what_to_give() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scope.toml"), SCOPE).unwrap();
    let base = [
        "map",
        "--offering",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
    ];
    let fail = |extra: &[&str]| {
        let out = srmap(
            dir.path(),
            &[&base[..], extra, &["--format", "oscal", "-o", "ssp.json"]].concat(),
        );
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = fail(&["--fips199", "moderate"]);
    assert!(err.contains("give --system-name NAME"), "{err}");
    let err = fail(&["--system-name", "Payments"]);
    assert!(
        err.contains("srmap does not guess them: give --fips199 low|moderate|high"),
        "{err}"
    );
    // A scope system without `fips-199`: the flag or the scope key.
    let out = srmap(
        dir.path(),
        &[
            "map",
            "--scope",
            "scope.toml",
            "--system",
            "intranet",
            "--format",
            "oscal",
            "-o",
            "ssp.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("or set `fips-199` on the system in scope.toml (system `Intranet`)"),
        "{err}"
    );
    // A scope with two systems needs --system.
    let out = srmap(
        dir.path(),
        &["map", "--scope", "scope.toml", "--format", "csv"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("name one with --system"));
    // The SSP flags without --format oscal would be ignored: refused instead.
    let out = srmap(dir.path(), &[&base[..], &["--fips199", "low"]].concat());
    assert_eq!(out.status.code(), Some(2));
    // OSCAL output of a control list is a mapping: it needs the other framework.
    let out = srmap(
        dir.path(),
        &["controls", "hipaa-security", "--format", "oscal"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --mapped-to FRAMEWORK"));
    let names: Vec<String> = files(dir.path()).into_keys().collect();
    assert_eq!(names, ["scope.toml"], "nothing written");
}

#[test]
fn a_named_profile_is_imported_as_given_and_nothing_is_written_beside() {
    let dir = tempfile::tempdir().unwrap();
    let href = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json";
    ok(
        dir.path(),
        &[
            "map",
            "--offering",
            "aws/ec2",
            "--framework",
            "nist-800-53-r5",
            "--system-name",
            "Batch analytics",
            "--fips199",
            "moderate",
            "--profile-href",
            href,
            "--format",
            "oscal",
            "-o",
            "ssp.json",
        ],
    );
    let names: Vec<String> = files(dir.path()).into_keys().collect();
    assert_eq!(names, ["ssp.json"]);
    let doc = read(&dir.path().join("ssp.json"));
    assert_eq!(doc["system-security-plan"]["import-profile"]["href"], href);
}

#[test]
fn standard_output_gets_the_document_alone_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
        &[
            "controls",
            "hipaa-security",
            "--mapped-to",
            "nist-800-53-r5",
            "--format",
            "oscal",
        ],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["mapping-collection"].is_object());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("srmap writes them beside the mapping when given -o FILE"));
    assert!(files(dir.path()).is_empty());
}

fn maps(doc: &Value) -> Vec<(String, String, String)> {
    doc["mapping-collection"]["mappings"][0]["maps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sources"][0]["props"][0]["value"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                m["relationship"].as_str().unwrap().to_string(),
                m["targets"][0]["props"][0]["value"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn the_mapping_carries_every_pair_with_oscal_relationships_from_the_source_side() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    let doc = read(&dir.path().join("hipaa-to-nist.json"));
    let m = &doc["mapping-collection"]["mappings"][0];
    assert_eq!(m["source-resource"]["href"], "hipaa-security.catalog.json");
    assert_eq!(m["target-resource"]["href"], "nist-800-53-r5.catalog.json");
    let pairs = maps(&doc);
    assert_eq!(pairs.len(), 189, "every pair of the crosswalk");
    assert!(pairs.contains(&(
        "164.308(a)(1)".to_string(),
        "intersects-with".to_string(),
        "AU-6".to_string()
    )));
    assert_eq!(m["maps"][0]["sources"][0]["id-ref"], "_164.308.a.1");
    assert_eq!(m["maps"][0]["targets"][0]["id-ref"], "au-6");
    assert_eq!(
        doc["mapping-collection"]["provenance"]["matching-rationale"],
        "semantic"
    );

    // The HIPAA proposal: the current rule's controls are subsets of (or equal to) the proposed
    // ones, so read from the proposal's side they are supersets.
    let current = ok(
        dir.path(),
        &[
            "controls",
            "hipaa-security",
            "--mapped-to",
            "hipaa-security-2025-proposed",
            "--format",
            "oscal",
        ],
    );
    let current: Value = serde_json::from_slice(&current.stdout).unwrap();
    let forward = maps(&current);
    let back = maps(&read(&dir.path().join("proposed-to-hipaa.json")));
    assert_eq!(forward.len(), back.len());
    let rels: HashSet<&str> = forward.iter().map(|p| p.1.as_str()).collect();
    assert!(
        rels.contains("subset-of") && rels.contains("equivalent-to"),
        "{rels:?}"
    );
    for (a, rel, b) in &forward {
        let inverse = match rel.as_str() {
            "subset-of" => "superset-of",
            "superset-of" => "subset-of",
            other => other,
        };
        assert!(
            back.contains(&(b.clone(), inverse.to_string(), a.clone())),
            "{a} {rel} {b}"
        );
    }
    // Controls no pair reaches are listed in the gap summaries, by ID.
    let gap = &m["target-gap-summary"]["unmapped-controls"][0]["with-ids"];
    assert!(
        gap.as_array().unwrap().iter().any(|i| i == "sa-24"),
        "{gap}"
    );
}

#[test]
fn every_document_is_byte_stable() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    write_all(first.path());
    write_all(second.path());
    let (a, b) = (files(first.path()), files(second.path()));
    assert_eq!(a.len(), 11);
    for (name, bytes) in &a {
        assert!(b[name] == *bytes, "{name} differs between two runs");
    }
    // A different system is another document: its SSP's UUIDs differ.
    let uuid = |dir: &Path, file: &str| {
        read(&dir.join(file))["system-security-plan"]["uuid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let third = tempfile::tempdir().unwrap();
    ok(
        third.path(),
        &[
            "map",
            "--offering",
            "aws/ec2",
            "--framework",
            "nist-800-53-r5",
            "--system-name",
            "Another system",
            "--fips199",
            "moderate",
            "--format",
            "oscal",
            "-o",
            "nist-ssp.json",
        ],
    );
    assert_ne!(
        uuid(first.path(), "nist-ssp.json"),
        uuid(third.path(), "nist-ssp.json")
    );
}

/// A Python that imports trestle: `$SRMAP_VENV`, the repository's `.venv/`, then `python3`.
fn trestle_python() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut candidates = Vec::new();
    if let Some(venv) = std::env::var_os("SRMAP_VENV") {
        candidates.push(PathBuf::from(venv).join("bin/python"));
    }
    candidates.push(root.join(".venv/bin/python"));
    candidates.push(PathBuf::from("python3"));
    candidates.into_iter().find(|py| {
        Process::new(py)
            .args(["-c", "import trestle.oscal.mapping"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Run `scripts/check_oscal.py` on `files` of `dir`, or say why not and return None.
fn check(dir: &Path, files: &[&str]) -> Option<std::process::Output> {
    let Some(python) = trestle_python() else {
        eprintln!(
            "skipped: no Python with compliance-trestle (set SRMAP_VENV, or make .venv/ as .ci/run does)"
        );
        return None;
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/check_oscal.py");
    Some(
        Process::new(python)
            .arg(script)
            .args(files.iter().map(|f| dir.join(f)))
            .output()
            .unwrap(),
    )
}

#[test]
fn trestle_loads_the_ssps_and_mappings_and_resolves_their_references() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = write_all(dir.path());
    names.extend([
        "pci-dss-4.0.1.profile.json",
        "pci-dss-4.0.1.catalog.json",
        "nist-800-53-r5.catalog.json",
    ]);
    let Some(out) = check(dir.path(), &names) else {
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        names.len(),
        "{report}"
    );
    assert!(report.contains("pci-ssp.json: 280 requirements, all in the 280 controls of pci-dss-4.0.1.profile.json resolved"), "{report}");
    assert!(report.contains("hipaa-to-nist.json: 189 maps"), "{report}");
}

#[test]
fn the_trestle_check_fails_a_broken_document() {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path());
    // A relationship OSCAL does not have, and an SSP whose profile is not there.
    let map = dir.path().join("hipaa-to-nist.json");
    let text = std::fs::read_to_string(&map).unwrap();
    std::fs::write(
        &map,
        text.replacen("\"intersects-with\"", "\"intersect\"", 1),
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("pci-dss-4.0.1.profile.json")).unwrap();
    let Some(out) = check(
        dir.path(),
        &["hipaa-to-nist.json", "pci-ssp.json", "nist-ssp.json"],
    ) else {
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("FAIL") && report.contains("relationship `intersect`"),
        "{report}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("pci-ssp.json")),
        "{report}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("ok ") && l.contains("nist-ssp.json")),
        "{report}"
    );
}

#[test]
fn every_built_in_framework_has_one_oscal_id_per_control() {
    let catalog = srmap::Catalog::load_with(&[] as &[&str]).unwrap();
    let mut checked = 0;
    for fw in catalog.frameworks() {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for c in &fw.controls {
            let id = srmap::render::oscal::control_id(&fw.id, &c.id);
            if let Some(other) = seen.insert(id.clone(), &c.id) {
                panic!("{}: {other} and {} are both {id}", fw.id, c.id);
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} frameworks");
}

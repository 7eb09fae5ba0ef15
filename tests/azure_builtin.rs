//! The built-in Azure offerings: one per Microsoft cloud security benchmark service baseline,
//! written by scripts/gen_azure_offerings.sh from scripts/azure-services.csv through
//! `srmap import azure-baseline`. When the baselines are at ../shared/reference/, they are
//! regenerated here through the library and must match the checked-in files byte for byte; the
//! other tests run on the built-in data alone.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use srmap::import::azure;
use srmap::offering::Model;
use srmap::{Catalog, Party};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalog() -> Catalog {
    Catalog::load_with(&[] as &[&str]).unwrap_or_else(|d| {
        panic!(
            "built-in data does not load:\n{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// One row of scripts/azure-services.csv.
struct Service {
    file: String,
    id: String,
    name: String,
    model: Option<Model>,
    base: Option<String>,
    aliases: Vec<String>,
}

fn table() -> Vec<Service> {
    let path = root().join("scripts/azure-services.csv");
    let mut rdr = csv::Reader::from_path(&path).unwrap();
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["file", "id", "name", "model", "base", "aliases"]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let opt = |i: usize| Some(r[i].trim().to_string()).filter(|s| !s.is_empty());
            Service {
                file: r[0].to_string(),
                id: r[1].to_string(),
                name: r[2].to_string(),
                model: opt(3).map(|m| Model::parse(&m).unwrap_or_else(|| panic!("model {m}"))),
                base: opt(4),
                aliases: r[5]
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

fn rel(id: &str) -> String {
    format!("providers/azure/{}.toml", id.rsplit('/').next().unwrap())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_table_names_114_baselines_with_distinct_ids() {
    let t = table();
    assert_eq!(t.len(), 114);
    let mut ids: Vec<&str> = t.iter().map(|s| s.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 114, "IDs are unique");
    let mut files: Vec<&str> = t.iter().map(|s| s.file.as_str()).collect();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), 114, "one row per workbook");
    for s in &t {
        assert!(s.id.starts_with("azure/"), "{}", s.id);
        assert!(s.file.ends_with(".xlsx"), "{}", s.file);
        assert!(!s.name.is_empty(), "{}", s.id);
        assert!(s.model.is_some(), "{}: the table gives every model", s.id);
    }
}

#[test]
fn regenerating_from_the_baselines_gives_the_checked_in_files() {
    let dir = root().join("../shared/reference/azure-baselines/services");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} is not here, so the built-in Azure offerings cannot be regenerated and compared (the other tests in this file still check them)",
            dir.display()
        );
        return;
    }
    let catalog = catalog();
    let out = tempfile::tempdir().unwrap();
    let table = table();
    let files: Vec<[PathBuf; 1]> = table.iter().map(|s| [dir.join(&s.file)]).collect();
    let each: Vec<azure::Options> = table
        .iter()
        .zip(&files)
        .map(|(s, f)| azure::Options {
            files: f.to_vec(),
            model: s.model,
            offering: Some(s.id.clone()),
            name: Some(s.name.clone()),
            base: s.base.clone(),
            aliases: s.aliases.clone(),
            out: out.path().to_path_buf(),
        })
        .collect();
    // All rows in one write: the same as one `srmap import azure-baseline` per row into one
    // folder (what the script does), checked once instead of 114 times.
    if let Err(d) = azure::import_each(&catalog, out.path(), &each) {
        panic!(
            "{d}\n{:?}",
            d.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        );
    }
    // One row the way the script runs it: into a folder of its own.
    let single = tempfile::tempdir().unwrap();
    let sql = table
        .iter()
        .position(|s| s.id == "azure/sql-database")
        .unwrap();
    let one = azure::Options {
        out: single.path().to_path_buf(),
        ..each[sql].clone()
    };
    azure::import(&catalog, &one).unwrap();
    for f in [rel("azure/sql-database"), "frameworks/mcsb-v1.csv".into()] {
        assert_eq!(
            read(&single.path().join(&f)),
            read(&root().join(&f)),
            "{f}, imported alone"
        );
    }
    let mut differ = Vec::new();
    let mut compared = 0;
    let mut files: Vec<String> = table.iter().map(|s| rel(&s.id)).collect();
    files.push("frameworks/mcsb-v1.toml".into());
    files.push("frameworks/mcsb-v1.csv".into());
    for f in &files {
        compared += 1;
        if read(&out.path().join(f)) != read(&root().join(f)) {
            differ.push(f.clone());
        }
    }
    assert!(
        differ.is_empty(),
        "regenerated files differ from the checked-in ones (run scripts/gen_azure_offerings.sh): {differ:?}"
    );
    assert_eq!(compared, 116);
    // Nothing else in the output: every file written is checked in.
    let written = std::fs::read_dir(out.path().join("providers/azure"))
        .unwrap()
        .count();
    assert_eq!(written, 114);
}

/// Files of providers/azure/ the generator wrote (the others are written by hand).
fn generated() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("providers/azure"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| read(p).starts_with("# Written by `srmap import azure-baseline`"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn all_114_azure_offerings_load_with_facts_personnel_and_benchmark_rows() {
    let c = catalog();
    let table = table();
    let mut want: Vec<String> = table
        .iter()
        .map(|s| rel(&s.id).rsplit('/').next().unwrap().to_string())
        .collect();
    want.sort();
    assert_eq!(
        generated(),
        want,
        "providers/azure/ holds exactly the generated files of the table (and hand-written ones)"
    );
    let azure: Vec<_> = c.offerings().filter(|o| o.provider == "azure").collect();
    let from_baselines: Vec<_> = azure
        .iter()
        .filter(|o| {
            o.sources
                .iter()
                .any(|s| s.url == azure::REPOSITORY && s.title.contains("CC-BY-4.0"))
        })
        .collect();
    assert_eq!(from_baselines.len(), 114);
    for s in &table {
        let o = c.offering(&s.id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.id, s.id);
        assert_eq!(o.name, s.name);
        assert_eq!(Some(o.model), s.model, "{}", s.id);
        for a in &s.aliases {
            assert_eq!(c.offering(a).unwrap().id, s.id, "alias {a}");
        }
        assert!(!o.facts.is_empty(), "{} has facts", o.id);
        assert!(
            o.facts
                .iter()
                .all(|f| f.source.starts_with("https://") || f.source.starts_with("http://")),
            "{}: every fact cites a page",
            o.id
        );
        assert_eq!(
            o.layer("personnel").unwrap().owner,
            Party::Shared,
            "{}",
            o.id
        );
        assert!(
            o.overrides.iter().all(|r| r.framework == azure::FRAMEWORK),
            "{}",
            o.id
        );
        assert!(o.overrides.len() >= 27, "{}: benchmark rows", o.id);
        let text = read(&root().join(rel(&s.id)));
        assert!(
            !text.contains("customer-premises"),
            "{}: the scope decides the customer's premises",
            o.id
        );
        assert!(
            text.contains(azure::ATTRIBUTION) && text.contains("CC-BY-4.0"),
            "{}: attribution",
            o.id
        );
    }
    // The one hand-written Azure offering without a baseline of its own keeps its file, with
    // facts written by hand.
    assert_eq!(
        c.offering("azure/cosmos-db").unwrap().facts.len(),
        c.features.len()
    );
    assert_eq!(azure.len(), 115);
    // mcsb-v1 is built in.
    let mcsb = c.framework(azure::FRAMEWORK).unwrap();
    assert_eq!(mcsb.controls.len(), 34);
}

#[test]
fn sql_database_encrypts_at_rest_by_default_per_dp_4() {
    let c = catalog();
    let sql = c.offering("azure/sql-database").unwrap();
    let f = sql
        .fact("encryption-at-rest")
        .expect("a fact about encryption at rest");
    assert_eq!(f.mcsb, "DP-4");
    assert_eq!(f.default, "on");
    assert_eq!(f.responsibility, Party::Provider);
    assert!(f.source.starts_with("https://"), "{}", f.source);
    assert_eq!(sql.fact("backups").unwrap().default, "automatic");
    assert_eq!(sql.fact("public-access").unwrap().default, "blocked");
    assert_eq!(sql.fact("audit-logging").unwrap().default, "off");
    assert_eq!(
        sql.fact("audit-logging").unwrap().responsibility,
        Party::Customer
    );
    // The hand-written layers are kept.
    assert_eq!(
        sql.layer("runtime-middleware").unwrap().provider,
        "Microsoft upgrades and patches the SQL Database engine without customer action."
    );
    // Facts from the security profile.
    let vm = c.offering("azure/virtual-machines-linux").unwrap();
    assert_eq!(vm.id, "azure/virtual-machines");
    assert_eq!(vm.fact("host-access").unwrap().default, "full");
    assert_eq!(vm.fact("os-patching").unwrap().default, "customer");
    assert_eq!(
        c.offering("azure/storage").unwrap().id,
        "azure/blob-storage"
    );
}

/// ISO 27001 with the features its cryptography, logging and backup controls depend on, for
/// as long as the built-in framework names none (they arrive with the framework review).
fn iso_with_features(dir: &Path) {
    let fw = dir.join("frameworks");
    std::fs::create_dir_all(&fw).unwrap();
    std::fs::copy(
        root().join("frameworks/iso27001-2022.toml"),
        fw.join("iso27001-2022.toml"),
    )
    .unwrap();
    let mut rdr = csv::Reader::from_path(root().join("frameworks/iso27001-2022.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let at = header.iter().position(|h| h == "layers").unwrap() + 1;
    let mut w = csv::Writer::from_path(fw.join("iso27001-2022.csv")).unwrap();
    let mut h = header.clone();
    h.insert(at, "features".into());
    w.write_record(&h).unwrap();
    for rec in rdr.records() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let features = match rec[0].as_str() {
            "A.8.24" => "encryption-at-rest;customer-managed-keys;encryption-in-transit",
            "A.8.15" => "audit-logging",
            "A.8.13" => "backups",
            _ => "",
        };
        rec.insert(at, features.into());
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn map_shows_the_facts_of_azure_sql_database() {
    let c = catalog();
    let iso = c.framework("iso27001-2022").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    if iso.controls.iter().all(|x| x.features.is_empty()) {
        eprintln!(
            "the built-in iso27001-2022 names no features yet: mapping with a copy that does"
        );
        iso_with_features(tmp.path());
        args.extend(["--data".into(), tmp.path().into()]);
    }
    args.extend(
        [
            "map",
            "--offering",
            "azure/sql-database",
            "--framework",
            "iso27001-2022",
            "--format",
            "json",
        ]
        .map(Into::into),
    );
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let with_facts: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["facts"].as_array().is_some_and(|f| !f.is_empty()))
        .collect();
    assert!(!with_facts.is_empty(), "some rows show facts");
    let crypto = rows.iter().find(|r| r["control"] == "A.8.24").unwrap();
    let facts = crypto["facts"].as_array().unwrap();
    let at_rest = facts
        .iter()
        .find(|f| f["feature"] == "encryption-at-rest")
        .unwrap_or_else(|| panic!("{crypto}"));
    assert_eq!(at_rest["mcsb"], "DP-4");
    assert_eq!(at_rest["default"], "on");
    assert!(crypto["basis"]
        .as_str()
        .unwrap()
        .contains("fact encryption-at-rest on: provider"));
    assert!(crypto["source"].as_str().unwrap().starts_with("https://"));
}

// The built-in data is embedded with include_dir; tell Cargo to rebuild when it changes.
//
// This script also writes the index of the built-in data (`$OUT_DIR/builtin_index.rs`): every
// data file's path, each framework header's ID and each matrix's ID, aliases, provider,
// model and name. With it a command finds and orders offerings and frameworks without parsing their
// files, and parses only those it is asked for (`Catalog::open`). When a file cannot be indexed
// (not UTF-8, not TOML, a field missing or of another type, a framework ID that is not its file
// name) the index is `None` and every command loads all the data at once, which reports the
// problem as before.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    for dir in ["frameworks", "providers", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by Cargo"));
    let code = match index(&root) {
        Some(index) => format!("Some({index})"),
        None => "None".to_string(),
    };
    let text = format!(
        "// Written by build.rs from frameworks/ and providers/: do not edit.\n\
         pub static BUILTIN: Option<Index> = {code};\n"
    );
    std::fs::write(out.join("builtin_index.rs"), text).expect("OUT_DIR is writable");
}

/// The same files `DataSet::builtin` reads: CSV and TOML, none under a hidden name.
fn wanted(rel: &str) -> bool {
    let hidden = rel.split('/').any(|part| part.starts_with('.'));
    !hidden && (rel.ends_with(".csv") || rel.ends_with(".toml"))
}

fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if wanted(&rel) {
                out.push((rel, path));
            }
        }
    }
}

fn string(table: &toml::Table, key: &str) -> Option<String> {
    table.get(key)?.as_str().map(str::to_string)
}

/// The index as Rust source, or None when a file cannot be indexed.
fn index(root: &Path) -> Option<String> {
    let mut files = Vec::new();
    for top in ["frameworks", "providers"] {
        walk(root, &root.join(top), &mut files);
    }
    files.sort();
    let mut paths = String::new();
    let mut frameworks = String::new();
    let mut matrices = String::new();
    for (rel, path) in &files {
        let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
        write!(paths, "{rel:?}, ").ok()?;
        if !rel.ends_with(".toml") {
            continue;
        }
        let stem = rel.rsplit('/').next()?.strip_suffix(".toml")?;
        if rel.starts_with("frameworks/") && rel.matches('/').count() == 1 {
            let table: toml::Table = toml::from_str(&text).ok()?;
            if string(&table, "id")? != stem {
                return None;
            }
            write!(frameworks, "{stem:?}, ").ok()?;
        } else if rel.starts_with("providers/") {
            let table: toml::Table = toml::from_str(&text).ok()?;
            let aliases = match table.get("aliases") {
                None => Vec::new(),
                Some(list) => list
                    .as_array()?
                    .iter()
                    .map(|a| a.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()?,
            };
            writeln!(
                matrices,
                "        Matrix {{ rel: {rel:?}, id: {:?}, provider: {:?}, model: {:?}, aliases: &{aliases:?}, name: {:?} }},",
                string(&table, "id")?.trim(),
                string(&table, "provider")?.trim(),
                string(&table, "model")?,
                string(&table, "name").unwrap_or_default().trim(),
            )
            .ok()?;
        }
    }
    Some(format!(
        "Index {{\n    files: &[{paths}],\n    frameworks: &[{frameworks}],\n    matrices: &[\n{matrices}    ],\n}}"
    ))
}

//! The module graph of `src/` flows one way: every module belongs to one layer of the table in
//! ARCHITECTURE.md ("Layers"), and a module uses only modules of its own layer or lower ones.
//! This test reads that table and every path a source file names (`use crate::...`,
//! `crate::x::y(...)`, `super::...`, and `srmap::...` in the binary), so the rule and the code
//! cannot drift apart: a new module must be given a layer, and an upward `use` fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `module -> (rank, layer name)` from the table between the `<!-- layers -->` markers of
/// ARCHITECTURE.md: rows `| rank | layer | `module`, `module::sub`, ... | what |`.
fn layers() -> BTreeMap<String, (usize, String)> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let start = doc
        .find("<!-- layers -->")
        .expect("ARCHITECTURE.md has <!-- layers -->");
    let end = doc.find("<!-- /layers -->").expect("and <!-- /layers -->");
    let mut out = BTreeMap::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", rank, layer, modules, what, ""]
        if cells.len() < 5 {
            continue;
        }
        let Ok(rank) = cells[1].parse::<usize>() else {
            continue;
        };
        for module in cells[3].split(',') {
            let m = module.trim().trim_matches('`');
            if !m.is_empty() {
                let previous = out.insert(m.to_string(), (rank, cells[2].to_string()));
                assert!(
                    previous.is_none(),
                    "`{m}` is in two layers of ARCHITECTURE.md"
                );
            }
        }
    }
    assert!(
        out.len() > 10,
        "the layer table of ARCHITECTURE.md reads back: {out:?}"
    );
    out
}

/// Every `.rs` file under `dir`, with its module path (`gaps::finding`, `cli::map`, ...).
fn modules(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            modules(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut p = prefix.to_vec();
            if name != "mod" && !(prefix.is_empty() && (name == "lib" || name == "main")) {
                p.push(name);
            }
            out.push((p, path));
        }
    }
}

/// The source without comments and without the contents of string and char literals.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r' && matches!(b.get(i + 1), Some(b'#' | b'"')) && !ident_before(b, i) {
            // raw string r"..." or r#"..."#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                j += 1;
            }
            i = j + close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && is_char_literal(b, i) {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            let len = src[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&src[i..i + len]);
            i += len;
        }
    }
    out
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// `'a'`, `'\n'`, `'\''` are char literals; `'a` (a lifetime) is not.
fn is_char_literal(b: &[u8], i: usize) -> bool {
    match b.get(i + 1) {
        Some(b'\\') => true,
        Some(_) => {
            // one UTF-8 character then a quote
            let mut j = i + 2;
            while j < b.len() && (b[j] & 0xC0) == 0x80 {
                j += 1;
            }
            b.get(j) == Some(&b'\'')
        }
        None => false,
    }
}

/// The paths named after each `root::` in `code`, brace groups expanded one level deep:
/// `crate::{a, b::{c, d}}` gives `a` and `b::c`, `b::d`.
fn paths_after(code: &str, root: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let needle = format!("{root}::");
    let mut from = 0;
    while let Some(pos) = code[from..].find(&needle) {
        let at = from + pos;
        from = at + needle.len();
        if ident_before(code.as_bytes(), at) {
            continue; // e.g. `my_crate::`
        }
        expand(&code[from..], Vec::new(), &mut out);
    }
    out
}

fn expand(rest: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut start = 0;
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    expand(&inner[start..i], prefix.clone(), out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], prefix.clone(), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || ident == "self" {
        if !prefix.is_empty() {
            out.push(prefix);
        }
        return;
    }
    let mut path = prefix;
    path.push(ident.clone());
    let after = rest[ident.len()..].trim_start();
    match after.strip_prefix("::") {
        Some(more) => expand(more, path, out),
        None => out.push(path),
    }
}

/// The layer of a module: the longest prefix of its path that the table names.
fn layer_of<'a>(
    path: &[String],
    table: &'a BTreeMap<String, (usize, String)>,
) -> Option<(&'a str, usize, &'a str)> {
    (1..=path.len()).rev().find_map(|n| {
        let key = path[..n].join("::");
        table
            .get_key_value(&key)
            .map(|(k, (rank, name))| (k.as_str(), *rank, name.as_str()))
    })
}

struct Edge {
    from: String,
    to: String,
    /// The path named, as written (`input::scope::Scope`).
    path: String,
    file: PathBuf,
}

/// The crate root's re-exports (`pub use catalog::Catalog;` in lib.rs): `Catalog` -> `catalog::Catalog`.
fn reexports() -> BTreeMap<String, Vec<String>> {
    let code = code_only(&std::fs::read_to_string(root().join("src/lib.rs")).unwrap());
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let mut paths = Vec::new();
        expand(rest, Vec::new(), &mut paths);
        for path in paths {
            let name = path.last().unwrap().clone();
            out.insert(name, path);
        }
    }
    out
}

/// Every use of one module by another, between the units of the layer table, and the paths
/// that name no module at all (which would let a use slip past the check).
fn edges(table: &BTreeMap<String, (usize, String)>) -> (Vec<Edge>, Vec<String>, Vec<String>) {
    let reexports = reexports();
    let mut files = Vec::new();
    modules(&root().join("src"), &[], &mut files);
    let mut edges = Vec::new();
    let mut unplaced = Vec::new();
    let mut unresolved = Vec::new();
    for (module, file) in &files {
        if module.is_empty() {
            continue; // lib.rs and main.rs declare modules (lib.rs's re-exports are read above)
        }
        let Some((from, ..)) = layer_of(module, table) else {
            unplaced.push(module.join("::"));
            continue;
        };
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        let binary = module[0] == "cli";
        let mut targets = paths_after(&code, "crate");
        if binary {
            targets.extend(paths_after(&code, "srmap"));
        }
        // `super::` from a file is relative to the module above it (a `mod.rs` file is its
        // folder's module); each further `super` goes one module up.
        let parent = module[..module.len() - 1].to_vec();
        for rel in paths_after(&code, "super") {
            let mut p = parent.clone();
            let mut rest = rel.into_iter().peekable();
            while rest.peek().is_some_and(|s| s == "super") {
                rest.next();
                p.pop();
            }
            p.extend(rest);
            targets.push(p);
        }
        for target in targets {
            if target.is_empty() {
                continue; // `use super::*` in a top-level file's tests: its own module
            }
            let resolved = match (layer_of(&target, table), reexports.get(&target[0])) {
                (Some(_), _) => target.clone(),
                (None, Some(path)) => path.iter().chain(&target[1..]).cloned().collect(),
                (None, None) => {
                    unresolved.push(format!(
                        "{} in {}",
                        target.join("::"),
                        file.strip_prefix(root()).unwrap_or(file).display()
                    ));
                    continue;
                }
            };
            let Some((to, ..)) = layer_of(&resolved, table) else {
                unresolved.push(format!(
                    "{} in {}",
                    target.join("::"),
                    file.strip_prefix(root()).unwrap_or(file).display()
                ));
                continue;
            };
            if to != from {
                edges.push(Edge {
                    from: from.to_string(),
                    to: to.to_string(),
                    path: resolved.join("::"),
                    file: file.clone(),
                });
            }
        }
    }
    (edges, unplaced, unresolved)
}

#[test]
fn every_module_has_a_layer_and_uses_only_lower_ones() {
    let table = layers();
    let (edges, unplaced, unresolved) = edges(&table);
    assert!(
        unplaced.is_empty(),
        "modules missing from the layer table of ARCHITECTURE.md: {unplaced:?}"
    );
    assert!(
        unresolved.is_empty(),
        "paths that name no module of the layer table (nor a re-export of lib.rs): {unresolved:?}"
    );
    let mut upward = BTreeSet::new();
    for e in &edges {
        let (from_rank, from_layer) = &table[&e.from];
        let (to_rank, to_layer) = &table[&e.to];
        if to_rank > from_rank {
            upward.insert(format!(
                "{} ({from_layer}) uses {} ({to_layer}) in {}",
                e.from,
                e.to,
                e.file.strip_prefix(root()).unwrap_or(&e.file).display()
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "imports from a lower layer to a higher one:\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
    assert!(
        edges.len() > 50,
        "the scan finds the imports: {}",
        edges.len()
    );
    // Renderers take finished reports: they never look anything up in the catalog, the data or
    // the user's scope (the evidence register's column list is a constant, not a look-up).
    let lookups: BTreeSet<String> = edges
        .iter()
        .filter(|e| {
            e.from == "render"
                && ["catalog", "data", "input::scope"]
                    .iter()
                    .any(|p| e.path == *p || e.path.starts_with(&format!("{p}::")))
        })
        .map(|e| {
            let file = e.file.strip_prefix(root()).unwrap_or(&e.file);
            format!("render uses {} in {}", e.path, file.display())
        })
        .collect();
    assert!(
        lookups.is_empty(),
        "renderers that look things up: {lookups:?}"
    );
}

#[test]
fn the_module_graph_has_no_cycle() {
    let table = layers();
    let (edges, ..) = edges(&table);
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &edges {
        graph.entry(&e.from).or_default().insert(&e.to);
    }
    // Depth-first search with colours; report the first cycle found.
    fn visit<'a>(
        n: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        state.insert(n, 1);
        stack.push(n);
        for &m in graph.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let i = stack.iter().position(|&s| s == m).unwrap();
                    let mut cycle = stack[i..].to_vec();
                    cycle.push(m);
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for &n in graph.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(n, &graph, &mut state, &mut Vec::new()) {
                panic!("module cycle: {}", cycle.join(" -> "));
            }
        }
    }
}

#[test]
fn the_scanner_reads_use_lines() {
    let code = code_only(
        "use crate::{a, b::{c, d}}; // crate::x\n let s = \"crate::y\"; crate::e::f(); \
         use super::g; let c = '\\''; fn h<'a>() {}",
    );
    let crate_paths = paths_after(&code, "crate");
    let names: Vec<String> = crate_paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(names, ["a", "b::c", "b::d", "e::f"]);
    assert_eq!(paths_after(&code, "super"), [vec!["g".to_string()]]);
}

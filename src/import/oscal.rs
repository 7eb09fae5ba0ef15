//! OSCAL catalogs (JSON), optionally narrowed by an OSCAL profile -> a framework.
//!
//! Controls are the catalog's `controls` (enhancements included, each with its parent), or,
//! for catalogs whose groups carry `standards-identifiers` (the HIPAA Security Rule catalog),
//! those groups. Layers come from the built-in framework that has the same control IDs (the
//! one matching most of them, when it matches at least half), else from the NIST SP 800-53
//! family, else `governance-training` with a note that they need review.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostics, Location};
use crate::framework::{Control, Framework};
use crate::import::data_dir::{slug, ControlDraft, Drafts, FrameworkDraft};
use crate::import::{nist, ImportReport};
use crate::table::normalize;
use crate::table::{failure, file_name};

/// What `srmap import oscal-catalog` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// The OSCAL catalog (JSON)
    pub catalog: PathBuf,
    /// An OSCAL profile (JSON) selecting the controls to keep
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    /// Framework ID to write [default: from the catalog's (or profile's) title and version]
    #[arg(long)]
    pub id: Option<String>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Clone)]
struct Entry {
    /// The OSCAL `id` (`ac-2.1`), which profiles name.
    oscal_id: String,
    /// The control ID people write (`AC-2(1)`, `164.308(a)(1)`).
    label: String,
    title: String,
    group: String,
    parent: Option<String>,
    enhancement: bool,
    withdrawn: bool,
}

fn props(v: &Value) -> impl Iterator<Item = &Value> {
    v.get("props")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn prop(v: &Value, name: &str) -> Option<String> {
    props(v)
        .find(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("class")
                    .and_then(Value::as_str)
                    .is_none_or(|c| c != "sp800-53a")
        })
        .and_then(|p| p.get("value").and_then(Value::as_str))
        .map(str::to_string)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn has_standards(groups: &[Value]) -> bool {
    groups
        .iter()
        .any(|g| prop(g, "standards-identifiers").is_some() || has_standards(list(g, "groups")))
}

fn walk_controls(controls: &[Value], group: &str, parent: Option<&str>, out: &mut Vec<Entry>) {
    for c in controls {
        let oscal_id = text(c, "id");
        let label = prop(c, "label").unwrap_or_else(|| oscal_id.to_uppercase());
        let withdrawn = props(c).any(|p| {
            p.get("name").and_then(Value::as_str) == Some("status")
                && p.get("value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case("withdrawn"))
        });
        out.push(Entry {
            oscal_id,
            label: label.clone(),
            title: text(c, "title"),
            group: group.to_string(),
            parent: parent.map(str::to_string),
            enhancement: parent.is_some()
                || text(c, "class")
                    .to_ascii_lowercase()
                    .contains("enhancement"),
            withdrawn,
        });
        walk_controls(list(c, "controls"), group, Some(&label), out);
    }
}

fn walk_groups(
    groups: &[Value],
    standards: bool,
    parent_title: &str,
    out: &mut Vec<Entry>,
    activities: &mut usize,
) {
    for g in groups {
        let title = text(g, "title");
        if standards {
            if let Some(id) = prop(g, "standards-identifiers") {
                let mut inner = Vec::new();
                walk_controls(list(g, "controls"), &title, None, &mut inner);
                *activities += inner.len();
                out.push(Entry {
                    oscal_id: text(g, "id"),
                    label: id,
                    title: title.clone(),
                    group: parent_title.to_string(),
                    parent: None,
                    enhancement: false,
                    withdrawn: false,
                });
            }
            walk_groups(list(g, "groups"), standards, &title, out, activities);
        } else {
            walk_controls(list(g, "controls"), &title, None, out);
            walk_groups(list(g, "groups"), standards, &title, out, activities);
        }
    }
}

fn read_json(path: &Path, root: &str) -> Result<Value, Diagnostics> {
    let bytes =
        std::fs::read(path).map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Diagnostics(vec![crate::diagnostic::Diagnostic::error(
            Code::BadJson,
            Location::at(
                path.display().to_string(),
                e.line() as u64,
                e.column() as u64,
            ),
            e.to_string(),
        )])
    })?;
    v.get(root).cloned().ok_or_else(|| {
        failure(
            path,
            Code::NotOscal,
            format!("is not an OSCAL {root}: it has no top-level `{root}` object"),
        )
    })
}

/// The OSCAL IDs a profile selects (`include-all`, `include-controls`, `exclude-controls`);
/// `None` means all.
fn selection(profile: &Value) -> (Option<Vec<String>>, Vec<String>) {
    let mut include: Option<Vec<String>> = Some(Vec::new());
    let mut exclude = Vec::new();
    for imp in list(profile, "imports") {
        if imp.get("include-all").is_some() {
            include = None;
        }
        for inc in list(imp, "include-controls") {
            if let Some(ids) = include.as_mut() {
                ids.extend(
                    list(inc, "with-ids")
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
        for exc in list(imp, "exclude-controls") {
            exclude.extend(
                list(exc, "with-ids")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
    }
    (include, exclude)
}

/// A framework ID from the catalog's (or profile's) title and version.
pub fn default_id(title: &str, version: &str, profile_title: Option<&str>) -> String {
    let t = normalize(profile_title.unwrap_or(title));
    if t.contains("800 53")
        && (t.contains("rev 5") || t.contains("revision 5") || t.contains("rev5"))
    {
        return match profile_title {
            None => nist::FRAMEWORK.to_string(),
            Some(p) => {
                let p = normalize(p);
                let level = ["low", "moderate", "high", "privacy"]
                    .into_iter()
                    .find(|w| p.split(' ').any(|x| x == *w));
                format!("{}-{}", nist::FRAMEWORK, level.unwrap_or("profile"))
            }
        };
    }
    const STOP: [&str; 9] = [
        "of",
        "the",
        "and",
        "for",
        "a",
        "an",
        "to",
        "in",
        "electronic",
    ];
    let words: Vec<String> = slug(profile_title.unwrap_or(title))
        .split('-')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .take(5)
        .map(str::to_string)
        .collect();
    let mut id = if words.is_empty() {
        "imported-catalog".to_string()
    } else {
        words.join("-")
    };
    let v: String = version
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let v = v.trim_matches('.');
    let short = v.len() <= 12 && v.starts_with(|c: char| c.is_ascii_digit());
    if short && !id.contains(v) {
        id = format!("{id}-{v}");
    }
    id
}

/// The built-in control a label names, in `fw`.
fn lookup<'a>(fw: &'a Framework, label: &str) -> Option<&'a Control> {
    let c = fw.resolve(label).ok()?;
    (!c.is_informative() && !c.layers.is_empty()).then_some(c)
}

/// What an OSCAL catalog (narrowed by its profile) says: its title and version, and the
/// controls selected.
struct Selection {
    title: String,
    version: String,
    /// The controls are the catalog's standards (groups with `standards-identifiers`).
    standards: bool,
    selected: Vec<Entry>,
    /// The profile's title and version, with a profile.
    profile_title: Option<String>,
    profile_version: Option<String>,
    /// Profile IDs the catalog does not have (skipped); notes on the selection.
    report: ImportReport,
}

/// Read a catalog and, with `--profile`, the controls its profile selects.
fn read(opts: &Options) -> Result<Selection, Diagnostics> {
    let cat = read_json(&opts.catalog, "catalog")?;
    let meta = cat.get("metadata").cloned().unwrap_or(Value::Null);
    let groups = list(&cat, "groups");
    let standards = has_standards(groups);
    let mut entries = Vec::new();
    let mut activities = 0;
    walk_groups(groups, standards, "", &mut entries, &mut activities);
    if !standards {
        walk_controls(list(&cat, "controls"), "", None, &mut entries);
    }
    let mut selection = Selection {
        title: text(&meta, "title"),
        version: text(&meta, "version"),
        standards,
        selected: Vec::new(),
        profile_title: None,
        profile_version: None,
        report: ImportReport::default(),
    };
    match opts.profile.as_deref() {
        Some(p) => selection.narrow(p, &entries)?,
        None => selection.selected = entries.clone(),
    }
    if standards {
        selection.report.notes.push(format!(
            "{} standards (groups with standards-identifiers) are the controls; their {activities} key activities are folded into them",
            entries.len()
        ));
    }
    Ok(selection)
}

impl Selection {
    /// Keep the entries the profile at `path` selects; the IDs it names that the catalog does
    /// not have are skipped.
    fn narrow(&mut self, path: &Path, entries: &[Entry]) -> Result<(), Diagnostics> {
        let prof = read_json(path, "profile")?;
        let (include, exclude) = selection(&prof);
        self.profile_title = prof.get("metadata").map(|m| text(m, "title"));
        self.profile_version = prof.get("metadata").map(|m| text(m, "version"));
        let known: HashSet<&str> = entries.iter().map(|e| e.oscal_id.as_str()).collect();
        if let Some(ids) = &include {
            for id in ids.iter().filter(|id| !known.contains(id.as_str())) {
                self.report.read += 1;
                self.report.skip(
                    Location::file(path.display().to_string()).with_field(id.clone()),
                    "the profile selects a control the catalog does not have",
                );
            }
        }
        let keep: Option<HashSet<String>> = include.map(|v| v.into_iter().collect());
        let exclude: HashSet<String> = exclude.into_iter().collect();
        self.selected = entries
            .iter()
            .filter(|e| keep.as_ref().is_none_or(|k| k.contains(&e.oscal_id)))
            .filter(|e| !exclude.contains(&e.oscal_id))
            .cloned()
            .collect();
        self.report.notes.push(format!(
            "the profile selects {} of the catalog's {} controls",
            self.selected.len(),
            entries.len()
        ));
        Ok(())
    }
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let (drafts, report) = drafts(catalog, opts)?;
    drafts.write(&opts.out, catalog, report)
}

/// What [`import`] would write, assembled but not yet checked with the loaders or written.
pub fn drafts(catalog: &Catalog, opts: &Options) -> Result<(Drafts, ImportReport), Diagnostics> {
    let mut selection = read(opts)?;
    let id = framework_id(opts, &selection)?;
    let mut report = std::mem::take(&mut selection.report);
    let fw = framework(catalog, opts, &id, &selection, &mut report);
    Ok((Drafts::framework(fw), report))
}

/// `--id`, else one from the catalog's (or profile's) title and version; lower-case kebab-case.
fn framework_id(opts: &Options, s: &Selection) -> Result<String, Diagnostics> {
    let id = match &opts.id {
        Some(i) => i.trim().to_string(),
        None => default_id(
            &s.title,
            s.profile_version.as_deref().unwrap_or(&s.version),
            s.profile_title.as_deref(),
        ),
    };
    if !crate::layer::is_kebab(&id.replace('.', "-")) {
        return Err(failure(
            &opts.catalog,
            Code::BadId,
            format!("framework ID `{id}` must be lower-case letters, digits, dots and dashes: give one with --id"),
        ));
    }
    Ok(id)
}

/// How many controls took their layers from where.
#[derive(Default)]
struct LayerCounts {
    /// From a built-in control with the same ID.
    reused: usize,
    /// From the NIST SP 800-53 family.
    by_family: usize,
    /// Given governance-training: their IDs.
    fallback: Vec<String>,
}

/// The framework the selection makes: its header, one control per selected entry (withdrawn
/// and repeated ones skipped) with layers from the built-in data where it knows them, and notes
/// on what needs review.
fn framework(
    catalog: &Catalog,
    opts: &Options,
    id: &str,
    s: &Selection,
    report: &mut ImportReport,
) -> FrameworkDraft {
    let selected = &s.selected;
    let best = best_match(catalog, selected);
    let mut fw = framework_header(opts, id, s);
    if let Some(b) = best {
        fw.attestations = b.attestations.clone();
        fw.agreements = b.agreements.clone();
        fw.publisher = b.publisher.clone();
    } else if selected.iter().any(|e| nist::parse(&e.label).is_some()) {
        fw.attestations = vec![vec![AttestationKind::FedrampAto]];
    }
    let nist_fw = catalog.framework_by_id(nist::FRAMEWORK);
    let in_selection: HashSet<&str> = selected.iter().map(|e| e.label.as_str()).collect();
    let file = opts.catalog.display().to_string();
    let mut counts = LayerCounts::default();
    for e in selected {
        report.read += 1;
        let at = Location::file(&file).with_field(e.oscal_id.clone());
        if e.withdrawn {
            report.skip(at, format!("{} is withdrawn", e.label));
            continue;
        }
        if fw.control(&e.label).is_some() {
            report.skip(
                at,
                format!("{} is in the catalog twice; the first is kept", e.label),
            );
            continue;
        }
        let builtin = best.and_then(|b| lookup(b, &e.label)).or_else(|| {
            let n = nist::parse(&e.label)?;
            nist_fw.and_then(|f| lookup(f, &n.control()))
        });
        report.imported += 1;
        let mut c = control_draft(e, s.standards, builtin, &mut counts);
        // A parent outside the selection cannot be named.
        if !in_selection.contains(c.parent.as_str()) {
            c.parent.clear();
        }
        fw.controls.push(c);
    }
    // A parent that was withdrawn or skipped cannot be named.
    let ids: HashSet<String> = fw.controls.iter().map(|c| c.id.clone()).collect();
    for c in &mut fw.controls {
        if !c.parent.is_empty() && !ids.contains(&c.parent) {
            c.parent.clear();
        }
    }
    review_notes(&mut fw, best, &counts, report);
    fw
}

/// The built-in framework with the most of these IDs, if it has at least half of them.
fn best_match<'c>(catalog: &'c Catalog, selected: &[Entry]) -> Option<&'c Framework> {
    catalog
        .frameworks()
        .map(|fw| {
            let n = selected
                .iter()
                .filter(|e| lookup(fw, &e.label).is_some())
                .count();
            (fw, n)
        })
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0 && n * 2 >= selected.len())
        .map(|(fw, _)| fw)
}

/// The framework's header: name and version from the catalog, the catalog as its source.
fn framework_header(opts: &Options, id: &str, s: &Selection) -> FrameworkDraft {
    FrameworkDraft {
        id: id.to_string(),
        name: if s.title.is_empty() {
            id.to_string()
        } else {
            s.title.clone()
        },
        version: if s.version.is_empty() {
            "unknown".into()
        } else {
            s.version.clone()
        },
        publisher: String::new(),
        source: file_name(&opts.catalog),
        description: format!(
            "Imported by srmap import oscal-catalog from {}{}.",
            file_name(&opts.catalog),
            opts.profile
                .as_deref()
                .map(|p| format!(" with profile {}", file_name(p)))
                .unwrap_or_default()
        ),
        id_prefixes: vec![],
        attestations: vec![],
        agreements: vec![],
        controls: Vec::new(),
    }
}

/// A catalog entry as a control: layers, cadence and evidence from the built-in control when
/// there is one, else layers by NIST SP 800-53 family, else governance-training (counted).
fn control_draft(
    e: &Entry,
    standards: bool,
    builtin: Option<&Control>,
    counts: &mut LayerCounts,
) -> ControlDraft {
    let (layers, cadence, evidence) = if let Some(c) = builtin {
        counts.reused += 1;
        (
            c.layers.clone(),
            c.cadence.as_str().to_string(),
            c.evidence.clone(),
        )
    } else if let Some(l) = nist::parse(&e.label).and_then(|n| nist::family_layers(&n.family)) {
        counts.by_family += 1;
        (
            l.iter().map(|s| s.to_string()).collect(),
            "annual".into(),
            String::new(),
        )
    } else {
        counts.fallback.push(e.label.clone());
        (
            vec!["governance-training".to_string()],
            "annual".into(),
            String::new(),
        )
    };
    ControlDraft {
        id: e.label.clone(),
        title: if e.title.is_empty() {
            e.label.clone()
        } else {
            e.title.clone()
        },
        group: e.group.clone(),
        kind: if standards {
            "standard".into()
        } else if e.enhancement {
            "enhancement".into()
        } else {
            "control".into()
        },
        parent: e.parent.clone().unwrap_or_default(),
        layers,
        cadence,
        evidence: if evidence.is_empty() {
            "Records showing the control is in place and working as the catalog describes.".into()
        } else {
            evidence
        },
    }
}

/// Say in the framework's description and the notes which layers need review.
fn review_notes(
    fw: &mut FrameworkDraft,
    best: Option<&Framework>,
    counts: &LayerCounts,
    report: &mut ImportReport,
) {
    let (id, by_family, fallback) = (fw.id.clone(), counts.by_family, &counts.fallback);
    if !fallback.is_empty() {
        fw.description.push_str(&format!(
            " {} controls had no known layers and were given governance-training: review them.",
            fallback.len()
        ));
    }
    if by_family > 0 {
        fw.description.push_str(&format!(
            " The layers of {by_family} controls were chosen by NIST SP 800-53 family: review them."
        ));
    }
    report
        .notes
        .push(format!("framework {id}: {} controls", fw.controls.len()));
    if counts.reused > 0 {
        let from = best.map(|b| b.id.as_str()).unwrap_or(nist::FRAMEWORK);
        report.notes.push(format!(
            "layers of {} controls taken from the built-in {from}",
            counts.reused
        ));
    }
    if by_family > 0 {
        report.notes.push(format!(
            "layers of {by_family} controls chosen by NIST SP 800-53 family: review them"
        ));
    }
    if !fallback.is_empty() {
        report.notes.push(format!(
            "warning: {} controls have no known layers and were given governance-training (e.g. {}): layers need review in frameworks/{id}.csv",
            fallback.len(),
            fallback.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ids_from_metadata() {
        assert_eq!(
            default_id("Electronic Version of NIST SP 800-53 Rev 5 Controls and SP 800-53A Rev 5 Assessment Procedures", "5.1.2", None),
            "nist-800-53-r5"
        );
        assert_eq!(
            default_id(
                "x",
                "5.1.2",
                Some("NIST Special Publication 800-53 Revision 5 MODERATE IMPACT BASELINE")
            ),
            "nist-800-53-r5-moderate"
        );
        // Release 5.2.0's OSCAL files replace the built-in catalog under the same IDs.
        assert_eq!(
            default_id("Electronic (OSCAL) Version of NIST SP 800-53 Rev 5.2.0 Controls and SP 800-53A Rev 5.2.0 Assessment Procedures", "5.2.0", None),
            "nist-800-53-r5"
        );
        assert_eq!(
            default_id(
                "x",
                "5.2.0",
                Some("Electronic (OSCAL) Version of NIST Special Publication 800-53 Revision 5.2.0 HIGH IMPACT BASELINE")
            ),
            "nist-800-53-r5-high"
        );
        assert_eq!(
            default_id("HIPAA Cybersecurity Resource Guide", "2.0.0", None),
            "hipaa-cybersecurity-resource-guide-2.0.0"
        );
        assert_eq!(default_id("", "", None), "imported-catalog");
    }
}

//! What importers write: offering matrices and frameworks in srmap's data format, into a folder
//! to pass as `--data`. Everything is checked as srmap will read it (with the built-in data,
//! the `--data` folders in use and what the folder already holds) before a file is written; a
//! failed check writes nothing.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::crosswalk::Relationship;
use crate::data::{crosswalk_csv, DataFile, DataSet, Origin};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::import::ImportReport;
use crate::layer::is_kebab;
use crate::offering::{LayerDuty, Model, Offering};
use crate::output::target::{self, Want};
use crate::output::write_folder;
use crate::party::Party;
use crate::table::Records;

/// A per-control row of an offering matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ControlRow {
    pub framework: String,
    pub control: String,
    pub owner: Party,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub provider: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer: String,
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_value: String,
}

/// A per-service fact to write (`[[features]]`).
#[derive(Debug, Clone, Serialize)]
pub struct FactRow {
    pub feature: String,
    pub default: String,
    pub responsibility: Party,
    pub provider: String,
    pub customer_action: String,
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mcsb: String,
}

#[derive(Serialize)]
struct SourceToml<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LayerToml<'a> {
    owner: Party,
    provider: &'a str,
    customer: &'a str,
}

#[derive(Serialize)]
struct OfferingToml<'a> {
    id: &'a str,
    provider: &'a str,
    name: &'a str,
    model: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    narrows: &'a [String],
    sources: Vec<SourceToml<'a>>,
    layers: IndexMap<&'a str, LayerToml<'a>>,
    #[serde(skip_serializing_if = "<[FactRow]>::is_empty")]
    features: &'a [FactRow],
    #[serde(skip_serializing_if = "<[ControlRow]>::is_empty")]
    controls: &'a [ControlRow],
}

/// An offering matrix to write.
#[derive(Debug, Clone)]
pub struct OfferingDraft {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub model: Model,
    pub summary: String,
    pub aliases: Vec<String>,
    /// Offerings whose customer share this one never exceeds (`narrows`).
    pub narrows: Vec<String>,
    /// (title, url)
    pub sources: Vec<(String, String)>,
    pub layers: IndexMap<String, LayerDuty>,
    pub facts: Vec<FactRow>,
    pub rows: Vec<ControlRow>,
    /// Comment lines at the top of the file (without `# `); empty: the standard warning.
    pub header: Vec<String>,
}

/// Check an offering ID given on the command line: `provider/name`, lower-case kebab-case.
pub fn check_offering_id(id: &str) -> Result<(String, String), String> {
    let id = id.trim();
    let Some((provider, name)) = id.split_once('/') else {
        return Err(format!(
            "offering ID `{id}` must be provider/name, e.g. acme/cloud"
        ));
    };
    let ok = |s: &str| is_kebab(&s.replace('.', "-"));
    if !ok(provider) || !ok(name) || name.contains('/') {
        return Err(format!(
            "offering ID `{id}` must be provider/name in lower-case letters, digits and dashes, e.g. acme/cloud"
        ));
    }
    Ok((provider.to_string(), name.to_string()))
}

/// Lower-case kebab-case from any text: `App Service` -> `app-service`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl OfferingDraft {
    /// A new offering whose 18 layers are copied from the generic `model` matrix of the catalog.
    pub fn from_model(
        catalog: &Catalog,
        id: &str,
        name: &str,
        model: Model,
        summary: &str,
        source: (String, String),
    ) -> Result<OfferingDraft, String> {
        let (provider, _) = check_offering_id(id)?;
        let generic = catalog
            .offerings()
            .find(|o| o.provider == "generic" && o.model == model)
            .ok_or_else(|| {
                format!(
                    "the catalog has no generic `{}` matrix to take layer owners from",
                    model.as_str()
                )
            })?;
        let mut sources = vec![source];
        sources.extend(
            generic
                .sources
                .iter()
                .map(|s| (s.title.clone(), s.url.clone())),
        );
        Ok(OfferingDraft {
            id: id.trim().to_string(),
            provider,
            name: name.to_string(),
            model,
            summary: summary.to_string(),
            aliases: Vec::new(),
            narrows: Vec::new(),
            sources,
            layers: generic.layers.clone(),
            facts: Vec::new(),
            rows: Vec::new(),
            header: Vec::new(),
        })
    }

    /// A new offering `id` that starts from an existing one: its layer table always; when `id`
    /// is the existing offering's own ID (regenerating it), also its name, summary, aliases,
    /// `narrows`, sources and per-control rows over other frameworks than `keep_out`.
    pub fn from_offering(
        base: &Offering,
        id: &str,
        keep_out: &str,
    ) -> Result<OfferingDraft, String> {
        let (provider, _) = check_offering_id(id)?;
        let same = base.id.eq_ignore_ascii_case(id.trim());
        let mut draft = OfferingDraft {
            id: id.trim().to_string(),
            provider,
            name: base.name.clone(),
            model: base.model,
            summary: base.summary.clone(),
            aliases: Vec::new(),
            narrows: Vec::new(),
            sources: Vec::new(),
            layers: base.layers.clone(),
            // The base's facts stand until the import states its own for the same feature.
            facts: base
                .facts
                .iter()
                .map(|f| FactRow {
                    feature: f.feature.clone(),
                    default: f.default.clone(),
                    responsibility: f.responsibility,
                    provider: f.provider.clone(),
                    customer_action: f.customer_action.clone(),
                    source: f.source.clone(),
                    mcsb: f.mcsb.clone(),
                })
                .collect(),
            rows: Vec::new(),
            header: Vec::new(),
        };
        if same {
            draft.aliases = base.aliases.clone();
            draft.narrows = base.narrows.clone();
            draft.sources = base
                .sources
                .iter()
                .map(|s| (s.title.clone(), s.url.clone()))
                .collect();
            draft.rows = base
                .overrides
                .iter()
                .filter(|o| o.framework != keep_out)
                .map(|o| ControlRow {
                    framework: o.framework.clone(),
                    control: o.control.clone(),
                    owner: o.owner,
                    provider: o.provider.clone(),
                    customer: o.customer.clone(),
                    source: o.source.clone(),
                    source_value: o.source_value.clone(),
                })
                .collect();
        }
        Ok(draft)
    }

    /// Add a source unless its page is already cited.
    pub fn add_source(&mut self, title: &str, url: &str) {
        if !self.sources.iter().any(|(_, u)| u == url) {
            self.sources.push((title.to_string(), url.to_string()));
        }
    }

    /// `providers/<provider>/<name>.toml`
    pub fn rel_path(&self) -> String {
        let last = self.id.rsplit('/').next().unwrap_or(&self.id);
        format!("providers/{}/{last}.toml", self.provider)
    }

    pub fn to_toml(&self) -> String {
        let doc = OfferingToml {
            id: &self.id,
            provider: &self.provider,
            name: &self.name,
            model: self.model.as_str(),
            summary: &self.summary,
            aliases: &self.aliases,
            narrows: &self.narrows,
            sources: self
                .sources
                .iter()
                .map(|(t, u)| SourceToml { title: t, url: u })
                .collect(),
            layers: self
                .layers
                .iter()
                .filter(|(_, d)| !d.scope)
                .map(|(k, d)| {
                    (
                        k.as_str(),
                        LayerToml {
                            owner: d.owner,
                            provider: &d.provider,
                            customer: &d.customer,
                        },
                    )
                })
                .collect(),
            features: &self.facts,
            controls: &self.rows,
        };
        let body = toml::to_string(&doc).expect("an offering serialises to TOML");
        let header = if self.header.is_empty() {
            "# Written by `srmap import`: check the layer owners and the summary before relying on them.\n".to_string()
        } else {
            self.header.iter().map(|l| format!("# {l}\n")).collect()
        };
        format!("{header}{body}")
    }
}

/// One control of a framework to write.
#[derive(Debug, Clone, Default)]
pub struct ControlDraft {
    pub id: String,
    pub title: String,
    pub group: String,
    pub kind: String,
    pub parent: String,
    pub layers: Vec<String>,
    pub cadence: String,
    pub evidence: String,
}

#[derive(Serialize)]
struct FrameworkToml<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    publisher: &'a str,
    source: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    id_prefixes: &'a [String],
    attestations: &'a [Vec<AttestationKind>],
    agreements: &'a [AttestationKind],
}

/// A framework (header and controls) to write.
#[derive(Debug, Clone, Default)]
pub struct FrameworkDraft {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub source: String,
    pub description: String,
    pub id_prefixes: Vec<String>,
    pub attestations: Vec<Vec<AttestationKind>>,
    pub agreements: Vec<AttestationKind>,
    pub controls: Vec<ControlDraft>,
}

const CONTROL_HEADER: [&str; 8] = [
    "id", "title", "group", "kind", "parent", "layers", "cadence", "evidence",
];

impl FrameworkDraft {
    pub fn control(&self, id: &str) -> Option<&ControlDraft> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// Add a control, or keep the one already there with the same ID.
    pub fn add(&mut self, c: ControlDraft) {
        if self.control(&c.id).is_none() {
            self.controls.push(c);
        }
    }

    pub fn to_toml(&self) -> String {
        let doc = FrameworkToml {
            id: &self.id,
            name: &self.name,
            version: &self.version,
            publisher: &self.publisher,
            source: &self.source,
            description: &self.description,
            id_prefixes: &self.id_prefixes,
            attestations: &self.attestations,
            agreements: &self.agreements,
        };
        let body = toml::to_string(&doc).expect("a framework header serialises to TOML");
        format!("# Written by `srmap import`: check the layers in the CSV before relying on them.\n{body}")
    }

    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(CONTROL_HEADER).expect("write to memory");
        for c in &self.controls {
            let layers = c.layers.join(";");
            w.write_record([
                c.id.as_str(),
                c.title.as_str(),
                c.group.as_str(),
                c.kind.as_str(),
                c.parent.as_str(),
                layers.as_str(),
                c.cadence.as_str(),
                c.evidence.as_str(),
            ])
            .expect("write to memory");
        }
        String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// Keep the controls of the framework with the same ID that the catalog already has (the
    /// built-in one, or one from a `--data` folder) that this import does not have, so that
    /// offerings using them still load beside the file written.
    pub fn merge_catalog(&mut self, catalog: &Catalog) -> usize {
        let Some(fw) = catalog.framework_by_id(&self.id) else {
            return 0;
        };
        let before = self.controls.len();
        for c in &fw.controls {
            self.add(ControlDraft {
                id: c.id.clone(),
                title: c.title.clone(),
                group: c.group.clone(),
                kind: c.kind.clone(),
                parent: c.parent.clone().unwrap_or_default(),
                layers: c.layers.clone(),
                cadence: c.cadence.as_str().to_string(),
                evidence: c.evidence.clone(),
            });
        }
        self.controls.len() - before
    }

    /// Keep the controls an earlier import wrote to `dir/frameworks/<id>.csv` that this one
    /// does not have (importing a second Azure baseline adds to `mcsb-v1`, never drops); how
    /// many were kept.
    pub fn merge_existing(&mut self, dir: &Path) -> usize {
        let before = self.controls.len();
        let path = dir.join("frameworks").join(format!("{}.csv", self.id));
        let Ok(text) = std::fs::read_to_string(&path) else {
            return 0;
        };
        let Ok(records) = Records::from_text(&path.display().to_string(), &text) else {
            return 0;
        };
        let cols: Vec<Option<usize>> = CONTROL_HEADER
            .iter()
            .map(|n| records.header.get(n))
            .collect();
        for row in records.rows.flatten() {
            let get = |i: usize| row.str(cols[i]).to_string();
            let c = ControlDraft {
                id: get(0),
                title: get(1),
                group: get(2),
                kind: get(3),
                parent: get(4),
                layers: get(5)
                    .split(';')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                cadence: get(6),
                evidence: get(7),
            };
            if !c.id.is_empty() {
                self.add(c);
            }
        }
        self.controls.len() - before
    }
}

/// A crosswalk to write: `frameworks/crosswalks/<from>_to_<to>.csv`, one row per pair.
#[derive(Debug, Clone, Default)]
pub struct CrosswalkDraft {
    pub from: String,
    pub to: String,
    /// (control of `from`, control of `to`, how the first relates to the second)
    pub pairs: Vec<(String, String, Relationship)>,
}

impl CrosswalkDraft {
    pub fn rel_path(&self) -> String {
        format!("{}{}_to_{}.csv", crosswalk_csv::DIR, self.from, self.to)
    }

    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record([self.from.as_str(), self.to.as_str(), "relationship"])
            .expect("write to memory");
        for (a, b, r) in &self.pairs {
            w.write_record([a.as_str(), b.as_str(), r.as_str()])
                .expect("write to memory");
        }
        String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out")
    }
}

/// The `--data` folders the catalog was loaded with, found from the files it read.
fn data_dirs(catalog: &Catalog) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut add = |file: &str, depth: usize, builtin_prefix: &str| {
        if file.starts_with(builtin_prefix) {
            return;
        }
        let mut p = Path::new(file);
        for _ in 0..depth {
            match p.parent() {
                Some(parent) => p = parent,
                None => return,
            }
        }
        if p.is_dir() && !dirs.iter().any(|d| d == p) {
            dirs.push(p.to_path_buf());
        }
    };
    for f in catalog.frameworks() {
        add(&f.file, 2, "frameworks/");
    }
    for o in catalog.offerings() {
        add(&o.file, 3, "providers/");
    }
    dirs
}

/// What one import writes into a data folder: frameworks, the crosswalks joining them and
/// offerings.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    pub frameworks: Vec<FrameworkDraft>,
    pub crosswalks: Vec<CrosswalkDraft>,
    pub offerings: Vec<OfferingDraft>,
}

impl Drafts {
    /// Offerings alone.
    pub fn offerings(offerings: Vec<OfferingDraft>) -> Drafts {
        Drafts {
            offerings,
            ..Drafts::default()
        }
    }

    /// A framework alone.
    pub fn framework(framework: FrameworkDraft) -> Drafts {
        Drafts {
            frameworks: vec![framework],
            ..Drafts::default()
        }
    }

    /// The last step of every import into a data folder: check the drafts as srmap will read
    /// them (with the catalog in use and what `dir` holds) and write them into `dir`
    /// (`dir/frameworks/...`, crosswalks, `dir/providers/...`), adding the files written to
    /// `report`, which is handed back. The whole folder is written at once
    /// ([`write_folder`]: what it held and the new files, in a temporary folder beside it,
    /// swapped into place): a failed check or write leaves it as it was.
    pub fn write(
        &self,
        dir: &Path,
        catalog: &Catalog,
        mut report: ImportReport,
    ) -> Result<ImportReport, Diagnostics> {
        let target = target::resolve(dir, Want::Folder)?;
        let files = self.files();
        check(dir, catalog, &files)?;
        write_folder(&target.path, &files).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                Code::CannotWrite,
                Location::file(dir.display().to_string()),
                target::describe(&e),
            )])
        })?;
        if let Some(link) = &target.link {
            report.notes.push(format!(
                "{} is a symbolic link: the data was written into its target, {}",
                link.display(),
                target.path.display()
            ));
        }
        report
            .written
            .extend(files.iter().map(|(rel, _)| dir.join(rel)));
        Ok(report)
    }

    /// (path in the data folder, text) of every file, frameworks first: what [`Drafts::write`]
    /// checks and writes.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = Vec::new();
        for fw in &self.frameworks {
            files.push((format!("frameworks/{}.toml", fw.id), fw.to_toml()));
            files.push((format!("frameworks/{}.csv", fw.id), fw.to_csv()));
        }
        for cw in &self.crosswalks {
            files.push((cw.rel_path(), cw.to_csv()));
        }
        for off in &self.offerings {
            files.push((off.rel_path(), off.to_toml()));
        }
        files
    }
}

/// Load the built-in data, the `--data` folders in use, what `dir` holds and the new files, as
/// `srmap --data ... --data DIR` will; every problem is an error here.
fn check(dir: &Path, catalog: &Catalog, files: &[(String, String)]) -> Result<(), Diagnostics> {
    let invalid = |mut diags: Diagnostics| {
        diags.push(Diagnostic::error(
            Code::ImportInvalid,
            Location::file(dir.display().to_string()),
            "the imported data would not pass `srmap validate` (above); nothing was written",
        ));
        diags
    };
    let mut set = DataSet::builtin();
    let dir_abs = std::fs::canonicalize(dir).ok();
    for d in data_dirs(catalog) {
        if dir_abs.is_none() || std::fs::canonicalize(&d).ok() != dir_abs {
            // Already loaded once for this run: its problems were reported then.
            let _ = set.overlay_dir(&d);
        }
    }
    if dir.is_dir() {
        // A folder with neither frameworks/ nor providers/ yet is fine: this import starts it.
        if let Err(e) = set.overlay_dir(dir) {
            let real: Vec<Diagnostic> =
                e.0.into_iter()
                    .filter(|d| d.code != Code::DataDirEmpty)
                    .collect();
            if !real.is_empty() {
                return Err(invalid(Diagnostics(real)));
            }
        }
    }
    for (rel, text) in files {
        set.files.insert(
            rel.clone(),
            DataFile::new(rel.clone(), Origin::Dir(dir.to_path_buf()), text.clone()),
        );
    }
    Catalog::load(&set).map(|_| ()).map_err(invalid)
}

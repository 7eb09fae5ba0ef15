//! The catalog: layers, frameworks and offerings, parsed and validated in one step
//! ([`Catalog::load_with`], what `srmap validate` runs), or for the built-in data alone read as
//! they are asked for ([`Catalog::open`], what every other command runs).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::applicability::Applicability;
use crate::artefact::Artefacts;
use crate::attestation::AttestationKind;
use crate::crosswalk::{mapped, Crosswalk};
use crate::data::builtin::BUILTIN;
use crate::data::published_csv::{self, Published};
use crate::data::{
    applicability_csv, artefacts_csv, crosswalk_csv, features_csv, framework_files, layers_csv,
    matrix_toml, DataFile, DataSet, Origin,
};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::feature::Features;
use crate::framework::{Control, Framework};
use crate::layer::Layers;
use crate::offering::CarriedOverride;
use crate::offering::{Model, Offering};
use crate::suggest::{did_you_mean, suggest, Known};

/// A failed lookup of a framework, offering or control named by the user, with the known IDs
/// nearest to what was given ([`crate::suggest`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown framework `{given}`{}", framework_hint(.suggestions, .known))]
    UnknownFramework {
        given: String,
        suggestions: Vec<String>,
        known: Vec<String>,
    },
    #[error("`{given}` could mean {}: write the full framework ID", candidates.join(" or "))]
    AmbiguousFramework {
        given: String,
        candidates: Vec<String>,
    },
    #[error("unknown offering `{given}`{}", offering_hint(.suggestions))]
    UnknownOffering {
        given: String,
        suggestions: Vec<String>,
    },
    #[error("{0}")]
    Control(String),
}

impl LookupError {
    /// The diagnostic code of this failure.
    pub fn code(&self) -> Code {
        match self {
            LookupError::UnknownFramework { .. } | LookupError::AmbiguousFramework { .. } => {
                Code::UnknownFramework
            }
            LookupError::UnknownOffering { .. } => Code::UnknownOffering,
            LookupError::Control(_) => Code::UnknownControl,
        }
    }
}

fn framework_hint(suggestions: &[String], known: &[String]) -> String {
    match did_you_mean(suggestions) {
        Some(hint) => format!(": {hint} (the frameworks are {})", known.join(", ")),
        None => format!("; the frameworks are: {}", known.join(", ")),
    }
}

fn offering_hint(suggestions: &[String]) -> String {
    match did_you_mean(suggestions) {
        Some(hint) => format!(": {hint} (`srmap offerings` lists them all)"),
        None => "; run `srmap offerings` for the list".to_string(),
    }
}

/// A framework or an offering of the catalog: parsed when the catalog loads, or (built-in data
/// opened with [`Catalog::open`]) when it is first asked for.
#[derive(Debug, Clone)]
struct Slot<T> {
    id: String,
    /// An offering's aliases (a framework has none).
    aliases: Vec<String>,
    /// An offering's name (`Cloud Storage`), for suggestions; empty for a framework.
    name: String,
    /// The built-in files it is read from when first asked for: a framework's header and
    /// controls, an offering's matrix. Empty when it was read as the catalog loaded.
    files: Vec<&'static str>,
    cell: OnceLock<T>,
}

impl<T> Slot<T> {
    /// A slot filled as the catalog loads.
    fn read(id: &str, aliases: &[String], name: &str, value: T) -> Slot<T> {
        Slot {
            id: id.to_string(),
            aliases: aliases.to_vec(),
            name: name.to_string(),
            files: Vec::new(),
            cell: OnceLock::from(value),
        }
    }

    fn matches(&self, given: &str) -> bool {
        self.id.eq_ignore_ascii_case(given)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(given))
    }
}

/// The built-in files a slot is read from.
fn builtin_files(rels: &[&'static str]) -> Vec<DataFile> {
    rels.iter()
        .map(|rel| {
            DataSet::builtin_file(rel)
                .unwrap_or_else(|| panic!("the built-in file {rel} is missing from the binary"))
        })
        .collect()
}

/// What reading built-in data on demand gave. `srmap validate` and the tests check the built-in
/// data before every release, so a problem here is a broken build, not a user's mistake.
fn built_in<T>(value: Option<T>, diags: Diagnostics, what: &str) -> T {
    match value {
        Some(v) if !diags.has_errors() => v,
        _ => panic!(
            "the built-in {what} has problems; run `srmap validate`:\n{}",
            diags
                .sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// The frameworks and what reading one needs; shared by the catalog and its crosswalks.
#[derive(Debug)]
struct Shelf {
    layers: Layers,
    features: Features,
    applicability: Applicability,
    artefacts: Artefacts,
    /// Sorted by ID.
    frameworks: Vec<Slot<Framework>>,
}

impl Shelf {
    fn get<'s>(&'s self, slot: &'s Slot<Framework>) -> &'s Framework {
        slot.cell.get_or_init(|| {
            let [header, controls] = builtin_files(&slot.files)
                .try_into()
                .expect("a framework is read from its header and its controls");
            let mut diags = Diagnostics::default();
            let fw = framework_files::read(
                &header,
                &controls,
                &self.layers,
                &self.features,
                &self.applicability,
                &self.artefacts,
                &mut diags,
            );
            built_in(fw, diags, &format!("framework {}", header.rel))
        })
    }

    /// The framework with this exact ID.
    fn find(&self, id: &str) -> Option<&Framework> {
        self.frameworks
            .iter()
            .find(|s| s.id == id)
            .map(|s| self.get(s))
    }

    fn all(&self) -> impl ExactSizeIterator<Item = &Framework> + DoubleEndedIterator + Clone {
        self.frameworks.iter().map(|s| self.get(s))
    }
}

/// How frameworks' controls relate (`frameworks/crosswalks/`). Used as a slice of
/// [`Crosswalk`]s; opened built-in data reads them (and the frameworks they name) when first
/// used.
#[derive(Debug, Clone)]
pub struct Crosswalks {
    shelf: Arc<Shelf>,
    /// The built-in files to read, when they were not read as the catalog loaded.
    files: Vec<&'static str>,
    cell: OnceLock<Vec<Crosswalk>>,
    /// The frameworks each crosswalk links (from, to), as its header names them.
    ends: OnceLock<Vec<(String, String)>>,
}

impl Crosswalks {
    /// The frameworks each crosswalk links (from, to), without reading its rows or its
    /// frameworks when they have not been read yet.
    fn ends(&self) -> &[(String, String)] {
        self.ends.get_or_init(|| match self.cell.get() {
            Some(read) => read
                .iter()
                .map(|x| (x.from.clone(), x.to.clone()))
                .collect(),
            None => {
                let mut diags = Diagnostics::default();
                let ends: Option<Vec<(String, String)>> = builtin_files(&self.files)
                    .iter()
                    .map(|f| {
                        let names = crate::data::open_csv(f, &mut diags)?.header.names;
                        Some((names.first()?.clone(), names.get(1)?.clone()))
                    })
                    .collect();
                built_in(ends, diags, "crosswalks")
            }
        })
    }
}

impl std::ops::Deref for Crosswalks {
    type Target = [Crosswalk];

    fn deref(&self) -> &[Crosswalk] {
        self.cell.get_or_init(|| {
            let mut diags = Diagnostics::default();
            let read: Option<Vec<Crosswalk>> = builtin_files(&self.files)
                .iter()
                .map(|f| crosswalk_csv::read(f, |id| self.shelf.find(id), &mut diags))
                .collect();
            built_in(read, diags, "crosswalks")
        })
    }
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub layers: Layers,
    /// Features of a service that facts are stated about (`frameworks/features.csv`).
    pub features: Features,
    /// The scope settings that decide which controls apply (`frameworks/applicability.csv`).
    pub applicability: Applicability,
    /// The evidence artefacts the PBC list asks for (`frameworks/pbc/artefacts.csv`).
    pub artefacts: Artefacts,
    /// The frameworks, sorted by ID ([`Catalog::frameworks`]).
    shelf: Arc<Shelf>,
    /// Generic models first (in model order), then named offerings by ID
    /// ([`Catalog::offerings`]).
    offerings: Vec<Slot<Offering>>,
    /// How frameworks' controls relate (`frameworks/crosswalks/`).
    pub crosswalks: Crosswalks,
    /// What each provider publishes (`providers/attestations.csv`).
    pub published: Vec<Published>,
    /// Problems that do not stop the data from being used (all of them when the catalog was
    /// loaded; opened built-in data has none, `srmap validate` loads it to say so).
    pub warnings: Diagnostics,
    /// How many files were read.
    pub files: usize,
}

/// Owners the offering's per-control rows carry, through crosswalks, to other frameworks'
/// controls that have no row of their own.
fn carry(off: &Offering, shelf: &Shelf, crosswalks: &Crosswalks) -> Vec<CarriedOverride> {
    let mut out = Vec::new();
    if off.overrides.is_empty() {
        return out;
    }
    // Only frameworks a crosswalk links to one the rows are about can receive an owner (the
    // crosswalks' rows, and the frameworks they name, are read only when one can).
    let row_frameworks: std::collections::BTreeSet<&str> =
        off.overrides.iter().map(|o| o.framework.as_str()).collect();
    let reached: std::collections::BTreeSet<&str> = crosswalks
        .ends()
        .iter()
        .flat_map(|(from, to)| [(from.as_str(), to.as_str()), (to.as_str(), from.as_str())])
        .filter(|(rows, _)| row_frameworks.contains(rows))
        .map(|(_, other)| other)
        .collect();
    for fw in shelf
        .frameworks
        .iter()
        .filter(|s| reached.contains(s.id.as_str()))
        .map(|s| shelf.get(s))
    {
        for control in fw.obligations() {
            if off.override_for(&fw.id, &control.id).is_some() {
                continue;
            }
            let maps: Vec<_> = mapped(&crosswalks[..], &fw.id, &control.id, None)
                .into_iter()
                .filter(|m| off.overrides.iter().any(|o| o.framework == m.framework))
                .collect();
            let via: Vec<_> = maps
                .iter()
                .filter_map(|m| {
                    off.override_for(&m.framework, &m.control).map(|row| {
                        (
                            m.framework.clone(),
                            m.control.clone(),
                            row.owner,
                            m.relationship,
                            row,
                        )
                    })
                })
                .collect();
            if via.is_empty() {
                continue;
            }
            // Mapped controls the matrix has no row for: the layer rule speaks for them when an
            // owner is decided (it depends on the run's assumptions, so it is not fixed here).
            let uncovered = maps.len() - via.len();
            let join = |pick: fn(&crate::offering::ControlOverride) -> &str| {
                crate::text::join_sentences(via.iter().map(|(.., row)| pick(row)))
            };
            out.push(CarriedOverride {
                framework: fw.id.clone(),
                control: control.id.clone(),
                uncovered,
                provider: join(|r| r.provider.as_str()),
                customer: join(|r| r.customer.as_str()),
                via: via
                    .into_iter()
                    .map(|(f, c, p, r, _)| (f, c, p, r))
                    .collect(),
            });
        }
    }
    out
}

/// How offerings are ordered: generic models first (in model order), then named offerings by ID.
fn offering_order(provider: &str, model: Model, id: &str) -> (bool, Model, String) {
    let generic = provider == "generic";
    (
        !generic,
        if generic { model } else { Model::Onprem },
        id.to_string(),
    )
}

impl Catalog {
    /// The catalog a command works with: with no `--data` folder, the built-in data read as it
    /// is asked for (an offering's matrix when that offering is looked up, a framework when it
    /// is named, the crosswalks when first used), which gives the same answers as
    /// [`Catalog::load_with`] and only parses what the command needs; with `--data` folders,
    /// [`Catalog::load_with`]. The built-in data is checked as a whole by `srmap validate` (and
    /// by the tests), which loads it with `load_with`; when the build could not index it,
    /// this loads it all too, so its problems are reported as before.
    pub fn open(dirs: &[impl AsRef<Path>]) -> Result<Catalog, Diagnostics> {
        if dirs.is_empty() {
            if let Some(catalog) = Catalog::builtin_on_demand() {
                return Ok(catalog);
            }
        }
        Catalog::load_with(dirs)
    }

    /// The built-in data with only its small shared files read; None when something the
    /// checks of [`Catalog::load`] across files would report is found (then the caller loads
    /// everything, which reports it).
    fn builtin_on_demand() -> Option<Catalog> {
        let index = BUILTIN.as_ref()?;
        let mut diags = Diagnostics::default();
        let file = |rel: &str| DataSet::builtin_file(rel).filter(|_| index.files.contains(&rel));
        // Without a layer list the full load reports it.
        let layers = layers_csv::read(&file(layers_csv::PATH)?, &mut diags);
        let features = match file(features_csv::PATH) {
            Some(f) => features_csv::read(&f, &layers, &mut diags),
            None => Features::default(),
        };
        let applicability = match file(applicability_csv::PATH) {
            Some(f) => applicability_csv::read(&f, &mut diags),
            None => Applicability::default(),
        };
        let artefacts = match file(artefacts_csv::PATH) {
            Some(f) => artefacts_csv::read(&f, &mut diags),
            None => Artefacts::default(),
        };
        let published = match file(published_csv::PATH) {
            Some(f) => published_csv::read(&f, &mut diags),
            None => Vec::new(),
        };
        // A framework is a header and a controls file of the same name; each header's ID is its
        // file's name (the build checked).
        let top = |ext: &'static str| -> Vec<(&'static str, &'static str)> {
            index
                .files
                .iter()
                .filter_map(|rel| Some((rel.strip_prefix("frameworks/")?.strip_suffix(ext)?, *rel)))
                .filter(|(stem, rel)| {
                    !stem.contains('/')
                        && ![
                            layers_csv::PATH,
                            features_csv::PATH,
                            applicability_csv::PATH,
                        ]
                        .contains(rel)
                })
                .collect()
        };
        let (headers, controls) = (top(".toml"), top(".csv"));
        let stems = |files: &[(&'static str, &'static str)]| -> Vec<&'static str> {
            files.iter().map(|(stem, _)| *stem).collect()
        };
        if stems(&headers) != stems(&controls) || stems(&headers) != index.frameworks {
            return None;
        }
        let mut frameworks: Vec<Slot<Framework>> = headers
            .iter()
            .zip(&controls)
            .map(|((id, header), (_, controls))| Slot {
                id: id.to_string(),
                aliases: Vec::new(),
                name: String::new(),
                files: vec![*header, *controls],
                cell: OnceLock::new(),
            })
            .collect();
        frameworks.sort_by(|a, b| a.id.cmp(&b.id));
        if applicability
            .iter()
            .any(|v| !frameworks.iter().any(|f| f.id == v.framework))
        {
            return None;
        }
        let mut offerings: Vec<((bool, Model, String), Slot<Offering>)> = Vec::new();
        for m in index.matrices {
            let model = Model::parse(m.model)?;
            if offerings.iter().any(|(_, o)| o.id == m.id) {
                return None;
            }
            offerings.push((
                offering_order(m.provider, model, m.id),
                Slot {
                    id: m.id.to_string(),
                    aliases: m.aliases.iter().map(|a| a.to_string()).collect(),
                    name: m.name.to_string(),
                    files: vec![m.rel],
                    cell: OnceLock::new(),
                },
            ));
        }
        offerings.sort_by(|a, b| a.0.cmp(&b.0));
        if diags.has_errors() {
            return None;
        }
        let shelf = Arc::new(Shelf {
            layers: layers.clone(),
            features: features.clone(),
            applicability: applicability.clone(),
            artefacts: artefacts.clone(),
            frameworks,
        });
        Some(Catalog {
            layers,
            features,
            applicability,
            artefacts,
            crosswalks: Crosswalks {
                shelf: shelf.clone(),
                files: index
                    .files
                    .iter()
                    .copied()
                    .filter(|rel| rel.starts_with(crosswalk_csv::DIR) && rel.ends_with(".csv"))
                    .collect(),
                cell: OnceLock::new(),
                ends: OnceLock::new(),
            },
            shelf,
            offerings: offerings.into_iter().map(|(_, o)| o).collect(),
            published,
            warnings: diags.sorted(),
            files: index.files.len(),
        })
    }

    /// The built-in data, overlaid by each `--data` directory in turn.
    pub fn load_with(dirs: &[impl AsRef<Path>]) -> Result<Catalog, Diagnostics> {
        let mut set = DataSet::builtin();
        let mut diags = Diagnostics::default();
        for d in dirs {
            if let Err(e) = set.overlay_dir(d.as_ref()) {
                diags.extend(e);
            }
        }
        if diags.has_errors() {
            return Err(diags.sorted());
        }
        Catalog::load(&set)
    }

    /// Parse and check every file of `set`; every error is reported, not just the first.
    pub fn load(set: &DataSet) -> Result<Catalog, Diagnostics> {
        let mut diags = Diagnostics::default();
        let layers = match set.files.get(layers_csv::PATH) {
            Some(f) => layers_csv::read(f, &mut diags),
            None => {
                diags.push(Diagnostic::error(
                    Code::NoLayers,
                    Location::file(layers_csv::PATH),
                    "the layer list is missing",
                ));
                Layers::default()
            }
        };

        let features = match set.files.get(features_csv::PATH) {
            Some(f) => features_csv::read(f, &layers, &mut diags),
            None => Features::default(),
        };

        // Older data folders have no applicability file: every control then applies.
        let applicability = match set.files.get(applicability_csv::PATH) {
            Some(f) => applicability_csv::read(f, &mut diags),
            None => Applicability::default(),
        };

        // Older data folders have no artefact catalog: every control is then asked for alone.
        let artefacts = match set.files.get(artefacts_csv::PATH) {
            Some(f) => artefacts_csv::read(f, &mut diags),
            None => Artefacts::default(),
        };

        let mut frameworks = Vec::new();
        let top: Vec<&DataFile> = set
            .with_prefix("frameworks/")
            .filter(|f| {
                f.rel.matches('/').count() == 1
                    && f.rel != layers_csv::PATH
                    && f.rel != features_csv::PATH
                    && f.rel != applicability_csv::PATH
            })
            .collect();
        for header in top.iter().filter(|f| f.extension() == "toml") {
            let csv_rel = format!("frameworks/{}.csv", header.stem());
            match set.files.get(&csv_rel) {
                Some(controls) => {
                    if let Some(fw) = framework_files::read(
                        header,
                        controls,
                        &layers,
                        &features,
                        &applicability,
                        &artefacts,
                        &mut diags,
                    ) {
                        frameworks.push(fw);
                    }
                }
                None => diags.push(Diagnostic::error(
                    Code::MissingControlsFile,
                    Location::file(header.display()),
                    format!("has no controls file `{csv_rel}` beside it"),
                )),
            }
        }
        for csv in top.iter().filter(|f| f.extension() == "csv") {
            let toml_rel = format!("frameworks/{}.toml", csv.stem());
            if !set.files.contains_key(&toml_rel) {
                diags.push(Diagnostic::error(
                    Code::MissingFrameworkHeader,
                    Location::file(csv.display()),
                    format!("has no header file `{toml_rel}` (id, name, version) beside it"),
                ));
            }
        }
        frameworks.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(file) = set.files.get(applicability_csv::PATH) {
            for v in applicability.iter() {
                if !frameworks.iter().any(|f| f.id == v.framework) {
                    diags.push(Diagnostic::error(
                        Code::UnknownFramework,
                        Location::at(file.display(), v.line, 1).with_field("framework"),
                        format!(
                            "`{}` is not a framework of the catalog (setting `{}`)",
                            v.framework, v.setting
                        ),
                    ));
                }
            }
        }
        let crosswalks: Vec<Crosswalk> = set
            .with_prefix(crosswalk_csv::DIR)
            .filter(|f| f.extension() == "csv")
            .filter_map(|f| {
                crosswalk_csv::read(f, |id| frameworks.iter().find(|f| f.id == id), &mut diags)
            })
            .collect();
        let shelf = Arc::new(Shelf {
            layers: layers.clone(),
            features: features.clone(),
            applicability: applicability.clone(),
            artefacts: artefacts.clone(),
            frameworks: frameworks
                .into_iter()
                .map(|f| Slot::read(&f.id.clone(), &[], "", f))
                .collect(),
        });
        let crosswalks = Crosswalks {
            shelf: shelf.clone(),
            files: Vec::new(),
            cell: OnceLock::from(crosswalks),
            ends: OnceLock::new(),
        };

        let mut offerings: Vec<(Offering, bool)> = Vec::new();
        for file in set
            .with_prefix("providers/")
            .filter(|f| f.extension() == "toml")
        {
            let Some(off) =
                matrix_toml::read(file, &layers, &features, |id| shelf.find(id), &mut diags)
            else {
                continue;
            };
            let from_dir = matches!(file.origin, Origin::Dir(_));
            match offerings.iter().position(|(o, _)| o.id == off.id) {
                // A file under --data replaces a built-in offering with the same ID.
                Some(i) if from_dir && !offerings[i].1 => offerings[i] = (off, from_dir),
                Some(i) if !from_dir && offerings[i].1 => {}
                Some(i) => diags.push(Diagnostic::error(
                    Code::DuplicateOffering,
                    Location::file(file.display()),
                    format!(
                        "offering `{}` is also defined in {}",
                        off.id, offerings[i].0.file
                    ),
                )),
                None => offerings.push((off, from_dir)),
            }
        }
        let mut offerings: Vec<Offering> = offerings.into_iter().map(|(o, _)| o).collect();
        offerings.sort_by_cached_key(|o| offering_order(&o.provider, o.model, &o.id));

        for off in &mut offerings {
            off.carried = carry(off, &shelf, &crosswalks);
        }
        let published = match set.files.get(published_csv::PATH) {
            Some(f) => published_csv::read(f, &mut diags),
            None => Vec::new(),
        };
        for p in &published {
            if !offerings.iter().any(|o| o.provider == p.provider) {
                diags.push(Diagnostic::warning(
                    Code::UnknownProvider,
                    Location::file(published_csv::PATH),
                    format!("no offering has provider `{}`", p.provider),
                ));
            }
        }

        let diags = diags.sorted();
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Catalog {
            layers,
            features,
            applicability,
            artefacts,
            shelf,
            offerings: offerings
                .into_iter()
                .map(|o| Slot::read(&o.id.clone(), &o.aliases.clone(), &o.name.clone(), o))
                .collect(),
            crosswalks,
            published,
            warnings: diags,
            files: set.files.len(),
        })
    }

    /// The frameworks, sorted by ID (opened built-in data reads each one not read yet).
    pub fn frameworks(
        &self,
    ) -> impl ExactSizeIterator<Item = &Framework> + DoubleEndedIterator + Clone {
        self.shelf.all()
    }

    /// The framework with exactly this ID (opened built-in data reads only that one).
    pub fn framework_by_id(&self, id: &str) -> Option<&Framework> {
        self.shelf.find(id)
    }

    /// The frameworks' IDs, sorted, without reading any framework.
    pub fn framework_ids(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.shelf.frameworks.iter().map(|s| s.id.as_str())
    }

    fn offering_at<'c>(&'c self, slot: &'c Slot<Offering>) -> &'c Offering {
        slot.cell.get_or_init(|| {
            let [file] = builtin_files(&slot.files)
                .try_into()
                .expect("an offering is read from its matrix");
            let mut diags = Diagnostics::default();
            let off = matrix_toml::read(
                &file,
                &self.layers,
                &self.features,
                |id| self.shelf.find(id),
                &mut diags,
            );
            let mut off = built_in(off, diags, &format!("matrix {}", file.rel));
            off.carried = carry(&off, &self.shelf, &self.crosswalks);
            off
        })
    }

    /// The offerings: generic models first (in model order), then named offerings by ID
    /// (opened built-in data reads each matrix not read yet).
    pub fn offerings(
        &self,
    ) -> impl ExactSizeIterator<Item = &Offering> + DoubleEndedIterator + Clone {
        self.offerings.iter().map(|s| self.offering_at(s))
    }

    /// What `provider` publishes of `kind`, if the data says it does.
    pub fn published(&self, provider: &str, kind: AttestationKind) -> Option<&Published> {
        self.published
            .iter()
            .find(|p| p.provider == provider && p.kind == kind)
    }

    /// A framework by ID (any case), or by a prefix that names exactly one (`pci`).
    pub fn framework(&self, given: &str) -> Result<&Framework, LookupError> {
        let g = given.trim().to_ascii_lowercase();
        let slots = &self.shelf.frameworks;
        if let Some(s) = slots.iter().find(|s| s.id == g) {
            return Ok(self.shelf.get(s));
        }
        let hits: Vec<&Slot<Framework>> = slots.iter().filter(|s| s.id.starts_with(&g)).collect();
        match hits.as_slice() {
            [one] => Ok(self.shelf.get(one)),
            [] => Err(LookupError::UnknownFramework {
                given: given.to_string(),
                suggestions: suggest(given, slots.iter().map(|s| Known::id(&s.id)))
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                known: slots.iter().map(|s| s.id.clone()).collect(),
            }),
            many => Err(LookupError::AmbiguousFramework {
                given: given.to_string(),
                candidates: many.iter().map(|s| s.id.clone()).collect(),
            }),
        }
    }

    /// The frameworks named (any spelling `framework` accepts), or all of them when none is.
    pub fn frameworks_named(&self, names: &[String]) -> Result<Vec<&Framework>, LookupError> {
        if names.is_empty() {
            return Ok(self.frameworks().collect());
        }
        names.iter().map(|f| self.framework(f)).collect()
    }

    /// An offering by ID or alias (any case).
    pub fn offering(&self, given: &str) -> Result<&Offering, LookupError> {
        let g = given.trim();
        match self.offerings.iter().find(|s| s.matches(g)) {
            Some(slot) => Ok(self.offering_at(slot)),
            None => Err(LookupError::UnknownOffering {
                given: given.to_string(),
                suggestions: self.suggest_offerings(g),
            }),
        }
    }

    /// The offerings nearest to a mistyped one (by ID, alias and name: [`crate::suggest`]).
    pub fn suggest_offerings(&self, given: &str) -> Vec<String> {
        let known = self.offerings.iter().map(|s| Known {
            id: &s.id,
            aliases: s.aliases.iter().map(String::as_str).collect(),
            name: &s.name,
        });
        suggest(given, known)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// A control of a framework by any spelling.
    pub fn control<'a>(
        &self,
        fw: &'a Framework,
        spelling: &str,
    ) -> Result<&'a Control, LookupError> {
        fw.resolve(spelling)
            .map_err(|why| LookupError::Control(fw.unresolved_message(spelling, &why)))
    }

    /// A control by any spelling, in whichever of `frameworks` has it; naming controls of two
    /// frameworks is reported, not guessed.
    pub fn control_in<'a>(
        &self,
        frameworks: &[&'a Framework],
        spelling: &str,
    ) -> Result<(&'a Framework, &'a Control), LookupError> {
        if let [fw] = frameworks {
            return self.control(fw, spelling).map(|c| (*fw, c));
        }
        let hits: Vec<(&Framework, &Control)> = frameworks
            .iter()
            .filter_map(|f| f.resolve(spelling).ok().map(|c| (*f, c)))
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::Control(format!(
                "`{spelling}` is not a control of {}",
                frameworks
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            many => Err(LookupError::Control(format!(
                "`{spelling}` could mean {}: write it as framework:control",
                many.iter()
                    .map(|(f, c)| format!("{}:{}", f.id, c.id))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        }
    }

    /// The controls nearest to a spelling that names no control of `frameworks` (or of the
    /// framework it names, `framework:control`), as `framework:control` when there are several
    /// frameworks; none when the spelling is a control or could be several.
    pub fn suggest_controls(&self, frameworks: &[&Framework], spelling: &str) -> Vec<String> {
        let (frameworks, spelling) = match spelling.split_once(':') {
            Some((f, c)) => match self.framework(f) {
                Ok(fw) => (vec![fw], c.trim()),
                Err(_) => return Vec::new(),
            },
            None => (frameworks.to_vec(), spelling.trim()),
        };
        let unknown = |f: &&Framework| {
            matches!(
                f.resolve(spelling),
                Err(crate::control_id::Unresolved::Unknown)
            )
        };
        if !frameworks.iter().all(unknown) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for fw in &frameworks {
            let known = fw.controls.iter().map(|c| Known {
                id: &c.id,
                aliases: c.aliases.iter().map(String::as_str).collect(),
                name: "",
            });
            for id in suggest(spelling, known) {
                out.push(match frameworks.len() {
                    1 => id.to_string(),
                    _ => format!("{}:{id}", fw.id),
                });
            }
        }
        out.truncate(crate::suggest::MAX);
        out
    }

    /// `framework:control` (or `framework control`) with any spelling of either.
    pub fn qualified_control(&self, spelling: &str) -> Result<(&Framework, &Control), LookupError> {
        let s = spelling.trim();
        let (fw, ctl) = s
            .split_once(':')
            .or_else(|| s.split_once(char::is_whitespace))
            .ok_or_else(|| LookupError::Control(format!("`{s}` does not name a framework: write it as framework:control, e.g. pci-dss-4.0.1:8.3.1")))?;
        let fw = self.framework(fw)?;
        Ok((fw, self.control(fw, ctl)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The look-ups suggest the nearest IDs of the real data (issue 14's cases and a few more).
    #[test]
    fn unknown_ids_suggest_the_nearest_known_ones() {
        let c = Catalog::open(&[] as &[&str]).expect("the built-in data opens");
        let offering = |g: &str| match c.offering(g) {
            Err(LookupError::UnknownOffering { suggestions, .. }) => suggestions,
            other => panic!("{g}: {other:?}"),
        };
        assert_eq!(offering("aws/ec3"), ["aws/ec2"]);
        assert_eq!(offering("gcp/gcs"), ["gcp/cloud-storage"]);
        assert_eq!(offering("gcp/gce"), ["gcp/compute-engine"]);
        assert_eq!(offering("gcp/cloudsql"), ["gcp/cloud-sql"]);
        assert_eq!(offering("azure/vm")[0], "azure/virtual-machines");
        assert_eq!(offering("aws/lamda"), ["aws/lambda"]);
        assert!(offering("oracle/autonomous-database").is_empty());
        // `gcs` is the offering itself (an alias).
        assert_eq!(c.offering("gcs").unwrap().id, "gcp/cloud-storage");
        let framework = |g: &str| match c.framework(g) {
            Err(LookupError::UnknownFramework { suggestions, .. }) => suggestions,
            other => panic!("{g}: {other:?}"),
        };
        assert_eq!(framework("iso-27001"), ["iso27001-2022"]);
        assert_eq!(framework("ISO/IEC 27001:2022"), ["iso27001-2022"]);
        assert_eq!(framework("fedramp-moderate"), ["fedramp-r5-moderate"]);
        assert_eq!(framework("fedramp-high"), ["fedramp-r5-high"]);
        assert_eq!(framework("pci-dss-3.2.1"), ["pci-dss-4.0.1"]);
        assert_eq!(framework("soc-2"), ["soc2-2017"]);
        assert_eq!(framework("800-53"), ["nist-800-53-r5"]);
        assert!(framework("ccm").is_empty());
        // An unambiguous start of an ID is the framework, not a suggestion.
        assert_eq!(c.framework("pci").unwrap().id, "pci-dss-4.0.1");
        let msg = c.framework("iso-27001").unwrap_err().to_string();
        assert!(
            msg.starts_with("unknown framework `iso-27001`: did you mean `iso27001-2022`? (the frameworks are fedramp-r5-high, "),
            "{msg}"
        );
        assert_eq!(
            c.offering("aws/ec3").unwrap_err().to_string(),
            "unknown offering `aws/ec3`: did you mean `aws/ec2`? (`srmap offerings` lists them all)"
        );
    }

    /// A framework's own ID always means its control: ISO 27001 clause `5.1` is `5.1`, Annex A
    /// 5.1 is `A.5.1`, and the `A.` may be left out only where no clause has the number. A
    /// spelling that fits two controls is reported with both.
    #[test]
    fn iso_clause_ids_are_their_own_and_annex_a_keeps_its_a() {
        let c = Catalog::open(&[] as &[&str]).expect("the built-in data opens");
        let iso = c.framework("iso27001-2022").unwrap();
        let title = |s: &str| iso.resolve(s).map(|c| (c.id.as_str(), c.title.as_str()));
        assert_eq!(
            title("5.1"),
            Ok(("5.1", "Top management leads and commits to the ISMS"))
        );
        assert_eq!(title("iso27001-2022:5.1").unwrap().0, "5.1");
        assert_eq!(title("ISO_IEC_27001_2022_5.1").unwrap().0, "5.1");
        for annex in ["A.5.1", "a_5_1", "ISO_IEC_27001_2022_A.5.1", "Annex A.5.1"] {
            assert_eq!(
                title(annex),
                Ok((
                    "A.5.1",
                    "Information security policies defined, approved and communicated"
                )),
                "{annex}"
            );
        }
        assert_eq!(title("5.10").unwrap().0, "A.5.10", "no clause 5.10");
        // Clause 6.1 is the heading of 6.1.1-6.1.3: a bare `6.1` fits it as well as A.6.1.
        assert_eq!(
            iso.unresolved_message("6.1", &iso.resolve("6.1").unwrap_err()),
            "`6.1` could mean A.6.1 or 6.1.1 or 6.1.2 or 6.1.3 in iso27001-2022: write it out in \
             full"
        );
        assert!(iso.resolve("7.5").is_err(), "clause 7.5 or A.7.5");
        // Two frameworks in scope with the same ID: reported, not guessed.
        let nist = c.framework("nist-800-53-r5").unwrap();
        let fedramp = c.framework("fedramp-r5-moderate").unwrap();
        let err = c.control_in(&[nist, fedramp], "AC-2").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`AC-2` could mean nist-800-53-r5:AC-2 or fedramp-r5-moderate:AC-2: write it as \
             framework:control"
        );
    }

    /// A framework as Debug shows it, less its resolver (a hash map, shown in a random order).
    fn shown(fw: &Framework) -> String {
        let text = format!("{fw:?}");
        text[..text.find("resolver:").expect("Framework has a resolver")].to_string()
    }

    #[test]
    fn opened_built_in_data_reads_only_what_is_asked_for() {
        let c = Catalog::open(&[] as &[&str]).expect("the built-in data opens");
        let read = |c: &Catalog| {
            (
                c.offerings
                    .iter()
                    .filter(|s| s.cell.get().is_some())
                    .count(),
                c.shelf
                    .frameworks
                    .iter()
                    .filter(|s| s.cell.get().is_some())
                    .count(),
                c.crosswalks.cell.get().is_some(),
            )
        };
        assert_eq!(read(&c), (0, 0, false), "nothing is parsed up front");
        assert_eq!(c.offerings().len(), 174);
        assert_eq!(c.framework_ids().len(), 12);
        assert_eq!(c.offering(" AWS/RDS ").unwrap().id, "aws/rds");
        assert_eq!(
            c.offering("ServiceNow").unwrap().id,
            "servicenow/now-platform"
        );
        assert_eq!(read(&c), (2, 0, false));
        c.framework("pci").unwrap();
        assert_eq!(read(&c), (2, 1, false));
        // An Azure matrix's rows are about the security benchmark, which no crosswalk links:
        // its framework is read to resolve them, the crosswalks' rows are not.
        assert!(!c.offering("azure/aks").unwrap().overrides.is_empty());
        assert_eq!(read(&c), (3, 2, false));
        assert_eq!(c.crosswalks.len(), 3);
        assert_eq!(
            read(&c),
            (3, 6, true),
            "a crosswalk reads the frameworks it links"
        );
    }

    #[test]
    fn opened_built_in_data_is_what_the_full_load_reads() {
        let full = Catalog::load_with(&[] as &[&str]).expect("the built-in data loads");
        let open = Catalog::open(&[] as &[&str]).expect("the built-in data opens");
        // Read in another order than the load: matrices with per-control rows before the
        // frameworks and crosswalks they use.
        let mut offerings: Vec<&Offering> = open.offerings().rev().collect();
        offerings.reverse();
        assert_eq!(
            offerings
                .iter()
                .map(|o| format!("{o:?}"))
                .collect::<Vec<_>>(),
            full.offerings()
                .map(|o| format!("{o:?}"))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            open.frameworks().map(shown).collect::<Vec<_>>(),
            full.frameworks().map(shown).collect::<Vec<_>>()
        );
        assert_eq!(
            format!("{:?}", &open.crosswalks[..]),
            format!("{:?}", &full.crosswalks[..])
        );
        assert_eq!(open.crosswalks.ends(), full.crosswalks.ends());
        for (a, b) in [
            (format!("{:?}", open.layers), format!("{:?}", full.layers)),
            (
                format!("{:?}", open.features),
                format!("{:?}", full.features),
            ),
            (
                format!("{:?}", open.applicability),
                format!("{:?}", full.applicability),
            ),
            (
                format!("{:?}", open.artefacts),
                format!("{:?}", full.artefacts),
            ),
            (
                format!("{:?}", open.published),
                format!("{:?}", full.published),
            ),
        ] {
            assert_eq!(a, b);
        }
        assert_eq!(open.files, full.files);
        assert!(full.warnings.is_empty() && open.warnings.is_empty());
    }

    #[test]
    fn a_data_folder_loads_everything_at_once() {
        let c = Catalog::open(&["tests/fixtures/share-grows"]);
        let full = Catalog::load_with(&["tests/fixtures/share-grows"]);
        match (c, full) {
            (Ok(c), Ok(full)) => {
                assert!(c.offerings.iter().all(|s| s.cell.get().is_some()));
                assert_eq!(c.offerings().len(), full.offerings().len());
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!(
                "open and load_with disagree: {:?} / {:?}",
                a.is_ok(),
                b.is_ok()
            ),
        }
    }
}

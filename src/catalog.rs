//! The catalog: layers, frameworks and offerings, parsed and validated in one step.

use std::path::Path;

use crate::applicability::Applicability;
use crate::artefact::Artefacts;
use crate::attestation::AttestationKind;
use crate::crosswalk::{mapped, Crosswalk};
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

/// A failed lookup of a framework, offering or control named by the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown framework `{given}`; the frameworks are: {}", known.join(", "))]
    UnknownFramework { given: String, known: Vec<String> },
    #[error("`{given}` could mean {}: write the full framework ID", candidates.join(" or "))]
    AmbiguousFramework {
        given: String,
        candidates: Vec<String>,
    },
    #[error("unknown offering `{given}`{}; run `srmap offerings` for the list", hint(.suggestions))]
    UnknownOffering {
        given: String,
        suggestions: Vec<String>,
    },
    #[error("{0}")]
    Control(String),
}

fn hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
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
    /// Sorted by ID.
    pub frameworks: Vec<Framework>,
    /// Generic models first (in model order), then named offerings by ID.
    pub offerings: Vec<Offering>,
    /// How frameworks' controls relate (`frameworks/crosswalks/`).
    pub crosswalks: Vec<Crosswalk>,
    /// What each provider publishes (`providers/attestations.csv`).
    pub published: Vec<Published>,
    /// Problems that do not stop the data from being used.
    pub warnings: Diagnostics,
    /// How many files were read.
    pub files: usize,
}

/// Owners the offering's per-control rows carry, through crosswalks, to other frameworks'
/// controls that have no row of their own.
fn carry(
    off: &Offering,
    frameworks: &[Framework],
    crosswalks: &[Crosswalk],
) -> Vec<CarriedOverride> {
    let mut out = Vec::new();
    if off.overrides.is_empty() {
        return out;
    }
    // Only frameworks a crosswalk links to one the rows are about can receive an owner.
    let row_frameworks: std::collections::BTreeSet<&str> =
        off.overrides.iter().map(|o| o.framework.as_str()).collect();
    let reached: std::collections::BTreeSet<&str> = crosswalks
        .iter()
        .flat_map(|x| {
            [
                (x.from.as_str(), x.to.as_str()),
                (x.to.as_str(), x.from.as_str()),
            ]
        })
        .filter(|(rows, _)| row_frameworks.contains(rows))
        .map(|(_, other)| other)
        .collect();
    for fw in frameworks
        .iter()
        .filter(|f| reached.contains(f.id.as_str()))
    {
        for control in fw.obligations() {
            if off.override_for(&fw.id, &control.id).is_some() {
                continue;
            }
            let maps: Vec<_> = mapped(crosswalks, &fw.id, &control.id, None)
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

impl Catalog {
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
            .filter_map(|f| crosswalk_csv::read(f, &frameworks, &mut diags))
            .collect();

        let mut offerings: Vec<(Offering, bool)> = Vec::new();
        for file in set
            .with_prefix("providers/")
            .filter(|f| f.extension() == "toml")
        {
            let Some(off) = matrix_toml::read(file, &layers, &features, &frameworks, &mut diags)
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
        offerings.sort_by(|a, b| {
            let generic = |o: &Offering| {
                (
                    o.provider != "generic",
                    if o.provider == "generic" {
                        o.model
                    } else {
                        Model::Onprem
                    },
                )
            };
            generic(a).cmp(&generic(b)).then_with(|| a.id.cmp(&b.id))
        });

        for off in &mut offerings {
            off.carried = carry(off, &frameworks, &crosswalks);
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
            frameworks,
            offerings,
            crosswalks,
            published,
            warnings: diags,
            files: set.files.len(),
        })
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
        if let Some(f) = self.frameworks.iter().find(|f| f.id == g) {
            return Ok(f);
        }
        let hits: Vec<&Framework> = self
            .frameworks
            .iter()
            .filter(|f| f.id.starts_with(&g))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(LookupError::UnknownFramework {
                given: given.to_string(),
                known: self.frameworks.iter().map(|f| f.id.clone()).collect(),
            }),
            many => Err(LookupError::AmbiguousFramework {
                given: given.to_string(),
                candidates: many.iter().map(|f| f.id.clone()).collect(),
            }),
        }
    }

    /// The frameworks named (any spelling `framework` accepts), or all of them when none is.
    pub fn frameworks_named(&self, names: &[String]) -> Result<Vec<&Framework>, LookupError> {
        if names.is_empty() {
            return Ok(self.frameworks.iter().collect());
        }
        names.iter().map(|f| self.framework(f)).collect()
    }

    /// An offering by ID or alias (any case).
    pub fn offering(&self, given: &str) -> Result<&Offering, LookupError> {
        let g = given.trim();
        self.offerings.iter().find(|o| o.matches(g)).ok_or_else(|| {
            let needle = g.to_ascii_lowercase();
            let last = needle.rsplit('/').next().unwrap_or(&needle).to_string();
            LookupError::UnknownOffering {
                given: given.to_string(),
                suggestions: self
                    .offerings
                    .iter()
                    .filter(|o| {
                        o.id.contains(&last)
                            || needle.contains(o.id.rsplit('/').next().unwrap_or(""))
                    })
                    .map(|o| o.id.clone())
                    .take(5)
                    .collect(),
            }
        })
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

//! The scope's applicability: the settings that say what kind of organisation it is for each
//! framework (`[applicability."<framework>"]`, per system where it differs) and the controls it
//! excludes by ID, each with its reason (`[[exclude]]`). Resolved with the scope, so an engine
//! asks a system one question: does this control apply here, and if not, why not
//! ([`crate::input::scope::System::applies`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::applicability::Applicability;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::{Control, Framework};

/// Whether one control applies on one system, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "kebab-case")]
pub enum Applies {
    /// The control applies; the text says why when a setting decided it (empty otherwise).
    Yes(String),
    /// The control is for another kind of organisation, as the scope's settings say.
    NotApplicable(String),
    /// The scope excludes the control by ID, for the reason it gives.
    Excluded(String),
}

impl Applies {
    /// Whether the control is assessed (gaps, PBC requests).
    pub fn applies(&self) -> bool {
        matches!(self, Applies::Yes(_))
    }

    /// `applicable`, `not-applicable` or `excluded`.
    pub fn status(&self) -> &'static str {
        match self {
            Applies::Yes(_) => "applicable",
            Applies::NotApplicable(_) => "not-applicable",
            Applies::Excluded(_) => "excluded",
        }
    }

    /// Why (empty for a control that applies to every organisation).
    pub fn reason(&self) -> &str {
        match self {
            Applies::Yes(r) | Applies::NotApplicable(r) | Applies::Excluded(r) => r,
        }
    }
}

/// One setting as the scope states it.
#[derive(Debug, Clone)]
pub struct Setting {
    pub name: String,
    /// The values chosen (`["true"]` for a switch that is on, empty for one that is off).
    pub chosen: Vec<String>,
    /// As written, for reasons: `entity = "merchant"`, `multi-tenant-provider = false`.
    pub shown: String,
    /// Where it is written (`scope.toml:7`).
    pub place: String,
}

/// A control the scope excludes by ID.
#[derive(Debug, Clone)]
pub struct Exclusion {
    pub reason: String,
    /// Where it is written (`scope.toml:31`).
    pub place: String,
}

/// One framework's applicability on one system.
#[derive(Debug, Clone)]
pub struct FrameworkApplicability<'c> {
    pub framework: &'c Framework,
    /// The settings in force on the system (the scope's, with the system's own over them).
    pub settings: Vec<Setting>,
    /// Controls excluded by ID, by control ID.
    pub excluded: BTreeMap<String, Exclusion>,
    definitions: &'c Applicability,
}

impl<'c> FrameworkApplicability<'c> {
    /// No setting and no exclusion: every control applies.
    pub fn everything(framework: &'c Framework, definitions: &'c Applicability) -> Self {
        FrameworkApplicability {
            framework,
            settings: Vec::new(),
            excluded: BTreeMap::new(),
            definitions,
        }
    }

    /// The settings in force, as written (`entity = "merchant"; designated-entity = false`).
    pub fn profile(&self) -> String {
        self.settings
            .iter()
            .map(|s| s.shown.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Whether `control` applies, and why not.
    pub fn applies(&self, control: &Control) -> Applies {
        if let Some(x) = self.excluded.get(&control.id) {
            return Applies::Excluded(format!("{} (excluded at {})", x.reason, x.place));
        }
        if let Some(parent) = &control.parent {
            if let Some(x) = self.excluded.get(parent) {
                return Applies::Excluded(format!(
                    "part of {parent}, which is excluded: {} (excluded at {})",
                    x.reason, x.place
                ));
            }
        }
        let mut notes: Vec<String> = Vec::new();
        for cond in &control.applies_to {
            let Some(def) = self.definitions.condition(&self.framework.id, cond) else {
                continue;
            };
            match self.settings.iter().find(|s| s.name == def.setting) {
                Some(s) if s.chosen.contains(&def.value) => {
                    notes.push(format!("the scope says {} ({})", s.shown, s.place));
                }
                Some(s) => {
                    return Applies::NotApplicable(format!(
                        "{} The scope says {} ({}).",
                        def.description, s.shown, s.place
                    ));
                }
                None => notes.push(format!(
                    "the scope does not set `{}` for {}, so the control is kept",
                    def.setting, self.framework.id
                )),
            }
        }
        Applies::Yes(notes.join("; "))
    }
}

/// `[applicability."<framework>"]` as written: setting name -> value.
pub(crate) type RawApplicability =
    BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

/// One `[[exclude]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExclude {
    framework: Spanned<String>,
    control: Spanned<String>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
    /// The systems it is for (empty: every system assessed against the framework).
    #[serde(default)]
    systems: Vec<Spanned<String>>,
}

/// Places in the scope file, for diagnostics and reasons.
pub(crate) struct Places<'t> {
    pub text: &'t str,
    pub file: &'t str,
}

impl Places<'_> {
    pub fn at(&self, span: std::ops::Range<usize>, field: &str) -> Location {
        let (l, c) = crate::diagnostic::line_col(self.text, span.start);
        Location::at(self.file, l, c).with_field(field)
    }

    fn line(&self, span: std::ops::Range<usize>) -> String {
        let (l, _) = crate::diagnostic::line_col(self.text, span.start);
        format!("{}:{l}", self.file)
    }
}

fn toml_shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Array(a) => format!(
            "[{}]",
            a.iter().map(toml_shown).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Read the settings of every `[applicability."<framework>"]` table: framework ID -> settings.
pub(crate) fn settings(
    raw: &RawApplicability,
    catalog: &Catalog,
    places: &Places<'_>,
    field: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<Setting>> {
    let defs = &catalog.applicability;
    let mut out: BTreeMap<String, Vec<Setting>> = BTreeMap::new();
    for (key, table) in raw {
        let fw = match catalog.framework(key.get_ref()) {
            Ok(fw) => fw,
            Err(e) => {
                let nested = table.values().any(|v| v.get_ref().is_table());
                let hint = if nested {
                    format!(
                        "; a framework ID with dots must be quoted: [{field}.\"{}\"]",
                        key.get_ref()
                    )
                } else {
                    String::new()
                };
                diags.push(Diagnostic::error(
                    Code::UnknownFramework,
                    places.at(key.span(), field),
                    format!("{e}{hint}"),
                ));
                continue;
            }
        };
        let known = defs.settings(&fw.id);
        let list = out.entry(fw.id.clone()).or_default();
        for (name, value) in table {
            let at = places.at(value.span(), &format!("{field}.{}", name.get_ref()));
            let name_s = name.get_ref().as_str();
            if value.get_ref().is_table() {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    places.at(key.span(), field),
                    format!(
                        "`{}.{name_s}` reads as nested tables: a framework ID with dots must be quoted, as in [{field}.\"{}\"]",
                        key.get_ref(),
                        fw.id
                    ),
                ));
                continue;
            }
            if !known.contains(&name_s) {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    places.at(name.span(), field),
                    if known.is_empty() {
                        format!("{} has no applicability settings (frameworks/applicability.csv defines none); exclude its controls by ID with [[exclude]]", fw.id)
                    } else {
                        format!(
                            "`{name_s}` is not a setting of {} (settings: {})",
                            fw.id,
                            known.join(", ")
                        )
                    },
                ));
                continue;
            }
            let allowed: Vec<&str> = defs
                .values(&fw.id, name_s)
                .map(|v| v.value.as_str())
                .collect();
            let chosen = if defs.is_switch(&fw.id, name_s) {
                match value.get_ref() {
                    toml::Value::Boolean(true) => vec!["true".to_string()],
                    toml::Value::Boolean(false) => Vec::new(),
                    other => {
                        diags.push(Diagnostic::error(
                            Code::BadApplicability,
                            at,
                            format!(
                                "{} `{name_s}` is true or false, not {}",
                                fw.id,
                                toml_shown(other)
                            ),
                        ));
                        continue;
                    }
                }
            } else {
                let items: Vec<&toml::Value> = match value.get_ref() {
                    toml::Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                let mut chosen: Vec<String> = Vec::new();
                let mut ok = true;
                for item in items {
                    match item.as_str().map(str::trim) {
                        Some(v) if allowed.contains(&v) => {
                            if !chosen.iter().any(|c| c == v) {
                                chosen.push(v.to_string());
                            }
                        }
                        _ => {
                            diags.push(Diagnostic::error(
                                Code::BadApplicability,
                                at.clone(),
                                format!(
                                    "{} `{name_s}` cannot be {}: use one or more of {}",
                                    fw.id,
                                    toml_shown(item),
                                    allowed.join(", ")
                                ),
                            ));
                            ok = false;
                        }
                    }
                }
                if !ok {
                    continue;
                }
                chosen
            };
            list.push(Setting {
                name: name_s.to_string(),
                chosen,
                shown: format!("{name_s} = {}", toml_shown(value.get_ref())),
                place: places.line(value.span()),
            });
        }
    }
    out
}

/// The settings in force on a system for one framework: the scope's, each replaced by the
/// system's own where it gives one; in the order `frameworks/applicability.csv` lists them.
pub(crate) fn merge(
    defs: &Applicability,
    framework: &str,
    scope: Option<&Vec<Setting>>,
    system: Option<&Vec<Setting>>,
) -> Vec<Setting> {
    let mut out = Vec::new();
    for name in defs.settings(framework) {
        let pick = system
            .and_then(|l| l.iter().find(|s| s.name == name))
            .or_else(|| scope.and_then(|l| l.iter().find(|s| s.name == name)));
        if let Some(s) = pick {
            out.push(s.clone());
        }
    }
    out
}

/// One exclusion, checked: the framework, the control (any spelling), the systems it is for.
pub(crate) struct CheckedExclusion<'c> {
    pub framework: &'c Framework,
    pub control: String,
    /// Empty: every system assessed against the framework.
    pub systems: Vec<String>,
    pub exclusion: Exclusion,
}

/// Check every `[[exclude]]` entry against the catalog and the scope's systems
/// (`systems`: each system's name and the IDs of its frameworks).
pub(crate) fn exclusions<'c>(
    raw: &[RawExclude],
    catalog: &'c Catalog,
    systems: &[(String, Vec<String>)],
    places: &Places<'_>,
    diags: &mut Diagnostics,
) -> Vec<CheckedExclusion<'c>> {
    let mut out = Vec::new();
    for x in raw {
        let fw = match catalog.framework(x.framework.get_ref()) {
            Ok(fw) => fw,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::UnknownFramework,
                    places.at(x.framework.span(), "exclude.framework"),
                    e.to_string(),
                ));
                continue;
            }
        };
        let control = match fw.resolve(x.control.get_ref()) {
            Ok(c) => Some(c),
            Err(why) => {
                diags.push(Diagnostic::error(
                    Code::UnknownControl,
                    places.at(x.control.span(), "exclude.control"),
                    fw.unresolved_message(x.control.get_ref(), &why),
                ));
                None
            }
        };
        if let Some(c) = control {
            if !fw.excludable(c) {
                diags.push(Diagnostic::error(
                    Code::ExclusionNotAllowed,
                    places.at(x.control.span(), "exclude.control"),
                    format!(
                        "{} {} is a `{}` row, which {} does not allow a scope to exclude (only its {} may be)",
                        fw.id,
                        c.id,
                        c.kind,
                        fw.id,
                        excludable_kinds(fw)
                    ),
                ));
            }
        }
        let reason = x
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_string())
            .unwrap_or_default();
        if reason.is_empty() {
            let at = match &x.reason {
                Some(r) => places.at(r.span(), "exclude.reason"),
                None => places.at(x.control.span(), "exclude.reason"),
            };
            diags.push(Diagnostic::error(
                Code::ExclusionWithoutReason,
                at,
                format!(
                    "the exclusion of {} {} gives no reason: say why it does not apply (the Statement of Applicability shows it to the auditor)",
                    fw.id,
                    x.control.get_ref()
                ),
            ));
        }
        let mut names: Vec<String> = Vec::new();
        for s in &x.systems {
            let given = s.get_ref().trim();
            match systems.iter().find(|(n, _)| n.eq_ignore_ascii_case(given)) {
                None => diags.push(Diagnostic::error(
                    Code::UnknownSystem,
                    places.at(s.span(), "exclude.systems"),
                    format!(
                        "system `{given}` is not in the scope (systems: {})",
                        systems
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                Some((n, fws)) if !fws.contains(&fw.id) => diags.push(Diagnostic::error(
                    Code::ExclusionOutOfScope,
                    places.at(s.span(), "exclude.systems"),
                    format!("system `{n}` is not assessed against {}", fw.id),
                )),
                Some((n, _)) => names.push(n.clone()),
            }
        }
        if x.systems.is_empty() && !systems.iter().any(|(_, fws)| fws.contains(&fw.id)) {
            diags.push(Diagnostic::error(
                Code::ExclusionOutOfScope,
                places.at(x.framework.span(), "exclude.framework"),
                format!("no system of the scope is assessed against {}", fw.id),
            ));
        }
        if let Some(c) = control {
            out.push(CheckedExclusion {
                framework: fw,
                control: c.id.clone(),
                systems: names,
                exclusion: Exclusion {
                    reason,
                    place: places.line(x.control.span()),
                },
            });
        }
    }
    out
}

fn excludable_kinds(fw: &Framework) -> String {
    let mut kinds: Vec<&str> = fw
        .obligations()
        .map(|c| c.kind.as_str())
        .filter(|k| !fw.mandatory_kinds.iter().any(|m| m == k))
        .collect();
    kinds.sort();
    kinds.dedup();
    format!("`{}` rows", kinds.join("`, `"))
}

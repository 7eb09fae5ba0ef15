//! The customer's scope: organisation, audit period, systems with their offerings and frameworks.
//!
//! The scope is resolved against the catalog once, when it is read: every offering and framework
//! it names is looked up there (an unknown one is reported at its place in the file), and the
//! systems hold the catalog's offerings and frameworks themselves, so nothing downstream looks
//! an ID up again.

use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::Catalog;
use crate::diagnostic::{line_col, Code, Diagnostic, Diagnostics, Location};
use crate::framework::{Control, Framework};
use crate::input::applicability::{self, Applies, FrameworkApplicability, Places, RawExclude};
use crate::input::date::parse_date;
use crate::input::owners::{self, Owners, RawOwners};
use crate::offering::Offering;
use crate::security_category::SecurityCategory;
use crate::sign_off::{SignOff, Signature};

/// The audit period, both days included.
#[derive(Debug, Clone)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

/// One system of the scope, resolved against the catalog.
#[derive(Debug, Clone)]
pub struct System<'c> {
    pub name: String,
    pub description: String,
    /// The offerings it runs on, each once, in the order the scope lists them.
    pub offerings: Vec<&'c Offering>,
    /// The frameworks it is assessed against, each once, in the order the scope lists them.
    pub frameworks: Vec<&'c Framework>,
    /// Whether the organisation's own premises are in scope for this system (`None`: each
    /// framework's default).
    pub premises: Option<bool>,
    /// Its FIPS 199 security category (`fips-199`), if the scope gives one.
    pub fips_199: Option<SecurityCategory>,
    /// Which controls of each framework apply here: one entry per framework, in the order of
    /// `frameworks`.
    pub applicability: Vec<FrameworkApplicability<'c>>,
}

impl System<'_> {
    /// What the owner map assumes for this system.
    pub fn assumptions(&self) -> crate::ownership::Assumptions {
        crate::ownership::Assumptions::premises(self.premises)
    }

    /// Whether `control` of `framework` applies on this system, and why not (a framework the
    /// system is not assessed against applies in full).
    pub fn applies(&self, framework: &Framework, control: &Control) -> Applies {
        match self
            .applicability
            .iter()
            .find(|a| a.framework.id == framework.id)
        {
            Some(a) => a.applies(control),
            None => Applies::Yes(String::new()),
        }
    }

    /// One framework's applicability on this system.
    pub fn applicability_of(&self, framework: &str) -> Option<&FrameworkApplicability<'_>> {
        self.applicability
            .iter()
            .find(|a| a.framework.id == framework)
    }

    /// Whether the system is assessed against `framework`.
    pub fn has_framework(&self, framework: &str) -> bool {
        self.frameworks.iter().any(|f| f.id == framework)
    }

    /// The offerings' IDs, in order.
    pub fn offering_ids(&self) -> Vec<String> {
        self.offerings.iter().map(|o| o.id.clone()).collect()
    }
}

/// When findings fall due (`[worklist]`; see README "Gap rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRules {
    /// Evidence and provider findings are due this many days before the period ends (0: on
    /// its last day).
    pub before_period_end_days: u32,
    /// Findings about register rows (data hygiene) are due this many days after the as-of date.
    pub row_fixes_days: u32,
}

impl Default for DueRules {
    fn default() -> Self {
        DueRules {
            before_period_end_days: 0,
            row_fixes_days: 14,
        }
    }
}

/// A scope file, resolved against the catalog.
#[derive(Debug, Clone)]
pub struct Scope<'c> {
    pub organization: String,
    pub period: Period,
    pub systems: Vec<System<'c>>,
    /// Who findings are assigned to when the register names nobody (`[owners]`).
    pub owners: Owners,
    /// When findings fall due (`[worklist]`).
    pub due: DueRules,
    /// The report's version and who signs it (`[report]`).
    pub sign_off: SignOff,
    /// The file it was read from, as the user named it.
    pub file: String,
}

impl<'c> Scope<'c> {
    /// A system by name (any case).
    pub fn system(&self, name: &str) -> Option<&System<'c>> {
        self.systems
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The frameworks in scope, sorted by ID, each once.
    pub fn frameworks(&self) -> Vec<&'c Framework> {
        let mut all: Vec<&'c Framework> = self
            .systems
            .iter()
            .flat_map(|s| s.frameworks.iter().copied())
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.dedup_by(|a, b| a.id == b.id);
        all
    }

    /// The IDs of the frameworks in scope, sorted, each once.
    pub fn framework_ids(&self) -> Vec<&'c str> {
        self.frameworks()
            .into_iter()
            .map(|f| f.id.as_str())
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScope {
    organization: String,
    period: RawPeriod,
    /// The organisation's own offices, workstations and paper records are in scope.
    #[serde(default)]
    premises: Option<bool>,
    #[serde(default)]
    systems: Vec<RawSystem>,
    #[serde(default)]
    owners: RawOwners,
    #[serde(default)]
    worklist: RawWorklist,
    /// What kind of organisation it is, per framework (`[applicability."pci-dss-4.0.1"]`).
    #[serde(default)]
    applicability: applicability::RawApplicability,
    /// Controls excluded by ID, each with its reason (`[[exclude]]`).
    #[serde(default)]
    exclude: Vec<RawExclude>,
    /// The report's version and sign-off (`[report]`).
    #[serde(default)]
    report: RawReport,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawReport {
    #[serde(default)]
    version: String,
    #[serde(default)]
    prepared_by: String,
    #[serde(default)]
    prepared_on: Option<Spanned<String>>,
    #[serde(default)]
    reviewed_by: String,
    #[serde(default)]
    reviewed_on: Option<Spanned<String>>,
    #[serde(default)]
    approved_by: String,
    #[serde(default)]
    approved_on: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawWorklist {
    #[serde(default)]
    due_before_period_end_days: Option<Spanned<i64>>,
    #[serde(default)]
    row_fixes_due_in_days: Option<Spanned<i64>>,
}

/// The most days a `[worklist]` setting may give: ten years.
pub const MAX_WORKLIST_DAYS: u32 = 3650;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: Spanned<String>,
    end: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    offerings: Vec<Spanned<String>>,
    frameworks: Vec<Spanned<String>>,
    #[serde(default)]
    premises: Option<bool>,
    /// FIPS 199 impact levels: `"moderate"`, or
    /// `"confidentiality=high, integrity=moderate, availability=low"`.
    #[serde(default, rename = "fips-199")]
    fips_199: Option<Spanned<String>>,
    /// The system's own applicability settings, over the scope's
    /// (`[systems.applicability."pci-dss-4.0.1"]`).
    #[serde(default)]
    applicability: applicability::RawApplicability,
}

/// Read and check a scope file against the catalog; every problem is reported.
pub fn read<'c>(path: &Path, catalog: &'c Catalog) -> Result<Scope<'c>, Diagnostics> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            Code::UnreadableFile,
            Location::file(&file),
            e.to_string(),
        )])
    })?;
    parse(&text, &file, catalog)
}

/// Parse and resolve a scope file's text (`file` names it in diagnostics); every problem is
/// reported, each at its place.
pub fn parse<'c>(text: &str, file: &str, catalog: &'c Catalog) -> Result<Scope<'c>, Diagnostics> {
    let at = |span: std::ops::Range<usize>, field: &str| {
        let (l, c) = line_col(text, span.start);
        Location::at(file, l, c).with_field(field)
    };
    let raw: RawScope = toml::from_str(text).map_err(|e| {
        let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        Diagnostics(vec![Diagnostic::error(
            Code::BadToml,
            Location::at(file, l, c),
            e.message().trim().to_string(),
        )])
    })?;
    let mut diags = Diagnostics::default();
    let mut date = |s: &Spanned<String>, field: &str| match parse_date(s.get_ref()) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(Diagnostic::error(Code::BadDate, at(s.span(), field), msg));
            None
        }
    };
    let start = date(&raw.period.start, "period.start");
    let end = date(&raw.period.end, "period.end");
    let r = &raw.report;
    let mut signature = |name: &str, on: &Option<Spanned<String>>, field: &str| Signature {
        name: name.trim().to_string(),
        on: on.as_ref().and_then(|d| date(d, field)),
    };
    let sign_off = SignOff {
        version: r.version.trim().to_string(),
        prepared: signature(&r.prepared_by, &r.prepared_on, "report.prepared-on"),
        reviewed: signature(&r.reviewed_by, &r.reviewed_on, "report.reviewed-on"),
        approved: signature(&r.approved_by, &r.approved_on, "report.approved-on"),
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            diags.push(Diagnostic::error(
                Code::BadPeriod,
                at(raw.period.end.span(), "period.end"),
                format!("the period ends ({e}) before it starts ({s})"),
            ));
        }
    }
    if raw.systems.is_empty() {
        diags.push(Diagnostic::error(
            Code::NoSystems,
            Location::file(file),
            "the scope names no [[systems]]",
        ));
    }
    let places = Places { text, file };
    let scope_settings = applicability::settings(
        &raw.applicability,
        catalog,
        &places,
        "applicability",
        &mut diags,
    );
    let mut systems: Vec<System<'c>> = Vec::new();
    for sys in &raw.systems {
        let name = sys.name.get_ref().trim().to_string();
        if name.is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingValue,
                at(sys.name.span(), "systems.name"),
                "a system has no name",
            ));
        }
        if systems.iter().any(|s| s.name.eq_ignore_ascii_case(&name)) {
            diags.push(Diagnostic::error(
                Code::DuplicateSystem,
                at(sys.name.span(), "systems.name"),
                format!("system `{name}` is listed twice"),
            ));
        }
        let mut offerings: Vec<&'c Offering> = Vec::new();
        for o in &sys.offerings {
            match catalog.offering(o.get_ref()) {
                Ok(off) if !offerings.iter().any(|x| x.id == off.id) => offerings.push(off),
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::error(
                    Code::UnknownOffering,
                    at(o.span(), "systems.offerings"),
                    e.to_string(),
                )),
            }
        }
        let mut frameworks: Vec<&'c Framework> = Vec::new();
        for f in &sys.frameworks {
            match catalog.framework(f.get_ref()) {
                Ok(fw) if !frameworks.iter().any(|x| x.id == fw.id) => frameworks.push(fw),
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::error(
                    Code::UnknownFramework,
                    at(f.span(), "systems.frameworks"),
                    e.to_string(),
                )),
            }
        }
        if sys.offerings.is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingValue,
                at(sys.name.span(), "systems.offerings"),
                format!("system `{name}` lists no offerings"),
            ));
        }
        if sys.frameworks.is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingValue,
                at(sys.name.span(), "systems.frameworks"),
                format!("system `{name}` lists no frameworks"),
            ));
        }
        let own = applicability::settings(
            &sys.applicability,
            catalog,
            &places,
            "systems.applicability",
            &mut diags,
        );
        let applicability = frameworks
            .iter()
            .map(|fw| {
                let mut a = FrameworkApplicability::everything(fw, &catalog.applicability);
                a.settings = applicability::merge(
                    &catalog.applicability,
                    &fw.id,
                    scope_settings.get(&fw.id),
                    own.get(&fw.id),
                );
                a
            })
            .collect();
        let fips_199 = sys.fips_199.as_ref().and_then(|f| {
            f.get_ref()
                .parse::<SecurityCategory>()
                .map_err(|msg| {
                    diags.push(Diagnostic::error(
                        Code::BadImpactLevel,
                        at(f.span(), "systems.fips-199"),
                        msg,
                    ))
                })
                .ok()
        });
        systems.push(System {
            name,
            description: sys.description.trim().to_string(),
            offerings,
            frameworks,
            premises: sys.premises.or(raw.premises),
            fips_199,
            applicability,
        });
    }
    let names: Vec<&str> = systems.iter().map(|s| s.name.as_str()).collect();
    let owners = owners::resolve(raw.owners, catalog, &names, &at, &mut diags);
    let defaults = DueRules::default();
    let mut days = |v: &Option<Spanned<i64>>, field: &str, default: u32| match v {
        None => default,
        Some(n) => match u32::try_from(*n.get_ref()) {
            Ok(d) if d <= MAX_WORKLIST_DAYS => d,
            _ => {
                diags.push(Diagnostic::error(
                    Code::OutOfRange,
                    at(n.span(), field),
                    format!(
                        "{} days: give a number of days from 0 to {MAX_WORKLIST_DAYS} (ten years)",
                        n.get_ref()
                    ),
                ));
                default
            }
        },
    };
    let due = DueRules {
        before_period_end_days: days(
            &raw.worklist.due_before_period_end_days,
            "worklist.due-before-period-end-days",
            defaults.before_period_end_days,
        ),
        row_fixes_days: days(
            &raw.worklist.row_fixes_due_in_days,
            "worklist.row-fixes-due-in-days",
            defaults.row_fixes_days,
        ),
    };
    let frameworks_of: Vec<(String, Vec<String>)> = systems
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.frameworks.iter().map(|f| f.id.clone()).collect(),
            )
        })
        .collect();
    for x in applicability::exclusions(&raw.exclude, catalog, &frameworks_of, &places, &mut diags) {
        for sys in &mut systems {
            if !x.systems.is_empty() && !x.systems.contains(&sys.name) {
                continue;
            }
            if let Some(a) = sys
                .applicability
                .iter_mut()
                .find(|a| a.framework.id == x.framework.id)
            {
                a.excluded
                    .entry(x.control.clone())
                    .or_insert_with(|| x.exclusion.clone());
            }
        }
    }
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok(Scope {
        organization: raw.organization.trim().to_string(),
        period: Period {
            start: start.expect("checked"),
            end: end.expect("checked"),
        },
        systems,
        owners,
        due,
        sign_off,
        file: file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::load_with(&[] as &[&str]).expect("the built-in data loads")
    }

    #[test]
    fn unknown_ids_are_reported_once_at_their_place() {
        let catalog = catalog();
        let text = r#"organization = "Broken"
period = { start = "2026-01-01", end = "2026-12-31" }

[[systems]]
name = "app"
offerings = ["aws/ec2", "aws/ec3"]
frameworks = ["soc3", "soc2-2017"]
"#;
        let problems = parse(text, "scope.toml", &catalog).unwrap_err();
        let shown: Vec<String> = problems
            .iter()
            .map(|d| format!("{} {}: {}", d.code, d.location, d.message))
            .collect();
        assert_eq!(shown.len(), 2, "{shown:#?}");
        assert!(
            shown[0].starts_with(
                "unknown-offering scope.toml:6:25 (systems.offerings): unknown offering `aws/ec3`"
            ),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with(
                "unknown-framework scope.toml:7:15 (systems.frameworks): unknown framework `soc3`"
            ),
            "{shown:#?}"
        );
    }

    #[test]
    fn systems_hold_the_catalog_entries_each_once() {
        let catalog = catalog();
        let text = r#"organization = "Example"
period = { start = "2026-01-01", end = "2026-12-31" }
premises = false

[[systems]]
name = "app"
offerings = ["aws/ec2", "AWS/EC2", "aws/rds"]
frameworks = ["soc2-2017", "pci-dss-4.0.1", "soc2-2017"]

[[systems]]
name = "office"
offerings = ["microsoft/m365"]
frameworks = ["soc2-2017"]
premises = true
"#;
        let scope = parse(text, "scope.toml", &catalog).unwrap();
        let app = scope.system("APP").unwrap();
        let ec2 = catalog.offering("aws/ec2").unwrap();
        assert!(std::ptr::eq(app.offerings[0], ec2));
        assert_eq!(app.offering_ids(), ["aws/ec2", "aws/rds"]);
        let ids: Vec<&str> = app.frameworks.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["soc2-2017", "pci-dss-4.0.1"]);
        assert!(app.has_framework("pci-dss-4.0.1"));
        assert_eq!(app.premises, Some(false));
        assert_eq!(scope.system("office").unwrap().premises, Some(true));
        assert_eq!(scope.framework_ids(), ["pci-dss-4.0.1", "soc2-2017"]);
    }
}

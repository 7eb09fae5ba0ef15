//! The customer's scope: organisation, audit period, systems with their offerings and frameworks.

use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::Catalog;
use crate::diagnostic::{line_col, Diagnostic, Diagnostics, Location};
use crate::input::date::parse_date;

#[derive(Debug, Clone)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone)]
pub struct System {
    pub name: String,
    pub description: String,
    /// Offering IDs, canonical.
    pub offerings: Vec<String>,
    /// Framework IDs, canonical.
    pub frameworks: Vec<String>,
    /// Whether the organisation's own premises are in scope for this system (`None`: each
    /// framework's default).
    pub premises: Option<bool>,
}

impl System {
    /// What the owner map assumes for this system.
    pub fn assumptions(&self) -> crate::ownership::Assumptions {
        crate::ownership::Assumptions::premises(self.premises)
    }
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub organization: String,
    pub period: Period,
    pub systems: Vec<System>,
    pub file: String,
}

impl Scope {
    pub fn system(&self, name: &str) -> Option<&System> {
        self.systems
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
    }

    /// Framework IDs in scope, sorted, each once.
    pub fn frameworks(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .systems
            .iter()
            .flat_map(|s| s.frameworks.clone())
            .collect();
        all.sort();
        all.dedup();
        all
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
}

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
}

/// Read and check a scope file against the catalog; every problem is reported.
pub fn read(path: &Path, catalog: &Catalog) -> Result<Scope, Diagnostics> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "unreadable-file",
            Location::file(&file),
            e.to_string(),
        )])
    })?;
    parse(&text, &file, catalog)
}

pub fn parse(text: &str, file: &str, catalog: &Catalog) -> Result<Scope, Diagnostics> {
    let at = |span: std::ops::Range<usize>, field: &str| {
        let (l, c) = line_col(text, span.start);
        Location::at(file, l, c).with_field(field)
    };
    let raw: RawScope = toml::from_str(text).map_err(|e| {
        let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        Diagnostics(vec![Diagnostic::error(
            "bad-toml",
            Location::at(file, l, c),
            e.message().trim().to_string(),
        )])
    })?;
    let mut diags = Diagnostics::default();
    let mut date = |s: &Spanned<String>, field: &str| match parse_date(s.get_ref()) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(Diagnostic::error("bad-date", at(s.span(), field), msg));
            None
        }
    };
    let start = date(&raw.period.start, "period.start");
    let end = date(&raw.period.end, "period.end");
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            diags.push(Diagnostic::error(
                "bad-period",
                at(raw.period.end.span(), "period.end"),
                format!("the period ends ({e}) before it starts ({s})"),
            ));
        }
    }
    if raw.systems.is_empty() {
        diags.push(Diagnostic::error(
            "no-systems",
            Location::file(file),
            "the scope names no [[systems]]",
        ));
    }
    let mut systems: Vec<System> = Vec::new();
    for sys in &raw.systems {
        let name = sys.name.get_ref().trim().to_string();
        if name.is_empty() {
            diags.push(Diagnostic::error(
                "missing-value",
                at(sys.name.span(), "systems.name"),
                "a system has no name",
            ));
        }
        if systems.iter().any(|s| s.name.eq_ignore_ascii_case(&name)) {
            diags.push(Diagnostic::error(
                "duplicate-system",
                at(sys.name.span(), "systems.name"),
                format!("system `{name}` is listed twice"),
            ));
        }
        let mut offerings = Vec::new();
        for o in &sys.offerings {
            match catalog.offering(o.get_ref()) {
                Ok(off) if !offerings.contains(&off.id) => offerings.push(off.id.clone()),
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::error(
                    "unknown-offering",
                    at(o.span(), "systems.offerings"),
                    e.to_string(),
                )),
            }
        }
        let mut frameworks = Vec::new();
        for f in &sys.frameworks {
            match catalog.framework(f.get_ref()) {
                Ok(fw) if !frameworks.contains(&fw.id) => frameworks.push(fw.id.clone()),
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::error(
                    "unknown-framework",
                    at(f.span(), "systems.frameworks"),
                    e.to_string(),
                )),
            }
        }
        if sys.offerings.is_empty() {
            diags.push(Diagnostic::error(
                "missing-value",
                at(sys.name.span(), "systems.offerings"),
                format!("system `{name}` lists no offerings"),
            ));
        }
        if sys.frameworks.is_empty() {
            diags.push(Diagnostic::error(
                "missing-value",
                at(sys.name.span(), "systems.frameworks"),
                format!("system `{name}` lists no frameworks"),
            ));
        }
        systems.push(System {
            name,
            description: sys.description.trim().to_string(),
            offerings,
            frameworks,
            premises: sys.premises.or(raw.premises),
        });
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
        file: file.to_string(),
    })
}

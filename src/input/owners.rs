//! The scope's `[owners]`: who is accountable for the findings the evidence register names
//! nobody for (missing evidence, provider reports, rows that point at nothing).
//!
//! ```toml
//! [owners]
//! default = "J. Alvarez (CISO)"                       # anything no rule below matches
//! vendor-management = "R. Okafor (Vendor Management)" # provider reports and agreements
//! systems = { payments = "P. Singh (Payments Platform)" }
//! frameworks = { "hipaa-security" = "D. Reyes (Privacy Officer)" }
//! layers = { identity = "M. Chen (GRC Lead)" }
//! controls = { "pci-dss-4.0.1:8" = "M. Chen (GRC Lead)" }  # a control or a family prefix
//! ```
//!
//! The most specific rule wins: a control (the longest matching prefix), then a layer of the
//! control, then for provider findings `vendor-management`, then the system, then the
//! framework, then `default`. Every key is checked against the catalog and the scope where it is
//! read, with its place.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::{Control, Framework};

/// `[owners]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawOwners {
    #[serde(default)]
    default: Option<Spanned<String>>,
    #[serde(default)]
    vendor_management: Option<Spanned<String>>,
    #[serde(default)]
    systems: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    frameworks: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    layers: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    controls: BTreeMap<String, Spanned<String>>,
}

/// One `controls` rule: a control of a framework and every control under it.
#[derive(Debug, Clone)]
struct ControlRule {
    framework: String,
    /// The control ID prefix as the catalog spells it (`8`, `CC6`, `A.5.15`).
    prefix: String,
    person: String,
}

/// What a finding is about, for [`Owners::assignee`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Target<'a> {
    pub system: Option<&'a str>,
    pub framework: Option<&'a str>,
    pub control: Option<&'a Control>,
    /// A provider report or agreement, or a row of the attestation register.
    pub provider: bool,
}

/// The scope's `[owners]`, checked: each key names something the scope or the catalog has.
#[derive(Debug, Clone, Default)]
pub struct Owners {
    pub default: Option<String>,
    pub vendor_management: Option<String>,
    systems: Vec<(String, String)>,
    frameworks: Vec<(String, String)>,
    layers: Vec<(String, String)>,
    controls: Vec<ControlRule>,
}

/// Whether `id` is `prefix` or a control under it: the prefix ends where a new part of the ID
/// begins (`8` covers `8.3.1` but not `80`; `CC6` covers `CC6.1`).
fn covers(prefix: &str, id: &str) -> bool {
    id.len() >= prefix.len()
        && id.is_char_boundary(prefix.len())
        && id[..prefix.len()].eq_ignore_ascii_case(prefix)
        && id[prefix.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// The person a keyed rule names for `key`.
fn find<'o>(list: &'o [(String, String)], key: Option<&str>) -> Option<&'o str> {
    let key = key?;
    list.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, p)| p.as_str())
}

impl Owners {
    /// The person accountable for a finding about `target`, by the most specific rule that
    /// matches, or `None` when no rule does.
    pub fn assignee(&self, target: &Target<'_>) -> Option<&str> {
        if let (Some(fw), Some(c)) = (target.framework, target.control) {
            let by_control = self
                .controls
                .iter()
                .filter(|r| r.framework == fw && covers(&r.prefix, &c.id))
                .max_by_key(|r| r.prefix.len());
            if let Some(r) = by_control {
                return Some(&r.person);
            }
            if let Some(p) = c.layers.iter().find_map(|l| find(&self.layers, Some(l))) {
                return Some(p);
            }
        }
        if target.provider {
            if let Some(p) = &self.vendor_management {
                return Some(p);
            }
        }
        find(&self.systems, target.system)
            .or_else(|| find(&self.frameworks, target.framework))
            .or(self.default.as_deref())
    }
}

/// Check `[owners]` against the catalog and the scope's systems; every problem is pushed, at its
/// place (`at` turns a span and a field into a location).
pub(super) fn resolve(
    raw: RawOwners,
    catalog: &Catalog,
    systems: &[&str],
    at: &dyn Fn(std::ops::Range<usize>, &str) -> Location,
    diags: &mut Diagnostics,
) -> Owners {
    let mut person = |v: &Spanned<String>, field: &str| -> Option<String> {
        let p = v.get_ref().trim();
        if p.is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingValue,
                at(v.span(), field),
                "name a person (or a role) to assign",
            ));
            return None;
        }
        Some(p.to_string())
    };
    let mut owners = Owners {
        default: raw
            .default
            .as_ref()
            .and_then(|v| person(v, "owners.default")),
        vendor_management: raw
            .vendor_management
            .as_ref()
            .and_then(|v| person(v, "owners.vendor-management")),
        ..Owners::default()
    };
    let mut problems = Vec::new();
    for (k, v) in &raw.systems {
        let field = format!("owners.systems.{k}");
        let Some(p) = person(v, &field) else { continue };
        match systems.iter().find(|s| s.eq_ignore_ascii_case(k.trim())) {
            Some(s) => owners.systems.push((s.to_string(), p)),
            None => problems.push(Diagnostic::error(
                Code::UnknownSystem,
                at(v.span(), &field),
                format!(
                    "`{k}` is not a system of the scope (systems: {})",
                    systems.join(", ")
                ),
            )),
        }
    }
    for (k, v) in &raw.frameworks {
        let field = format!("owners.frameworks.{k}");
        let Some(p) = person(v, &field) else { continue };
        match catalog.framework(k) {
            Ok(fw) => owners.frameworks.push((fw.id.clone(), p)),
            Err(e) => problems.push(Diagnostic::error(
                Code::UnknownFramework,
                at(v.span(), &field),
                e.to_string(),
            )),
        }
    }
    for (k, v) in &raw.layers {
        let field = format!("owners.layers.{k}");
        let Some(p) = person(v, &field) else { continue };
        match catalog.layers.get(k.trim()) {
            Some(l) => owners.layers.push((l.id.clone(), p)),
            None => problems.push(Diagnostic::error(
                Code::UnknownLayer,
                at(v.span(), &field),
                format!(
                    "`{k}` is not a layer (layers: {})",
                    catalog
                        .layers
                        .iter()
                        .map(|l| l.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    for (k, v) in &raw.controls {
        let field = format!("owners.controls.{k}");
        let Some(p) = person(v, &field) else { continue };
        match control_rule(catalog, k) {
            Ok((framework, prefix)) => owners.controls.push(ControlRule {
                framework,
                prefix,
                person: p,
            }),
            Err((code, msg)) => problems.push(Diagnostic::error(code, at(v.span(), &field), msg)),
        }
    }
    for d in problems {
        diags.push(d);
    }
    owners
}

/// A `controls` key (`framework:control-or-prefix`) as (framework ID, prefix as the catalog
/// spells it).
fn control_rule(catalog: &Catalog, key: &str) -> Result<(String, String), (Code, String)> {
    let Some((f, c)) = key.split_once(':') else {
        return Err((
            Code::BadId,
            format!("`{key}` is not framework:control (e.g. pci-dss-4.0.1:8 or soc2-2017:CC6)"),
        ));
    };
    let fw: &Framework = catalog
        .framework(f)
        .map_err(|e| (Code::UnknownFramework, e.to_string()))?;
    let c = c.trim();
    if let Ok(control) = fw.resolve(c) {
        return Ok((fw.id.clone(), control.id.clone()));
    }
    match fw.controls.iter().find(|x| covers(c, &x.id)) {
        Some(x) => Ok((fw.id.clone(), x.id[..c.len()].to_string())),
        None => Err((
            Code::UnknownControl,
            format!("no control of {} is `{c}` or under it", fw.id),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_covers_the_controls_under_it_only() {
        assert!(covers("8", "8"));
        assert!(covers("8", "8.3.1"));
        assert!(!covers("8", "80.1"));
        assert!(covers("cc6", "CC6.1"));
        assert!(!covers("CC6.1", "CC6.10"));
        assert!(covers("164.308", "164.308(a)(1)(ii)(A)"));
        assert!(!covers("A", "A1.1"));
        assert!(covers("A.5", "A.5.15"));
    }
}

//! The Statement of Applicability: every control of every framework on every system of a scope,
//! applicable or not, and why not (the scope's exclusion with its reason, or the entity profile
//! its applicability settings describe). The gap report carries it; `srmap soa` writes it alone.

use jiff::civil::Date;
use serde::Serialize;

use crate::input::scope::Scope;
use crate::record::Record;

/// One control on one system.
#[derive(Debug, Clone, Serialize)]
pub struct SoaRow {
    pub system: String,
    pub framework: String,
    pub control: String,
    pub title: String,
    pub group: String,
    /// `applicable`, `not-applicable` (the entity profile) or `excluded` (by ID, with a reason).
    pub status: &'static str,
    /// Why: the exclusion's reason, the profile's, or for a control kept by a setting which one.
    pub reason: String,
}

impl SoaRow {
    pub fn applies(&self) -> bool {
        self.status == "applicable"
    }
}

/// The counts for one framework on one system, with the settings in force.
#[derive(Debug, Clone, Serialize)]
pub struct SoaSummary {
    pub system: String,
    pub framework: String,
    /// The framework's name and version.
    pub name: String,
    /// The applicability settings in force (`entity = "merchant"; designated-entity = false`);
    /// empty when the scope sets none (every control applies unless excluded by ID).
    pub profile: String,
    pub applicable: usize,
    pub not_applicable: usize,
    pub excluded: usize,
}

/// The Statement of Applicability of a scope.
#[derive(Debug, Clone, Serialize)]
pub struct StatementOfApplicability {
    pub organization: String,
    pub period_start: Date,
    pub period_end: Date,
    pub scope_file: String,
    /// One per system and framework, in scope order.
    pub summaries: Vec<SoaSummary>,
    /// Every control that places a duty, system by system, framework by framework, in catalog
    /// order.
    pub rows: Vec<SoaRow>,
}

impl StatementOfApplicability {
    /// The statement of every system and framework of `scope`.
    /// A statement with the scope's heading and no systems (for reports that do not list one).
    pub fn empty(scope: &Scope<'_>) -> StatementOfApplicability {
        StatementOfApplicability {
            organization: scope.organization.clone(),
            period_start: scope.period.start,
            period_end: scope.period.end,
            scope_file: scope.file.clone(),
            summaries: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub fn build(scope: &Scope<'_>) -> StatementOfApplicability {
        let mut soa = Self::empty(scope);
        let (summaries, rows) = (&mut soa.summaries, &mut soa.rows);
        for sys in &scope.systems {
            for fw in &sys.frameworks {
                let mut sum = SoaSummary {
                    system: sys.name.clone(),
                    framework: fw.id.clone(),
                    name: format!("{} {}", fw.name, fw.version),
                    profile: sys
                        .applicability_of(&fw.id)
                        .map(|a| a.profile())
                        .unwrap_or_default(),
                    applicable: 0,
                    not_applicable: 0,
                    excluded: 0,
                };
                for control in fw.obligations() {
                    let applies = sys.applies(fw, control);
                    match applies.status() {
                        "applicable" => sum.applicable += 1,
                        "excluded" => sum.excluded += 1,
                        _ => sum.not_applicable += 1,
                    }
                    rows.push(SoaRow {
                        system: sys.name.clone(),
                        framework: fw.id.clone(),
                        control: control.id.clone(),
                        title: control.title.clone(),
                        group: control.group.clone(),
                        status: applies.status(),
                        reason: applies.reason().to_string(),
                    });
                }
                summaries.push(sum);
            }
        }
        soa
    }

    /// The rows of controls that do not apply (not applicable or excluded), in order.
    pub fn left_out(&self) -> impl Iterator<Item = &SoaRow> {
        self.rows.iter().filter(|r| !r.applies())
    }
}

impl Record for SoaRow {
    fn columns() -> &'static [&'static str] {
        &[
            "system",
            "framework",
            "control",
            "title",
            "group",
            "status",
            "reason",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.system.clone(),
            self.framework.clone(),
            self.control.clone(),
            self.title.clone(),
            self.group.clone(),
            self.status.to_string(),
            self.reason.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["system", "framework", "control", "status", "reason"]
    }
}

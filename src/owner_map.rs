//! The owner map: for each control of a framework on an offering, who owns it and why, as
//! report rows built on the ownership rule.

use serde::Serialize;

use crate::cadence::Cadence;
use crate::framework::{Control, Framework};
use crate::offering::Offering;
use crate::ownership::{decide_across, decide_with, Assumptions, Basis, Decision, FactUse};
use crate::party::Party;

/// One line of the owner map.
#[derive(Debug, Clone, Serialize)]
pub struct MapRow {
    pub framework: String,
    pub control: String,
    pub title: String,
    pub offering: String,
    pub owner: Party,
    pub basis: String,
    pub customer_duty: String,
    pub provider_duty: String,
    pub layers: Vec<String>,
    pub cadence: Cadence,
    pub evidence: String,
    /// The public page(s) behind the decision: the matrix row's source, the facts' pages, or
    /// the offering's matrix.
    pub source: String,
    /// The per-service facts that decided parts of the owner.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactUse>,
}

impl MapRow {
    /// The row of one control on one offering, decided under `assume`.
    pub fn new(
        framework: &Framework,
        control: &Control,
        offering: &Offering,
        assume: Assumptions,
    ) -> MapRow {
        MapRow::decided(
            framework,
            control,
            offering,
            decide_with(offering, framework, control, assume),
        )
    }

    /// The row of one control on one offering, from the decision already made.
    pub fn decided(
        framework: &Framework,
        control: &Control,
        offering: &Offering,
        d: Decision,
    ) -> MapRow {
        let facts: Vec<FactUse> = d.basis.facts().into_iter().cloned().collect();
        let source = match &d.basis {
            Basis::Override { source, .. } => source.clone(),
            Basis::Carried { file, .. } => file.clone(),
            _ if !facts.is_empty() => {
                let mut pages: Vec<&str> = Vec::new();
                for f in &facts {
                    if !pages.contains(&f.source.as_str()) {
                        pages.push(&f.source);
                    }
                }
                pages.join("; ")
            }
            _ => offering
                .sources
                .first()
                .map(|s| s.url.clone())
                .unwrap_or_default(),
        };
        MapRow {
            framework: framework.id.clone(),
            control: control.id.clone(),
            title: control.title.clone(),
            offering: offering.id.clone(),
            owner: d.owner,
            basis: d.basis.describe(),
            customer_duty: d.customer_duty,
            provider_duty: d.provider_duty,
            layers: control.layers.clone(),
            cadence: control.cadence,
            evidence: control.evidence.clone(),
            source,
            facts,
        }
    }
}

/// The owner map: framework by framework, control by control (file order), offering by offering.
/// Informative rows are left out. `only` limits it to some controls of a framework.
pub fn owner_map(
    frameworks: &[&Framework],
    offerings: &[&Offering],
    only: &[(&Framework, &Control)],
    assume: Assumptions,
) -> Vec<MapRow> {
    let mut rows = Vec::new();
    for fw in frameworks {
        for control in fw.obligations() {
            if !only.is_empty()
                && !only
                    .iter()
                    .any(|(f, c)| f.id == fw.id && c.id == control.id)
            {
                continue;
            }
            for off in offerings {
                rows.push(MapRow::new(fw, control, off, assume));
            }
        }
    }
    rows
}

/// One framework's owner map on a system's offerings, control by control, with each control's
/// owner across the offerings: what a system security plan is written from.
#[derive(Debug, Clone)]
pub struct SystemPlan<'c> {
    pub framework: &'c Framework,
    pub offerings: Vec<&'c Offering>,
    /// Whether the organisation's own premises are in the assessment (the run's assumptions
    /// applied to the framework).
    pub premises: bool,
    /// The controls kept, in file order.
    pub controls: Vec<PlanControl>,
    /// What narrowed the plan (`controls 8.3.1; owners customer`), or `None` for every control
    /// of the framework. A narrowed plan is another document than the whole one.
    pub selection: Option<String>,
}

/// One control of a [`SystemPlan`].
#[derive(Debug, Clone)]
pub struct PlanControl {
    pub control: String,
    /// The evidence the framework asks for.
    pub evidence: String,
    /// The owner across the system's offerings.
    pub owner: Party,
    /// One row per offering, in the order of [`SystemPlan::offerings`].
    pub rows: Vec<MapRow>,
}

/// The plan for one framework on some offerings. Informative rows are left out; `only` limits
/// it to some controls of a framework (empty: all), as in [`owner_map`], and `owners` to
/// controls whose owner across the offerings is one of these (empty: any).
pub fn system_plan<'c>(
    framework: &'c Framework,
    offerings: &[&'c Offering],
    only: &[(&Framework, &Control)],
    owners: &[Party],
    assume: Assumptions,
) -> SystemPlan<'c> {
    let controls: Vec<PlanControl> = framework
        .obligations()
        .filter(|c| {
            only.is_empty()
                || only
                    .iter()
                    .any(|(f, o)| f.id == framework.id && o.id == c.id)
        })
        .filter_map(|c| {
            let decided = decide_across(offerings, framework, c, assume);
            if !owners.is_empty() && !owners.contains(&decided.owner) {
                return None;
            }
            Some(PlanControl {
                control: c.id.clone(),
                evidence: c.evidence.clone(),
                owner: decided.owner,
                rows: decided
                    .each
                    .into_iter()
                    .map(|(o, d)| MapRow::decided(framework, c, o, d))
                    .collect(),
            })
        })
        .collect();
    let mut said = Vec::new();
    if !only.is_empty() {
        let ids: Vec<&str> = only.iter().map(|(_, c)| c.id.as_str()).collect();
        said.push(format!("controls {}", ids.join(", ")));
    }
    if !owners.is_empty() {
        let names: Vec<&str> = owners.iter().map(|p| p.as_str()).collect();
        said.push(format!("owners {}", names.join(", ")));
    }
    SystemPlan {
        framework,
        offerings: offerings.to_vec(),
        premises: assume.premises_in(framework),
        // Filters that keep every control leave the whole plan.
        selection: (controls.len() < framework.obligations().count()).then(|| said.join("; ")),
        controls,
    }
}

impl crate::record::Record for MapRow {
    fn columns() -> &'static [&'static str] {
        &[
            "framework",
            "control",
            "title",
            "offering",
            "owner",
            "basis",
            "customer_duty",
            "provider_duty",
            "layers",
            "cadence",
            "evidence",
            "source",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.framework.clone(),
            self.control.clone(),
            self.title.clone(),
            self.offering.clone(),
            self.owner.to_string(),
            self.basis.clone(),
            self.customer_duty.clone(),
            self.provider_duty.clone(),
            self.layers.join("; "),
            self.cadence.to_string(),
            self.evidence.clone(),
            self.source.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "framework",
            "control",
            "title",
            "offering",
            "owner",
            "basis",
        ]
    }
}

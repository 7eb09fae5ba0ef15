//! The join: for each control of a framework on an offering, who owns it and why.

use serde::Serialize;

use crate::cadence::Cadence;
use crate::framework::{Control, Framework};
use crate::offering::Offering;
use crate::party::Party;

/// How an owner was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// From the owners of the control's layers on the offering (in layer order).
    Layers(Vec<(String, Party)>),
    /// A per-control row of the offering's matrix decided it.
    Override { file: String, source: String },
    /// Rows over another framework decided it, through a crosswalk.
    Carried {
        file: String,
        via: Vec<(String, String, Party, crate::crosswalk::Relationship)>,
        uncovered: usize,
        layer_owner: Option<Party>,
    },
    /// The row places no duty (an informative GDPR article).
    Informative,
}

impl Basis {
    pub fn describe(&self) -> String {
        match self {
            Basis::Layers(parts) => {
                let list: Vec<String> = parts.iter().map(|(l, p)| format!("{l}={p}")).collect();
                format!("layers: {}", list.join(", "))
            }
            Basis::Override { file, source } => {
                format!("matrix row in {file} overrides the layer rule (source: {source})")
            }
            Basis::Carried {
                file,
                via,
                uncovered,
                layer_owner,
            } => {
                let framework = via.first().map(|v| v.0.as_str()).unwrap_or("");
                let list: Vec<String> = via
                    .iter()
                    .map(|(_, c, p, r)| format!("{c}={p} ({r})"))
                    .collect();
                let rest = match layer_owner {
                    Some(p) => format!("; {uncovered} other mapped control(s) have no row, so the layer rule ({p}) counts too"),
                    None => String::new(),
                };
                format!(
                    "via crosswalk from the {framework} rows in {file}: {}{rest}",
                    list.join(", ")
                )
            }
            Basis::Informative => "informative: places no duty".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub owner: Party,
    pub basis: Basis,
    pub customer_duty: String,
    pub provider_duty: String,
}

impl Decision {
    /// A decision made by a matrix row: its duty sentences, or a stock sentence where the row
    /// gives none (`fallback` when the party does take part).
    fn from_row(
        owner: Party,
        basis: Basis,
        customer: &str,
        provider: &str,
        fallback: &str,
    ) -> Decision {
        let text = |given: &str, involved: bool, none: &str| match (given.is_empty(), involved) {
            (false, _) => given.to_string(),
            (true, true) => fallback.to_string(),
            (true, false) => none.to_string(),
        };
        Decision {
            owner,
            basis,
            customer_duty: text(customer, owner.customer_involved(), NO_CUSTOMER_DUTY),
            provider_duty: text(provider, owner.provider_involved(), NO_PROVIDER_DUTY),
        }
    }
}

const NO_CUSTOMER_DUTY: &str =
    "Nothing to operate: obtain the provider's attestation for this control and review it.";
const NO_PROVIDER_DUTY: &str = "None on this offering: the customer operates this control.";

/// Duty sentences joined with spaces, each once, empty ones left out.
pub fn join_sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(" ")
}

/// Decide the owner of one control on one offering.
pub fn decide(offering: &Offering, framework: &Framework, control: &Control) -> Decision {
    if control.is_informative() {
        return Decision {
            owner: Party::NotApplicable,
            basis: Basis::Informative,
            customer_duty: String::new(),
            provider_duty: String::new(),
        };
    }
    if let Some(row) = offering.override_for(&framework.id, &control.id) {
        let basis = Basis::Override {
            file: offering.file.clone(),
            source: row.source.clone(),
        };
        return Decision::from_row(row.owner, basis, &row.customer, &row.provider, "");
    }
    if let Some(c) = offering.carried_for(&framework.id, &control.id) {
        let basis = Basis::Carried {
            file: offering.file.clone(),
            via: c.via.clone(),
            uncovered: c.uncovered,
            layer_owner: c.layer_owner,
        };
        return Decision::from_row(
            c.owner,
            basis,
            &c.customer,
            &c.provider,
            "See the mapped controls' rows.",
        );
    }
    let parts: Vec<(String, Party)> = control
        .layers
        .iter()
        .map(|l| {
            let owner = offering
                .layer(l)
                .map(|d| d.owner)
                .unwrap_or(Party::NotApplicable);
            (l.clone(), owner)
        })
        .collect();
    let owner = Party::combine(parts.iter().map(|(_, p)| *p));
    let duties = |pick: fn(Party) -> bool, text: fn(&crate::offering::LayerDuty) -> &str| {
        join_sentences(
            control
                .layers
                .iter()
                .filter_map(|l| offering.layer(l))
                .filter(|d| pick(d.owner))
                .map(text),
        )
    };
    let customer = duties(Party::customer_involved, |d| d.customer.as_str());
    let provider = duties(Party::provider_involved, |d| d.provider.as_str());
    Decision {
        owner,
        basis: Basis::Layers(parts),
        customer_duty: if customer.is_empty() {
            NO_CUSTOMER_DUTY.to_string()
        } else {
            customer
        },
        provider_duty: if provider.is_empty() {
            NO_PROVIDER_DUTY.to_string()
        } else {
            provider
        },
    }
}

/// The customer's share of a control's layers on an offering, in half-layers: 2 for each
/// customer-owned layer, 1 for each shared one. Finer than the owner (a `shared` control can
/// still hand more of its layers to the provider), so migrations and comparisons can rank it.
pub fn customer_layer_share(offering: &Offering, control: &Control) -> u32 {
    control
        .layers
        .iter()
        .filter_map(|l| offering.layer(l))
        .map(|d| d.owner.customer_share() as u32)
        .sum()
}

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
    /// Where the offering's matrix comes from.
    pub source: String,
}

impl MapRow {
    pub fn new(framework: &Framework, control: &Control, offering: &Offering) -> MapRow {
        let d = decide(offering, framework, control);
        let source = match &d.basis {
            Basis::Override { source, .. } => source.clone(),
            Basis::Carried { file, .. } => file.clone(),
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
        }
    }
}

/// The owner map: framework by framework, control by control (file order), offering by offering.
/// Informative rows are left out. `only` limits it to some controls of a framework.
pub fn owner_map(
    frameworks: &[&Framework],
    offerings: &[&Offering],
    only: &[(&Framework, &Control)],
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
                rows.push(MapRow::new(fw, control, off));
            }
        }
    }
    rows
}

impl crate::render::Record for MapRow {
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

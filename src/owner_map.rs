//! The join: for each control of a framework on an offering, who owns it and why.

use serde::Serialize;

use crate::cadence::Cadence;
use crate::framework::{Control, Framework};
use crate::offering::Offering;
use crate::party::Party;

/// What the scope assumes beyond the offerings: whether the organisation's own premises
/// (offices, workstations, paper records) are in the assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assumptions {
    /// `None`: the framework's default (`premises` in its header).
    pub premises: Option<bool>,
}

impl Assumptions {
    pub fn premises(premises: Option<bool>) -> Self {
        Assumptions { premises }
    }

    pub fn premises_in(&self, framework: &Framework) -> bool {
        self.premises.unwrap_or(framework.premises)
    }
}

/// A fact that decided a layer's part of a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactUse {
    pub feature: String,
    pub default: String,
    pub responsibility: Party,
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mcsb: String,
}

/// What decided one layer's part of a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartFrom {
    /// The offering's matrix: the layer's owner.
    Layer,
    /// The offering's facts about the features the control depends on.
    Facts(Vec<FactUse>),
    /// The scope: the customer's own premises, in scope or not.
    Premises(bool),
}

/// One layer's part in a control's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub layer: String,
    pub owner: Party,
    pub from: PartFrom,
}

impl Part {
    pub fn describe(&self) -> String {
        let Part { layer, owner, from } = self;
        match from {
            PartFrom::Layer => format!("{layer}={owner}"),
            PartFrom::Premises(true) => format!("{layer}={owner} (own premises in scope)"),
            PartFrom::Premises(false) => {
                format!("{layer}={owner} (own premises out of scope: system-only assessment)")
            }
            PartFrom::Facts(facts) => {
                let list: Vec<String> = facts
                    .iter()
                    .map(|f| format!("{} {}: {}", f.feature, f.default, f.responsibility))
                    .collect();
                format!("{layer}={owner} (fact {})", list.join("; "))
            }
        }
    }
}

/// How an owner was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// From the parts of the control's layers on the offering (in layer order).
    Layers(Vec<Part>),
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
                let list: Vec<String> = parts.iter().map(Part::describe).collect();
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

    /// The basis in a few words, for a report cell: which layers each party runs, the facts
    /// and the premises case; or the matrix row or crosswalk that decided.
    pub fn brief(&self) -> String {
        match self {
            Basis::Layers(parts) => {
                let mut out: Vec<String> = Vec::new();
                let groups: Vec<(Party, Vec<&str>)> =
                    [Party::Provider, Party::Shared, Party::Customer]
                        .into_iter()
                        .map(|party| {
                            let list = parts
                                .iter()
                                .filter(|p| p.owner == party)
                                .map(|p| p.layer.as_str())
                                .collect::<Vec<_>>();
                            (party, list)
                        })
                        .filter(|(_, list)| !list.is_empty())
                        .collect();
                // One party runs every part: the owner says who, the layers say where.
                let single = groups.len() == 1;
                for (party, list) in groups {
                    out.push(if single {
                        list.join(", ")
                    } else {
                        format!("{party}: {}", list.join(", "))
                    });
                }
                let facts: Vec<String> = self
                    .facts()
                    .iter()
                    .map(|f| format!("{} {}", f.feature, f.default))
                    .collect();
                if !facts.is_empty() {
                    out.push(format!("facts: {}", facts.join(", ")));
                }
                if let Some(p) = parts.iter().find_map(|p| match p.from {
                    PartFrom::Premises(inside) => Some(inside),
                    _ => None,
                }) {
                    out.push(if p {
                        "own premises in scope".into()
                    } else {
                        "own premises out of scope".into()
                    });
                }
                out.join("; ")
            }
            Basis::Override { source, .. } => format!("matrix row ({source})"),
            Basis::Carried { via, .. } => format!(
                "crosswalk from {} rows",
                via.first().map(|v| v.0.as_str()).unwrap_or("mapped")
            ),
            Basis::Informative => "informative".into(),
        }
    }

    /// The facts that decided parts of the owner (empty unless the layers decided it).
    pub fn facts(&self) -> Vec<&FactUse> {
        match self {
            Basis::Layers(parts) => parts
                .iter()
                .flat_map(|p| match &p.from {
                    PartFrom::Facts(f) => f.iter().collect(),
                    _ => Vec::new(),
                })
                .collect(),
            _ => Vec::new(),
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
const NOT_APPLICABLE_DUTY: &str =
    "Not applicable here: none of the layers this control applies to is in play on this offering (see the basis).";
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

/// Decide the owner of one control on one offering, with the framework's default assumptions.
pub fn decide(offering: &Offering, framework: &Framework, control: &Control) -> Decision {
    decide_with(offering, framework, control, Assumptions::default())
}

/// One layer's part in a control on an offering, with the sentences of each party's duty.
#[derive(Debug, Clone)]
pub struct LayerPart {
    pub part: Part,
    pub provider: Vec<String>,
    pub customer: Vec<String>,
}

/// The parts of a control's layers on an offering: the layer's owner, or the offering's facts
/// about the features the control depends on in that layer, or (for the customer's premises)
/// the scope.
pub fn layer_parts(
    offering: &Offering,
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> Vec<LayerPart> {
    control
        .layers
        .iter()
        .map(|l| {
            let Some(duty) = offering.layer(l) else {
                return LayerPart {
                    part: Part {
                        layer: l.clone(),
                        owner: Party::NotApplicable,
                        from: PartFrom::Layer,
                    },
                    provider: Vec::new(),
                    customer: Vec::new(),
                };
            };
            if duty.scope {
                let inside = assume.premises_in(framework);
                return LayerPart {
                    part: Part {
                        layer: l.clone(),
                        owner: if inside {
                            duty.owner
                        } else {
                            Party::NotApplicable
                        },
                        from: PartFrom::Premises(inside),
                    },
                    provider: Vec::new(),
                    customer: if inside {
                        vec![duty.customer.clone()]
                    } else {
                        Vec::new()
                    },
                };
            }
            // A feature the service does not have (`not-applicable`) leaves the layer's owner.
            let facts: Vec<&crate::offering::Fact> = control
                .features
                .iter()
                .filter_map(|f| offering.fact(f))
                .filter(|f| f.layer == *l && f.responsibility != Party::NotApplicable)
                .collect();
            if facts.is_empty() {
                let owner = duty.owner;
                return LayerPart {
                    part: Part {
                        layer: l.clone(),
                        owner,
                        from: PartFrom::Layer,
                    },
                    provider: if owner.provider_involved() {
                        vec![duty.provider.clone()]
                    } else {
                        Vec::new()
                    },
                    customer: if owner.customer_involved() {
                        vec![duty.customer.clone()]
                    } else {
                        Vec::new()
                    },
                };
            }
            let owner = Party::combine(facts.iter().map(|f| f.responsibility));
            LayerPart {
                part: Part {
                    layer: l.clone(),
                    owner,
                    from: PartFrom::Facts(
                        facts
                            .iter()
                            .map(|f| FactUse {
                                feature: f.feature.clone(),
                                default: f.default.clone(),
                                responsibility: f.responsibility,
                                source: f.source.clone(),
                                mcsb: f.mcsb.clone(),
                            })
                            .collect(),
                    ),
                },
                provider: facts.iter().map(|f| f.provider.clone()).collect(),
                customer: facts
                    .iter()
                    .filter(|f| f.responsibility.customer_involved())
                    .map(|f| f.customer_action.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Decide the owner of one control on one offering.
pub fn decide_with(
    offering: &Offering,
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> Decision {
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
        // Mapped controls without a row: the layer rule speaks for them, under this run's
        // assumptions (the customer's premises), not the framework's defaults.
        let layer_owner = (c.uncovered > 0).then(|| {
            Party::combine(
                layer_parts(offering, framework, control, assume)
                    .iter()
                    .map(|p| p.part.owner),
            )
        });
        let owner = Party::combine(c.via.iter().map(|v| v.2).chain(layer_owner));
        let basis = Basis::Carried {
            file: offering.file.clone(),
            via: c.via.clone(),
            uncovered: c.uncovered,
            layer_owner,
        };
        return Decision::from_row(
            owner,
            basis,
            &c.customer,
            &c.provider,
            "See the mapped controls' rows.",
        );
    }
    let parts = layer_parts(offering, framework, control, assume);
    let owner = Party::combine(parts.iter().map(|p| p.part.owner));
    // The control's own duty sentence, where the catalog gives one, then what the offering's
    // facts add; otherwise the sentences of the layers the party runs.
    let sentences = |own: &str, of: fn(&LayerPart) -> &Vec<String>| {
        if own.is_empty() {
            join_sentences(parts.iter().flat_map(|p| of(p).iter().map(String::as_str)))
        } else {
            join_sentences(
                std::iter::once(own).chain(
                    parts
                        .iter()
                        .filter(|p| matches!(p.part.from, PartFrom::Facts(_)))
                        .flat_map(|p| of(p).iter().map(String::as_str)),
                ),
            )
        }
    };
    let customer = if owner.customer_involved() {
        sentences(&control.customer_duty, |p| &p.customer)
    } else {
        String::new()
    };
    let provider = if owner.provider_involved() {
        sentences(&control.provider_duty, |p| &p.provider)
    } else {
        String::new()
    };
    if owner == Party::NotApplicable {
        return Decision {
            owner,
            basis: Basis::Layers(parts.into_iter().map(|p| p.part).collect()),
            customer_duty: NOT_APPLICABLE_DUTY.to_string(),
            provider_duty: NOT_APPLICABLE_DUTY.to_string(),
        };
    }
    Decision {
        owner,
        basis: Basis::Layers(parts.into_iter().map(|p| p.part).collect()),
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
/// customer-owned part, 1 for each shared one (facts and the premises count as they do for the
/// owner). Finer than the owner (a `shared` control can still hand more of its layers to the
/// provider), so migrations and comparisons can rank it.
pub fn customer_layer_share(
    offering: &Offering,
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> u32 {
    layer_parts(offering, framework, control, assume)
        .iter()
        .map(|p| p.part.owner.customer_share() as u32)
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
    /// The public page(s) behind the decision: the matrix row's source, the facts' pages, or
    /// the offering's matrix.
    pub source: String,
    /// The per-service facts that decided parts of the owner.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactUse>,
}

impl MapRow {
    pub fn new(
        framework: &Framework,
        control: &Control,
        offering: &Offering,
        assume: Assumptions,
    ) -> MapRow {
        let d = decide_with(offering, framework, control, assume);
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

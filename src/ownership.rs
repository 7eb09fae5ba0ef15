//! The ownership rule: who owns one control on one offering and why ([`decide`], [`Basis`]),
//! each layer's part in it ([`layer_parts`]), the customer's share of the layers, and the one
//! rule that combines owners across a system's offerings ([`decide_across`]). Engines build their
//! reports on this; catalog loading never runs it.

use serde::Serialize;

use crate::framework::{Control, Framework};
use crate::offering::Offering;
use crate::party::Party;
use crate::text::join_sentences;

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

/// Who owns one control on one offering, why, and what each party does for it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub owner: Party,
    pub basis: Basis,
    /// What the customer does (a stock sentence where it has nothing to do).
    pub customer_duty: String,
    /// What the provider does (a stock sentence where it has nothing to do).
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

/// One layer of a control on a system's offerings: each offering's part of it, combined.
#[derive(Debug, Clone)]
pub struct LayerAcross<'o> {
    /// The layer's owners combined by [`Party::combine`].
    pub owner: Party,
    /// The customer's largest part of the layer on any of the offerings, in half-layers (2
    /// customer, 1 shared): what the customer must still do for this layer somewhere.
    pub customer_share: u32,
    /// Each offering's part, in the order given.
    pub parts: Vec<(&'o Offering, LayerPart)>,
}

/// A control's layers on a system's offerings, layer by layer, in the control's layer order.
pub fn layers_across<'o>(
    offerings: &[&'o Offering],
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> Vec<LayerAcross<'o>> {
    let mut per: Vec<(&'o Offering, std::vec::IntoIter<LayerPart>)> = offerings
        .iter()
        .map(|o| (*o, layer_parts(o, framework, control, assume).into_iter()))
        .collect();
    (0..control.layers.len())
        .map(|_| {
            let parts: Vec<(&'o Offering, LayerPart)> = per
                .iter_mut()
                .filter_map(|(o, it)| it.next().map(|p| (*o, p)))
                .collect();
            LayerAcross {
                owner: Party::combine(parts.iter().map(|(_, p)| p.part.owner)),
                customer_share: parts
                    .iter()
                    .map(|(_, p)| p.part.owner.customer_share() as u32)
                    .max()
                    .unwrap_or(0),
                parts,
            }
        })
        .collect()
}

/// The customer's share of a control's layers on a system's offerings, in half-layers: for each
/// layer the customer's largest part on any offering (2 customer, 1 shared), summed. Facts and
/// the premises count as they do for the owner. Finer than the owner (a `shared` control can
/// still hand more of its layers to the provider), so migrations and comparisons can rank it;
/// both use this one rule.
pub fn customer_share_across(
    offerings: &[&Offering],
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> u32 {
    layers_across(offerings, framework, control, assume)
        .iter()
        .map(|l| l.customer_share)
        .sum()
}

/// A control's owner on a system's offerings: each offering's decision and the owners combined.
#[derive(Debug, Clone)]
pub struct SystemDecision<'o> {
    /// The owners combined: all provider -> provider, all customer -> customer, any mix ->
    /// shared; not-applicable offerings do not count, and none left means not-applicable.
    pub owner: Party,
    /// Each offering's decision, in the order given.
    pub each: Vec<(&'o Offering, Decision)>,
}

/// Decide a control on each of a system's offerings and combine the owners: the one rule every
/// report that speaks of a system (gaps, PBC, diff, compare, the OSCAL plan) uses.
pub fn decide_across<'o>(
    offerings: &[&'o Offering],
    framework: &Framework,
    control: &Control,
    assume: Assumptions,
) -> SystemDecision<'o> {
    let each: Vec<(&'o Offering, Decision)> = offerings
        .iter()
        .map(|o| (*o, decide_with(o, framework, control, assume)))
        .collect();
    SystemDecision {
        owner: Party::combine(each.iter().map(|(_, d)| d.owner)),
        each,
    }
}

/// Owners of controls on offerings, each decided once ([`decide_with`]) however many systems
/// run on the offering: a gap run of a hundred systems on a few dozen offerings asks for the
/// same owner again and again, and only the owner (not the duty sentences) is needed when
/// nothing but findings is written.
#[derive(Default)]
pub struct Owners<'c> {
    /// By the offering's and the control's place in memory (a control is one framework's), and
    /// the premises assumed: both are borrowed for `'c`, so no other takes their place.
    known: foldhash::HashMap<(usize, usize, Option<bool>), Party>,
    borrowed: std::marker::PhantomData<&'c ()>,
}

impl<'c> Owners<'c> {
    /// The owner of `control` of `framework` on `offering` ([`decide_with`]'s).
    pub fn of(
        &mut self,
        offering: &'c Offering,
        framework: &'c Framework,
        control: &'c Control,
        assume: Assumptions,
    ) -> Party {
        let key = (
            std::ptr::from_ref(offering) as usize,
            std::ptr::from_ref(control) as usize,
            assume.premises,
        );
        *self
            .known
            .entry(key)
            .or_insert_with(|| decide_with(offering, framework, control, assume).owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn catalog() -> Catalog {
        Catalog::load_with(&[] as &[&str]).expect("the built-in data loads")
    }

    #[test]
    fn owners_decided_once_are_the_owners_decided_each_time() {
        let c = catalog();
        let mut owners = Owners::default();
        for fw in ["pci-dss-4.0.1", "nist-800-53-r5-moderate"] {
            let Ok(fw) = c.framework(fw) else { continue };
            for o in ["aws/ec2", "azure/app-service", "microsoft/m365", "onprem"] {
                let o = c.offering(o).unwrap();
                for control in &fw.controls {
                    for premises in [None, Some(true), Some(false)] {
                        let assume = Assumptions::premises(premises);
                        let owner = decide_with(o, fw, control, assume).owner;
                        assert_eq!(owners.of(o, fw, control, assume), owner);
                        assert_eq!(owners.of(o, fw, control, assume), owner, "asked again");
                    }
                }
            }
        }
        assert!(owners.known.len() > 1000, "{}", owners.known.len());
    }

    /// The owner of a PCI DSS control on some offerings, combined, and on each.
    fn across(
        c: &Catalog,
        offerings: &[&str],
        control: &str,
        premises: Option<bool>,
    ) -> (Party, Vec<(String, Party)>) {
        let fw = c.framework("pci-dss-4.0.1").unwrap();
        let control = fw.control(control).unwrap();
        let offs: Vec<&Offering> = offerings.iter().map(|o| c.offering(o).unwrap()).collect();
        let decided = decide_across(&offs, fw, control, Assumptions::premises(premises));
        let each = decided
            .each
            .iter()
            .map(|(o, d)| (o.id.clone(), d.owner))
            .collect();
        (decided.owner, each)
    }

    #[test]
    fn a_provider_and_a_customer_offering_share_the_control() {
        let c = catalog();
        let (owner, each) = across(&c, &["iaas", "saas"], "1.2.3", None);
        assert_eq!(
            each,
            vec![
                ("iaas".to_string(), Party::Customer),
                ("saas".to_string(), Party::Provider)
            ]
        );
        assert_eq!(owner, Party::Shared);
    }

    #[test]
    fn offerings_that_agree_keep_their_owner() {
        let c = catalog();
        // Physical access with the premises out of scope: the providers' alone on both.
        let (owner, each) = across(&c, &["iaas", "saas"], "9.2.1", Some(false));
        assert!(each.iter().all(|(_, p)| *p == Party::Provider));
        assert_eq!(owner, Party::Provider);
        let (owner, _) = across(&c, &["iaas", "onprem"], "6.2.1", None);
        assert_eq!(owner, Party::Customer);
    }

    #[test]
    fn not_applicable_offerings_do_not_count() {
        let c = catalog();
        // CloudTrail has no application layer, the only one 6.2.1 (secure development) applies to.
        let (owner, each) = across(&c, &["aws/cloudtrail", "saas"], "6.2.1", None);
        assert_eq!(
            each[0],
            ("aws/cloudtrail".to_string(), Party::NotApplicable)
        );
        assert_eq!(owner, Party::Provider);
        let (owner, _) = across(&c, &["aws/cloudtrail"], "6.2.1", None);
        assert_eq!(owner, Party::NotApplicable);
        let (owner, each) = across(&c, &[], "6.2.1", None);
        assert!(each.is_empty());
        assert_eq!(owner, Party::NotApplicable);
    }

    #[test]
    fn each_offering_is_decided_as_on_its_own() {
        let c = catalog();
        let fw = c.framework("pci-dss-4.0.1").unwrap();
        let offs: Vec<&Offering> = ["aws/ec2", "aws/rds", "onprem"]
            .iter()
            .map(|o| c.offering(o).unwrap())
            .collect();
        let assume = Assumptions::premises(Some(false));
        for control in fw.obligations() {
            let decided = decide_across(&offs, fw, control, assume);
            for (o, d) in &decided.each {
                let alone = decide_with(o, fw, control, assume);
                assert_eq!(d.owner, alone.owner, "{} on {}", control.id, o.id);
                assert_eq!(d.basis, alone.basis);
            }
        }
    }

    #[test]
    fn the_customer_share_counts_each_layer_once_at_its_largest() {
        let c = catalog();
        let fw = c.framework("pci-dss-4.0.1").unwrap();
        let offs: Vec<&Offering> = ["aws/ec2", "aws/rds", "saas"]
            .iter()
            .map(|o| c.offering(o).unwrap())
            .collect();
        let assume = Assumptions::default();
        for control in fw.obligations() {
            let layers = layers_across(&offs, fw, control, assume);
            assert_eq!(layers.len(), control.layers.len(), "{}", control.id);
            let alone: Vec<u32> = offs
                .iter()
                .map(|o| customer_share_across(&[*o], fw, control, assume))
                .collect();
            let system = customer_share_across(&offs, fw, control, assume);
            // At least what any one offering asks of the customer, at most all of it.
            assert!(system >= *alone.iter().max().unwrap(), "{}", control.id);
            assert!(system <= alone.iter().sum(), "{}", control.id);
            for (layer, across) in control.layers.iter().zip(&layers) {
                assert_eq!(across.parts.len(), offs.len(), "{} {layer}", control.id);
                let owners = across.parts.iter().map(|(_, p)| p.part.owner);
                assert_eq!(across.owner, Party::combine(owners));
            }
        }
        // On one offering the share is that offering's, layer by layer.
        let ec2 = c.offering("aws/ec2").unwrap();
        let patching = fw.control("6.3.3").unwrap();
        let by_layer: u32 = layer_parts(ec2, fw, patching, assume)
            .iter()
            .map(|p| p.part.owner.customer_share() as u32)
            .sum();
        assert_eq!(
            customer_share_across(&[ec2], fw, patching, assume),
            by_layer
        );
        assert!(by_layer > 0);
    }
}

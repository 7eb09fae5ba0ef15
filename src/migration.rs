//! Migration review (`srmap diff`): which control duties move to the provider, which come back,
//! which become shared, and what the target needs from its providers that the source did not.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::fact_difference::{fact_differences, FactDifference};
use crate::framework::{Control, Framework};
use crate::input::scope::Scope;
use crate::offering::Offering;
use crate::ownership::{decide_across, layers_across, Assumptions, PartFrom};
use crate::party::Party;
use crate::record::Record;
use crate::text::join_sentences;

/// How a control's owner moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Now the provider's alone.
    HandedToProvider,
    /// Now shared (from the customer alone, or from the provider alone).
    NewlyShared,
    /// Now the customer's alone.
    TakenBackByCustomer,
    NewlyApplicable,
    NoLongerApplicable,
    /// Same owner, but layer duties move to the provider (EC2 to Fargate: OS patching).
    ProviderTakesMore,
    /// Same owner, but layer duties come back to the customer.
    CustomerTakesMore,
    Unchanged,
}

impl Change {
    pub const ALL: [Change; 8] = [
        Change::HandedToProvider,
        Change::NewlyShared,
        Change::TakenBackByCustomer,
        Change::ProviderTakesMore,
        Change::CustomerTakesMore,
        Change::NewlyApplicable,
        Change::NoLongerApplicable,
        Change::Unchanged,
    ];

    pub fn of(from: Party, to: Party) -> Change {
        match (from, to) {
            (a, b) if a == b => Change::Unchanged,
            (_, Party::NotApplicable) => Change::NoLongerApplicable,
            (Party::NotApplicable, _) => Change::NewlyApplicable,
            (_, Party::Provider) => Change::HandedToProvider,
            (_, Party::Shared) => Change::NewlyShared,
            (_, Party::Customer) => Change::TakenBackByCustomer,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Change::HandedToProvider => "handed-to-provider",
            Change::NewlyShared => "newly-shared",
            Change::TakenBackByCustomer => "taken-back-by-customer",
            Change::NewlyApplicable => "newly-applicable",
            Change::NoLongerApplicable => "no-longer-applicable",
            Change::ProviderTakesMore => "provider-takes-more",
            Change::CustomerTakesMore => "customer-takes-more",
            Change::Unchanged => "unchanged",
        }
    }
}

/// One control whose owner changes, or whose owner stays but whose layer duties move.
#[derive(Debug, Clone, Serialize)]
pub struct DiffRow {
    /// The system, when diffing scopes; empty when diffing offerings.
    pub system: String,
    pub framework: String,
    pub control: String,
    pub title: String,
    pub from_owner: Party,
    pub to_owner: Party,
    pub change: Change,
    /// What the customer must now do (duties it takes on or keeps in a changed form).
    pub customer_must: String,
    /// What the customer may stop doing.
    pub customer_may_stop: String,
    /// The layers whose owner moved: `operating-system: customer -> provider`, with the facts
    /// that decided a layer's part on either side.
    pub layers: String,
}

/// Counts of changes for one framework (and system).
#[derive(Debug, Clone, Serialize)]
pub struct DiffSummary {
    pub system: String,
    pub framework: String,
    pub controls: usize,
    pub handed_to_provider: usize,
    pub newly_shared: usize,
    pub taken_back_by_customer: usize,
    pub newly_applicable: usize,
    pub no_longer_applicable: usize,
    /// Owner unchanged, but some of its layer duties move.
    pub provider_takes_more: usize,
    pub customer_takes_more: usize,
    pub unchanged: usize,
}

impl DiffSummary {
    /// The counts in report order: controls, handed to provider, newly shared, taken back,
    /// provider takes more, customer takes more, newly applicable, no longer applicable, unchanged.
    pub fn counts(&self) -> [usize; 9] {
        [
            self.controls,
            self.handed_to_provider,
            self.newly_shared,
            self.taken_back_by_customer,
            self.provider_takes_more,
            self.customer_takes_more,
            self.newly_applicable,
            self.no_longer_applicable,
            self.unchanged,
        ]
    }

    pub const COUNT_NAMES: [&'static str; 9] = [
        "controls",
        "handed to provider",
        "newly shared",
        "taken back by customer",
        "same owner, provider takes more",
        "same owner, customer takes more",
        "newly applicable",
        "no longer applicable",
        "unchanged",
    ];
}

/// A provider report or agreement the target needs and the source did not.
#[derive(Debug, Clone, Serialize)]
pub struct AttestationNeed {
    pub system: String,
    pub framework: String,
    pub provider: String,
    /// Any one of these kinds meets it.
    pub kinds: Vec<AttestationKind>,
    pub agreement: bool,
    /// Controls of the framework that rely on this provider in the target.
    pub controls: usize,
    /// What the provider publishes for it, from srmap's data (empty when none is listed).
    pub published: String,
    pub portal: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Migration {
    pub from: String,
    pub to: String,
    pub rows: Vec<DiffRow>,
    pub summary: Vec<DiffSummary>,
    /// Per-service facts that differ between the source and the target (`from`, `to`).
    pub fact_changes: Vec<FactDifference>,
    pub needs: Vec<AttestationNeed>,
    /// Systems only in the target scope, or only in the source.
    pub systems_added: Vec<String>,
    pub systems_removed: Vec<String>,
}

/// One side's part of each of a control's layers: the owner combined over its offerings, the
/// customer's sentences, and the facts that decided it.
struct SidePart {
    owner: Party,
    /// The customer's largest share on any of the side's offerings (2 customer, 1 shared): finer
    /// than the combined owner, which cannot tell EC2 + RDS from Fargate + RDS.
    share: u32,
    /// Each offering's part: `aws/ec2 customer`.
    each: Vec<String>,
    customer: Vec<String>,
    facts: Vec<String>,
}

fn side_parts(
    offerings: &[&Offering],
    fw: &Framework,
    c: &Control,
    assume: Assumptions,
) -> Vec<SidePart> {
    layers_across(offerings, fw, c, assume)
        .into_iter()
        .map(|layer| {
            let mut facts = Vec::new();
            for (_, p) in &layer.parts {
                if let PartFrom::Facts(list) = &p.part.from {
                    for f in list {
                        let text = format!("{} {}", f.feature, f.default);
                        if !facts.contains(&text) {
                            facts.push(text);
                        }
                    }
                }
            }
            SidePart {
                owner: layer.owner,
                share: layer.customer_share,
                each: layer
                    .parts
                    .iter()
                    .map(|(o, p)| format!("{} {}", o.id, p.part.owner))
                    .collect(),
                customer: layer
                    .parts
                    .iter()
                    .filter(|(_, p)| p.part.owner.customer_involved())
                    .flat_map(|(_, p)| p.customer.iter().cloned())
                    .collect(),
                facts,
            }
        })
        .collect()
}

/// Which provider attestation groups a side needs for a framework: (provider, kinds) with the
/// number of controls relying on that provider.
fn needs_of(
    offerings: &[&Offering],
    fw: &Framework,
    assume: Assumptions,
) -> Vec<(String, Vec<AttestationKind>, bool, usize)> {
    let mut out = Vec::new();
    let providers: BTreeSet<&str> = offerings.iter().map(|o| o.provider.as_str()).collect();
    for provider in providers {
        let mine: Vec<&Offering> = offerings
            .iter()
            .copied()
            .filter(|o| o.provider == provider)
            .collect();
        let relying = fw
            .obligations()
            .filter(|c| {
                decide_across(&mine, fw, c, assume)
                    .owner
                    .provider_involved()
            })
            .count();
        if relying == 0 || provider == "generic" {
            continue;
        }
        let groups = fw
            .attestations
            .iter()
            .map(|g| (g.clone(), false))
            .chain(fw.agreements.iter().map(|&a| (vec![a], true)));
        for (kinds, agreement) in groups {
            out.push((provider.to_string(), kinds, agreement, relying));
        }
    }
    out
}

/// Diff two sets of offerings under some frameworks. `system` labels the rows.
pub fn diff_offerings(
    catalog: &Catalog,
    system: &str,
    from: &[&Offering],
    to: &[&Offering],
    frameworks: &[&Framework],
    (before, after): (Assumptions, Assumptions),
    out: &mut Migration,
) {
    for change in fact_differences(
        catalog,
        &[("from".to_string(), from), ("to".to_string(), to)],
        frameworks,
    ) {
        if !out
            .fact_changes
            .iter()
            .any(|c| c.feature == change.feature && c.sides.values().eq(change.sides.values()))
        {
            out.fact_changes.push(change);
        }
    }
    for fw in frameworks {
        let mut sum = DiffSummary {
            system: system.to_string(),
            framework: fw.id.clone(),
            controls: 0,
            handed_to_provider: 0,
            newly_shared: 0,
            taken_back_by_customer: 0,
            newly_applicable: 0,
            no_longer_applicable: 0,
            provider_takes_more: 0,
            customer_takes_more: 0,
            unchanged: 0,
        };
        for c in fw.obligations() {
            sum.controls += 1;
            let (a, b) = (
                decide_across(from, fw, c, before).owner,
                decide_across(to, fw, c, after).owner,
            );
            let (pa, pb) = (
                side_parts(from, fw, c, before),
                side_parts(to, fw, c, after),
            );
            let mut change = Change::of(a, b);
            if change == Change::Unchanged {
                let share = |side: &[SidePart]| side.iter().map(|p| p.share).sum::<u32>();
                let (sa, sb) = (share(&pa), share(&pb));
                if sb < sa {
                    change = Change::ProviderTakesMore;
                } else if sb > sa {
                    change = Change::CustomerTakesMore;
                }
            }
            match change {
                Change::HandedToProvider => sum.handed_to_provider += 1,
                Change::NewlyShared => sum.newly_shared += 1,
                Change::TakenBackByCustomer => sum.taken_back_by_customer += 1,
                Change::NewlyApplicable => sum.newly_applicable += 1,
                Change::NoLongerApplicable => sum.no_longer_applicable += 1,
                Change::ProviderTakesMore => sum.provider_takes_more += 1,
                Change::CustomerTakesMore => sum.customer_takes_more += 1,
                Change::Unchanged => sum.unchanged += 1,
            }
            if change == Change::Unchanged {
                continue;
            }
            let mut must: Vec<&str> = Vec::new();
            let mut stop: Vec<&str> = Vec::new();
            let mut moved = Vec::new();
            for ((l, sa), sb) in c.layers.iter().zip(&pa).zip(&pb) {
                let (la, lb) = (sa.owner, sb.owner);
                if la == lb && sa.share == sb.share {
                    continue;
                }
                let why = match (sa.facts.is_empty(), sb.facts.is_empty()) {
                    (true, true) => String::new(),
                    (false, true) => format!(" (fact before: {})", sa.facts.join(", ")),
                    (true, false) => format!(" (fact: {})", sb.facts.join(", ")),
                    (false, false) => format!(
                        " (facts: {} -> {})",
                        sa.facts.join(", "),
                        sb.facts.join(", ")
                    ),
                };
                if la == lb {
                    let way = if sb.share < sa.share { "less" } else { "more" };
                    moved.push(format!(
                        "{l}: {la} -> {lb}, {way} of it the customer's ({} -> {}){why}",
                        sa.each.join(" + "),
                        sb.each.join(" + ")
                    ));
                } else {
                    moved.push(format!("{l}: {la} -> {lb}{why}"));
                }
                // What the customer takes on or does differently; what it may stop only where
                // it no longer has a part in the layer.
                must.extend(
                    sb.customer
                        .iter()
                        .filter(|t| !sa.customer.contains(t))
                        .map(String::as_str),
                );
                if !lb.customer_involved() {
                    stop.extend(sa.customer.iter().map(String::as_str));
                }
            }
            let (must, stop) = (join_sentences(must), join_sentences(stop));
            out.rows.push(DiffRow {
                system: system.to_string(),
                framework: fw.id.clone(),
                control: c.id.clone(),
                title: c.title.clone(),
                from_owner: a,
                to_owner: b,
                change,
                customer_must: if must.is_empty() && b.customer_involved() {
                    "As before.".into()
                } else {
                    must
                },
                customer_may_stop: stop,
                layers: if moved.is_empty() {
                    "matrix rows for this control differ".into()
                } else {
                    moved.join("; ")
                },
            });
        }
        out.summary.push(sum);
        let needed_before = needs_of(from, fw, before);
        for (provider, kinds, agreement, controls) in needs_of(to, fw, after) {
            if needed_before
                .iter()
                .any(|(p, k, _, _)| *p == provider && *k == kinds)
            {
                continue;
            }
            let published = kinds.iter().find_map(|k| catalog.published(&provider, *k));
            out.needs.push(AttestationNeed {
                system: system.to_string(),
                framework: fw.id.clone(),
                provider,
                kinds,
                agreement,
                controls,
                published: published.map(|p| p.name.clone()).unwrap_or_default(),
                portal: published.map(|p| p.portal.clone()).unwrap_or_default(),
            });
        }
    }
}

impl Migration {
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Migration {
        Migration {
            from: from.into(),
            to: to.into(),
            rows: Vec::new(),
            summary: Vec::new(),
            fact_changes: Vec::new(),
            needs: Vec::new(),
            systems_added: Vec::new(),
            systems_removed: Vec::new(),
        }
    }

    /// Diff two scopes system by system (matched by name), under the target's frameworks, each
    /// side with its systems' `premises` (or `premises` for both when given).
    pub fn of_scopes(
        catalog: &Catalog,
        from: &Scope<'_>,
        to: &Scope<'_>,
        premises: Option<bool>,
    ) -> Migration {
        let mut m = Migration::new(from.file.clone(), to.file.clone());
        for sys in &to.systems {
            let Some(before) = from.system(&sys.name) else {
                m.systems_added.push(sys.name.clone());
                continue;
            };
            diff_offerings(
                catalog,
                &sys.name,
                &before.offerings,
                &sys.offerings,
                &sys.frameworks,
                match premises {
                    Some(_) => (
                        Assumptions::premises(premises),
                        Assumptions::premises(premises),
                    ),
                    None => (before.assumptions(), sys.assumptions()),
                },
                &mut m,
            );
        }
        for sys in &from.systems {
            if to.system(&sys.name).is_none() {
                m.systems_removed.push(sys.name.clone());
            }
        }
        m
    }

    /// Changes counted over every system, per framework.
    pub fn count(&self, framework: &str, change: Change) -> usize {
        self.rows
            .iter()
            .filter(|r| r.framework == framework && r.change == change)
            .count()
    }
}

impl Record for DiffRow {
    fn columns() -> &'static [&'static str] {
        &[
            "system",
            "framework",
            "control",
            "title",
            "from_owner",
            "to_owner",
            "change",
            "customer_must",
            "customer_may_stop",
            "layers",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.system.clone(),
            self.framework.clone(),
            self.control.clone(),
            self.title.clone(),
            self.from_owner.to_string(),
            self.to_owner.to_string(),
            self.change.as_str().to_string(),
            self.customer_must.clone(),
            self.customer_may_stop.clone(),
            self.layers.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "system",
            "framework",
            "control",
            "title",
            "from_owner",
            "to_owner",
            "change",
        ]
    }
}

impl AttestationNeed {
    pub fn label(&self) -> String {
        self.kinds
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

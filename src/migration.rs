//! Migration review (`srmap diff`): which control duties move to the provider, which come back,
//! which become shared, and what the target needs from its providers that the source did not.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::fact_difference::{fact_differences, FactDifference};
use crate::framework::{Control, Framework};
use crate::input::applicability::Applies;
use crate::input::scope::{Scope, System};
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
    /// Controls of the framework that apply on neither side (the scope's applicability settings
    /// and exclusions): left out, not in `controls`.
    pub not_applicable: usize,
}

impl DiffSummary {
    /// The counts in report order: controls, handed to provider, newly shared, taken back,
    /// provider takes more, customer takes more, newly applicable, no longer applicable,
    /// unchanged, not applicable (left out).
    pub fn counts(&self) -> [usize; 10] {
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
            self.not_applicable,
        ]
    }

    pub const COUNT_NAMES: [&'static str; 10] = [
        "controls",
        "handed to provider",
        "newly shared",
        "taken back by customer",
        "same owner, provider takes more",
        "same owner, customer takes more",
        "newly applicable",
        "no longer applicable",
        "unchanged",
        "not applicable (left out)",
    ];
}

/// One move of duties and every control it moves: a layer that changes hands (with the facts
/// that decided it), or a change of applicability. The rows' `layers` name the same moves, so
/// each row is in at least one group and a group's sentences are said once for all its controls.
#[derive(Debug, Clone, Serialize)]
pub struct MoveGroup {
    pub system: String,
    pub framework: String,
    /// The layer that moved (empty for a change of applicability or of matrix rows only).
    pub layer: String,
    /// What moved, as the rows' `layers` say it:
    /// `network-controls: customer -> shared (fact: public-access blocked)`.
    pub moved: String,
    /// What the customer must now do for this layer.
    pub customer_must: String,
    /// What the customer may stop doing for this layer.
    pub customer_may_stop: String,
    /// The controls it moves, in framework order.
    pub controls: Vec<String>,
}

/// One side of a diff: the offerings, what the owner rule assumes, and the systems whose
/// applicability settings and exclusions decide which controls apply (for each framework the
/// first system assessed against it; none: every control applies).
#[derive(Debug, Clone, Copy)]
pub struct Side<'a, 'c> {
    pub offerings: &'a [&'c Offering],
    pub assume: Assumptions,
    pub applicability: &'a [&'a System<'c>],
}

impl Side<'_, '_> {
    fn applies(&self, fw: &Framework, c: &Control) -> Applies {
        self.applicability
            .iter()
            .find(|s| s.has_framework(&fw.id))
            .map(|s| s.applies(fw, c))
            .unwrap_or_else(|| Applies::Yes(String::new()))
    }
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
    /// The moves, each with the controls it covers: per system and framework, largest first.
    pub groups: Vec<MoveGroup>,
    /// How applicability was decided, in a sentence for the report's reader.
    pub applicability: String,
    /// Moved controls that apply only to some organisations, judged because no applicability
    /// was given: framework and control IDs.
    pub conditional: Vec<(String, String)>,
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
    side: &Side<'_, '_>,
    fw: &Framework,
) -> Vec<(String, Vec<AttestationKind>, bool, usize)> {
    let (offerings, assume) = (side.offerings, side.assume);
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
                side.applies(fw, c).applies()
                    && decide_across(&mine, fw, c, assume)
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
    source: Side<'_, '_>,
    target: Side<'_, '_>,
    frameworks: &[&Framework],
    out: &mut Migration,
) {
    let (from, to) = (source.offerings, target.offerings);
    let (before, after) = (source.assume, target.assume);
    let judged_all = source.applicability.is_empty() && target.applicability.is_empty();
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
            not_applicable: 0,
        };
        let mut groups: Vec<MoveGroup> = Vec::new();
        for c in fw.obligations() {
            let (wa, wb) = (source.applies(fw, c), target.applies(fw, c));
            if !wa.applies() && !wb.applies() {
                sum.not_applicable += 1;
                continue;
            }
            sum.controls += 1;
            let owner = |applies: &Applies, side: &[&Offering], assume| {
                if applies.applies() {
                    decide_across(side, fw, c, assume).owner
                } else {
                    Party::NotApplicable
                }
            };
            let (a, b) = (owner(&wa, from, before), owner(&wb, to, after));
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
            // Each move with its layer and the sentences it brings: (layer, moved, must, may stop).
            let mut moves: Vec<(String, String, String, String)> = Vec::new();
            if !wa.applies() || !wb.applies() {
                let (text, reason) = if wb.applies() {
                    (
                        format!("applicability: now applies ({} on the source)", wa.status()),
                        wa.reason(),
                    )
                } else {
                    (
                        format!("applicability: {} on the target", wb.status()),
                        wb.reason(),
                    )
                };
                let text = if reason.is_empty() {
                    text
                } else {
                    format!("{text}: {reason}")
                };
                let (m, st) = if wb.applies() {
                    (
                        pb.iter()
                            .flat_map(|p| p.customer.iter().map(String::as_str))
                            .collect::<Vec<_>>(),
                        Vec::new(),
                    )
                } else {
                    (
                        Vec::new(),
                        pa.iter()
                            .flat_map(|p| p.customer.iter().map(String::as_str))
                            .collect(),
                    )
                };
                must.extend(&m);
                stop.extend(&st);
                moves.push((
                    String::new(),
                    text.clone(),
                    join_sentences(m),
                    join_sentences(st),
                ));
                moved.push(text);
            }
            for ((l, sa), sb) in c
                .layers
                .iter()
                .zip(&pa)
                .zip(&pb)
                .filter(|_| wa.applies() && wb.applies())
            {
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
                let text = if la == lb {
                    let way = if sb.share < sa.share { "less" } else { "more" };
                    format!(
                        "{l}: {la} -> {lb}, {way} of it the customer's ({} -> {}){why}",
                        sa.each.join(" + "),
                        sb.each.join(" + ")
                    )
                } else {
                    format!("{l}: {la} -> {lb}{why}")
                };
                // What the customer takes on or does differently; what it may stop only where
                // it no longer has a part in the layer.
                let m: Vec<&str> = sb
                    .customer
                    .iter()
                    .filter(|t| !sa.customer.contains(t))
                    .map(String::as_str)
                    .collect();
                let st: Vec<&str> = if lb.customer_involved() {
                    Vec::new()
                } else {
                    sa.customer.iter().map(String::as_str).collect()
                };
                must.extend(&m);
                stop.extend(&st);
                let m = match join_sentences(m) {
                    m if m.is_empty() && lb.customer_involved() => "As before.".to_string(),
                    m => m,
                };
                moves.push((l.clone(), text.clone(), m, join_sentences(st)));
                moved.push(text);
            }
            if moves.is_empty() {
                moves.push((
                    String::new(),
                    "matrix rows for this control differ".into(),
                    String::new(),
                    String::new(),
                ));
            }
            for (layer, text, m, st) in moves {
                match groups
                    .iter_mut()
                    .find(|g| g.moved == text && g.customer_must == m && g.customer_may_stop == st)
                {
                    Some(g) => g.controls.push(c.id.clone()),
                    None => groups.push(MoveGroup {
                        system: system.to_string(),
                        framework: fw.id.clone(),
                        layer,
                        moved: text,
                        customer_must: m,
                        customer_may_stop: st,
                        controls: vec![c.id.clone()],
                    }),
                }
            }
            if judged_all && !c.applies_to.is_empty() {
                out.conditional.push((fw.id.clone(), c.id.clone()));
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
        // Largest first; among equals, in the order their first control comes.
        groups.sort_by_key(|g| std::cmp::Reverse(g.controls.len()));
        out.groups.extend(groups);
        let needed_before = needs_of(&source, fw);
        for (provider, kinds, agreement, controls) in needs_of(&target, fw) {
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
            groups: Vec::new(),
            applicability: String::new(),
            conditional: Vec::new(),
        }
    }

    /// Say how applicability was decided for a diff of offerings: from `scope` (its file and the
    /// systems whose settings were taken), or not at all (every control judged).
    pub fn state_applicability(&mut self, scope: Option<(&str, &[&System<'_>])>) {
        let left_out: usize = self.summary.iter().map(|s| s.not_applicable).sum();
        self.applicability = match scope {
            Some((file, systems)) => {
                let judged: Vec<&str> = self.summary.iter().map(|s| s.framework.as_str()).collect();
                let each: Vec<String> = systems
                    .iter()
                    .flat_map(|s| {
                        s.applicability
                            .iter()
                            .filter(|a| judged.contains(&a.framework.id.as_str()))
                            .map(move |a| {
                            let profile = a.profile();
                            format!(
                                "{} for {}: {}{}",
                                s.name,
                                a.framework.id,
                                if profile.is_empty() {
                                    "no setting"
                                } else {
                                    &profile
                                },
                                match a.excluded.len() {
                                    0 => String::new(),
                                    1 => ", 1 control excluded".into(),
                                    n => format!(", {n} controls excluded"),
                                }
                            )
                            })
                    })
                    .collect();
                format!(
                    "Applicability from {file} ({}): the {left_out} controls that do not apply or that the scope excludes are left out.",
                    each.join("; ")
                )
            }
            None if self.conditional.is_empty() => "Applicability not applied: no scope was given, so every control of each framework is judged; none of the moved controls is one that applies only to some organisations. Pass --scope FILE to take a scope's applicability settings and exclusions.".into(),
            None => format!(
                "Applicability not applied: no scope was given, so every control of each framework is judged, including {} moved controls that apply only to some organisations ({}). Pass --scope FILE to leave out what does not apply under a scope's applicability settings and exclusions.",
                self.conditional.len(),
                {
                    let mut by: Vec<(&str, Vec<&str>)> = Vec::new();
                    for (fw, c) in &self.conditional {
                        match by.iter_mut().find(|(f, _)| f == fw) {
                            Some((_, list)) => list.push(c),
                            None => by.push((fw, vec![c])),
                        }
                    }
                    by.iter()
                        .map(|(fw, list)| format!("{fw}: {}", list.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            ),
        };
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
            let (ab, aa) = match premises {
                Some(_) => (
                    Assumptions::premises(premises),
                    Assumptions::premises(premises),
                ),
                None => (before.assumptions(), sys.assumptions()),
            };
            diff_offerings(
                catalog,
                &sys.name,
                Side {
                    offerings: &before.offerings,
                    assume: ab,
                    applicability: &[before],
                },
                Side {
                    offerings: &sys.offerings,
                    assume: aa,
                    applicability: &[sys],
                },
                &sys.frameworks,
                &mut m,
            );
        }
        for sys in &from.systems {
            if to.system(&sys.name).is_none() {
                m.systems_removed.push(sys.name.clone());
            }
        }
        let left_out: usize = m.summary.iter().map(|s| s.not_applicable).sum();
        m.applicability = format!(
            "Applicability from the scopes: each system's applicability settings and exclusions decide which of its controls are judged on each side; the {left_out} controls that apply on neither side are left out, and a control that applies on one side only is newly applicable or no longer applicable."
        );
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

//! Vendor comparison (`srmap compare`): one row per control, one column per candidate (an
//! offering, or a system of a scope with its offerings combined), the owner in each cell.

use indexmap::IndexMap;
use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::fact_difference::{fact_differences, FactDifference};
use crate::framework::Framework;
use crate::offering::Offering;
use crate::ownership::{customer_share_across, decide_across, Assumptions};
use crate::party::Party;
use crate::text::join_sentences;

/// One column: an offering, or a scope's system (its offerings combined).
#[derive(Debug, Clone)]
pub struct Candidate<'c> {
    pub id: String,
    pub offerings: Vec<&'c Offering>,
    /// What the owner map assumes for this candidate (a scope's system: its own `premises`).
    pub assume: Assumptions,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    pub framework: String,
    pub control: String,
    pub title: String,
    /// Owner per candidate, in column order.
    pub owners: IndexMap<String, Party>,
    /// What the customer does for this control under each candidate.
    pub customer_duty: IndexMap<String, String>,
    /// The facts that decided parts of the owner under each candidate (`feature default:
    /// responsibility`), empty where none did.
    pub facts: IndexMap<String, String>,
    /// True when the candidates do not all give the same owner, or the facts behind it differ.
    pub differs: bool,
    /// The features whose facts differ between the candidates on this control (each candidate
    /// states one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differing_facts: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareSummary {
    pub candidate: String,
    pub framework: String,
    pub controls: usize,
    pub customer: usize,
    pub shared: usize,
    pub provider: usize,
    pub not_applicable: usize,
    /// The customer's share of all the framework's layer duties, in percent.
    pub customer_share_pct: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub candidates: Vec<String>,
    pub frameworks: Vec<String>,
    pub rows: Vec<CompareRow>,
    pub summary: Vec<CompareSummary>,
    /// The per-service facts that differ between the candidates, with their sources.
    pub fact_differences: Vec<FactDifference>,
    /// Per candidate, the attestation kinds its providers publish (from srmap's data).
    pub published: IndexMap<String, Vec<(String, AttestationKind, String)>>,
}

impl Comparison {
    pub fn build(
        catalog: &Catalog,
        candidates: &[Candidate<'_>],
        frameworks: &[&Framework],
    ) -> Comparison {
        let sides: Vec<(String, &[&Offering])> = candidates
            .iter()
            .map(|c| (c.id.clone(), c.offerings.as_slice()))
            .collect();
        let fact_differences = fact_differences(catalog, &sides, frameworks);
        let mut rows = Vec::new();
        let mut summary = Vec::new();
        for fw in frameworks {
            for c in fw.obligations() {
                let mut owners = IndexMap::new();
                let mut duties = IndexMap::new();
                let mut facts = IndexMap::new();
                for cand in candidates {
                    let decided = decide_across(&cand.offerings, fw, c, cand.assume);
                    let decisions = || decided.each.iter().map(|(_, d)| d);
                    let mut used: Vec<String> = Vec::new();
                    for f in decisions().flat_map(|d| d.basis.facts()) {
                        let text = format!("{} {}: {}", f.feature, f.default, f.responsibility);
                        if !used.contains(&text) {
                            used.push(text);
                        }
                    }
                    facts.insert(cand.id.clone(), used.join("; "));
                    let owner = decided.owner;
                    let text = join_sentences(
                        decisions()
                            .filter(|d| d.owner.customer_involved())
                            .map(|d| d.customer_duty.as_str()),
                    );
                    owners.insert(cand.id.clone(), owner);
                    duties.insert(
                        cand.id.clone(),
                        if text.is_empty() {
                            "Nothing to operate: rely on the provider's attestation.".into()
                        } else {
                            text
                        },
                    );
                }
                let first = owners.values().next().copied();
                let differing_facts: Vec<String> = fact_differences
                    .iter()
                    .filter(|d| d.stated_by_all && c.features.contains(&d.feature))
                    .map(|d| d.feature.clone())
                    .collect();
                let differs = owners.values().any(|p| Some(*p) != first)
                    || (!differing_facts.is_empty() && facts.values().any(|f| !f.is_empty()));
                rows.push(CompareRow {
                    framework: fw.id.clone(),
                    control: c.id.clone(),
                    title: c.title.clone(),
                    owners,
                    customer_duty: duties,
                    facts,
                    differs,
                    differing_facts,
                });
            }
            for cand in candidates {
                let mine = rows.iter().filter(|r| r.framework == fw.id);
                let mut s = CompareSummary {
                    candidate: cand.id.clone(),
                    framework: fw.id.clone(),
                    controls: 0,
                    customer: 0,
                    shared: 0,
                    provider: 0,
                    not_applicable: 0,
                    customer_share_pct: 0,
                };
                for r in mine {
                    s.controls += 1;
                    match r.owners[&cand.id] {
                        Party::Customer => s.customer += 1,
                        Party::Shared => s.shared += 1,
                        Party::Provider => s.provider += 1,
                        Party::NotApplicable => s.not_applicable += 1,
                    }
                }
                let (mut got, mut max) = (0u32, 0u32);
                for c in fw.obligations() {
                    max += 2 * c.layers.len() as u32;
                    got += customer_share_across(&cand.offerings, fw, c, cand.assume);
                }
                s.customer_share_pct = (got * 100 + max / 2).checked_div(max).unwrap_or(0);
                summary.push(s);
            }
        }
        let mut published = IndexMap::new();
        for cand in candidates {
            let mut list = Vec::new();
            for o in &cand.offerings {
                for p in catalog
                    .published
                    .iter()
                    .filter(|p| p.provider == o.provider)
                {
                    let entry = (p.provider.clone(), p.kind, p.name.clone());
                    if !list.contains(&entry) {
                        list.push(entry);
                    }
                }
            }
            published.insert(cand.id.clone(), list);
        }
        Comparison {
            candidates: candidates.iter().map(|c| c.id.clone()).collect(),
            frameworks: frameworks.iter().map(|f| f.id.clone()).collect(),
            rows,
            summary,
            fact_differences,
            published,
        }
    }

    /// Header and cells for the flat formats (CSV, Markdown, table): one owner column per candidate.
    pub fn grid(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["framework".to_string(), "control".into(), "title".into()];
        header.extend(self.candidates.iter().cloned());
        header.push("differs".into());
        header.push("differing facts".into());
        header.extend(self.candidates.iter().map(|c| format!("facts: {c}")));
        header.extend(
            self.candidates
                .iter()
                .map(|c| format!("customer duty: {c}")),
        );
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![r.framework.clone(), r.control.clone(), r.title.clone()];
                cells.extend(r.owners.values().map(|p| p.to_string()));
                cells.push(if r.differs { "yes".into() } else { "no".into() });
                cells.push(r.differing_facts.join("; "));
                cells.extend(r.facts.values().cloned());
                cells.extend(r.customer_duty.values().cloned());
                cells
            })
            .collect();
        (header, rows)
    }
}

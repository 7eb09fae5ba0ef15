//! Vendor comparison (`srmap compare`): one row per control, one column per candidate (an
//! offering, or a system of a scope with its offerings combined), the owner in each cell.

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::fact_difference::{fact_differences, FactDifference};
use crate::framework::Framework;
use crate::input::attestations::Attestation;
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
    /// Per candidate and provider, each attestation kind: the report the provider publishes
    /// (srmap's data) or the one on file (`--attestations`), with its scope and dates.
    pub attestations: Vec<CandidateReport>,
    /// Every feature a candidate states a fact about, each candidate's facts side by side.
    pub service_facts: Vec<ServiceFacts>,
}

/// Where an attestation row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportSource {
    /// The customer's register of reports on file (`--attestations`).
    OnFile,
    /// What the provider publishes, from srmap's data (`providers/attestations.csv`).
    Published,
    /// srmap's data lists no report of this kind for the provider.
    NotListed,
}

impl ReportSource {
    pub fn label(self) -> &'static str {
        match self {
            ReportSource::OnFile => "on file",
            ReportSource::Published => "published",
            ReportSource::NotListed => "not listed",
        }
    }
}

/// One report, certificate or agreement a candidate's provider has, and what it covers.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateReport {
    pub candidate: String,
    pub provider: String,
    pub kind: AttestationKind,
    pub source: ReportSource,
    /// The provider's name for it (published) or the register's reference (on file).
    pub name: String,
    /// Where to get it (published: the provider's portal).
    pub link: String,
    /// The candidate's offerings of this provider the report names.
    pub covers: Vec<String>,
    /// ... the ones it does not name.
    pub not_covered: Vec<String>,
    /// ... the ones the data cannot tell (it does not record the report's services).
    pub unknown: Vec<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
    pub note: String,
}

impl CandidateReport {
    /// The scope in a sentence: which of the candidate's services the report covers.
    pub fn scope(&self) -> String {
        let mut parts = Vec::new();
        if !self.covers.is_empty() {
            parts.push(format!("covers {}", self.covers.join(", ")));
        }
        if !self.not_covered.is_empty() {
            parts.push(format!("does not name {}", self.not_covered.join(", ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!(
                "services not recorded: check it names {}",
                self.unknown.join(", ")
            ));
        }
        parts.join("; ")
    }
}

/// One feature, what each candidate's offerings state about it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceFacts {
    pub feature: String,
    pub name: String,
    /// How many controls of the frameworks compared depend on this feature.
    pub controls: usize,
    /// Per candidate (every one, in column order): its offerings' facts, empty when none states one.
    pub sides: IndexMap<String, Vec<OfferingFact>>,
    /// The candidates do not all state the same default and responsibility.
    pub differs: bool,
}

/// One offering's fact about a feature, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct OfferingFact {
    pub offering: String,
    pub default: String,
    pub responsibility: Party,
    pub provider: String,
    pub customer_action: String,
    pub source: String,
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
        let attestations = candidates
            .iter()
            .flat_map(|cand| published_reports(catalog, cand))
            .collect();
        let service_facts = service_facts(catalog, candidates, frameworks);
        Comparison {
            candidates: candidates.iter().map(|c| c.id.clone()).collect(),
            frameworks: frameworks.iter().map(|f| f.id.clone()).collect(),
            rows,
            summary,
            fact_differences,
            attestations,
            service_facts,
        }
    }

    /// Put the reports on file (the customer's attestations register) in place of the published
    /// ones of the same provider and kind: a register row that names none of a candidate's
    /// offerings of its provider is listed as not covering them.
    pub fn with_on_file(
        mut self,
        catalog: &Catalog,
        candidates: &[Candidate<'_>],
        register: &[Attestation],
    ) -> Comparison {
        let mut out = Vec::new();
        for cand in candidates {
            for provider in providers(cand) {
                let mine = offerings_of(cand, &provider);
                for kind in AttestationKind::ALL {
                    let held: Vec<&Attestation> = register
                        .iter()
                        .filter(|a| a.provider == provider && a.kind == kind)
                        .collect();
                    if held.is_empty() {
                        out.extend(
                            self.attestations
                                .iter()
                                .filter(|r| {
                                    r.candidate == cand.id
                                        && r.provider == provider
                                        && r.kind == kind
                                })
                                .cloned(),
                        );
                        continue;
                    }
                    for a in held {
                        let names = |o: &Offering| {
                            a.all
                                || a.offerings.iter().any(|w| {
                                    catalog.offering(w).map(|x| x.id == o.id).unwrap_or(false)
                                })
                        };
                        let (covers, not_covered): (Vec<&Offering>, Vec<&Offering>) =
                            mine.iter().partition(|o| names(o));
                        let portal = catalog
                            .published(&provider, kind)
                            .map(|p| p.portal.clone())
                            .unwrap_or_default();
                        out.push(CandidateReport {
                            candidate: cand.id.clone(),
                            provider: provider.clone(),
                            kind,
                            source: ReportSource::OnFile,
                            name: a.reference.clone(),
                            link: portal,
                            covers: covers.iter().map(|o| o.id.clone()).collect(),
                            not_covered: not_covered.iter().map(|o| o.id.clone()).collect(),
                            unknown: Vec::new(),
                            period_start: a.period_start,
                            period_end: a.period_end,
                            issued: None,
                            expires: a.expires,
                            note: format!("register row {}", a.row),
                        });
                    }
                }
            }
        }
        self.attestations = out;
        self
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

/// The providers of a candidate's offerings, in order, each once.
fn providers(cand: &Candidate<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in &cand.offerings {
        if !out.contains(&o.provider) {
            out.push(o.provider.clone());
        }
    }
    out
}

fn offerings_of<'c>(cand: &Candidate<'c>, provider: &str) -> Vec<&'c Offering> {
    cand.offerings
        .iter()
        .copied()
        .filter(|o| o.provider == provider)
        .collect()
}

/// Per provider of the candidate, every attestation kind: what srmap's data says it publishes.
fn published_reports(catalog: &Catalog, cand: &Candidate<'_>) -> Vec<CandidateReport> {
    let mut out = Vec::new();
    for provider in providers(cand) {
        let mine = offerings_of(cand, &provider);
        for kind in AttestationKind::ALL {
            let mut row = CandidateReport {
                candidate: cand.id.clone(),
                provider: provider.clone(),
                kind,
                source: ReportSource::NotListed,
                name: String::new(),
                link: String::new(),
                covers: Vec::new(),
                not_covered: Vec::new(),
                unknown: Vec::new(),
                period_start: None,
                period_end: None,
                issued: None,
                expires: None,
                note: String::new(),
            };
            if let Some(p) = catalog.published(&provider, kind) {
                for o in &mine {
                    let mut ids = vec![o.id.as_str()];
                    ids.extend(o.aliases.iter().map(String::as_str));
                    match p.names(&ids) {
                        Some(true) => row.covers.push(o.id.clone()),
                        Some(false) => row.not_covered.push(o.id.clone()),
                        None => row.unknown.push(o.id.clone()),
                    }
                }
                row.source = ReportSource::Published;
                row.name = p.name.clone();
                row.link = p.portal.clone();
                row.period_start = p.period_start;
                row.period_end = p.period_end;
                row.issued = p.issued;
                row.expires = p.expires;
                row.note = p.note.clone();
            }
            out.push(row);
        }
    }
    out
}

/// Every feature (in catalog order) some candidate states a fact about, side by side.
fn service_facts(
    catalog: &Catalog,
    candidates: &[Candidate<'_>],
    frameworks: &[&Framework],
) -> Vec<ServiceFacts> {
    let mut out = Vec::new();
    for feature in catalog.features.iter() {
        let sides: IndexMap<String, Vec<OfferingFact>> = candidates
            .iter()
            .map(|cand| {
                let facts = cand
                    .offerings
                    .iter()
                    .filter_map(|o| {
                        o.fact(&feature.id).map(|f| OfferingFact {
                            offering: o.id.clone(),
                            default: f.default.clone(),
                            responsibility: f.responsibility,
                            provider: f.provider.clone(),
                            customer_action: f.customer_action.clone(),
                            source: f.source.clone(),
                        })
                    })
                    .collect();
                (cand.id.clone(), facts)
            })
            .collect();
        if sides.values().all(Vec::is_empty) {
            continue;
        }
        let key = |facts: &Vec<OfferingFact>| -> Vec<(String, Party)> {
            facts
                .iter()
                .map(|f| (f.default.clone(), f.responsibility))
                .collect()
        };
        let first = sides.values().next().map(key);
        let differs = sides.values().any(|f| Some(key(f)) != first);
        let controls = frameworks
            .iter()
            .flat_map(|fw| fw.obligations())
            .filter(|c| c.features.contains(&feature.id))
            .count();
        out.push(ServiceFacts {
            feature: feature.id.clone(),
            name: feature.name.clone(),
            controls,
            sides,
            differs,
        });
    }
    out
}

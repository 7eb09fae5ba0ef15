//! The gap engine: scope + owner map + evidence register + attestations -> findings.
//!
//! Rules (see README "Gap rules"):
//! - a control the customer owns or shares needs customer evidence that is approved, effective
//!   within the control's cadence before the as-of date, and not expired at it (evidence is
//!   still valid on its expiry date);
//! - a control the provider owns or shares on an offering needs, from that offering's provider,
//!   one attestation of each kind group the framework names (and its agreements), covering the
//!   offering, not expired at the as-of date, with a period reaching the end of the audit period;
//! - every input row is used or reported.

mod attestation_rules;
mod evidence_rules;
pub mod finding;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

pub use finding::{Finding, GapCode, Severity};

use crate::cadence::Cadence;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::framework::{Control, Framework};
use crate::input::attestations::Attestation;
use crate::input::evidence::EvidenceRow;
use crate::input::scope::{Period, Scope};
use crate::owner_map::{decide_with, Assumptions};
use crate::party::Party;

/// Whether evidence for one control counts for the controls mapped to it by a crosswalk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reuse {
    #[default]
    None,
    /// Evidence for Y counts for X when X is equal to Y or a subset of Y.
    Contained,
    /// ... and when they merely intersect (every NIST-published pair is of this kind).
    Intersect,
}

impl Reuse {
    pub fn allows(self, rel: crate::crosswalk::Relationship) -> bool {
        use crate::crosswalk::Relationship::*;
        match self {
            Reuse::None => false,
            Reuse::Contained => matches!(rel, Equal | Subset),
            Reuse::Intersect => true,
        }
    }
}

/// Choices that change how the rules judge.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleOptions {
    /// Evidence reuse through crosswalks.
    pub reuse: Reuse,
    /// Report evidence that stops counting within this many days of the as-of date
    /// (`evidence-due-soon`); 0 turns it off.
    pub due_within: u32,
}

/// What the engine is given.
pub struct GapInput<'a> {
    pub options: RuleOptions,
    pub catalog: &'a Catalog,
    pub scope: &'a Scope,
    pub evidence: Vec<EvidenceRow>,
    /// The register's file name, for `source` references.
    pub evidence_file: String,
    pub attestations: Vec<Attestation>,
    pub attestation_file: String,
    pub as_of: Date,
}

/// One control of one framework on one system.
#[derive(Debug, Clone, Serialize)]
pub struct ControlStatus {
    pub id: String,
    pub title: String,
    /// The system-level owner: the offerings' owners combined.
    pub owner: Party,
    /// Owner on each offering of the system.
    pub offerings: Vec<(String, Party)>,
    /// Why, on each offering: the layers, facts or matrix row that decided its owner
    /// (`Basis::describe`).
    pub basis: Vec<(String, String)>,
    /// The same in a few words, for report cells (`Basis::brief`).
    pub why: Vec<(String, String)>,
    pub cadence: Cadence,
    /// The evidence the framework expects for the control (its catalog text).
    pub evidence_expected: String,
    /// Evidence IDs that satisfy the customer's part.
    pub evidence: Vec<String>,
    /// Attestation references that cover the provider's part.
    pub attested_by: Vec<String>,
    /// Gap codes open on this control.
    pub gaps: Vec<GapCode>,
}

/// The provider attestations one offering needs for one framework, and what was found.
#[derive(Debug, Clone, Serialize)]
pub struct AttestationCheck {
    pub offering: String,
    pub provider: String,
    /// The kinds that satisfy it (any one), e.g. `soc2-type2 | iso27001-cert`.
    pub requirement: String,
    /// How many controls of the framework rely on it on this offering.
    pub controls: usize,
    /// The attestation used, if one is good or nearly good.
    pub reference: String,
    /// `None`: satisfied.
    pub gap: Option<GapCode>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkReport {
    pub id: String,
    pub name: String,
    pub controls: Vec<ControlStatus>,
    pub attestations: Vec<AttestationCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemReport {
    pub name: String,
    pub description: String,
    pub offerings: Vec<String>,
    pub frameworks: Vec<FrameworkReport>,
}

/// What became of an input row.
#[derive(Debug, Clone, Serialize)]
pub struct RowOutcome {
    pub row: u64,
    pub id: Box<str>,
    /// What the row points at; shared between rows (a register may have millions).
    pub what: Arc<str>,
    pub outcome: Arc<str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapReport {
    pub organization: String,
    pub period_start: Date,
    pub period_end: Date,
    pub as_of: Date,
    pub scope_file: String,
    pub evidence_file: String,
    pub attestation_file: String,
    pub systems: Vec<SystemReport>,
    /// The worklist, most urgent first.
    pub findings: Vec<Finding>,
    pub evidence_rows: Vec<RowOutcome>,
    pub attestation_rows: Vec<RowOutcome>,
}

impl GapReport {
    /// Findings that are gaps (information excluded).
    pub fn gaps(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.code.is_gap())
    }

    pub fn period(&self) -> Period {
        Period {
            start: self.period_start,
            end: self.period_end,
        }
    }
}

/// The files a gap run reads.
pub struct InputFiles<'a> {
    pub scope: &'a std::path::Path,
    pub evidence: Option<&'a std::path::Path>,
    /// Sheet of the evidence workbook (default: the first).
    pub sheet: Option<&'a str>,
    pub attestations: Option<&'a std::path::Path>,
}

/// Read the scope and attestations and check the files; every problem of every file is
/// reported together. The register itself is streamed later, by [`OwnedInput::run`] (when the
/// scope has problems it is read here, only for its own problems).
pub fn read_inputs<'c>(
    catalog: &'c Catalog,
    files: &InputFiles<'_>,
    as_of: Date,
) -> Result<OwnedInput<'c>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let scope = crate::input::scope::read(files.scope, catalog)
        .map_err(|d| problems.extend(d))
        .ok();
    if let (None, Some(p)) = (&scope, files.evidence) {
        if let Err(d) = crate::input::evidence::read(p, files.sheet, |_| {}) {
            problems.extend(d);
        }
    }
    let attestations = match files.attestations {
        Some(p) => crate::input::attestations::read(p, None)
            .map_err(|d| problems.extend(d))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    match scope {
        Some(scope) if !problems.has_errors() => Ok(OwnedInput {
            catalog,
            scope,
            evidence: files
                .evidence
                .map(|p| (p.to_path_buf(), files.sheet.map(str::to_string))),
            attestations,
            attestation_file: files
                .attestations
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            as_of,
        }),
        _ => Err(problems.sorted()),
    }
}

/// Inputs read from files, owning their scope; the register is streamed when it runs.
pub struct OwnedInput<'c> {
    pub catalog: &'c Catalog,
    pub scope: Scope,
    /// The register file and sheet.
    pub evidence: Option<(std::path::PathBuf, Option<String>)>,
    pub attestations: Vec<Attestation>,
    pub attestation_file: String,
    pub as_of: Date,
}

impl OwnedInput<'_> {
    /// Stream the register through the rules. Errs with every problem the register has.
    pub fn run(self, options: RuleOptions) -> Result<GapReport, Diagnostics> {
        let file = self
            .evidence
            .as_ref()
            .map(|(p, _)| p.display().to_string())
            .unwrap_or_default();
        let feed =
            |book: &mut evidence_rules::EvidenceBook<'_>, findings: &mut Vec<Finding>| match &self
                .evidence
            {
                Some((path, sheet)) => {
                    crate::input::evidence::read(path, sheet.as_deref(), |r| book.add(r, findings))
                        .map(|_| ())
                }
                None => Ok(()),
            };
        run_with(
            self.catalog,
            &self.scope,
            options,
            &file,
            feed,
            self.attestations,
            &self.attestation_file,
            self.as_of,
        )
    }
}

/// A control's owner on each offering of a system, and combined.
pub fn system_owner<'a>(
    catalog: &Catalog,
    offerings: &'a [String],
    fw: &Framework,
    control: &Control,
    assume: Assumptions,
) -> (Party, Vec<(&'a str, Party)>) {
    let per: Vec<(&str, Party)> = offerings
        .iter()
        .filter_map(|o| {
            catalog
                .offering(o)
                .ok()
                .map(|off| (o.as_str(), decide_with(off, fw, control, assume).owner))
        })
        .collect();
    (Party::combine(per.iter().map(|(_, p)| *p)), per)
}

/// Run every rule on rows already in memory.
pub fn run(input: GapInput<'_>) -> GapReport {
    let GapInput {
        options,
        catalog,
        scope,
        evidence,
        evidence_file,
        attestations,
        attestation_file,
        as_of,
    } = input;
    let feed = |book: &mut evidence_rules::EvidenceBook<'_>, findings: &mut Vec<Finding>| {
        for r in evidence {
            book.add(r, findings);
        }
        Ok(())
    };
    run_with(
        catalog,
        scope,
        options,
        &evidence_file,
        feed,
        attestations,
        &attestation_file,
        as_of,
    )
    .expect("rows in memory cannot fail")
}

#[allow(clippy::too_many_arguments)]
fn run_with<'a>(
    catalog: &'a Catalog,
    scope: &'a Scope,
    options: RuleOptions,
    evidence_file: &str,
    feed: impl FnOnce(
        &mut evidence_rules::EvidenceBook<'a>,
        &mut Vec<Finding>,
    ) -> Result<(), Diagnostics>,
    attestations: Vec<Attestation>,
    attestation_file: &str,
    as_of: Date,
) -> Result<GapReport, Diagnostics> {
    let mut findings = Vec::new();
    let mut ev = evidence_rules::EvidenceBook::new(catalog, scope, evidence_file, as_of);
    ev.reuse = options.reuse;
    ev.due_within = options.due_within;
    feed(&mut ev, &mut findings)?;
    let mut att = attestation_rules::AttestationBook::new(
        catalog,
        scope,
        attestations,
        attestation_file,
        as_of,
        &mut findings,
    );
    let mut systems = Vec::new();
    for sys in &scope.systems {
        let mut fws = Vec::new();
        for fw_id in &sys.frameworks {
            let Ok(fw) = catalog.framework(fw_id) else {
                continue;
            };
            let mut controls = Vec::new();
            let mut reliance: HashMap<&str, usize> = HashMap::new();
            for (order, control) in fw
                .controls
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_informative())
            {
                let (owner, per) =
                    system_owner(catalog, &sys.offerings, fw, control, sys.assumptions());
                for (o, p) in &per {
                    if p.provider_involved() {
                        *reliance.entry(o).or_default() += 1;
                    }
                }
                let decisions: Vec<(String, crate::owner_map::Basis)> = sys
                    .offerings
                    .iter()
                    .filter_map(|o| catalog.offering(o).ok())
                    .map(|off| {
                        let d = decide_with(off, fw, control, sys.assumptions());
                        (off.id.clone(), d.basis)
                    })
                    .collect();
                let mut status = ControlStatus {
                    id: control.id.clone(),
                    title: control.title.clone(),
                    owner,
                    offerings: per.iter().map(|(o, p)| (o.to_string(), *p)).collect(),
                    basis: decisions
                        .iter()
                        .map(|(o, b)| (o.clone(), b.describe()))
                        .collect(),
                    why: decisions
                        .iter()
                        .map(|(o, b)| (o.clone(), b.brief()))
                        .collect(),
                    cadence: control.cadence,
                    evidence_expected: control.evidence.clone(),
                    evidence: Vec::new(),
                    attested_by: Vec::new(),
                    gaps: Vec::new(),
                };
                if owner.customer_involved() {
                    let found = ev.check(sys, fw, control, order, owner, &mut findings);
                    status.evidence = found.used;
                    status.gaps.extend(found.gaps);
                }
                controls.push(status);
            }
            let mut checks = Vec::new();
            for o in &sys.offerings {
                let n = reliance.get(o.as_str()).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                checks.extend(att.check(sys, fw, o, n, &mut findings));
            }
            // Each control the provider owns or shares inherits its offerings' attestation gaps.
            for c in &mut controls {
                for (o, p) in &c.offerings {
                    if !p.provider_involved() {
                        continue;
                    }
                    for chk in checks.iter().filter(|k| &k.offering == o) {
                        match chk.gap {
                            Some(code) if !c.gaps.contains(&code) => c.gaps.push(code),
                            Some(_) => {}
                            None => {
                                if !c.attested_by.contains(&chk.reference) {
                                    c.attested_by.push(chk.reference.clone());
                                }
                            }
                        }
                    }
                }
                c.gaps.sort();
            }
            fws.push(FrameworkReport {
                id: fw.id.clone(),
                name: format!("{} {}", fw.name, fw.version),
                controls,
                attestations: checks,
            });
        }
        systems.push(SystemReport {
            name: sys.name.clone(),
            description: sys.description.clone(),
            offerings: sys.offerings.clone(),
            frameworks: fws,
        });
    }
    let evidence_rows = ev.finish(&mut findings);
    let attestation_rows = att.finish(&mut findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(GapReport {
        organization: scope.organization.clone(),
        period_start: scope.period.start,
        period_end: scope.period.end,
        as_of,
        scope_file: scope.file.clone(),
        evidence_file: evidence_file.to_string(),
        attestation_file: attestation_file.to_string(),
        systems,
        findings,
        evidence_rows,
        attestation_rows,
    })
}

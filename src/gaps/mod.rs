//! The gap engine: scope + owner map + evidence register + attestations -> findings.
//!
//! Rules (see README "Gap rules"):
//! - a control the customer owns or shares needs customer evidence that is approved and not
//!   expired at the as-of date (evidence is still valid on its expiry date); a point-in-time
//!   control's evidence must be dated within one cadence span ending at the period end (or the
//!   as-of date, if earlier), and a recurring control needs such evidence dated in every
//!   occurrence of the period that has ended by then (see `crate::cadence`);
//! - a control the provider owns or shares on an offering needs, from that offering's provider,
//!   one attestation of each kind group the framework names (and its agreements), covering the
//!   offering, not expired at the as-of date, with a period reaching the end of the audit period;
//! - every input row is used or reported;
//! - every finding has an assignee, a due date and a stable ID (`worklist`), and with
//!   `--previous` what changed since (`previous`).

mod attestation_rules;
mod evidence_ids;
mod evidence_rules;
pub mod finding;
pub mod previous;
mod row_outcomes;
mod row_positions;
pub mod worklist;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

pub use finding::{Change, Finding, GapCode, Severity};
pub use previous::Previous;
pub use row_outcomes::RowOutcomes;

use crate::cadence::Cadence;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::framework::Framework;
use crate::input::attestations::Attestation;
use crate::input::scope::{Period, Scope, System};
use crate::ownership::{decide_across, Decision, Owners};
use crate::party::Party;
use crate::soa::StatementOfApplicability;
use crate::weight::Weight;

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
    /// The report is written as findings only (CSV, JSON, Markdown, table): skip what only the
    /// workbook and the PDF show: what became of each register row
    /// ([`GapReport::evidence_rows`] stays empty) and each control's status on each system
    /// ([`FrameworkReport::controls`] stays empty, so no owner-basis sentence is written). The
    /// findings are the same; the memory of a run is then its findings and the scope's keys.
    pub findings_only: bool,
    /// A CSV register of at least this many bytes is read in two parts at once, one on each
    /// of two threads (see `table::parts`); `u64::MAX`: never.
    pub parallel_from: u64,
}

impl RuleOptions {
    /// The register size from which it is read in two parts at once, by default: below it,
    /// one thread reading and another folding is as fast (the 100,000-row workload, 31 MB: 0.54 s
    /// either way; the million-row one, 334 MB: 1.37 s in one part, 1.24 s in two).
    pub const PARALLEL_FROM: u64 = 32 << 20;
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
    /// Its risk weight: with a gap's code, the gap's severity.
    pub weight: Weight,
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
    /// Where the provider publishes the kinds it needs (`providers/attestations.csv`), if the
    /// data knows; empty otherwise.
    pub portal: String,
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

/// How ready one framework is on one system: of the controls the customer owns or shares (the
/// ones it must show evidence for), how many are met, with no open gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub met: usize,
    /// Controls the customer owns or shares among those judged.
    pub of: usize,
}

impl Readiness {
    /// The share met, 0 to 1 (1 when the customer has no control to show).
    pub fn share(self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.met as f64 / self.of as f64
        }
    }

    /// `83%` (rounded down, so a framework is 100% only when every control is met).
    pub fn percent(self) -> String {
        if self.of == 0 {
            return "100%".into();
        }
        format!("{}%", self.met * 100 / self.of)
    }

    /// The sum of several.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Readiness>) -> Readiness {
        all.into_iter()
            .fold(Readiness { met: 0, of: 0 }, |a, r| Readiness {
                met: a.met + r.met,
                of: a.of + r.of,
            })
    }
}

impl FrameworkReport {
    /// Readiness over the controls judged here: the customer's and shared ones with no gap.
    pub fn readiness(&self) -> Readiness {
        let ours = self.controls.iter().filter(|c| c.owner.customer_involved());
        Readiness {
            met: ours.clone().filter(|c| c.gaps.is_empty()).count(),
            of: ours.count(),
        }
    }
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
    /// Where the evidence is stored (the register's `location`), as written; empty for
    /// attestation rows.
    pub location: Box<str>,
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
    /// What became of each evidence register row (held in part, the rest in a temporary file:
    /// [`RowOutcomes::iter`]).
    pub evidence_rows: RowOutcomes,
    pub attestation_rows: RowOutcomes,
    /// With `--previous`: the earlier report's file (empty without).
    pub previous_file: String,
    /// With `--previous`: its findings that are gone now (`change` = resolved). Never gaps.
    pub resolved: Vec<Finding>,
    /// Which controls apply on each system, and why the others do not; the controls that do
    /// not apply are not judged (no finding is about them). Empty (no rows) in a findings-only
    /// run ([`RuleOptions::findings_only`]), like the controls of `systems`.
    pub applicability: StatementOfApplicability,
    /// The report's version and sign-off, from the scope's `[report]`.
    pub sign_off: crate::sign_off::SignOff,
    /// The frameworks in scope, in the scope's order, as the methodology names them.
    pub frameworks: Vec<FrameworkEdition>,
    /// The rule choices of the run, as the methodology states them.
    pub rules: RulesUsed,
}

/// A framework as the report's methodology names it: which edition was checked.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkEdition {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub source: String,
}

/// The choices a run made that change findings (see [`RuleOptions`]).
#[derive(Debug, Clone, Serialize)]
pub struct RulesUsed {
    /// `none`, `contained` or `intersect`.
    pub reuse: &'static str,
    /// Days ahead evidence is reported as coming due (0: off).
    pub due_within: u32,
}

/// Gaps (information left out) new, still open and resolved since the previous report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeCounts {
    pub new: usize,
    pub open: usize,
    pub resolved: usize,
}

impl GapReport {
    /// Findings that are gaps (information excluded). Resolved findings are not in it.
    pub fn gaps(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.code.is_gap())
    }

    /// The rows the text formats write: the worklist, then the findings resolved since the
    /// previous report.
    pub fn rows(&self) -> std::borrow::Cow<'_, [Finding]> {
        if self.resolved.is_empty() {
            std::borrow::Cow::Borrowed(&self.findings)
        } else {
            let mut all = self.findings.clone();
            all.extend(self.resolved.iter().cloned());
            std::borrow::Cow::Owned(all)
        }
    }

    /// With `--previous`: how many gaps are new, still open, and resolved.
    pub fn change_counts(&self) -> Option<ChangeCounts> {
        if self.previous_file.is_empty() {
            return None;
        }
        let n = |c: Change| self.gaps().filter(|f| f.change == Some(c)).count();
        Some(ChangeCounts {
            new: n(Change::New),
            open: n(Change::Open),
            resolved: self.resolved.iter().filter(|f| f.code.is_gap()).count(),
        })
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
    /// An earlier `--format json` output to compare with (`--previous`).
    pub previous: Option<&'a std::path::Path>,
}

/// Read the scope and attestations and check the files; every problem of every file is
/// reported together. The register itself is streamed later, by [`GapInput::run`] (when the
/// scope has problems it is read here, only for its own problems).
pub fn read_inputs<'c>(
    catalog: &'c Catalog,
    files: &InputFiles<'_>,
    as_of: Date,
) -> Result<GapInput<'c>, Diagnostics> {
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
        Some(p) => crate::input::attestations::read(p, None, catalog)
            .map_err(|d| problems.extend(d))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let previous = files
        .previous
        .and_then(|p| previous::read(p).map_err(|d| problems.extend(d)).ok());
    match scope {
        Some(scope) if !problems.has_errors() => Ok(GapInput {
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
            previous,
        }),
        _ => Err(problems.sorted()),
    }
}

/// What the rules judge: the resolved scope, the attestations, and the register (streamed
/// when the rules run).
pub struct GapInput<'c> {
    /// For crosswalks (evidence reuse), the controls register rows name, and where providers
    /// publish their reports.
    pub catalog: &'c Catalog,
    pub scope: Scope<'c>,
    /// The register file and sheet.
    pub evidence: Option<(std::path::PathBuf, Option<String>)>,
    pub attestations: Vec<Attestation>,
    pub attestation_file: String,
    pub as_of: Date,
    /// The earlier report to compare with (`--previous`).
    pub previous: Option<Previous>,
}

impl GapInput<'_> {
    /// Stream the register through the rules and judge every system. Errs with every problem
    /// the register has.
    pub fn run(self, options: RuleOptions) -> Result<GapReport, Diagnostics> {
        let GapInput {
            catalog,
            scope,
            evidence,
            attestations,
            attestation_file,
            as_of,
            previous,
        } = self;
        let evidence_file = evidence
            .as_ref()
            .map(|(p, _)| p.display().to_string())
            .unwrap_or_default();
        let mut findings = Vec::new();
        let mut ev = evidence_rules::EvidenceBook::new(catalog, &scope, &evidence_file, as_of);
        ev.set_reuse(options.reuse);
        ev.due_within = options.due_within;
        if let Some((path, sheet)) = &evidence {
            let parts = crate::input::evidence::read_parts(
                path,
                sheet.as_deref(),
                options.parallel_from,
                (ev, findings),
                |(ev, _)| (ev.fork(), Vec::new()),
                |(ev, findings), r| ev.add(r, findings),
            )?;
            (ev, findings) = parts.first;
            if let Some(second) = parts.second {
                let (other, other_findings) = second.state;
                ev.absorb(other, other_findings, second.lines_before, &mut findings);
            }
            ev.settle_ids();
        }
        let mut att = attestation_rules::AttestationBook::new(
            catalog,
            &scope,
            attestations,
            &attestation_file,
            as_of,
            &mut findings,
        );
        let mut owners = Owners::default();
        let mut systems: Vec<SystemReport> = scope
            .systems
            .iter()
            .enumerate()
            .map(|(s, sys)| SystemReport {
                name: sys.name.clone(),
                description: sys.description.clone(),
                offerings: sys.offering_ids(),
                frameworks: sys
                    .frameworks
                    .iter()
                    .enumerate()
                    .map(|(f, fw)| {
                        judge(
                            (s, f),
                            sys,
                            fw,
                            &mut ev,
                            &mut att,
                            &mut owners,
                            &mut findings,
                            !options.findings_only,
                        )
                    })
                    .collect(),
            })
            .collect();
        drop(owners);
        let register = evidence.as_ref().map(|(p, s)| (p.as_path(), s.as_deref()));
        let (evidence_rows, counted) =
            ev.finish(register, &mut findings, !options.findings_only)?;
        for ((s, f, c), used) in counted {
            systems[s].frameworks[f].controls[c].evidence = used;
        }
        let attestation_rows = RowOutcomes::held(att.finish(&mut findings));
        sort_findings(&mut findings);
        worklist::settle(&mut findings, &scope, as_of);
        let previous_file = previous
            .as_ref()
            .map(|p| p.file.clone())
            .unwrap_or_default();
        let resolved = match previous {
            Some(p) => previous::compare(&mut findings, p),
            None => Vec::new(),
        };
        // The text formats list findings only: no statement of applicability.
        let applicability = if options.findings_only {
            StatementOfApplicability::empty(&scope)
        } else {
            StatementOfApplicability::build(&scope)
        };
        let frameworks = scope
            .frameworks()
            .into_iter()
            .map(|f| FrameworkEdition {
                id: f.id.clone(),
                name: f.name.clone(),
                version: f.version.clone(),
                publisher: f.publisher.clone(),
                source: f.source.clone(),
            })
            .collect();
        let rules = RulesUsed {
            reuse: match options.reuse {
                Reuse::None => "none",
                Reuse::Contained => "contained",
                Reuse::Intersect => "intersect",
            },
            due_within: options.due_within,
        };
        Ok(GapReport {
            organization: scope.organization.clone(),
            period_start: scope.period.start,
            period_end: scope.period.end,
            as_of,
            scope_file: scope.file.clone(),
            evidence_file,
            attestation_file,
            systems,
            findings,
            evidence_rows,
            attestation_rows,
            previous_file,
            resolved,
            applicability,
            sign_off: scope.sign_off.clone(),
            frameworks,
            rules,
        })
    }
}

/// Sort findings by their key, stably, each moved in place: the sort's scratch space holds
/// indices, not findings (the standard sort's would be up to 8 MB of them, at the run's peak).
fn sort_findings(findings: &mut [Finding]) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].sort_key().cmp(&findings[b].sort_key()));
    // Position `i` takes the finding at `order[i]`: follow each cycle of the permutation.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            findings.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// Judge one framework on one system: every applicable control's owner and evidence, then the
/// provider attestations its offerings need (controls that do not apply are not judged: the
/// Statement of Applicability says why).
#[allow(clippy::too_many_arguments)]
fn judge<'c>(
    (sys_index, fw_index): (usize, usize),
    sys: &System<'c>,
    fw: &'c Framework,
    ev: &mut evidence_rules::EvidenceBook<'c>,
    att: &mut attestation_rules::AttestationBook<'_>,
    owners: &mut Owners<'c>,
    findings: &mut Vec<Finding>,
    words: bool,
) -> FrameworkReport {
    let mut controls = Vec::new();
    let mut reliance: HashMap<&str, usize> = HashMap::new();
    // `judged`: the index of the control's status among those judged.
    for (judged, (order, control)) in fw
        .controls
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_informative())
        .filter(|(_, c)| sys.applies(fw, c).applies())
        .enumerate()
    {
        let slot = (sys_index, fw_index, judged);
        if !words {
            // Findings only: no control's status is kept, so only the owners are decided.
            let mut owner = Party::NotApplicable;
            for o in &sys.offerings {
                let on = owners.of(o, fw, control, sys.assumptions());
                if on.provider_involved() {
                    *reliance.entry(o.id.as_str()).or_default() += 1;
                }
                owner = Party::combine([owner, on]);
            }
            if owner.customer_involved() {
                ev.check(sys_index, sys, fw, control, order, owner, slot, findings);
            }
            continue;
        }
        let decided = decide_across(&sys.offerings, fw, control, sys.assumptions());
        let owner = decided.owner;
        for (o, d) in &decided.each {
            if d.owner.provider_involved() {
                *reliance.entry(o.id.as_str()).or_default() += 1;
            }
        }
        let each = |f: fn(&Decision) -> String| {
            decided
                .each
                .iter()
                .map(|(o, d)| (o.id.clone(), f(d)))
                .collect()
        };
        let mut status = ControlStatus {
            id: control.id.clone(),
            title: control.title.clone(),
            owner,
            offerings: decided
                .each
                .iter()
                .map(|(o, d)| (o.id.clone(), d.owner))
                .collect(),
            basis: each(|d| d.basis.describe()),
            why: each(|d| d.basis.brief()),
            cadence: control.cadence,
            weight: control.weight,
            evidence_expected: control.evidence.clone(),
            evidence: Vec::new(),
            attested_by: Vec::new(),
            gaps: Vec::new(),
        };
        if owner.customer_involved() {
            let gaps = ev.check(sys_index, sys, fw, control, order, owner, slot, findings);
            status.gaps.extend(gaps);
        }
        controls.push(status);
    }
    let mut checks = Vec::new();
    for off in &sys.offerings {
        let n = reliance.get(off.id.as_str()).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        checks.extend(att.check(sys, fw, off, n, findings));
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
    FrameworkReport {
        id: fw.id.clone(),
        name: format!("{} {}", fw.name, fw.version),
        controls,
        attestations: checks,
    }
}

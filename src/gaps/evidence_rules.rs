//! Evidence rules: which register rows count for which controls, and why the others do not.
//!
//! Rows are fed one at a time as the register streams in ([`EvidenceBook::add`]): each is
//! resolved and judged on arrival and kept in a compact form (its ID, dates and status, an
//! interned key, and text only for rows that fail), so a register of millions of rows does not
//! have to sit in memory as written.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use super::finding::given;
use super::{Finding, GapCode, RowOutcome};
use crate::cadence::{Cadence, Occurrence, Window};
use crate::catalog::Catalog;
use crate::framework::{Control, Framework};
use crate::input::evidence::{EvidenceRow, Status};
use crate::input::scope::{Scope, System};
use crate::ownership::decide_across;
use crate::party::Party;

/// Why a row does not count: the code, the detail, and since when.
type Problem = (GapCode, String, Option<Date>);

/// (framework, control, system) as interned strings.
type KeyParts = (Arc<str>, Arc<str>, Option<Arc<str>>);

/// Where rows point: a framework, a control and (optionally) a system.
struct Key<'a> {
    fw: &'a Framework,
    control: &'a Control,
    system: Option<Arc<str>>,
    /// `fw:control @ system`, shared by every row of the key.
    what: Arc<str>,
}

/// One register row, as much as the rules and the report need.
struct Row {
    row: u64,
    /// The evidence ID, in the book's text arena.
    id: Span,
    /// Where the evidence is stored, as written (a link or a path), in the text arena; empty
    /// when the report does not list rows.
    location: Span,
    /// The register's `owner` column: who a finding about the row is assigned to (an index
    /// into the book's owners).
    owner: u32,
    effective: Date,
    expires: Option<Date>,
    /// Index into `keys`; None when the row was reported as pointing at nothing.
    key: Option<u32>,
    /// Why it does not count (judged on arrival: it depends only on the control and the date).
    problem: Option<Box<Failing>>,
}

/// A piece of the book's text arena: rows keep their text there, not in an allocation each.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// What a failing row keeps for its finding (its title in the book's text arena).
struct Failing {
    judged: Judged,
    title: Span,
    status: Status,
}

#[derive(Default, Clone)]
enum Fate {
    #[default]
    Unseen,
    /// Counts, for these systems (indexes into the scope).
    Used(UsedBy),
    Reported(GapCode),
    /// Another row (index) already satisfies the control.
    Superseded(u32),
    /// A later failed result (index) shows the control not operating any more.
    Overruled(u32),
}

/// The systems a row counts for: one (most rows name their system), or several (rows for every
/// system).
#[derive(Clone)]
enum UsedBy {
    One(u16),
    /// A boxed slice, not a vector: two words in every row's fate, not three.
    Many(Box<[u16]>),
}

impl UsedBy {
    fn add(&mut self, sys: u16) {
        match self {
            UsedBy::One(s) if *s == sys => {}
            UsedBy::One(s) => *self = UsedBy::Many(Box::new([*s, sys])),
            UsedBy::Many(v) => {
                if !v.contains(&sys) {
                    let mut more = v.to_vec();
                    more.push(sys);
                    *v = more.into_boxed_slice();
                }
            }
        }
    }

    fn as_slice(&self) -> &[u16] {
        match self {
            UsedBy::One(s) => std::slice::from_ref(s),
            UsedBy::Many(v) => v,
        }
    }
}

pub(super) struct Found {
    pub used: Vec<String>,
    pub gaps: Vec<GapCode>,
}

pub(super) struct EvidenceBook<'a> {
    pub reuse: super::Reuse,
    /// Report evidence that stops counting within this many days after the as-of date.
    pub due_within: u32,
    catalog: &'a Catalog,
    scope: &'a Scope<'a>,
    /// The frameworks in scope (for rows that name a control but no framework).
    frameworks: Vec<&'a Framework>,
    file: String,
    as_of: Date,
    /// The audit period up to the as-of date.
    window: Window,
    rows: Vec<Row>,
    fates: Vec<Fate>,
    keys: Vec<Key<'a>>,
    key_index: HashMap<KeyParts, u32>,
    /// Each key's rows, in register order.
    rows_by_key: Vec<Vec<u32>>,
    /// `what` of rows that point at nothing, as written.
    unresolved: HashMap<u32, Arc<str>>,
    names: HashMap<String, Arc<str>>,
    /// Keys by framework, control and system as written (joined by U+001F).
    resolved: HashMap<Box<str>, u32>,
    scratch: String,
    /// The rows' evidence IDs and locations, one after another.
    text: String,
    /// Keep each row's location (only reports that list rows need it).
    keep_locations: bool,
    /// The register's owners, each once; rows point at them by index.
    owners: Vec<Arc<str>>,
    owner_index: HashMap<Arc<str>, u32>,
}

/// Why a row does not count, in a few bytes: the text is written only for a finding.
#[derive(Debug, Clone, Copy)]
enum Why {
    Expired(Date),
    AfterAsOf,
    AfterPeriod,
    BeforePeriod,
    /// Older than this day, the oldest the control's cadence accepts.
    TooOld(Date),
    Failed,
    NotApproved,
}

/// A row's judgement: its code, since when, and why.
#[derive(Debug, Clone, Copy)]
struct Judged {
    code: GapCode,
    since: Option<Date>,
    why: Why,
}

/// Why a row does not count in the audit window, if it does not. Recurring controls need rows
/// dated in the period (each covers the occurrence it is dated in) once an occurrence is due;
/// point-in-time ones, and recurring ones before their first occurrence ends, need a row dated
/// within one cadence span ending at the window's end (see [`Window::fresh_from`]).
fn judge_row(
    effective: Date,
    expires: Option<Date>,
    status: Status,
    control: &Control,
    window: &Window,
) -> Option<Judged> {
    let j = |code, since, why| Some(Judged { code, since, why });
    let as_of = window.as_of;
    if let Some(exp) = expires {
        if exp < as_of {
            return j(GapCode::EvidenceExpired, Some(exp), Why::Expired(exp));
        }
    }
    if effective > as_of {
        return j(GapCode::StaleEvidence, None, Why::AfterAsOf);
    }
    let cadence = control.cadence;
    if effective > window.period_end {
        return j(GapCode::StaleEvidence, None, Why::AfterPeriod);
    }
    let first_due = cadence
        .occurrence(window.start, window.period_end, 0)
        .is_some_and(|o| o.end <= window.end());
    if first_due {
        if effective < window.start {
            return j(GapCode::StaleEvidence, None, Why::BeforePeriod);
        }
    } else {
        // Point in time, or recurring with no occurrence due yet: current at the window's end.
        let (oldest, span) = match cadence.recurrence() {
            Some(months) => {
                let span = jiff::Span::new().months(months as i64);
                let end = window.end();
                let oldest = end
                    .checked_sub(span)
                    .and_then(|d| d.tomorrow())
                    .unwrap_or(end);
                (oldest, span)
            }
            None => (window.fresh_from(cadence), cadence.span()),
        };
        if effective < oldest {
            let lapsed = if cadence == Cadence::OnEvent {
                None
            } else {
                effective.checked_add(span).ok()
            };
            return j(GapCode::StaleEvidence, lapsed, Why::TooOld(oldest));
        }
    }
    if status == Status::Failed {
        return j(GapCode::ControlFailing, Some(effective), Why::Failed);
    }
    if status != Status::Approved {
        return j(GapCode::EvidenceNotApproved, None, Why::NotApproved);
    }
    None
}

/// The text of a judgement, for a finding.
fn describe(
    j: &Judged,
    evidence_id: &str,
    effective: Date,
    status: Status,
    control: &Control,
    window: &Window,
) -> Problem {
    let cadence = control.cadence;
    let article = match cadence {
        Cadence::Annual | Cadence::OnEvent => "an",
        _ => "a",
    };
    let detail = match j.why {
        Why::Expired(exp) => format!("{evidence_id} expired on {exp}"),
        Why::AfterAsOf => format!(
            "{evidence_id} is dated {effective}, after the as-of date {}: it cannot show the control operating by then",
            window.as_of
        ),
        Why::AfterPeriod => format!(
            "{evidence_id} is dated {effective}, after the audit period ended on {}: it cannot show the control operating in it",
            window.period_end
        ),
        Why::BeforePeriod => format!(
            "{evidence_id} is from {effective}, before the audit period (from {}): it shows no occurrence of {article} {cadence} control in the period",
            window.start
        ),
        Why::TooOld(oldest) => format!(
            "{evidence_id} is from {effective}; {article} {cadence} control needs evidence from {oldest} or later"
        ),
        Why::Failed => format!(
            "{evidence_id} records a failed check on {effective}: the control is not operating"
        ),
        Why::NotApproved => format!("{evidence_id} is {status}, not approved"),
    };
    (j.code, detail, j.since)
}

/// Add `reported` to `findings`; the codes of `first` and then of `reported`, each once.
fn codes_of(
    first: Vec<GapCode>,
    reported: Vec<Finding>,
    findings: &mut Vec<Finding>,
) -> Vec<GapCode> {
    let mut codes = first;
    for f in reported {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
        findings.push(f);
    }
    codes
}

/// A recurring control's missing occurrences, as the finding names them: runs of consecutive
/// ones joined (`Q4 2025 to Q1 2026 (2025-10-01 to 2026-03-31)`), and how many are covered.
fn describe_missing(control: &Control, due: &[Occurrence], missing: &[Occurrence]) -> String {
    let mut runs: Vec<(&Occurrence, &Occurrence)> = Vec::new();
    for o in missing {
        match runs.last_mut() {
            Some((_, last)) if last.index + 1 == o.index => *last = o,
            _ => runs.push((o, o)),
        }
    }
    let named: Vec<String> = runs
        .iter()
        .map(|(a, b)| {
            if a.index == b.index {
                a.to_string()
            } else {
                format!("{} to {} ({} to {})", a.label, b.label, a.start, b.end)
            }
        })
        .collect();
    let cadence = control.cadence;
    let how = match cadence {
        Cadence::Continuous | Cadence::Daily | Cadence::Weekly => {
            format!(" (a {cadence} control is checked month by month)")
        }
        _ => String::new(),
    };
    let (first, last) = (&due[0], &due[due.len() - 1]);
    format!(
        "{}: no approved evidence{how}; {} of {} {} from {} to {} covered",
        match named.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        },
        due.len() - missing.len(),
        due.len(),
        cadence.occurrences_noun(),
        first.start,
        last.end
    )
}

fn action(code: GapCode, status: Status, control: &Control) -> String {
    match code {
        GapCode::ControlFailing => {
            "Fix what the failed check found (the row's notes name it), run it again and register the passing result."
                .to_string()
        }
        GapCode::MissingEvidence => format!("Collect: {}", control.evidence),
        GapCode::StaleEvidence => format!(
            "Collect current evidence ({}): {}",
            control.cadence, control.evidence
        ),
        GapCode::MissingOccurrence => format!(
            "Find the {} evidence of each missing occurrence ({}), or record why the control did not operate then and what was done about it.",
            control.cadence, control.evidence
        ),
        GapCode::EvidenceExpired => "Renew or replace the evidence before the audit.".to_string(),
        GapCode::EvidenceNotApproved if status == Status::Rejected => {
            "Replace it: the reviewer rejected it.".to_string()
        }
        GapCode::EvidenceNotApproved => "Have it reviewed and approved.".to_string(),
        _ => String::new(),
    }
}

impl<'a> EvidenceBook<'a> {
    pub fn new(catalog: &'a Catalog, scope: &'a Scope<'a>, file: &str, as_of: Date) -> Self {
        EvidenceBook {
            reuse: super::Reuse::None,
            due_within: 0,
            catalog,
            scope,
            frameworks: scope.frameworks(),
            file: file.to_string(),
            as_of,
            window: Window {
                start: scope.period.start,
                period_end: scope.period.end,
                as_of,
            },
            rows: Vec::new(),
            fates: Vec::new(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            rows_by_key: Vec::new(),
            unresolved: HashMap::new(),
            names: HashMap::new(),
            resolved: HashMap::new(),
            scratch: String::new(),
            text: String::new(),
            keep_locations: true,
            owners: Vec::new(),
            owner_index: HashMap::new(),
        }
    }

    /// Keep rows' locations or not (see [`EvidenceBook::keep_locations`]).
    pub fn keep_locations(&mut self, keep: bool) {
        self.keep_locations = keep;
    }

    fn store(&mut self, t: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(t);
        Span {
            start,
            len: t.len() as u32,
        }
    }

    fn span(&self, s: Span) -> &str {
        &self.text[s.start as usize..(s.start + s.len) as usize]
    }

    /// Why a row does not count for `control`, if it does not (its title kept for the finding).
    fn failing(&mut self, r: &EvidenceRow, control: &Control) -> Option<Box<Failing>> {
        let judged = judge_row(r.effective_date, r.expires, r.status, control, &self.window)?;
        let title = self.store(&r.title);
        Some(Box::new(Failing {
            judged,
            title,
            status: r.status,
        }))
    }

    /// Why a row does not count for its own control, in words.
    fn problem(&self, row: &Row) -> Option<Problem> {
        let f = row.problem.as_ref()?;
        let control = self.keys[row.key? as usize].control;
        Some(describe(
            &f.judged,
            self.id(row),
            row.effective,
            f.status,
            control,
            &self.window,
        ))
    }

    /// A row's evidence ID.
    fn id(&self, row: &Row) -> &str {
        self.span(row.id)
    }

    /// A row's owner, as the register gives it.
    fn owner(&self, row: &Row) -> &Arc<str> {
        &self.owners[row.owner as usize]
    }

    fn owner_of(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.owner_index.get(name) {
            return i;
        }
        let a: Arc<str> = Arc::from(name);
        self.owners.push(a.clone());
        let i = (self.owners.len() - 1) as u32;
        self.owner_index.insert(a, i);
        i
    }

    fn name(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.names.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.names.insert(s.to_string(), a.clone());
        a
    }

    fn source(&self, row: u64) -> String {
        format!("{}:{row}", self.file)
    }

    /// A finding about an input row as written.
    fn raw_finding(&self, r: &EvidenceRow, code: GapCode, detail: String, action: &str) -> Finding {
        let mut f = Finding::new(code, detail, action);
        f.system = given(&r.system);
        f.framework = given(&r.framework);
        f.control = given(&r.control);
        f.evidence_id = given(&r.evidence_id);
        f.assignee = given(&r.owner);
        f.source = Some(self.source(r.row));
        f
    }

    /// The key a row's framework, control and system (as written) resolve to, from the rows
    /// before it: most registers name the same few thousand of them over and over.
    fn known_key(&mut self, r: &EvidenceRow) -> Option<u32> {
        self.scratch.clear();
        for part in [&r.framework, &r.control, &r.system] {
            self.scratch.push_str(part);
            self.scratch.push('\u{1f}');
        }
        self.resolved.get(self.scratch.as_str()).copied()
    }

    /// Take one row of the register: resolve it, judge it, keep what is needed.
    pub fn add(&mut self, r: EvidenceRow, findings: &mut Vec<Finding>) {
        let idx = self.rows.len() as u32;
        let resolved = match self.known_key(&r) {
            Some(k) => {
                let key = &self.keys[k as usize];
                Some((key.fw, key.control, None, Some(k)))
            }
            None => self
                .resolve(&r, findings)
                .map(|(fw, control, system)| (fw, control, system, None)),
        };
        let (key, problem) = match resolved {
            Some((_, control, _, Some(key))) => {
                let problem = self.failing(&r, control);
                self.rows_by_key[key as usize].push(idx);
                (Some(key), problem)
            }
            Some((fw, control, system, None)) => {
                let problem = self.failing(&r, control);
                let (fw_id, ctl_id) = (fw.id.clone(), control.id.clone());
                let (fw_a, ctl_a) = (self.name(&fw_id), self.name(&ctl_id));
                let sys_a = system.map(|s| self.name(&s));
                let k = (fw_a.clone(), ctl_a.clone(), sys_a.clone());
                let key = match self.key_index.get(&k) {
                    Some(&k) => k,
                    None => {
                        let what: Arc<str> = match &sys_a {
                            Some(s) => format!("{fw_id}:{ctl_id} @ {s}").into(),
                            None => format!("{fw_id}:{ctl_id}").into(),
                        };
                        self.keys.push(Key {
                            fw,
                            control,
                            system: sys_a,
                            what,
                        });
                        self.rows_by_key.push(Vec::new());
                        let n = (self.keys.len() - 1) as u32;
                        self.key_index.insert(k, n);
                        n
                    }
                };
                self.rows_by_key[key as usize].push(idx);
                self.resolved.insert(self.scratch.as_str().into(), key);
                (Some(key), problem)
            }
            None => {
                self.unresolved
                    .insert(idx, format!("{}:{}", r.framework, r.control).into());
                (None, None)
            }
        };
        self.fates.push(if key.is_some() {
            Fate::Unseen
        } else {
            Fate::Reported(GapCode::UnknownControl)
        });
        let owner = self.owner_of(r.owner.trim());
        let id = self.store(&r.evidence_id);
        let location = if self.keep_locations {
            self.store(&r.location)
        } else {
            Span { start: 0, len: 0 }
        };
        self.rows.push(Row {
            row: r.row,
            owner,
            expires: r.expires,
            id,
            location,
            effective: r.effective_date,
            key,
            problem,
        });
    }

    /// The framework, control and system a row names; reports rows that name nothing.
    fn resolve(
        &self,
        r: &EvidenceRow,
        findings: &mut Vec<Finding>,
    ) -> Option<(&'a Framework, &'a Control, Option<String>)> {
        let system = if r.system.is_empty() {
            None
        } else {
            match self.scope.system(&r.system) {
                Some(s) => Some(s.name.clone()),
                None => {
                    let f = self.raw_finding(
                        r,
                        GapCode::UnknownSystem,
                        format!(
                            "{} names system `{}`, which is not in the scope ({})",
                            r.evidence_id,
                            r.system,
                            known_systems(self.scope, &r.system)
                        ),
                        "Fix the system name, or add the system to the scope.",
                    );
                    findings.push(f);
                    return None;
                }
            }
        };
        let unknown = |detail: String, findings: &mut Vec<Finding>| {
            findings.push(self.raw_finding(
                r,
                GapCode::UnknownControl,
                detail,
                "Fix the control ID in the register (framework:control, e.g. pci-dss-4.0.1:8.3.1).",
            ));
            None
        };
        let catalog: &'a Catalog = self.catalog;
        let (fw, control) = if r.framework.is_empty() {
            let hits: Vec<(&'a Framework, &'a Control)> = self
                .frameworks
                .iter()
                .copied()
                .filter_map(|fw| fw.resolve(&r.control).ok().map(|c| (fw, c)))
                .collect();
            match hits.as_slice() {
                [one] => *one,
                [] => {
                    return unknown(
                        format!(
                            "{}: `{}` is not a control of any framework in scope",
                            r.evidence_id, r.control
                        ),
                        findings,
                    )
                }
                many => {
                    return unknown(
                        format!(
                            "{}: `{}` could be {}: write it as framework:control",
                            r.evidence_id,
                            r.control,
                            many.iter()
                                .map(|(f, c)| format!("{}:{}", f.id, c.id))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                        findings,
                    )
                }
            }
        } else {
            let fw = match catalog.framework(&r.framework) {
                Ok(fw) => fw,
                Err(e) => return unknown(format!("{}: {e}", r.evidence_id), findings),
            };
            match catalog.control(fw, &r.control) {
                Ok(c) => (fw, c),
                Err(e) => return unknown(format!("{}: {e}", r.evidence_id), findings),
            }
        };
        Some((fw, control, system))
    }

    fn system_index(&self, name: &str) -> u16 {
        self.scope
            .systems
            .iter()
            .position(|s| s.name == name)
            .unwrap_or(0) as u16
    }

    /// Rows that point at `(framework, control)` for `system` (or for every system), in
    /// register order.
    fn rows_for(&self, framework: &str, control: &str, system: &str) -> Vec<u32> {
        let (Some(fw), Some(ctl)) = (self.names.get(framework), self.names.get(control)) else {
            return Vec::new();
        };
        let rows = |sys: Option<&Arc<str>>| -> &[u32] {
            self.key_index
                .get(&(fw.clone(), ctl.clone(), sys.cloned()))
                .map(|&k| self.rows_by_key[k as usize].as_slice())
                .unwrap_or(&[])
        };
        let own = match self.names.get(system) {
            Some(sys) => rows(Some(sys)),
            None => &[],
        };
        let all = rows(None);
        // Merge the two ascending lists.
        let mut out = Vec::with_capacity(own.len() + all.len());
        let (mut a, mut b) = (0, 0);
        while a < own.len() && b < all.len() {
            if own[a] < all[b] {
                out.push(own[a]);
                a += 1;
            } else {
                out.push(all[b]);
                b += 1;
            }
        }
        out.extend_from_slice(&own[a..]);
        out.extend_from_slice(&all[b..]);
        out
    }

    /// Check one control on one system the customer owns or shares.
    pub fn check(
        &mut self,
        sys: &System<'_>,
        fw: &Framework,
        control: &Control,
        order: usize,
        owner: Party,
        findings: &mut Vec<Finding>,
    ) -> Found {
        let direct = self.rows_for(&fw.id, &control.id, &sys.name);
        // With --reuse-mapped: rows of the controls this one maps to, where the relationship allows.
        let mut reused: Vec<(u32, String)> = Vec::new();
        if self.reuse != super::Reuse::None {
            for m in crate::crosswalk::mapped(&self.catalog.crosswalks, &fw.id, &control.id, None) {
                if self.reuse.allows(m.relationship) {
                    for i in self.rows_for(&m.framework, &m.control, &sys.name) {
                        reused.push((i, format!("{}:{}", m.framework, m.control)));
                    }
                }
            }
        }
        let from_of = |i: u32| reused.iter().find(|(r, _)| *r == i).map(|(_, f)| f.clone());
        let base = |code: GapCode, detail: String, action: String| {
            let mut f = Finding::new(code, detail, action);
            f.system = Some(sys.name.clone());
            f.framework = Some(fw.id.clone());
            f.control = Some(control.id.clone());
            f.title = Some(control.title.clone());
            f.party = Some(owner);
            f.order = Some(order);
            f.weight = Some(control.weight);
            f
        };
        let candidates: Vec<u32> = direct
            .iter()
            .copied()
            .chain(reused.iter().map(|(i, _)| *i))
            .collect();
        if candidates.is_empty() {
            findings.push(base(
                GapCode::MissingEvidence,
                format!(
                    "no evidence registered for a control the customer {} on {}",
                    if owner == Party::Customer {
                        "owns"
                    } else {
                        "shares"
                    },
                    sys.name
                ),
                action(GapCode::MissingEvidence, Status::Approved, control),
            ));
            return Found {
                used: Vec::new(),
                gaps: vec![GapCode::MissingEvidence],
            };
        }
        // A reused row is judged against this control's cadence, not its own.
        let judged: Vec<(u32, Option<Problem>)> = candidates
            .iter()
            .map(|&i| {
                let row = &self.rows[i as usize];
                let problem = if direct.binary_search(&i).is_ok() {
                    self.problem(row)
                } else {
                    self.rejudge(row, control)
                };
                (i, problem)
            })
            .collect();
        let mut good: Vec<u32> = judged
            .iter()
            .filter(|(_, p)| p.is_none())
            .map(|(i, _)| *i)
            .collect();
        // Occurrences are covered by the good rows dated in them, overruled or not: a later
        // failure says the control stopped operating then (control-failing), not that it never
        // operated before.
        let covering = good.clone();
        // A failed check of the control's own, later than every good row, overrules them: the
        // control stopped operating (a passing result on or after the failure shows it fixed).
        let newest_good = good.iter().map(|&i| self.rows[i as usize].effective).max();
        let overruling = judged
            .iter()
            .filter(|(i, p)| {
                direct.binary_search(i).is_ok()
                    && p.as_ref().is_some_and(|p| p.0 == GapCode::ControlFailing)
                    && newest_good.is_some_and(|d| self.rows[*i as usize].effective > d)
            })
            .max_by_key(|(i, _)| self.rows[*i as usize].effective)
            .map(|(i, _)| *i);
        if let Some(failed) = overruling {
            for &i in &good {
                if direct.binary_search(&i).is_ok()
                    && matches!(self.fates[i as usize], Fate::Unseen)
                {
                    self.fates[i as usize] = Fate::Overruled(failed);
                }
            }
            good.clear();
        }
        // A recurring control: the occurrences due by the window's end, and those no good row
        // is dated in.
        let (due, _) = control.cadence.occurrences(&self.window);
        let missing: Vec<Occurrence> = due
            .iter()
            .filter(|o| {
                !covering
                    .iter()
                    .any(|&i| o.contains(self.rows[i as usize].effective))
            })
            .cloned()
            .collect();
        let missing_finding = || {
            let mut f = base(
                GapCode::MissingOccurrence,
                describe_missing(control, &due, &missing),
                action(GapCode::MissingOccurrence, Status::Approved, control),
            );
            f.since = missing.first().map(|o| o.start);
            f
        };
        if let Some(&newest) = good
            .iter()
            .max_by_key(|&&i| self.rows[i as usize].effective)
        {
            let sys_idx = self.system_index(&sys.name);
            let used: Vec<String> = good
                .iter()
                .map(|&i| match from_of(i) {
                    Some(from) if direct.binary_search(&i).is_err() => {
                        format!("{} (reused from {from})", self.id(&self.rows[i as usize]))
                    }
                    _ => self.id(&self.rows[i as usize]).to_string(),
                })
                .collect();
            for &i in &good {
                match &mut self.fates[i as usize] {
                    Fate::Used(systems) => systems.add(sys_idx),
                    fate => *fate = Fate::Used(UsedBy::One(sys_idx)),
                }
            }
            // Rows that do not count: those dated in a missing occurrence say why it is
            // missing; the others are not needed.
            let (explain, rest): (Vec<_>, Vec<_>) = judged
                .into_iter()
                .filter(|(_, p)| p.is_some())
                .partition(|(i, _)| {
                    let d = self.rows[*i as usize].effective;
                    missing.iter().any(|o| o.contains(d))
                });
            for (i, _) in rest.iter().filter(|(i, _)| direct.binary_search(i).is_ok()) {
                if matches!(self.fates[*i as usize], Fate::Unseen) {
                    self.fates[*i as usize] = Fate::Superseded(newest);
                }
            }
            if missing.is_empty() {
                if let Some((detail, day, evidence_id, person)) = self.due_soon(&good, control) {
                    let mut f = base(
                        GapCode::EvidenceDueSoon,
                        detail,
                        format!("Collect the next: {}", control.evidence),
                    )
                    .with_due(day, evidence_id);
                    f.assignee = given(&person);
                    findings.push(f);
                }
                return Found {
                    used,
                    gaps: Vec::new(),
                };
            }
            findings.push(missing_finding());
            let reported = self.report_rows(explain, control, &direct, &from_of, &base);
            return Found {
                used,
                gaps: codes_of(vec![GapCode::MissingOccurrence], reported, findings),
            };
        }
        let mut gaps = Vec::new();
        if !missing.is_empty() {
            findings.push(missing_finding());
            gaps.push(GapCode::MissingOccurrence);
        }
        let reported = self.report_rows(judged, control, &direct, &from_of, &base);
        Found {
            used: Vec::new(),
            gaps: codes_of(gaps, reported, findings),
        }
    }

    /// Report rows that do not count, each with its own code: the control's own rows, and
    /// reused rows only when it has none of its own.
    fn report_rows(
        &mut self,
        judged: Vec<(u32, Option<Problem>)>,
        control: &Control,
        direct: &[u32],
        from_of: &dyn Fn(u32) -> Option<String>,
        base: &dyn Fn(GapCode, String, String) -> Finding,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        let report_reused = direct.is_empty();
        for (i, p) in judged {
            let Some((code, detail, since)) = p else {
                continue;
            };
            let from = if direct.binary_search(&i).is_ok() {
                None
            } else {
                from_of(i)
            };
            if from.is_some() && !report_reused {
                continue;
            }
            let row = &self.rows[i as usize];
            let detail = match &from {
                Some(f) => format!("{detail} (reused from {f})"),
                None => detail,
            };
            let (title, status) = row
                .problem
                .as_ref()
                .map_or((String::new(), Status::Approved), |f| {
                    (self.span(f.title).to_string(), f.status)
                });
            let mut f = base(code, detail, action(code, status, control));
            f.reused_from = from.clone();
            f.evidence_id = given(self.id(row));
            f.assignee = given(self.owner(row));
            f.reference = given(&title);
            f.source = Some(self.source(row.row));
            f.since = since;
            findings.push(f);
            if from.is_none() && !matches!(self.fates[i as usize], Fate::Used(_)) {
                self.fates[i as usize] = Fate::Reported(code);
            }
        }
        findings
    }

    /// When the evidence that satisfies a control stops counting, if that is within
    /// `due_within` days of the as-of date: (detail, the last good day, the row that lasts
    /// longest, its owner). A point-in-time control's evidence stops counting at its expiry or one cadence
    /// span after its date; a recurring control is due when the next occurrence that has not
    /// ended at the as-of date (the one in progress, or the next period's first) has no
    /// evidence yet and starts within `due_within` days: it is due by its last day.
    fn due_soon(
        &self,
        good: &[u32],
        control: &Control,
    ) -> Option<(String, Date, Box<str>, Arc<str>)> {
        if self.due_within == 0 || control.cadence == Cadence::OnEvent {
            return None;
        }
        let horizon = self
            .as_of
            .checked_add(jiff::Span::new().days(self.due_within as i64))
            .ok()?;
        let when = |day: Date| match (day - self.as_of).get_days() {
            0 => "the as-of date itself".to_string(),
            1 => "1 day after the as-of date".to_string(),
            n => format!("{n} days after the as-of date"),
        };
        let cadence = control.cadence;
        if cadence.recurs() {
            let w = &self.window;
            let next = (0..)
                .map_while(|i| cadence.occurrence(w.start, w.period_end, i))
                .find(|o| o.end > self.as_of)?;
            let newest = good
                .iter()
                .map(|&i| &self.rows[i as usize])
                .max_by_key(|r| r.effective)?;
            if next.start > horizon
                || good
                    .iter()
                    .any(|&i| next.contains(self.rows[i as usize].effective))
            {
                return None;
            }
            return Some((
                format!(
                    "{next} needs its own evidence by {}, {}: none is approved yet (the newest is {}, of {})",
                    next.end,
                    when(next.end),
                    self.id(newest),
                    newest.effective
                ),
                next.end,
                self.id(newest).into(),
                self.owner(newest).clone(),
            ));
        }
        let last_day = |r: &Row| {
            // The last day the evidence is one cadence span or less old (see `Window::fresh_from`).
            let fresh_until = r
                .effective
                .checked_add(cadence.span())
                .and_then(|d| d.yesterday())
                .unwrap_or(r.effective);
            match r.expires {
                Some(e) if e < fresh_until => (e, "expires"),
                _ => (fresh_until, "reaches the end of its cadence"),
            }
        };
        let (row, (day, why)) = good
            .iter()
            .map(|&i| &self.rows[i as usize])
            .map(|r| (r, last_day(r)))
            .max_by_key(|(_, (d, _))| *d)?;
        if day > horizon {
            return None;
        }
        Some((
            format!(
                "{} {why} on {day}, {}: collect the next {cadence} evidence before then",
                self.id(row),
                when(day)
            ),
            day,
            self.id(row).into(),
            self.owner(row).clone(),
        ))
    }

    /// Judge a row again for another control (reuse): its own failure, or freshness under the
    /// other control's cadence.
    fn rejudge(&self, row: &Row, control: &Control) -> Option<Problem> {
        if let Some(f) = &row.problem {
            if f.judged.code != GapCode::StaleEvidence {
                return self.problem(row);
            }
        }
        let status = row.problem.as_ref().map_or(Status::Approved, |f| f.status);
        let judged = judge_row(row.effective, None, status, control, &self.window)?;
        Some(describe(
            &judged,
            self.id(row),
            row.effective,
            status,
            control,
            &self.window,
        ))
    }

    /// Report rows no control needed, and say what became of every row.
    /// `list`: say what became of every row (else only report the unused ones).
    pub fn finish(self, findings: &mut Vec<Finding>, list: bool) -> Vec<RowOutcome> {
        let mut out = Vec::with_capacity(if list { self.rows.len() } else { 0 });
        let mut shared: HashMap<&[u16], Arc<str>> = HashMap::new();
        let reported: HashMap<GapCode, Arc<str>> = GapCode::ALL
            .iter()
            .map(|c| (*c, Arc::from(format!("reported: {c}").as_str())))
            .collect();
        let mut unused_reasons: HashMap<u32, Arc<str>> = HashMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            // Without a list, only the unused rows matter (they are findings).
            if !list && !matches!(self.fates[i], Fate::Unseen) {
                continue;
            }
            let outcome: Arc<str> = match &self.fates[i] {
                Fate::Used(systems) => shared
                    .entry(systems.as_slice())
                    .or_insert_with(|| {
                        let names: Vec<&str> = systems
                            .as_slice()
                            .iter()
                            .map(|&s| self.scope.systems[s as usize].name.as_str())
                            .collect();
                        format!("counts for {}", names.join(", ")).into()
                    })
                    .clone(),
                Fate::Superseded(by) => format!(
                    "not needed: {} already satisfies the control",
                    self.id(&self.rows[*by as usize])
                )
                .into(),
                Fate::Overruled(by) => format!(
                    "does not count: a later failed check ({}) shows the control not operating",
                    self.id(&self.rows[*by as usize])
                )
                .into(),
                Fate::Reported(code) => reported[code].clone(),
                Fate::Unseen
                    if self
                        .left_out(row.key.expect("unseen rows are resolved"))
                        .is_some() =>
                {
                    let key = row.key.expect("unseen rows are resolved");
                    unused_reasons
                        .entry(key)
                        .or_insert_with(|| {
                            let why = self.left_out(key).unwrap_or_default();
                            format!("not needed: {why}").into()
                        })
                        .clone()
                }
                Fate::Unseen => {
                    let key = row.key.expect("unseen rows are resolved");
                    let reason = unused_reasons
                        .entry(key)
                        .or_insert_with(|| self.unused_reason(key).into())
                        .clone();
                    let k = &self.keys[key as usize];
                    let mut f = Finding::new(
                        GapCode::UnusedEvidence,
                        format!("{}: {reason}", self.id(row)),
                        "None needed; remove it from the register or fix the row it was meant for.",
                    );
                    f.system = k.system.as_deref().map(str::to_string);
                    f.framework = Some(k.fw.id.clone());
                    f.control = Some(k.control.id.clone());
                    f.evidence_id = given(self.id(row));
                    f.assignee = given(self.owner(row));
                    f.source = Some(self.source(row.row));
                    findings.push(f);
                    format!("reported: unused-evidence ({reason})").into()
                }
            };
            if !list {
                continue;
            }
            let what = match row.key {
                Some(k) => self.keys[k as usize].what.clone(),
                None => self
                    .unresolved
                    .get(&(i as u32))
                    .cloned()
                    .unwrap_or_else(|| Arc::from("")),
            };
            out.push(RowOutcome {
                row: row.row,
                id: self.id(row).into(),
                location: self.span(row.location).into(),
                what,
                outcome,
            });
        }
        out
    }

    /// Why the control a row is for does not apply on any system it could count for (None when
    /// it applies on one of them, or none is assessed against its framework).
    fn left_out(&self, key: u32) -> Option<String> {
        let k = &self.keys[key as usize];
        let (f, c) = (k.fw, k.control);
        let mut why: Vec<String> = Vec::new();
        for s in self
            .scope
            .systems
            .iter()
            .filter(|s| k.system.as_deref().is_none_or(|n| s.name == n))
            .filter(|s| s.has_framework(&f.id))
        {
            match s.applies(f, c) {
                a if a.applies() => return None,
                a => why.push(format!("{} on {}: {}", a.status(), s.name, a.reason())),
            }
        }
        (!why.is_empty()).then(|| format!("{} {} {}", f.id, c.id, why.join("; ")))
    }

    fn unused_reason(&self, key: u32) -> String {
        let k = &self.keys[key as usize];
        let (f, c) = (k.fw, k.control);
        let (fw, control) = (&f.id, &c.id);
        let systems: Vec<&System<'_>> = self
            .scope
            .systems
            .iter()
            .filter(|s| k.system.as_deref().is_none_or(|n| s.name == n))
            .filter(|s| s.has_framework(fw))
            .collect();
        if systems.is_empty() {
            return match &k.system {
                Some(s) => format!("{fw} is not in scope for {s}"),
                None => format!("{fw} is not in scope for any system"),
            };
        }
        if c.is_informative() {
            return format!("{fw} {control} places no duty");
        }
        let owners: Vec<String> = systems
            .iter()
            .map(|s| {
                let owner = decide_across(&s.offerings, f, c, s.assumptions()).owner;
                format!("{owner} on {}", s.name)
            })
            .collect();
        format!(
            "{fw} {control} is not the customer's ({}): the provider's attestation covers it",
            owners.join(", ")
        )
    }
}

/// The scope's systems for a message about an unknown one: all of them when there are a few,
/// else those whose names share a part with `given`, and how many there are.
fn known_systems(scope: &Scope<'_>, given: &str) -> String {
    let names: Vec<&str> = scope.systems.iter().map(|s| s.name.as_str()).collect();
    if names.len() <= 10 {
        return format!("systems: {}", names.join(", "));
    }
    let given = given.to_ascii_lowercase();
    let parts: Vec<&str> = given
        .split(['-', '_', ' ', '.'])
        .filter(|p| p.len() >= 3)
        .collect();
    let near: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| {
            let n = n.to_ascii_lowercase();
            n.contains(&given) || given.contains(&n) || parts.iter().any(|p| n.contains(p))
        })
        .take(5)
        .collect();
    if near.is_empty() {
        format!("it has {} systems", names.len())
    } else {
        format!(
            "it has {} systems; similar names: {}",
            names.len(),
            near.join(", ")
        )
    }
}

//! Evidence rules: which register rows count for which controls, and why the others do not.
//!
//! The register is read twice, and nothing of it is kept row by row, so a register of millions
//! of rows takes the memory of the scope, not of the file:
//!
//! 1. [`EvidenceBook::add`] takes each row as it streams in: it resolves the row's framework,
//!    control and system to a [`Key`] (once per spelling), judges it, and folds it into the
//!    key's [`View`]s: how many rows, which occurrences of the period good rows are dated in,
//!    which codes failing rows carry in each, and the few rows a decision names (the newest good
//!    row, the one lasting longest, the latest failed check).
//! 2. [`EvidenceBook::check`] decides each control on each system from those summaries alone:
//!    the findings about the control, and a [`Verdict`] that says what becomes of its rows.
//! 3. [`EvidenceBook::finish`] reads the register again and applies the verdicts to each row in
//!    turn: the findings about rows that do not count, the rows no control needed, and (for the
//!    reports that list them) each row's outcome and the evidence each control counted.
//!
//! A row's fate depends only on its own judgement and on the verdicts of the checks it took
//! part in, in the order they were made, so the second pass reaches the same findings, byte for
//! byte, as keeping every row would.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use super::finding::{given, Names};
use super::row_positions::{Position, RowPositions};
use super::{Finding, GapCode, RowOutcome, RowOutcomes};
use crate::cadence::{Cadence, Occurrence, Window};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::framework::{Control, Framework};
use crate::input::evidence::{EvidenceRow, Status};
use crate::input::scope::{Scope, System};
use crate::ownership::decide_across;
use crate::party::Party;
use crate::text::trim;

/// Why a row does not count: the code, the detail, and since when.
type Problem = (GapCode, String, Option<Date>);

/// (framework, control, system) as interned strings.
type KeyParts = (Arc<str>, Arc<str>, Option<Arc<str>>);

/// Where a control's evidence sits in the report: system, framework and control (indexes into
/// [`super::GapReport::systems`], its frameworks and their controls).
pub(super) type Slot = (usize, usize, usize);

/// What the second pass returns: each row's outcome (when listed), and the evidence each
/// control counted, by slot.
pub(super) type Settled = (RowOutcomes, Vec<(Slot, Vec<String>)>);

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

/// What judging a row under one cadence takes from the window, worked out once a run (per
/// row, this date arithmetic was 5% of a run on a million rows).
#[derive(Debug, Clone, Copy)]
struct Fresh {
    cadence: Cadence,
    /// The cadence's first occurrence has ended by the window's end: rows must be dated in the
    /// period.
    first_due: bool,
    /// Otherwise (point in time, or no occurrence due yet), the oldest date a row may have
    /// (current at the window's end), and the span after which a row lapses.
    oldest: Date,
    span: jiff::Span,
}

impl Fresh {
    fn new(cadence: Cadence, window: &Window) -> Fresh {
        let first_due = cadence
            .occurrence(window.start, window.period_end, 0)
            .is_some_and(|o| o.end <= window.end());
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
        Fresh {
            cadence,
            first_due,
            oldest,
            span,
        }
    }
}

/// Why a row does not count in the audit window, if it does not. Recurring controls need rows
/// dated in the period (each covers the occurrence it is dated in) once an occurrence is due;
/// point-in-time ones, and recurring ones before their first occurrence ends, need a row dated
/// within one cadence span ending at the window's end (see [`Window::fresh_from`]).
fn judge_row(
    effective: Date,
    expires: Option<Date>,
    status: Status,
    fresh: &Fresh,
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
    if effective > window.period_end {
        return j(GapCode::StaleEvidence, None, Why::AfterPeriod);
    }
    if fresh.first_due {
        if effective < window.start {
            return j(GapCode::StaleEvidence, None, Why::BeforePeriod);
        }
    } else if effective < fresh.oldest {
        let lapsed = if fresh.cadence == Cadence::OnEvent {
            None
        } else {
            effective.checked_add(fresh.span).ok()
        };
        return j(GapCode::StaleEvidence, lapsed, Why::TooOld(fresh.oldest));
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
    cadence: Cadence,
    window: &Window,
) -> Problem {
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

/// A small set of the codes a row's judgement can carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Codes(u8);

impl Codes {
    const ORDER: [GapCode; 4] = [
        GapCode::ControlFailing,
        GapCode::EvidenceExpired,
        GapCode::StaleEvidence,
        GapCode::EvidenceNotApproved,
    ];

    fn bit(code: GapCode) -> u8 {
        let i = Codes::ORDER
            .iter()
            .position(|c| *c == code)
            .expect("a row's judgement carries one of four codes");
        1 << i
    }

    fn add(&mut self, code: GapCode) {
        self.0 |= Codes::bit(code);
    }

    fn union(self, other: Codes) -> Codes {
        Codes(self.0 | other.0)
    }

    fn list(self) -> impl Iterator<Item = GapCode> {
        Codes::ORDER
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, c)| c)
    }
}

/// One bit per occurrence of a period.
#[derive(Debug, Clone, Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn or(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The occurrences of the period for one cadence: the first `due` have ended by the window's
/// end; the list goes on to the first that ends after the as-of date (the next one due, for
/// "due soon"). Empty for a point-in-time cadence.
struct Occurrences {
    all: Vec<Occurrence>,
    due: usize,
    /// How a row is judged under the cadence.
    fresh: Fresh,
}

impl Occurrences {
    fn new(cadence: Cadence, window: &Window) -> Occurrences {
        let (mut all, _) = cadence.occurrences(window);
        let due = all.len();
        if cadence.recurs() {
            for i in due as u32.. {
                let Some(o) = cadence.occurrence(window.start, window.period_end, i) else {
                    break;
                };
                let last = o.end > window.as_of;
                all.push(o);
                if last {
                    break;
                }
            }
        }
        Occurrences {
            all,
            due,
            fresh: Fresh::new(cadence, window),
        }
    }

    /// The occurrence a day falls in.
    fn index_of(&self, d: Date) -> Option<usize> {
        let i = self.all.partition_point(|o| o.start <= d).checked_sub(1)?;
        self.all[i].contains(d).then_some(i)
    }

    /// The next occurrence that has not ended at the as-of date.
    fn next(&self, as_of: Date) -> Option<usize> {
        self.all.iter().position(|o| o.end > as_of)
    }
}

/// A framework, control and system as a row spells them (joined by U+001F), held in the map's
/// own slot when short. Every row is looked up by its spelling; with the spelling in a box of
/// its own, each look-up read two places in memory, and the file passing through the caches
/// evicts the map between rows (cachegrind: 3% fewer first-level data misses at 10^5 rows).
#[derive(Clone)]
enum Spelling {
    Short { len: u8, bytes: [u8; 54] },
    Long(Box<[u8]>),
}

impl Spelling {
    fn of(s: &str) -> Spelling {
        let b = s.as_bytes();
        if b.len() <= 54 {
            let mut bytes = [0u8; 54];
            bytes[..b.len()].copy_from_slice(b);
            Spelling::Short {
                len: b.len() as u8,
                bytes,
            }
        } else {
            Spelling::Long(b.into())
        }
    }
}

impl std::borrow::Borrow<[u8]> for Spelling {
    fn borrow(&self) -> &[u8] {
        match self {
            Spelling::Short { len, bytes } => &bytes[..usize::from(*len)],
            Spelling::Long(b) => b,
        }
    }
}

impl std::hash::Hash for Spelling {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        <[u8] as std::hash::Hash>::hash(std::borrow::Borrow::borrow(self), state);
    }
}

impl PartialEq for Spelling {
    fn eq(&self, other: &Self) -> bool {
        <Self as std::borrow::Borrow<[u8]>>::borrow(self)
            == <Self as std::borrow::Borrow<[u8]>>::borrow(other)
    }
}

impl Eq for Spelling {}

/// A row a decision names: when it is dated, its ID and owner.
#[derive(Debug, Clone)]
struct Pick {
    /// The row's place in the register (order of arrival).
    seq: u32,
    effective: Date,
    id: String,
    owner: u32,
}

impl Pick {
    fn set(slot: &mut Option<Pick>, seq: u32, effective: Date, id: &str, owner: u32) {
        match slot {
            Some(p) => {
                p.seq = seq;
                p.effective = effective;
                p.id.clear();
                p.id.push_str(id);
                p.owner = owner;
            }
            None => {
                *slot = Some(Pick {
                    seq,
                    effective,
                    id: id.to_string(),
                    owner,
                })
            }
        }
    }
}

/// A key's rows judged for one cadence: for the key's own control, or for a control of another
/// cadence that reuses them (`--reuse-mapped`).
struct View {
    cadence: Cadence,
    /// Judged as the key's own control (with expiry), not re-judged for reuse.
    own: bool,
    good: u32,
    /// The occurrences good rows are dated in.
    good_in: Bits,
    /// The codes of failing rows dated in each occurrence.
    failing_in: Vec<Codes>,
    /// The codes of every failing row.
    failing: Codes,
    /// The newest good row (the last of the newest, in register order).
    newest: Option<Pick>,
    /// A point-in-time control's good row that stops counting last, the day it does and why.
    lasting: Option<(Date, &'static str, Pick)>,
    /// The latest failed check (own view only).
    failed: Option<Pick>,
}

impl View {
    fn new(cadence: Cadence, own: bool, occurrences: &Occurrences) -> View {
        View {
            cadence,
            own,
            good: 0,
            good_in: Bits::new(occurrences.all.len()),
            failing_in: vec![Codes::default(); occurrences.due],
            failing: Codes::default(),
            newest: None,
            lasting: None,
            failed: None,
        }
    }
}

/// Where rows point: a framework, a control and (optionally) a system.
struct Key<'a> {
    fw: &'a Framework,
    control: &'a Control,
    system: Option<Arc<str>>,
    /// `fw:control @ system`, shared by every row of the key.
    what: Arc<str>,
    rows: u32,
    /// The view for the control's own cadence first, then one per other cadence that reuses it.
    /// Held in the key (a key is read for every row: its own view is then where the key is, not
    /// one more place in memory to fetch).
    views: smallvec::SmallVec<[View; 1]>,
    /// The checks its rows took part in, in the order they were made, each with the group of
    /// reused rows they were in (`None`: the control's own rows).
    checks: Vec<(u32, Option<u16>)>,
}

impl Key<'_> {
    fn view(&self, cadence: Cadence) -> &View {
        self.views
            .iter()
            .find(|v| v.cadence == cadence)
            .expect("every cadence that reuses a key has a view of it")
    }
}

/// What a check decided, as far as its rows are concerned.
enum Branch {
    /// Good rows satisfy the control: failing rows dated in a missing occurrence are reported,
    /// the other failing ones of its own are not needed (the newest good row's ID).
    Good { missing: Bits, newest: Arc<str> },
    /// A later failed check (its ID) overrules the good rows: every failing row is reported.
    Overruled { failed: Arc<str> },
    /// No good row: every failing row is reported.
    NoGood,
}

/// Why a row's framework, control and system name nothing: its finding's code, the detail
/// after the row's evidence ID, and the action.
#[derive(Clone)]
struct Unresolved {
    code: GapCode,
    reason: Arc<str>,
    action: &'static str,
}

/// One control checked on one system, for the second pass.
struct Verdict<'a> {
    system: u16,
    fw: &'a Framework,
    control: &'a Control,
    order: usize,
    owner: Party,
    branch: Branch,
    /// The control had no rows of its own: reused rows are reported.
    direct_empty: bool,
    /// The controls reused rows came from, by group (`fw:control`).
    from: Vec<Arc<str>>,
    slot: Slot,
}

/// What became of a row, over the checks it took part in.
#[derive(Default)]
enum Fate {
    #[default]
    Unseen,
    /// Counts, for these systems (indexes into the scope), each once.
    Used(Vec<u16>),
    Reported(GapCode),
    /// Another row (its ID) already satisfies the control.
    Superseded(Arc<str>),
    /// A later failed result (its ID) shows the control not operating any more.
    Overruled(Arc<str>),
}

pub(super) struct EvidenceBook<'a> {
    /// The names its findings carry, each held once.
    named: Names,
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
    /// Rows taken so far.
    seen: u32,
    keys: Vec<Key<'a>>,
    key_index: HashMap<KeyParts, u32>,
    names: HashMap<String, Arc<str>>,
    /// Keys by framework, control and system as written (joined by U+001F).
    resolved: HashMap<Spelling, u32>,
    /// Spellings that resolved to nothing, and why (reported for each of their rows on the
    /// first pass; the reason, with its did-you-mean, worked out once per spelling).
    unresolved: HashMap<Box<str>, Unresolved>,
    /// Systems as rows spell them, resolved ([`EvidenceBook::resolve`]).
    systems_named: HashMap<Box<str>, Result<Option<String>, Unresolved>>,
    /// Frameworks and controls as rows spell them (joined by U+001F), resolved.
    controls_named: HashMap<Box<str>, Result<(&'a Framework, &'a Control), Unresolved>>,
    scratch: String,
    /// The register's owners, each once; picks point at them by index.
    owners: Vec<Arc<str>>,
    owner_index: HashMap<Arc<str>, u32>,
    /// The period's occurrences of each cadence.
    occurrences: Vec<(Cadence, Occurrences)>,
    /// With `--reuse-mapped`: for each framework and control, the cadences of the controls in
    /// scope that reuse its rows.
    reused_by: HashMap<(String, String), Vec<Cadence>>,
    verdicts: Vec<Verdict<'a>>,
    /// Every row's evidence ID, title and date, for IDs used for two documents.
    ids: super::evidence_ids::IdLedger,
    /// A failure writing the ledger's temporary file (reported at the end of the first pass).
    ids_failed: Option<std::io::Error>,
    /// The ledger's conflicts, being found on a thread of their own while the checks are made
    /// ([`EvidenceBook::settle_ids`]).
    conflicts:
        Option<std::thread::JoinHandle<std::io::Result<std::collections::HashMap<u64, u64>>>>,
    /// Each row's place and key, when the register is a CSV file, so the second pass reads again
    /// only the rows it needs; None in a workbook (read whole again), or when the temporary
    /// file could not be written (the same).
    positions: Option<RowPositions>,
    /// The rows of the findings this book gave on the first pass, in order (a book of a
    /// register's second part gives them with lines counted from the part's start: see
    /// [`EvidenceBook::absorb`]).
    raw_rows: Vec<u64>,
}

/// Of two rows a decision may name, the later in the order rows are candidates (by date, then
/// by their place in the register).
fn last_of<'p>(
    best: Option<(&'p Pick, Date)>,
    pick: Option<(&'p Pick, Date)>,
) -> Option<(&'p Pick, Date)> {
    match (best, pick) {
        (Some((b, bd)), Some((p, pd))) if pd > bd || (pd == bd && p.seq > b.seq) => Some((p, pd)),
        (None, p) => p,
        (b, _) => b,
    }
}

/// The row `each` names with the latest date over a check's views, as `max_by_key` over its
/// candidates would pick it: the last of the latest (the register's order within a group of
/// views, later groups after earlier ones).
fn in_order<'p>(
    groups: &[Vec<&'p View>],
    each: impl Fn(&'p View) -> Option<(&'p Pick, Date)>,
) -> Option<(&'p Pick, Date)> {
    let mut best: Option<(&'p Pick, Date)> = None;
    for group in groups {
        let mut in_group = None;
        for v in group {
            in_group = last_of(in_group, each(v));
        }
        if let Some((p, d)) = in_group {
            if best.is_none_or(|(_, bd)| d >= bd) {
                best = Some((p, d));
            }
        }
    }
    best
}

/// Judge a row again for a control of another cadence (reuse): its own failure, or freshness
/// under the other cadence (without its expiry, which its own judgement already weighed).
fn rejudge(
    own: Option<Judged>,
    effective: Date,
    status: Status,
    fresh: &Fresh,
    window: &Window,
) -> Option<Judged> {
    if let Some(j) = own {
        if j.code != GapCode::StaleEvidence {
            return Some(j);
        }
    }
    judge_row(effective, None, status, fresh, window)
}

/// The last day a good row counts for a point-in-time control, and why it stops then: one
/// cadence span after its date (see `Window::fresh_from`), or its expiry if that comes first.
fn last_day(effective: Date, expires: Option<Date>, cadence: Cadence) -> (Date, &'static str) {
    let fresh_until = effective
        .checked_add(cadence.span())
        .and_then(|d| d.yesterday())
        .unwrap_or(effective);
    match expires {
        Some(e) if e < fresh_until => (e, "expires"),
        _ => (fresh_until, "reaches the end of its cadence"),
    }
}

impl<'a> EvidenceBook<'a> {
    pub fn new(catalog: &'a Catalog, scope: &'a Scope<'a>, file: &str, as_of: Date) -> Self {
        let window = Window {
            start: scope.period.start,
            period_end: scope.period.end,
            as_of,
        };
        EvidenceBook {
            named: Names::default(),
            reuse: super::Reuse::None,
            due_within: 0,
            catalog,
            scope,
            frameworks: scope.frameworks(),
            file: file.to_string(),
            as_of,
            occurrences: Cadence::ALL
                .iter()
                .map(|&c| (c, Occurrences::new(c, &window)))
                .collect(),
            window,
            seen: 0,
            keys: Vec::new(),
            key_index: HashMap::new(),
            names: HashMap::new(),
            resolved: HashMap::new(),
            unresolved: HashMap::new(),
            systems_named: HashMap::new(),
            controls_named: HashMap::new(),
            scratch: String::new(),
            owners: Vec::new(),
            owner_index: HashMap::new(),
            reused_by: HashMap::new(),
            verdicts: Vec::new(),
            ids: Default::default(),
            ids_failed: None,
            conflicts: None,
            positions: RowPositions::new().ok(),
            raw_rows: Vec::new(),
        }
    }

    /// After the first pass: drop what only it needed (the spellings' resolutions), and start
    /// finding the IDs used for two documents on a thread of their own, while the checks are
    /// made (they do not need them). On a million rows that is 24 MB of IDs to sort and merge.
    pub fn settle_ids(&mut self) {
        self.systems_named = HashMap::new();
        self.controls_named = HashMap::new();
        if self.ids_failed.is_some() || self.conflicts.is_some() {
            return;
        }
        let ids = std::mem::take(&mut self.ids);
        // Handed over once the thread runs: a thread that cannot be made leaves the ledger here.
        let (tx, rx) = std::sync::mpsc::channel();
        let job = std::thread::Builder::new()
            .name("evidence-ids".into())
            .spawn(move || {
                let ids = rx.recv().map_err(std::io::Error::other)?;
                super::evidence_ids::IdLedger::conflicts(ids)
            });
        match job {
            Ok(job) => {
                let _ = tx.send(ids);
                self.conflicts = Some(job);
            }
            // No thread: found when the second pass needs them.
            Err(_) => self.ids = ids,
        }
    }

    /// An empty book with this one's rules, for the second part of a register read in two
    /// parts at once ([`crate::input::evidence::read_parts`]); [`EvidenceBook::absorb`] takes
    /// it back in.
    pub fn fork(&self) -> EvidenceBook<'a> {
        let mut other = EvidenceBook::new(self.catalog, self.scope, &self.file, self.as_of);
        other.set_reuse(self.reuse);
        other.due_within = self.due_within;
        other
    }

    /// Take in the book of the register's second part (made by [`EvidenceBook::fork`]) and
    /// the findings it gave, as if this book had read its rows after its own: row numbers
    /// move down by `lines_before` (the part counted lines from its start), its keys and
    /// owners become this book's, and of two rows a decision may name the later wins ties as
    /// it would have in one read.
    pub fn absorb(
        &mut self,
        other: EvidenceBook<'a>,
        other_findings: Vec<Finding>,
        lines_before: u64,
        findings: &mut Vec<Finding>,
    ) {
        let seq_before = self.seen;
        self.seen += other.seen;
        for (mut f, row) in other_findings.into_iter().zip(&other.raw_rows) {
            let row = row + lines_before;
            f.source = Some(self.source(row));
            self.raw_rows.push(row);
            findings.push(f);
        }
        if self.ids_failed.is_none() {
            self.ids_failed = match other.ids_failed {
                Some(e) => Some(e),
                None => self.ids.absorb(other.ids, lines_before).err(),
            };
        }
        let owners: Vec<u32> = other.owners.iter().map(|o| self.owner_of(o)).collect();
        let moved = |p: Pick| Pick {
            seq: p.seq + seq_before,
            owner: owners[p.owner as usize],
            ..p
        };
        let mut keys = Vec::with_capacity(other.keys.len());
        for theirs in other.keys {
            let k = self.key_for(
                theirs.fw,
                theirs.control,
                theirs.system.map(|s| s.to_string()),
            );
            keys.push(k);
            let mine = &mut self.keys[k as usize];
            mine.rows += theirs.rows;
            for (v, w) in mine.views.iter_mut().zip(theirs.views) {
                v.good += w.good;
                v.good_in.or(&w.good_in);
                for (a, b) in v.failing_in.iter_mut().zip(w.failing_in) {
                    *a = a.union(b);
                }
                v.failing = v.failing.union(w.failing);
                // Later rows win ties: the second part's rows come after the first's.
                let later = |slot: &Option<Pick>, p: &Pick| {
                    slot.as_ref().is_none_or(|s| p.effective >= s.effective)
                };
                if let Some(p) = w.newest.filter(|p| later(&v.newest, p)) {
                    v.newest = Some(moved(p));
                }
                if let Some(p) = w.failed.filter(|p| later(&v.failed, p)) {
                    v.failed = Some(moved(p));
                }
                if let Some((day, why, p)) = w.lasting {
                    if v.lasting.as_ref().is_none_or(|(d, _, _)| day >= *d) {
                        v.lasting = Some((day, why, moved(p)));
                    }
                }
            }
        }
        for (spelling, k) in other.resolved {
            self.resolved.entry(spelling).or_insert(keys[k as usize]);
        }
        for (spelling, why) in other.unresolved {
            self.unresolved.entry(spelling).or_insert(why);
        }
        let noted = match (self.positions.as_mut(), other.positions) {
            (Some(mine), Some(theirs)) => mine.absorb(theirs, lines_before, keys).is_ok(),
            _ => false,
        };
        if !noted {
            self.positions = None;
        }
    }

    /// Reuse rows across crosswalks as `reuse` allows (call before the first row).
    pub fn set_reuse(&mut self, reuse: super::Reuse) {
        self.reuse = reuse;
        self.reused_by.clear();
        if reuse == super::Reuse::None {
            return;
        }
        for fw in &self.frameworks {
            for c in &fw.controls {
                for m in crate::crosswalk::mapped(&self.catalog.crosswalks, &fw.id, &c.id, None) {
                    if reuse.allows(m.relationship) {
                        let cadences = self.reused_by.entry((m.framework, m.control)).or_default();
                        if !cadences.contains(&c.cadence) {
                            cadences.push(c.cadence);
                        }
                    }
                }
            }
        }
    }

    fn occurrences(&self, cadence: Cadence) -> &Occurrences {
        // In the order of `Cadence::ALL`, the order the cadences are declared in.
        &self.occurrences[cadence as usize].1
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

    fn source(&self, row: u64) -> Box<str> {
        format!("{}:{row}", self.file).into()
    }

    /// A finding about an input row as written.
    fn raw_finding(
        &self,
        r: &EvidenceRow,
        code: GapCode,
        detail: String,
        action: &'static str,
    ) -> Finding {
        row_finding(&self.named, self.source(r.row), r, code, detail, action)
    }

    /// Spell a row's framework, control and system (as written) into `scratch`.
    fn spell(&mut self, r: &EvidenceRow) {
        spell_into(&mut self.scratch, r);
    }

    /// The key for a framework, control and system, made on first use.
    fn key_for(&mut self, fw: &'a Framework, control: &'a Control, system: Option<String>) -> u32 {
        let (fw_a, ctl_a) = (self.name(&fw.id), self.name(&control.id));
        let sys_a = system.map(|s| self.name(&s));
        let k = (fw_a, ctl_a, sys_a.clone());
        if let Some(&key) = self.key_index.get(&k) {
            return key;
        }
        let what: Arc<str> = match &sys_a {
            Some(s) => format!("{}:{} @ {s}", fw.id, control.id).into(),
            None => format!("{}:{}", fw.id, control.id).into(),
        };
        let mut views = smallvec::smallvec![View::new(
            control.cadence,
            true,
            self.occurrences(control.cadence),
        )];
        if let Some(cadences) = self.reused_by.get(&(fw.id.clone(), control.id.clone())) {
            for &c in cadences {
                if c != control.cadence {
                    views.push(View::new(c, false, self.occurrences(c)));
                }
            }
        }
        self.keys.push(Key {
            fw,
            control,
            system: sys_a,
            what,
            rows: 0,
            views,
            checks: Vec::new(),
        });
        let n = (self.keys.len() - 1) as u32;
        self.key_index.insert(k, n);
        n
    }

    /// First pass: take one row of the register, resolve it, judge it and fold it into its key.
    pub fn add(&mut self, r: EvidenceRow, findings: &mut Vec<Finding>) {
        let seq = self.seen;
        self.seen += 1;
        if self.ids_failed.is_none() {
            if let Err(e) = self
                .ids
                .add(&r.evidence_id, &r.title, r.effective_date, r.row)
            {
                self.ids_failed = Some(e);
            }
        }
        self.spell(&r);
        let key = match self.resolved.get(self.scratch.as_bytes()) {
            Some(&k) => k,
            None => {
                let why = match self.unresolved.get(self.scratch.as_str()) {
                    Some(why) => Err(why.clone()),
                    None => self.resolve(&r),
                };
                match why {
                    Ok((fw, control, system)) => {
                        let k = self.key_for(fw, control, system);
                        self.spell(&r);
                        self.resolved.insert(Spelling::of(&self.scratch), k);
                        k
                    }
                    Err(why) => {
                        self.raw_rows.push(r.row);
                        findings.push(self.raw_finding(
                            &r,
                            why.code,
                            format!("{}{}", r.evidence_id, why.reason),
                            why.action,
                        ));
                        self.spell(&r);
                        if !self.unresolved.contains_key(self.scratch.as_str()) {
                            self.unresolved.insert(self.scratch.as_str().into(), why);
                        }
                        self.note(&r, None);
                        return;
                    }
                }
            }
        };
        self.note(&r, Some(key));
        let window = self.window;
        let (effective, expires, status) = (r.effective_date, r.expires, r.status);
        // The key's own view has the control's cadence (read here rather than from the catalog's
        // control: one place in memory fewer for each row).
        let cadence = self.keys[key as usize].views[0].cadence;
        let own = judge_row(
            effective,
            expires,
            status,
            &self.occurrences(cadence).fresh,
            &window,
        );
        let mut owner = None;
        let key_views = self.keys[key as usize].views.len();
        for v in 0..key_views {
            let (cadence, is_own) = {
                let view = &self.keys[key as usize].views[v];
                (view.cadence, view.own)
            };
            let j = if is_own {
                own
            } else {
                rejudge(
                    own,
                    effective,
                    status,
                    &self.occurrences(cadence).fresh,
                    &window,
                )
            };
            let occurrence = self.occurrences(cadence).index_of(effective);
            // The owner is looked up only for a row a decision may name.
            let needs_owner = {
                let view = &self.keys[key as usize].views[v];
                match j {
                    None => {
                        view.newest
                            .as_ref()
                            .is_none_or(|p| effective >= p.effective)
                            || (!cadence.recurs() && cadence != Cadence::OnEvent)
                    }
                    Some(j) => {
                        is_own
                            && j.code == GapCode::ControlFailing
                            && view
                                .failed
                                .as_ref()
                                .is_none_or(|p| effective >= p.effective)
                    }
                }
            };
            let owner = match (needs_owner, owner) {
                (true, None) => {
                    let o = self.owner_of(trim(&r.owner));
                    owner = Some(o);
                    o
                }
                (_, Some(o)) => o,
                (false, None) => 0,
            };
            let view = &mut self.keys[key as usize].views[v];
            match j {
                None => {
                    view.good += 1;
                    if let Some(i) = occurrence {
                        view.good_in.set(i);
                    }
                    if view
                        .newest
                        .as_ref()
                        .is_none_or(|p| effective >= p.effective)
                    {
                        Pick::set(&mut view.newest, seq, effective, &r.evidence_id, owner);
                    }
                    if !cadence.recurs() && cadence != Cadence::OnEvent {
                        let (day, why) = last_day(effective, expires, cadence);
                        if view.lasting.as_ref().is_none_or(|(d, _, _)| day >= *d) {
                            let mut pick = view.lasting.take().map(|(_, _, p)| p);
                            Pick::set(&mut pick, seq, effective, &r.evidence_id, owner);
                            view.lasting = pick.map(|p| (day, why, p));
                        }
                    }
                }
                Some(j) => {
                    view.failing.add(j.code);
                    if let Some(codes) = occurrence.and_then(|i| view.failing_in.get_mut(i)) {
                        codes.add(j.code);
                    }
                    if is_own
                        && j.code == GapCode::ControlFailing
                        && view
                            .failed
                            .as_ref()
                            .is_none_or(|p| effective >= p.effective)
                    {
                        Pick::set(&mut view.failed, seq, effective, &r.evidence_id, owner);
                    }
                }
            }
        }
        self.keys[key as usize].rows += 1;
    }

    /// Note a row's place and key for the second pass (a row without a place, from a
    /// workbook, or a failed write: the second pass reads the whole register again).
    fn note(&mut self, r: &EvidenceRow, key: Option<u32>) {
        let Some(positions) = &mut self.positions else {
            return;
        };
        let noted = match r.at {
            Some(at) if !positions.holds_rows() => positions.push(Position {
                at,
                line: r.row,
                key,
            }),
            None if positions.len() == 0 || positions.holds_rows() => positions.push_row(key, r),
            // A register is one file: its rows have places or none.
            _ => Err(std::io::ErrorKind::InvalidInput.into()),
        };
        if noted.is_err() {
            self.positions = None;
        }
    }

    /// The framework, control and system a row names, or why it names nothing (the reason
    /// follows the row's evidence ID in the finding). The system, and the framework and
    /// control, are each resolved once per spelling: a misspelt framework's did-you-mean is
    /// worked out once, not for every system its rows name.
    fn resolve(
        &mut self,
        r: &EvidenceRow,
    ) -> Result<(&'a Framework, &'a Control, Option<String>), Unresolved> {
        let system = match self.systems_named.get(r.system.as_ref()) {
            Some(known) => known.clone(),
            None => {
                let resolved = self.system_named(&r.system);
                self.systems_named
                    .insert(r.system.as_ref().into(), resolved.clone());
                resolved
            }
        }?;
        self.scratch.clear();
        self.scratch.push_str(&r.framework);
        self.scratch.push('\u{1f}');
        self.scratch.push_str(&r.control);
        let (fw, control) = match self.controls_named.get(self.scratch.as_str()) {
            Some(known) => known.clone(),
            None => {
                let resolved = self.control_named(&r.framework, &r.control);
                self.controls_named
                    .insert(self.scratch.as_str().into(), resolved.clone());
                resolved
            }
        }?;
        Ok((fw, control, system))
    }

    /// The system a row names by its name in the scope (None: every system).
    fn system_named(&self, system: &str) -> Result<Option<String>, Unresolved> {
        if system.is_empty() {
            return Ok(None);
        }
        match self.scope.system(system) {
            Some(s) => Ok(Some(s.name.clone())),
            None => Err(Unresolved {
                code: GapCode::UnknownSystem,
                reason: format!(
                    " names system `{system}`, which is not in the scope ({})",
                    known_systems(self.scope, system)
                )
                .into(),
                action: "Fix the system name, or add the system to the scope.",
            }),
        }
    }

    /// The framework and control a row names (no framework: the one framework in scope that
    /// has the control).
    fn control_named(
        &self,
        framework: &str,
        control: &str,
    ) -> Result<(&'a Framework, &'a Control), Unresolved> {
        let unknown = |reason: String| Unresolved {
            code: GapCode::UnknownControl,
            reason: format!(": {reason}").into(),
            action:
                "Fix the control ID in the register (framework:control, e.g. pci-dss-4.0.1:8.3.1).",
        };
        let catalog: &'a Catalog = self.catalog;
        if framework.is_empty() {
            let hits: Vec<(&'a Framework, &'a Control)> = self
                .frameworks
                .iter()
                .copied()
                .filter_map(|fw| fw.resolve(control).ok().map(|c| (fw, c)))
                .collect();
            return match hits.as_slice() {
                [one] => Ok(*one),
                [] => Err(unknown(format!(
                    "`{control}` is not a control of any framework in scope"
                ))),
                many => Err(unknown(format!(
                    "`{control}` could be {}: write it as framework:control",
                    many.iter()
                        .map(|(f, c)| format!("{}:{}", f.id, c.id))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))),
            };
        }
        let fw = catalog
            .framework(framework)
            .map_err(|e| unknown(e.to_string()))?;
        match catalog.control(fw, control) {
            Ok(c) => Ok((fw, c)),
            Err(e) => Err(unknown(e.to_string())),
        }
    }

    /// The key of `(framework, control, system)`, if rows pointed at it.
    fn key_of(&self, framework: &str, control: &str, system: Option<&str>) -> Option<u32> {
        let fw = self.names.get(framework)?;
        let ctl = self.names.get(control)?;
        let sys = match system {
            Some(s) => Some(self.names.get(s)?.clone()),
            None => None,
        };
        self.key_index.get(&(fw.clone(), ctl.clone(), sys)).copied()
    }

    /// The keys a check on `system` reads for a control: the system's own rows, then the rows
    /// for every system.
    fn keys_for(&self, framework: &str, control: &str, system: &str) -> Vec<u32> {
        [
            self.key_of(framework, control, Some(system)),
            self.key_of(framework, control, None),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Check one control on one system the customer owns or shares, from the keys' summaries;
    /// the rows learn the verdict on the second pass ([`EvidenceBook::finish`]). Returns the
    /// gap codes of the control.
    #[allow(clippy::too_many_arguments)]
    pub fn check(
        &mut self,
        sys_index: usize,
        sys: &System<'_>,
        fw: &'a Framework,
        control: &'a Control,
        order: usize,
        owner: Party,
        slot: Slot,
        findings: &mut Vec<Finding>,
    ) -> Vec<GapCode> {
        let direct = self.keys_for(&fw.id, &control.id, &sys.name);
        // With --reuse-mapped: rows of the controls this one maps to, where the relationship
        // allows, one group per control.
        let mut groups: Vec<(Arc<str>, Vec<u32>)> = Vec::new();
        if self.reuse != super::Reuse::None {
            for m in crate::crosswalk::mapped(&self.catalog.crosswalks, &fw.id, &control.id, None) {
                if self.reuse.allows(m.relationship) {
                    let keys = self.keys_for(&m.framework, &m.control, &sys.name);
                    groups.push((format!("{}:{}", m.framework, m.control).into(), keys));
                }
            }
        }
        let base = |code: GapCode, detail: String, action: String| {
            let mut f = Finding::new(code, detail, action);
            f.system = Some(self.named.get(&sys.name));
            f.framework = Some(self.named.get(&fw.id));
            f.control = Some(self.named.get(&control.id));
            f.title = Some(self.named.get(&control.title));
            f.party = Some(owner);
            f.order = Some(order);
            f.weight = Some(control.weight);
            f
        };
        let rows = |keys: &[u32]| -> u32 { keys.iter().map(|&k| self.keys[k as usize].rows).sum() };
        let direct_rows = rows(&direct);
        if direct_rows + groups.iter().map(|(_, g)| rows(g)).sum::<u32>() == 0 {
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
            return vec![GapCode::MissingEvidence];
        }
        let cadence = control.cadence;
        // The views the check reads, in the order the rows are candidates: the control's own,
        // then each reused group's.
        let view_groups: Vec<Vec<&View>> = std::iter::once(&direct)
            .chain(groups.iter().map(|(_, g)| g))
            .map(|keys| {
                keys.iter()
                    .map(|&k| self.keys[k as usize].view(cadence))
                    .collect()
            })
            .collect();
        // The newest good row: the last of the newest in candidate order (the register's order
        // within a group, later groups after earlier ones).
        let newest = in_order(&view_groups, |v| {
            v.newest.as_ref().map(|p| (p, p.effective))
        });
        // A failed check of the control's own, later than every good row, overrules them: the
        // control stopped operating (a passing result on or after the failure shows it fixed).
        let mut failed: Option<(&Pick, Date)> = None;
        for v in &view_groups[0] {
            failed = last_of(failed, v.failed.as_ref().map(|p| (p, p.effective)));
        }
        let overruled = match (newest, failed) {
            (Some((_, n)), Some((f, d))) if d > n => Some(f.id.as_str()),
            _ => None,
        };
        // Occurrences are covered by the good rows dated in them, overruled or not: a later
        // failure says the control stopped operating then (control-failing), not that it never
        // operated before.
        let occurrences = self.occurrences(cadence);
        let mut covered = Bits::new(occurrences.all.len());
        for v in view_groups.iter().flatten() {
            covered.or(&v.good_in);
        }
        let due = &occurrences.all[..occurrences.due];
        let missing: Vec<usize> = (0..due.len()).filter(|&i| !covered.get(i)).collect();
        let missing_list: Vec<Occurrence> = missing.iter().map(|&i| due[i].clone()).collect();
        let missing_finding = || {
            let mut f = base(
                GapCode::MissingOccurrence,
                describe_missing(control, due, &missing_list),
                action(GapCode::MissingOccurrence, Status::Approved, control),
            );
            f.since = missing_list.first().map(|o| o.start);
            f
        };
        // Reused rows are reported only when the control has no rows of its own.
        let reportable = if direct_rows == 0 {
            &view_groups[..]
        } else {
            &view_groups[..1]
        };
        let mut gaps = Vec::new();
        let branch = match (newest, overruled) {
            (Some((pick, _)), None) => {
                let mut missing_bits = Bits::new(occurrences.all.len());
                for &i in &missing {
                    missing_bits.set(i);
                }
                if missing.is_empty() {
                    if let Some((detail, day, evidence_id, person)) =
                        self.due_soon(control, &view_groups, pick)
                    {
                        let mut f = base(
                            GapCode::EvidenceDueSoon,
                            detail,
                            format!("Collect the next: {}", control.evidence),
                        )
                        .with_due(day, evidence_id);
                        f.assignee = self.named.given(&person);
                        findings.push(f);
                    }
                } else {
                    findings.push(missing_finding());
                    gaps.push(GapCode::MissingOccurrence);
                    let mut codes = Codes::default();
                    for v in reportable.iter().flatten() {
                        for &i in &missing {
                            codes = codes.union(v.failing_in[i]);
                        }
                    }
                    gaps.extend(codes.list());
                }
                Branch::Good {
                    missing: missing_bits,
                    newest: pick.id.as_str().into(),
                }
            }
            (_, overruled) => {
                if !missing.is_empty() {
                    findings.push(missing_finding());
                    gaps.push(GapCode::MissingOccurrence);
                }
                let codes = reportable
                    .iter()
                    .flatten()
                    .fold(Codes::default(), |c, v| c.union(v.failing));
                gaps.extend(codes.list());
                match overruled {
                    Some(id) => Branch::Overruled { failed: id.into() },
                    None => Branch::NoGood,
                }
            }
        };
        let v = self.verdicts.len() as u32;
        self.verdicts.push(Verdict {
            system: sys_index as u16,
            fw,
            control,
            order,
            owner,
            branch,
            direct_empty: direct_rows == 0,
            from: groups.iter().map(|(from, _)| from.clone()).collect(),
            slot,
        });
        for k in direct {
            self.keys[k as usize].checks.push((v, None));
        }
        for (g, (_, keys)) in groups.iter().enumerate() {
            for &k in keys {
                self.keys[k as usize].checks.push((v, Some(g as u16)));
            }
        }
        gaps
    }

    /// When the evidence that satisfies a control stops counting, if that is within
    /// `due_within` days of the as-of date: (detail, the last good day, the row that lasts
    /// longest, its owner). A point-in-time control's evidence stops counting at its expiry or
    /// one cadence span after its date; a recurring control is due when the next occurrence
    /// that has not ended at the as-of date (the one in progress, or the next period's first)
    /// has no evidence yet and starts within `due_within` days: it is due by its last day.
    fn due_soon(
        &self,
        control: &Control,
        views: &[Vec<&View>],
        newest: &Pick,
    ) -> Option<(String, Date, Box<str>, Arc<str>)> {
        if self.due_within == 0 || control.cadence == Cadence::OnEvent {
            return None;
        }
        let horizon = self
            .as_of
            .checked_add(jiff::Span::new().try_days(self.due_within as i64).ok()?)
            .ok()?;
        let when = |day: Date| match (day - self.as_of).get_days() {
            0 => "the as-of date itself".to_string(),
            1 => "1 day after the as-of date".to_string(),
            n => format!("{n} days after the as-of date"),
        };
        let cadence = control.cadence;
        if cadence.recurs() {
            let occurrences = self.occurrences(cadence);
            let i = occurrences.next(self.as_of)?;
            let next = &occurrences.all[i];
            if next.start > horizon || views.iter().flatten().any(|v| v.good_in.get(i)) {
                return None;
            }
            return Some((
                format!(
                    "{next} needs its own evidence by {}, {}: none is approved yet (the newest is {}, of {})",
                    next.end,
                    when(next.end),
                    newest.id,
                    newest.effective
                ),
                next.end,
                newest.id.as_str().into(),
                self.owners[newest.owner as usize].clone(),
            ));
        }
        // The good row that lasts longest: the last of them in candidate order.
        let mut best: Option<(Date, &'static str, &Pick)> = None;
        for group in views {
            let mut in_group: Option<(Date, &'static str, &Pick)> = None;
            for v in group {
                if let Some((d, why, p)) = &v.lasting {
                    if in_group.is_none_or(|(gd, _, gp)| *d > gd || (*d == gd && p.seq > gp.seq)) {
                        in_group = Some((*d, why, p));
                    }
                }
            }
            if let Some((d, why, p)) = in_group {
                if best.is_none_or(|(bd, _, _)| d >= bd) {
                    best = Some((d, why, p));
                }
            }
        }
        let (day, why, row) = best?;
        if day > horizon {
            return None;
        }
        Some((
            format!(
                "{} {why} on {day}, {}: collect the next {cadence} evidence before then",
                row.id,
                when(day)
            ),
            day,
            row.id.as_str().into(),
            self.owners[row.owner as usize].clone(),
        ))
    }

    /// Whether the second pass has anything to do: a report lists rows, a verdict reports
    /// rows, or rows of a key no check read may be unused.
    fn needs_second_pass(&self, list: bool) -> bool {
        list || self
            .keys
            .iter()
            .any(|k| !k.checks.iter().any(|(_, g)| g.is_none()))
            || self.verdicts.iter().any(|v| match &v.branch {
                Branch::Good { missing, .. } => missing.0.iter().any(|w| *w != 0),
                Branch::Overruled { .. } | Branch::NoGood => true,
            })
    }

    /// Second pass: read the register again and apply the verdicts to each row: report the rows
    /// that do not count and the rows no control needed; with `list`, say what became of every
    /// row and which evidence each control counted (by [`Slot`]).
    pub fn finish(
        mut self,
        register: Option<(&Path, Option<&str>)>,
        findings: &mut Vec<Finding>,
        list: bool,
    ) -> Result<Settled, Diagnostics> {
        let Some((path, sheet)) = register else {
            return Ok((RowOutcomes::new(), Vec::new()));
        };
        // A temporary file of the run that failed: `what` it held, and why.
        let temporary_failed = |what: &str, e: std::io::Error| {
            Diagnostics(vec![crate::diagnostic::Diagnostic::error(
                crate::diagnostic::Code::UnreadableFile,
                crate::diagnostic::Location::file(path.display().to_string()),
                format!("{what}: {e}"),
            )])
        };
        let ledger_failed =
            |e| temporary_failed("cannot keep the evidence IDs in a temporary file", e);
        if let Some(e) = self.ids_failed.take() {
            return Err(ledger_failed(e));
        }
        let conflicts = match self.conflicts.take() {
            Some(job) => job
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => std::mem::take(&mut self.ids).conflicts(),
        }
        .map_err(ledger_failed)?;
        if conflicts.is_empty() && !self.needs_second_pass(list) {
            return Ok((RowOutcomes::new(), Vec::new()));
        }
        // With a list: the evidence each verdict counted, its own rows first, then each group.
        // Without a list, a key's rows matter on this pass only if a check may report them or
        // no check read them as its own (they may be unused).
        let quiet: Vec<bool> = self
            .keys
            .iter()
            .map(|k| {
                !list
                    && k.checks.iter().any(|(_, g)| g.is_none())
                    && k.checks.iter().all(|&(v, _)| {
                        matches!(&self.verdicts[v as usize].branch,
                            Branch::Good { missing, .. } if missing.0.iter().all(|w| *w == 0))
                    })
            })
            .collect();
        // The places of the rows this pass needs, when there are few enough of them that
        // reading each from where it starts costs less than reading the whole register (a row
        // read on its own costs about as much as a few rows read in turn).
        let mut positions = self.positions.take();
        let rows = positions
            .take_if(|p| p.holds_rows())
            .and_then(|p| p.flushed().ok());
        let places = match positions {
            Some(positions) if !list => {
                let most = (positions.len() / 4).max(4096);
                let mut places = Vec::new();
                let mut rows = positions.read().ok();
                for p in rows.iter_mut().flatten() {
                    let Ok(p) = p else {
                        rows = None;
                        break;
                    };
                    if conflicts.contains_key(&p.line) || p.key.is_some_and(|k| !quiet[k as usize])
                    {
                        places.push((p.at, p.line));
                        if places.len() as u64 > most {
                            rows = None;
                            break;
                        }
                    }
                }
                rows.map(|_| places)
            }
            _ => None,
        };
        let reported: HashMap<GapCode, Arc<str>> = GapCode::ALL
            .iter()
            .map(|c| (*c, Arc::from(format!("reported: {c}").as_str())))
            .collect();
        // The pass adds to the run's findings as it goes.
        let mut pass = SecondPass {
            book: &self,
            conflicts: &conflicts,
            quiet: &quiet,
            reported: &reported,
            list,
            scratch: String::new(),
            shared: HashMap::new(),
            unused_reasons: HashMap::new(),
            findings: std::mem::take(findings),
            used: if list {
                self.verdicts
                    .iter()
                    .map(|v| (Vec::new(), vec![Vec::new(); v.from.len()]))
                    .collect()
            } else {
                Vec::new()
            },
            out: RowOutcomes::new(),
            spill_failed: None,
        };
        match (places, rows) {
            (Some(places), _) => {
                crate::input::evidence::read_at(path, places.into_iter(), |r| pass.apply(r))?;
            }
            (None, Some(rows)) => rows
                .each_row(|key, r| {
                    if list
                        || conflicts.contains_key(&r.row)
                        || key.is_some_and(|k| !quiet[k as usize])
                    {
                        pass.apply(r);
                    }
                })
                .map_err(|e| {
                    temporary_failed(
                        "cannot read the register's rows back from a temporary file",
                        e,
                    )
                })?,
            (None, None) => {
                crate::input::evidence::read(path, sheet, |r| pass.apply(r))?;
            }
        };
        *findings = pass.findings;
        let (used, mut out) = (pass.used, pass.out);
        let kept = match pass.spill_failed {
            Some(e) => Err(e),
            None => out.seal(),
        };
        if let Err(e) = kept {
            return Err(temporary_failed(
                "cannot keep what became of the register's rows in a temporary file",
                e,
            ));
        }
        let counted = used
            .into_iter()
            .zip(&self.verdicts)
            .filter(|((own, groups), _)| !own.is_empty() || groups.iter().any(|g| !g.is_empty()))
            .map(|((mut own, groups), v)| {
                own.extend(groups.into_iter().flatten());
                (v.slot, own)
            })
            .collect();
        Ok((out, counted))
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

/// The second pass's work on the rows it reads: the findings of each, and with a list what
/// became of it.
struct SecondPass<'p, 'a> {
    book: &'p EvidenceBook<'a>,
    conflicts: &'p std::collections::HashMap<u64, u64>,
    quiet: &'p [bool],
    reported: &'p HashMap<GapCode, Arc<str>>,
    list: bool,
    scratch: String,
    /// The outcome of rows counted for the same systems, made once.
    shared: HashMap<Vec<u16>, Arc<str>>,
    unused_reasons: HashMap<u32, Result<Arc<str>, Arc<str>>>,
    findings: Vec<Finding>,
    /// With a list: the evidence each verdict counted, its own rows first, then each group.
    used: Vec<(Vec<String>, Vec<Vec<String>>)>,
    out: RowOutcomes,
    /// The first failure writing `out`'s temporary file (reported after the pass).
    spill_failed: Option<std::io::Error>,
}

impl SecondPass<'_, '_> {
    fn apply(&mut self, r: EvidenceRow<'_>) {
        let book = self.book;
        let named = &book.named;
        if let Some(first) = self.conflicts.get(&r.row) {
            self.findings.push(row_finding(
                named,
                book.source(r.row),
                &r,
                GapCode::ConflictingEvidenceId,
                format!(
                    "{} is also the ID of row {first}, with another title or date: one ID names one piece of evidence",
                    r.evidence_id
                ),
                "Give each piece of evidence its own ID, or correct this row's title or date to match the other.",
            ));
        }
        spell_into(&mut self.scratch, &r);
        let Some(&k) = book.resolved.get(self.scratch.as_bytes()) else {
            if self.list {
                self.list_row(RowOutcome {
                    row: r.row,
                    id: r.evidence_id.as_ref().into(),
                    location: r.location.as_ref().into(),
                    what: format!("{}:{}", r.framework, r.control).into(),
                    outcome: self.reported[&GapCode::UnknownControl].clone(),
                });
            }
            return;
        };
        if self.quiet[k as usize] {
            return;
        }
        let key = &book.keys[k as usize];
        let (effective, status) = (r.effective_date, r.status);
        let own = judge_row(
            effective,
            r.expires,
            status,
            &book.occurrences(key.control.cadence).fresh,
            &book.window,
        );
        let mut fate = Fate::Unseen;
        for &(v, group) in &key.checks {
            let verdict = &book.verdicts[v as usize];
            let cadence = verdict.control.cadence;
            let j = match group {
                None => own,
                Some(_) => rejudge(
                    own,
                    effective,
                    status,
                    &book.occurrences(cadence).fresh,
                    &book.window,
                ),
            };
            let report = match (&verdict.branch, j) {
                (Branch::Good { missing, newest }, j) => match j {
                    None => {
                        match &mut fate {
                            Fate::Used(systems) => {
                                if !systems.contains(&verdict.system) {
                                    systems.push(verdict.system);
                                }
                            }
                            fate => *fate = Fate::Used(vec![verdict.system]),
                        }
                        if self.list {
                            let counted = &mut self.used[v as usize];
                            match group {
                                None => counted.0.push(r.evidence_id.to_string()),
                                Some(g) => counted.1[g as usize].push(format!(
                                    "{} (reused from {})",
                                    r.evidence_id, verdict.from[g as usize]
                                )),
                            }
                        }
                        None
                    }
                    Some(j) => {
                        let in_missing = book
                            .occurrences(cadence)
                            .index_of(effective)
                            .is_some_and(|i| missing.get(i));
                        if in_missing {
                            Some(j)
                        } else {
                            if group.is_none() && matches!(fate, Fate::Unseen) {
                                fate = Fate::Superseded(newest.clone());
                            }
                            None
                        }
                    }
                },
                (Branch::Overruled { failed }, None) => {
                    if group.is_none() && matches!(fate, Fate::Unseen) {
                        fate = Fate::Overruled(failed.clone());
                    }
                    None
                }
                (Branch::NoGood, None) => None,
                (_, Some(j)) => Some(j),
            };
            let Some(j) = report else { continue };
            if group.is_some() && !verdict.direct_empty {
                continue;
            }
            let (code, detail, since) =
                describe(&j, &r.evidence_id, effective, status, cadence, &book.window);
            let from = group.map(|g| verdict.from[g as usize].to_string());
            let detail = match &from {
                Some(f) => format!("{detail} (reused from {f})"),
                None => detail,
            };
            let (title, status) = match own {
                Some(_) => (r.title.as_ref(), status),
                None => ("", Status::Approved),
            };
            let sys = &book.scope.systems[verdict.system as usize];
            let mut f = Finding::new(code, detail, action(code, status, verdict.control));
            f.system = Some(named.get(&sys.name));
            f.framework = Some(named.get(&verdict.fw.id));
            f.control = Some(named.get(&verdict.control.id));
            f.title = Some(named.get(&verdict.control.title));
            f.party = Some(verdict.owner);
            f.order = Some(verdict.order);
            f.weight = Some(verdict.control.weight);
            f.reused_from = from.map(Into::into);
            f.evidence_id = given(&r.evidence_id);
            f.assignee = named.given(trim(&r.owner));
            f.reference = given(title);
            f.source = Some(book.source(r.row));
            f.since = since;
            self.findings.push(f);
            if group.is_none() && !matches!(fate, Fate::Used(_)) {
                fate = Fate::Reported(code);
            }
        }
        let outcome: Arc<str> = match fate {
            Fate::Used(systems) => self
                .shared
                .entry(systems)
                .or_insert_with_key(|systems| {
                    let names: Vec<&str> = systems
                        .iter()
                        .map(|&s| book.scope.systems[s as usize].name.as_str())
                        .collect();
                    format!("counts for {}", names.join(", ")).into()
                })
                .clone(),
            Fate::Superseded(by) => {
                format!("not needed: {by} already satisfies the control").into()
            }
            Fate::Overruled(by) => format!(
                "does not count: a later failed check ({by}) shows the control not operating"
            )
            .into(),
            Fate::Reported(code) => self.reported[&code].clone(),
            Fate::Unseen => {
                let why = self
                    .unused_reasons
                    .entry(k)
                    .or_insert_with(|| match book.left_out(k) {
                        Some(why) => Ok(format!("not needed: {why}").into()),
                        None => Err(book.unused_reason(k).into()),
                    })
                    .clone();
                match why {
                    Ok(not_needed) => not_needed,
                    Err(reason) => {
                        let mut f = Finding::new(
                            GapCode::UnusedEvidence,
                            format!("{}: {reason}", r.evidence_id),
                            "None needed; remove it from the register or fix the row it was meant for.",
                        );
                        f.system = key.system.as_deref().map(|s| named.get(s));
                        f.framework = Some(named.get(&key.fw.id));
                        f.control = Some(named.get(&key.control.id));
                        f.evidence_id = given(&r.evidence_id);
                        f.assignee = named.given(trim(&r.owner));
                        f.source = Some(book.source(r.row));
                        self.findings.push(f);
                        format!("reported: unused-evidence ({reason})").into()
                    }
                }
            }
        };
        if self.list {
            self.list_row(RowOutcome {
                row: r.row,
                id: r.evidence_id.as_ref().into(),
                location: r.location.as_ref().into(),
                what: key.what.clone(),
                outcome,
            });
        }
    }

    /// Note what became of a row (the first failure to keep it is kept, and ends the run).
    fn list_row(&mut self, row: RowOutcome) {
        if self.spill_failed.is_none() {
            if let Err(e) = self.out.push(row) {
                self.spill_failed = Some(e);
            }
        }
    }
}

/// A finding about an input row as written (`source`: its place).
fn row_finding(
    named: &Names,
    source: Box<str>,
    r: &EvidenceRow,
    code: GapCode,
    detail: String,
    action: &'static str,
) -> Finding {
    let mut f = Finding::new(code, detail, action);
    f.system = named.given(&r.system);
    f.framework = named.given(&r.framework);
    f.control = named.given(&r.control);
    f.evidence_id = given(&r.evidence_id);
    f.assignee = named.given(&r.owner);
    f.source = Some(source);
    f
}

/// Spell a row's framework, control and system (as written) into `out`: the key of the row's
/// spelling.
fn spell_into(out: &mut String, r: &EvidenceRow) {
    out.clear();
    for part in [&r.framework, &r.control, &r.system] {
        out.push_str(part);
        out.push('\u{1f}');
    }
}

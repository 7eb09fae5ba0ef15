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
    evidence_id: Box<str>,
    effective: Date,
    expires: Option<Date>,
    /// Index into `keys`; None when the row was reported as pointing at nothing.
    key: Option<u32>,
    /// Why it does not count (judged on arrival: it depends only on the control and the date).
    problem: Option<Box<Failing>>,
}

/// What a failing row keeps for its finding.
struct Failing {
    problem: Problem,
    title: Box<str>,
    rejected: bool,
}

#[derive(Default, Clone)]
enum Fate {
    #[default]
    Unseen,
    /// Counts, for these systems (indexes into the scope).
    Used(Vec<u16>),
    Reported(GapCode),
    /// Another row (index) already satisfies the control.
    Superseded(u32),
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
    rows: Vec<Row>,
    fates: Vec<Fate>,
    keys: Vec<Key<'a>>,
    key_index: HashMap<KeyParts, u32>,
    /// (framework, control) -> rows.
    by_control: HashMap<(Arc<str>, Arc<str>), Vec<u32>>,
    /// `what` of rows that point at nothing, as written.
    unresolved: HashMap<u32, Arc<str>>,
    names: HashMap<String, Arc<str>>,
}

/// Why a row does not count at `as_of`, if it does not.
fn verdict(row: &EvidenceRow, control: &Control, as_of: Date) -> Option<Problem> {
    if let Some(exp) = row.expires {
        if exp < as_of {
            return Some((
                GapCode::EvidenceExpired,
                format!("{} expired on {exp}", row.evidence_id),
                Some(exp),
            ));
        }
    }
    if row.effective_date > as_of {
        return Some((
            GapCode::StaleEvidence,
            format!(
                "{} is dated {}, after the as-of date {as_of}: it cannot show the control operating by then",
                row.evidence_id, row.effective_date
            ),
            None,
        ));
    }
    let span = control.cadence.span();
    let oldest = as_of.checked_sub(span).unwrap_or(as_of);
    if row.effective_date < oldest {
        let lapsed = row.effective_date.checked_add(span).ok();
        return Some((
            GapCode::StaleEvidence,
            format!(
                "{} is from {}; {} {} control needs evidence from {oldest} or later",
                row.evidence_id,
                row.effective_date,
                if control.cadence == crate::cadence::Cadence::Annual {
                    "an"
                } else {
                    "a"
                },
                control.cadence
            ),
            lapsed,
        ));
    }
    if row.status != Status::Approved {
        return Some((
            GapCode::EvidenceNotApproved,
            format!("{} is {}, not approved", row.evidence_id, row.status),
            None,
        ));
    }
    None
}

fn action(code: GapCode, rejected: bool, control: &Control) -> String {
    match code {
        GapCode::MissingEvidence => format!("Collect: {}", control.evidence),
        GapCode::StaleEvidence => format!(
            "Collect current evidence ({}): {}",
            control.cadence, control.evidence
        ),
        GapCode::EvidenceExpired => "Renew or replace the evidence before the audit.".to_string(),
        GapCode::EvidenceNotApproved if rejected => {
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
            rows: Vec::new(),
            fates: Vec::new(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            by_control: HashMap::new(),
            unresolved: HashMap::new(),
            names: HashMap::new(),
        }
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
        f.source = Some(self.source(r.row));
        f
    }

    /// Take one row of the register: resolve it, judge it, keep what is needed.
    pub fn add(&mut self, r: EvidenceRow, findings: &mut Vec<Finding>) {
        let idx = self.rows.len() as u32;
        let resolved = self.resolve(&r, findings);
        let (key, problem) = match resolved {
            Some((fw, control, system)) => {
                let problem = verdict(&r, control, self.as_of).map(|p| {
                    Box::new(Failing {
                        problem: p,
                        title: r.title.as_str().into(),
                        rejected: r.status == Status::Rejected,
                    })
                });
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
                        let n = (self.keys.len() - 1) as u32;
                        self.key_index.insert(k, n);
                        n
                    }
                };
                self.by_control.entry((fw_a, ctl_a)).or_default().push(idx);
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
        self.rows.push(Row {
            row: r.row,
            expires: r.expires,
            evidence_id: r.evidence_id.into_boxed_str(),
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
                            "{} names system `{}`, which is not in the scope (systems: {})",
                            r.evidence_id,
                            r.system,
                            self.scope
                                .systems
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
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

    /// Rows that point at `(framework, control)` for `system` (or for every system).
    fn rows_for(&self, framework: &str, control: &str, system: &str) -> Vec<u32> {
        let key: (Arc<str>, Arc<str>) = (Arc::from(framework), Arc::from(control));
        self.by_control
            .get(&key)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| {
                        let k = self.rows[i as usize]
                            .key
                            .expect("indexed rows are resolved");
                        self.keys[k as usize]
                            .system
                            .as_deref()
                            .is_none_or(|s| s == system)
                    })
                    .collect()
            })
            .unwrap_or_default()
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
            f.owner = Some(owner);
            f.order = Some(order);
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
                action(GapCode::MissingEvidence, false, control),
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
                let problem = if direct.contains(&i) {
                    row.problem.as_ref().map(|f| f.problem.clone())
                } else {
                    self.rejudge(row, control)
                };
                (i, problem)
            })
            .collect();
        let good: Vec<u32> = judged
            .iter()
            .filter(|(_, p)| p.is_none())
            .map(|(i, _)| *i)
            .collect();
        if let Some(&newest) = good
            .iter()
            .max_by_key(|&&i| self.rows[i as usize].effective)
        {
            let sys_idx = self.system_index(&sys.name);
            let used: Vec<String> = good
                .iter()
                .map(|&i| match from_of(i) {
                    Some(from) if !direct.contains(&i) => {
                        format!("{} (reused from {from})", self.rows[i as usize].evidence_id)
                    }
                    _ => self.rows[i as usize].evidence_id.to_string(),
                })
                .collect();
            for &i in &good {
                match &mut self.fates[i as usize] {
                    Fate::Used(systems) => {
                        if !systems.contains(&sys_idx) {
                            systems.push(sys_idx)
                        }
                    }
                    fate => *fate = Fate::Used(vec![sys_idx]),
                }
            }
            for (i, _) in judged
                .iter()
                .filter(|(i, p)| p.is_some() && direct.contains(i))
            {
                if matches!(self.fates[*i as usize], Fate::Unseen) {
                    self.fates[*i as usize] = Fate::Superseded(newest);
                }
            }
            if let Some(f) = self.due_soon(&good, control) {
                findings.push(
                    base(
                        GapCode::EvidenceDueSoon,
                        f.0,
                        format!("Collect the next: {}", control.evidence),
                    )
                    .with_due(f.1, f.2),
                );
            }
            return Found {
                used,
                gaps: Vec::new(),
            };
        }
        let mut gaps = Vec::new();
        // Report the control's own rows; reused rows only when it has none of its own.
        let report_reused = direct.is_empty();
        for (i, p) in judged {
            let Some((code, detail, since)) = p else {
                continue;
            };
            let from = if direct.contains(&i) {
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
            let (title, rejected) = row
                .problem
                .as_ref()
                .map(|f| (f.title.to_string(), f.rejected))
                .unwrap_or_default();
            let mut f = base(code, detail, action(code, rejected, control));
            f.reused_from = from.clone();
            f.evidence_id = given(&row.evidence_id);
            f.reference = given(&title);
            f.source = Some(self.source(row.row));
            f.since = since;
            findings.push(f);
            if !gaps.contains(&code) {
                gaps.push(code);
            }
            if from.is_none() && !matches!(self.fates[i as usize], Fate::Used(_)) {
                self.fates[i as usize] = Fate::Reported(code);
            }
        }
        Found {
            used: Vec::new(),
            gaps,
        }
    }

    /// When the evidence that satisfies a control stops counting (the latest of its rows' last
    /// good days: expiry, or the end of the control's cadence), if that is within `due_within`
    /// days of the as-of date: (detail, the last good day, the row that lasts longest).
    fn due_soon(&self, good: &[u32], control: &Control) -> Option<(String, Date, Box<str>)> {
        if self.due_within == 0 {
            return None;
        }
        let last_day = |r: &Row| {
            // Evidence exactly one cadence old still counts (see `verdict`).
            let fresh_until = r
                .effective
                .checked_add(control.cadence.span())
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
        let horizon = self
            .as_of
            .checked_add(jiff::Span::new().days(self.due_within as i64))
            .ok()?;
        if day > horizon {
            return None;
        }
        let when = match (day - self.as_of).get_days() {
            0 => "the as-of date itself".to_string(),
            1 => "1 day after the as-of date".to_string(),
            n => format!("{n} days after the as-of date"),
        };
        Some((
            format!(
                "{} {why} on {day}, {when}: collect the next {} evidence before then",
                row.evidence_id, control.cadence
            ),
            day,
            row.evidence_id.clone(),
        ))
    }

    /// Judge a row again for another control (reuse): its own failure, or freshness under the
    /// other control's cadence.
    fn rejudge(&self, row: &Row, control: &Control) -> Option<Problem> {
        if let Some(f) = &row.problem {
            if f.problem.0 != GapCode::StaleEvidence {
                return Some(f.problem.clone());
            }
        }
        let probe = EvidenceRow {
            row: row.row,
            framework: String::new(),
            control: String::new(),
            system: String::new(),
            evidence_id: row.evidence_id.to_string(),
            title: String::new(),
            owner: String::new(),
            effective_date: row.effective,
            expires: None,
            status: if row
                .problem
                .as_ref()
                .is_some_and(|f| f.problem.0 == GapCode::EvidenceNotApproved)
            {
                Status::Pending
            } else {
                Status::Approved
            },
            location: String::new(),
        };
        verdict(&probe, control, self.as_of)
    }

    /// Report rows no control needed, and say what became of every row.
    pub fn finish(self, findings: &mut Vec<Finding>) -> Vec<RowOutcome> {
        let mut out = Vec::with_capacity(self.rows.len());
        let mut shared: HashMap<Vec<u16>, Arc<str>> = HashMap::new();
        let reported: HashMap<GapCode, Arc<str>> = GapCode::ALL
            .iter()
            .map(|c| (*c, Arc::from(format!("reported: {c}").as_str())))
            .collect();
        let mut unused_reasons: HashMap<u32, Arc<str>> = HashMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            let outcome: Arc<str> = match &self.fates[i] {
                Fate::Used(systems) => shared
                    .entry(systems.clone())
                    .or_insert_with(|| {
                        let names: Vec<&str> = systems
                            .iter()
                            .map(|&s| self.scope.systems[s as usize].name.as_str())
                            .collect();
                        format!("counts for {}", names.join(", ")).into()
                    })
                    .clone(),
                Fate::Superseded(by) => format!(
                    "not needed: {} already satisfies the control",
                    self.rows[*by as usize].evidence_id
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
                        format!("{}: {reason}", row.evidence_id),
                        "None needed; remove it from the register or fix the row it was meant for.",
                    );
                    f.system = k.system.as_deref().map(str::to_string);
                    f.framework = Some(k.fw.id.clone());
                    f.control = Some(k.control.id.clone());
                    f.evidence_id = given(&row.evidence_id);
                    f.source = Some(self.source(row.row));
                    findings.push(f);
                    format!("reported: unused-evidence ({reason})").into()
                }
            };
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
                id: row.evidence_id.clone(),
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

//! Evidence rules: which register rows count for which controls, and why the others do not.

use std::collections::HashMap;

use jiff::civil::Date;

use super::{system_owner, Finding, GapCode, RowOutcome};
use crate::catalog::Catalog;
use crate::framework::{Control, Framework};
use crate::input::evidence::{EvidenceRow, Status};
use crate::input::scope::{Scope, System};
use crate::party::Party;

/// Where a row points, once resolved.
enum Target {
    Control {
        fw: String,
        control: String,
        system: Option<String>,
    },
    /// Already reported as unknown-control / unknown-system.
    Reported,
}

#[derive(Default, Clone)]
enum Fate {
    #[default]
    Unseen,
    Used(Vec<String>),
    Reported(GapCode),
    Superseded(String),
}

pub(super) struct Found {
    pub used: Vec<String>,
    pub gaps: Vec<GapCode>,
}

pub(super) struct EvidenceBook<'a> {
    pub reuse: super::Reuse,
    catalog: &'a Catalog,
    scope: &'a Scope,
    file: String,
    as_of: Date,
    rows: Vec<EvidenceRow>,
    targets: Vec<Target>,
    fates: Vec<Fate>,
    index: HashMap<(String, String), Vec<usize>>,
}

/// Why a row does not count: the code, the detail, and since when.
type Problem = (GapCode, String, Option<Date>);

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
                "{} is from {}; a {} control needs evidence from {oldest} or later",
                row.evidence_id, row.effective_date, control.cadence
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

fn action(code: GapCode, row: Option<&EvidenceRow>, control: &Control) -> String {
    match code {
        GapCode::MissingEvidence => format!("Collect: {}", control.evidence),
        GapCode::StaleEvidence => format!(
            "Collect current evidence ({}): {}",
            control.cadence, control.evidence
        ),
        GapCode::EvidenceExpired => "Renew or replace the evidence before the audit.".to_string(),
        GapCode::EvidenceNotApproved if row.is_some_and(|r| r.status == Status::Rejected) => {
            "Replace it: the reviewer rejected it.".to_string()
        }
        GapCode::EvidenceNotApproved => "Have it reviewed and approved.".to_string(),
        _ => String::new(),
    }
}

impl<'a> EvidenceBook<'a> {
    pub fn new(
        catalog: &'a Catalog,
        scope: &'a Scope,
        rows: Vec<EvidenceRow>,
        file: &str,
        as_of: Date,
        findings: &mut Vec<Finding>,
    ) -> Self {
        let mut book = EvidenceBook {
            reuse: super::Reuse::None,
            catalog,
            scope,
            file: file.to_string(),
            as_of,
            targets: Vec::with_capacity(rows.len()),
            fates: vec![Fate::Unseen; rows.len()],
            index: HashMap::new(),
            rows,
        };
        for i in 0..book.rows.len() {
            let target = book.resolve(i, findings);
            if let Target::Control { fw, control, .. } = &target {
                book.index
                    .entry((fw.clone(), control.clone()))
                    .or_default()
                    .push(i);
            } else {
                book.fates[i] = Fate::Reported(GapCode::UnknownControl);
            }
            book.targets.push(target);
        }
        book
    }

    fn source(&self, row: &EvidenceRow) -> String {
        format!("{}:{}", self.file, row.row)
    }

    fn row_finding(&self, i: usize, code: GapCode, detail: String) -> Finding {
        let row = &self.rows[i];
        let mut f = Finding::new(code, detail);
        f.system = row.system.clone();
        f.framework = row.framework.clone();
        f.control = row.control.clone();
        f.evidence_id = row.evidence_id.clone();
        f.source = self.source(row);
        f
    }

    fn resolve(&self, i: usize, findings: &mut Vec<Finding>) -> Target {
        let row = &self.rows[i];
        let system = if row.system.is_empty() {
            None
        } else {
            match self.scope.system(&row.system) {
                Some(s) => Some(s.name.clone()),
                None => {
                    let mut f = self.row_finding(
                        i,
                        GapCode::UnknownSystem,
                        format!(
                            "{} names system `{}`, which is not in the scope (systems: {})",
                            row.evidence_id,
                            row.system,
                            self.scope
                                .systems
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    f.action = "Fix the system name, or add the system to the scope.".into();
                    findings.push(f);
                    return Target::Reported;
                }
            }
        };
        let unknown = |detail: String, findings: &mut Vec<Finding>| {
            let mut f = self.row_finding(i, GapCode::UnknownControl, detail);
            f.action =
                "Fix the control ID in the register (framework:control, e.g. pci-dss-4.0.1:8.3.1)."
                    .into();
            findings.push(f);
            Target::Reported
        };
        let resolved = if row.framework.is_empty() {
            let hits: Vec<(&Framework, &Control)> = self
                .scope
                .frameworks()
                .iter()
                .filter_map(|id| self.catalog.framework(id).ok())
                .filter_map(|fw| fw.resolve(&row.control).ok().map(|c| (fw, c)))
                .collect();
            match hits.as_slice() {
                [one] => *one,
                [] => {
                    return unknown(
                        format!(
                            "{}: `{}` is not a control of any framework in scope",
                            row.evidence_id, row.control
                        ),
                        findings,
                    )
                }
                many => {
                    return unknown(
                        format!(
                            "{}: `{}` could be {}: write it as framework:control",
                            row.evidence_id,
                            row.control,
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
            let fw = match self.catalog.framework(&row.framework) {
                Ok(fw) => fw,
                Err(e) => return unknown(format!("{}: {e}", row.evidence_id), findings),
            };
            match self.catalog.control(fw, &row.control) {
                Ok(c) => (fw, c),
                Err(e) => return unknown(format!("{}: {e}", row.evidence_id), findings),
            }
        };
        Target::Control {
            fw: resolved.0.id.clone(),
            control: resolved.1.id.clone(),
            system,
        }
    }

    /// Check one control on one system the customer owns or shares.
    pub fn check(
        &mut self,
        sys: &System,
        fw: &Framework,
        control: &Control,
        order: usize,
        owner: Party,
        findings: &mut Vec<Finding>,
    ) -> Found {
        let direct = self.rows_for(&fw.id, &control.id, &sys.name);
        // With --reuse-mapped: rows of the controls this one maps to, where the relationship allows.
        let mut reused: Vec<(usize, String)> = Vec::new();
        if self.reuse != super::Reuse::None {
            for m in crate::crosswalk::mapped(&self.catalog.crosswalks, &fw.id, &control.id, None) {
                if self.reuse.allows(m.relationship) {
                    for i in self.rows_for(&m.framework, &m.control, &sys.name) {
                        reused.push((i, format!("{}:{}", m.framework, m.control)));
                    }
                }
            }
        }
        let from_of = |i: usize| reused.iter().find(|(r, _)| *r == i).map(|(_, f)| f.clone());
        let candidates: Vec<usize> = direct
            .iter()
            .copied()
            .chain(reused.iter().map(|(i, _)| *i))
            .collect();
        let base = |code: GapCode, detail: String| {
            let mut f = Finding::new(code, detail);
            f.system = sys.name.clone();
            f.framework = fw.id.clone();
            f.control = control.id.clone();
            f.title = control.title.clone();
            f.owner = owner.to_string();
            f.order = order;
            f
        };
        if candidates.is_empty() {
            let mut f = base(
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
            );
            f.action = action(GapCode::MissingEvidence, None, control);
            findings.push(f);
            return Found {
                used: Vec::new(),
                gaps: vec![GapCode::MissingEvidence],
            };
        }
        let verdicts: Vec<(usize, Option<Problem>)> = candidates
            .iter()
            .map(|&i| (i, verdict(&self.rows[i], control, self.as_of)))
            .collect();
        let good: Vec<usize> = verdicts
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(i, _)| *i)
            .collect();
        if let Some(&newest) = good.iter().max_by_key(|&&i| self.rows[i].effective_date) {
            let used: Vec<String> = good
                .iter()
                .map(|&i| match from_of(i) {
                    Some(from) if !direct.contains(&i) => {
                        format!("{} (reused from {from})", self.rows[i].evidence_id)
                    }
                    _ => self.rows[i].evidence_id.clone(),
                })
                .collect();
            for &i in &good {
                match &mut self.fates[i] {
                    Fate::Used(systems) => {
                        if !systems.contains(&sys.name) {
                            systems.push(sys.name.clone())
                        }
                    }
                    fate => *fate = Fate::Used(vec![sys.name.clone()]),
                }
            }
            for (i, _) in verdicts
                .iter()
                .filter(|(i, v)| v.is_some() && direct.contains(i))
            {
                if matches!(self.fates[*i], Fate::Unseen) {
                    self.fates[*i] = Fate::Superseded(self.rows[newest].evidence_id.clone());
                }
            }
            return Found {
                used,
                gaps: Vec::new(),
            };
        }
        let mut gaps = Vec::new();
        // Report the control's own rows; reused rows only when it has none of its own.
        let report_reused = direct.is_empty();
        for (i, v) in verdicts {
            let Some((code, detail, since)) = v else {
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
            let row = &self.rows[i];
            let detail = match &from {
                Some(f) => format!("{detail} (reused from {f})"),
                None => detail,
            };
            let mut f = base(code, detail);
            f.reused_from = from.clone().unwrap_or_default();
            f.evidence_id = row.evidence_id.clone();
            f.reference = row.title.clone();
            f.source = self.source(row);
            f.since = since;
            f.action = action(code, Some(row), control);
            findings.push(f);
            if !gaps.contains(&code) {
                gaps.push(code);
            }
            if from.is_none() && !matches!(self.fates[i], Fate::Used(_)) {
                self.fates[i] = Fate::Reported(code);
            }
        }
        Found {
            used: Vec::new(),
            gaps,
        }
    }

    /// Rows that point at `(framework, control)` for `system` (or for every system).
    fn rows_for(&self, framework: &str, control: &str, system: &str) -> Vec<usize> {
        self.index
            .get(&(framework.to_string(), control.to_string()))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| match &self.targets[i] {
                        Target::Control { system: s, .. } => {
                            s.as_deref().is_none_or(|s| s == system)
                        }
                        Target::Reported => false,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Report rows no control needed, and say what became of every row.
    pub fn finish(self, findings: &mut Vec<Finding>) -> Vec<RowOutcome> {
        let mut out = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            let outcome = match &self.fates[i] {
                Fate::Used(systems) => format!("counts for {}", systems.join(", ")),
                Fate::Superseded(by) => format!("not needed: {by} already satisfies the control"),
                Fate::Reported(code) => format!("reported: {code}"),
                Fate::Unseen => {
                    let reason = self.unused_reason(i);
                    let mut f = self.row_finding(
                        i,
                        GapCode::UnusedEvidence,
                        format!("{}: {reason}", row.evidence_id),
                    );
                    if let Target::Control { fw, control, .. } = &self.targets[i] {
                        f.framework = fw.clone();
                        f.control = control.clone();
                    }
                    f.action =
                        "None needed; remove it from the register or fix the row it was meant for."
                            .into();
                    findings.push(f);
                    format!("reported: unused-evidence ({reason})")
                }
            };
            out.push(RowOutcome {
                row: row.row,
                id: row.evidence_id.clone(),
                what: match &self.targets[i] {
                    Target::Control {
                        fw,
                        control,
                        system,
                    } => {
                        format!(
                            "{fw}:{control}{}",
                            system
                                .as_ref()
                                .map(|s| format!(" @ {s}"))
                                .unwrap_or_default()
                        )
                    }
                    Target::Reported => format!("{}:{}", row.framework, row.control),
                },
                outcome,
            });
        }
        out
    }

    fn unused_reason(&self, i: usize) -> String {
        let Target::Control {
            fw,
            control,
            system,
        } = &self.targets[i]
        else {
            return "points at nothing".into();
        };
        let systems: Vec<&System> = self
            .scope
            .systems
            .iter()
            .filter(|s| system.as_ref().is_none_or(|n| &s.name == n))
            .filter(|s| s.frameworks.contains(fw))
            .collect();
        if systems.is_empty() {
            return match system {
                Some(s) => format!("{fw} is not in scope for {s}"),
                None => format!("{fw} is not in scope for any system"),
            };
        }
        let Ok(f) = self.catalog.framework(fw) else {
            return "framework not found".into();
        };
        let Some(c) = f.control(control) else {
            return "control not found".into();
        };
        let owners: Vec<String> = systems
            .iter()
            .map(|s| {
                format!(
                    "{} on {}",
                    system_owner(self.catalog, &s.offerings, f, c).0,
                    s.name
                )
            })
            .collect();
        if c.is_informative() {
            format!("{fw} {control} places no duty")
        } else {
            format!(
                "{fw} {control} is not the customer's ({}): the provider's attestation covers it",
                owners.join(", ")
            )
        }
    }
}

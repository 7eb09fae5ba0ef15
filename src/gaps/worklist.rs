//! The worklist: who each finding falls to, when it is due, and its stable ID.
//!
//! - **Assignee.** A finding about an evidence row takes the row's `owner` (the evidence rules
//!   set it); any other takes the scope's `[owners]` rule (see [`crate::input::owners`]), or
//!   `unassigned`.
//! - **Due.** Evidence findings: the period's end minus `[worklist]
//!   due-before-period-end-days`, or one cadence after the as-of date if that is sooner. Provider
//!   reports and agreements: the period's end minus those days. Register rows that point at
//!   nothing or are not needed: the as-of date plus `row-fixes-due-in-days` (14). Evidence due
//!   soon: the day it stops counting. A due date before the as-of date is overdue.
//! - **ID.** `G-` and 8 hex digits of a hash of system, framework, control, code, offering and
//!   the row's evidence ID (or, for an attestation row, its reference): the same gap keeps its ID
//!   from one run to the next. Should two findings of one report share a key, the later one (in
//!   worklist order) also hashes its source row, then a count.

use std::collections::HashSet;

use jiff::civil::Date;

use super::finding::{text, Finding, GapCode, Names, UNASSIGNED};
use crate::cadence::Cadence;
use crate::framework::{Control, Framework};
use crate::input::owners::Target;
use crate::input::scope::Scope;

/// How a finding's due date is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DueBy {
    /// The customer's evidence for a control: by the period's end, or within one cadence.
    Evidence,
    /// A provider report or agreement: by the period's end.
    Provider,
    /// A register row to correct: within `row-fixes-due-in-days` of the as-of date.
    RowFix,
    /// Information about evidence that stops counting: that day.
    StopsCounting,
}

/// The rule for each code (a new code must choose one here).
fn due_by(code: GapCode) -> DueBy {
    match code {
        GapCode::ControlFailing
        | GapCode::MissingEvidence
        | GapCode::EvidenceExpired
        | GapCode::StaleEvidence
        | GapCode::MissingOccurrence
        | GapCode::EvidenceNotApproved => DueBy::Evidence,
        GapCode::MissingAgreement
        | GapCode::MissingAttestation
        | GapCode::AttestationExpired
        | GapCode::AttestationNotCoveringOffering
        | GapCode::AttestationPeriodGap => DueBy::Provider,
        GapCode::UnknownControl
        | GapCode::UnknownSystem
        | GapCode::UnknownOffering
        | GapCode::ConflictingEvidenceId
        | GapCode::UnusedEvidence
        | GapCode::UnusedAttestation => DueBy::RowFix,
        GapCode::EvidenceDueSoon => DueBy::StopsCounting,
    }
}

/// Whether a finding is the vendor-management owner's kind of work: a provider report or
/// agreement, or a row of the attestation register.
fn provider_side(code: GapCode) -> bool {
    matches!(due_by(code), DueBy::Provider)
        || matches!(code, GapCode::UnknownOffering | GapCode::UnusedAttestation)
}

fn plus_days(day: Date, n: i64) -> Date {
    day.checked_add(jiff::Span::new().days(n)).unwrap_or(day)
}

/// When provider reports and agreements are due: the period's end minus `[worklist]
/// due-before-period-end-days`. The PBC list dates its attestation requests by it too.
pub fn provider_due(scope: &Scope<'_>) -> Date {
    plus_days(
        scope.period.end,
        -i64::from(scope.due.before_period_end_days),
    )
}

/// When the customer's evidence of a control with `cadence` is due: [`provider_due`], or one
/// cadence after `as_of` if that is sooner. The PBC list dates its evidence requests by it too.
pub fn evidence_due(scope: &Scope<'_>, cadence: Option<Cadence>, as_of: Date) -> Date {
    let deadline = provider_due(scope);
    match cadence.and_then(|c| as_of.checked_add(c.span()).ok()) {
        Some(next) => next.min(deadline),
        None => deadline,
    }
}

/// When a PBC request dated `as_of` is due: `due` (by the worklist's rules), but never before
/// the request is made: a list written on or after that day gives `[worklist]
/// row-fixes-due-in-days` to answer.
pub fn request_due(scope: &Scope<'_>, due: Date, as_of: Date) -> Date {
    due.max(plus_days(as_of, i64::from(scope.due.row_fixes_days)))
}

/// The day a finding should be closed by.
fn due(f: &Finding, control: Option<&Control>, scope: &Scope<'_>, as_of: Date) -> Date {
    match due_by(f.code) {
        DueBy::Evidence => evidence_due(scope, control.map(|c| c.cadence), as_of),
        DueBy::Provider => provider_due(scope),
        DueBy::RowFix => plus_days(as_of, i64::from(scope.due.row_fixes_days)),
        DueBy::StopsCounting => f.since.unwrap_or_else(|| provider_due(scope)),
    }
}

/// Give every finding its assignee (when the register named nobody), its due date and its
/// stable ID.
pub(super) fn settle(findings: &mut [Finding], scope: &Scope<'_>, as_of: Date) {
    let frameworks: Vec<&Framework> = scope.frameworks();
    let people = Names::default();
    for f in findings.iter_mut() {
        let fw = f
            .framework
            .as_deref()
            .and_then(|id| frameworks.iter().copied().find(|x| x.id == id));
        let control = fw.and_then(|fw| f.control.as_deref().and_then(|c| fw.control(c)));
        if f.assignee.is_none() {
            let target = Target {
                system: f.system.as_deref(),
                framework: f.framework.as_deref(),
                control,
                provider: provider_side(f.code),
            };
            let person = scope.owners.assignee(&target).unwrap_or(UNASSIGNED);
            f.assignee = Some(people.get(person));
        }
        f.due = Some(due(f, control, scope, as_of));
    }
    assign_ids(findings);
}

/// FNV-1a (64 bits) of the parts, each ended by a unit separator, folded to 32 bits: fixed on
/// every platform and in every release (stable IDs are made from it).
pub fn hash(parts: &[&str]) -> u32 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    ((h >> 32) ^ (h & 0xffff_ffff)) as u32
}

/// What identifies a finding from one run to the next.
fn key(f: &Finding) -> Vec<&str> {
    let mut parts = vec![
        text(&f.system),
        text(&f.framework),
        text(&f.control),
        f.code.as_str(),
        text(&f.offering),
        text(&f.evidence_id),
    ];
    if f.system.is_none() && f.framework.is_none() && f.control.is_none() {
        // A row of the attestation register: its reference is what names it.
        parts.push(text(&f.reference));
    }
    parts
}

/// The stable ID of a key: `G-` and eight upper-case hex digits.
pub fn stable_id(parts: &[&str]) -> String {
    id_of(hash(parts))
}

/// Give each finding without an ID its stable ID, unique among `findings`.
///
/// The IDs in use are held as the hashes they were made from (an ID of another form, given by
/// an earlier report, never equals one made here): a run at scale has tens of thousands of
/// findings, and a set of their ID strings was a few megabytes at the run's peak.
pub(super) fn assign_ids(findings: &mut [Finding]) {
    let mut used: HashSet<u32> = findings.iter().filter_map(|f| hash_of(&f.id)).collect();
    for f in findings.iter_mut().filter(|f| f.id.is_empty()) {
        let mut parts = key(f);
        let mut h = hash(&parts);
        if used.contains(&h) {
            parts.push(f.source.as_deref().unwrap_or(""));
            h = hash(&parts);
        }
        let mut n = 2u32;
        while used.contains(&h) {
            let count = n.to_string();
            let mut more = parts.clone();
            more.push(&count);
            h = hash(&more);
            n += 1;
        }
        used.insert(h);
        f.id = id_of(h);
    }
}

/// The ID of a hash: `G-` and eight upper-case hex digits.
fn id_of(h: u32) -> String {
    format!("G-{h:08X}")
}

/// The hash an ID of the stable form (`G-` and eight upper-case hex digits) was made from.
fn hash_of(id: &str) -> Option<u32> {
    let hex = id.strip_prefix("G-")?;
    let stable = hex.len() == 8
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    if !stable {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fixed_by_their_key() {
        // Pinned: the hash must give the same ID on every platform and in every release.
        // FNV-1a's offset basis, folded: no parts.
        assert_eq!(stable_id(&[]), "G-4FD0BFC1");
        assert_eq!(
            stable_id(&[
                "payments",
                "pci-dss-4.0.1",
                "8.3.1",
                "missing-evidence",
                "",
                ""
            ]),
            "G-3930626A"
        );
        assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
    }

    #[test]
    fn every_code_has_a_due_rule_and_only_provider_work_goes_to_vendor_management() {
        for code in GapCode::ALL {
            let rule = due_by(code);
            assert_eq!(
                code == GapCode::EvidenceDueSoon,
                rule == DueBy::StopsCounting
            );
        }
        assert!(provider_side(GapCode::MissingAgreement));
        assert!(provider_side(GapCode::UnusedAttestation));
        assert!(!provider_side(GapCode::MissingEvidence));
        assert!(!provider_side(GapCode::UnusedEvidence));
    }

    #[test]
    fn findings_with_one_key_get_different_ids() {
        let mut a = Finding::new(GapCode::MissingAttestation, "x", "act");
        a.system = Some("app".into());
        let b = a.clone();
        let mut list = vec![a, b];
        assign_ids(&mut list);
        assert_ne!(list[0].id, list[1].id);
        assert!(list[0].id.starts_with("G-") && list[0].id.len() == 10);
    }

    #[test]
    fn an_id_given_before_is_not_given_again() {
        let mut a = Finding::new(GapCode::MissingAttestation, "x", "act");
        a.system = Some("app".into());
        let mut probe = vec![a.clone()];
        assign_ids(&mut probe);
        let taken = probe[0].id.clone();
        // The same ID already held (from an earlier report), and one of another form.
        let mut held = a.clone();
        held.id = taken.clone();
        let mut other = a.clone();
        other.id = "legacy-7".into();
        let mut list = vec![held, other, a];
        assign_ids(&mut list);
        assert_eq!(list[0].id, taken);
        assert_eq!(list[1].id, "legacy-7");
        assert_ne!(list[2].id, taken);
        assert_eq!(hash_of(&list[2].id).map(id_of), Some(list[2].id.clone()));
        assert_eq!(hash_of("G-3f9a2c1b"), None);
        assert_eq!(hash_of("G-+F9A2C1B"), None);
    }
}

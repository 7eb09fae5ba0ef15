//! Findings: one gap each, with a stable kebab-case code.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::party::Party;
use crate::record::Record;
use crate::weight::Weight;

/// Every kind of finding. The order is the worklist order: the gaps that take longest to close
/// (contracts and provider reports) first, data hygiene and information last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapCode {
    MissingAgreement,
    MissingAttestation,
    AttestationExpired,
    AttestationNotCoveringOffering,
    /// The evidence records a failed test or scan: the control is not operating.
    ControlFailing,
    MissingEvidence,
    EvidenceExpired,
    AttestationPeriodGap,
    StaleEvidence,
    /// A recurring control has no approved evidence for some of the period's occurrences.
    MissingOccurrence,
    EvidenceNotApproved,
    UnknownControl,
    UnknownSystem,
    UnknownOffering,
    /// An evidence ID the register uses for two different pieces of evidence.
    ConflictingEvidenceId,
    UnusedEvidence,
    UnusedAttestation,
    /// Not a gap yet: the evidence that satisfies the control stops counting soon.
    EvidenceDueSoon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
    /// Not a gap: a row that was not needed. Never fails `--fail-on`.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl GapCode {
    pub const ALL: [GapCode; 18] = [
        GapCode::MissingAgreement,
        GapCode::MissingAttestation,
        GapCode::AttestationExpired,
        GapCode::AttestationNotCoveringOffering,
        GapCode::ControlFailing,
        GapCode::MissingEvidence,
        GapCode::EvidenceExpired,
        GapCode::AttestationPeriodGap,
        GapCode::StaleEvidence,
        GapCode::MissingOccurrence,
        GapCode::EvidenceNotApproved,
        GapCode::UnknownControl,
        GapCode::UnknownSystem,
        GapCode::UnknownOffering,
        GapCode::ConflictingEvidenceId,
        GapCode::UnusedEvidence,
        GapCode::UnusedAttestation,
        GapCode::EvidenceDueSoon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GapCode::ControlFailing => "control-failing",
            GapCode::MissingEvidence => "missing-evidence",
            GapCode::StaleEvidence => "stale-evidence",
            GapCode::MissingOccurrence => "missing-occurrence",
            GapCode::EvidenceNotApproved => "evidence-not-approved",
            GapCode::EvidenceExpired => "evidence-expired",
            GapCode::MissingAttestation => "missing-attestation",
            GapCode::AttestationExpired => "attestation-expired",
            GapCode::AttestationNotCoveringOffering => "attestation-not-covering-offering",
            GapCode::AttestationPeriodGap => "attestation-period-gap",
            GapCode::MissingAgreement => "missing-agreement",
            GapCode::UnknownControl => "unknown-control",
            GapCode::UnknownSystem => "unknown-system",
            GapCode::UnknownOffering => "unknown-offering",
            GapCode::ConflictingEvidenceId => "conflicting-evidence-id",
            GapCode::UnusedEvidence => "unused-evidence",
            GapCode::UnusedAttestation => "unused-attestation",
            GapCode::EvidenceDueSoon => "evidence-due-soon",
        }
    }

    pub fn parse(s: &str) -> Option<GapCode> {
        GapCode::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// How urgent a finding of this code is on a control of `weight`: the one place severities
    /// are decided (README "Gap rules", docs/severity.md). Provider reports and agreements do not
    /// depend on the control (a missing report leaves every control relying on it open); a
    /// failing control is high unless it is governance paperwork; missing or expired evidence
    /// follows the weight (high, medium, low); late, unapproved or incomplete evidence is one
    /// step lower on a key control; input rows that point at nothing are low, information info.
    pub fn severity_at(self, weight: Weight) -> Severity {
        use Severity::{High, Info, Low, Medium};
        let by_weight = |key, standard, supporting| match weight {
            Weight::Key => key,
            Weight::Standard => standard,
            Weight::Supporting => supporting,
        };
        match self {
            GapCode::MissingAgreement
            | GapCode::MissingAttestation
            | GapCode::AttestationExpired
            | GapCode::AttestationNotCoveringOffering => High,
            GapCode::ControlFailing => by_weight(High, High, Medium),
            GapCode::MissingEvidence | GapCode::EvidenceExpired => by_weight(High, Medium, Low),
            GapCode::AttestationPeriodGap => Medium,
            // A missed occurrence is missing evidence for that occurrence.
            GapCode::MissingOccurrence => by_weight(High, Medium, Low),
            GapCode::StaleEvidence | GapCode::EvidenceNotApproved => by_weight(Medium, Medium, Low),
            GapCode::UnknownControl
            | GapCode::UnknownSystem
            | GapCode::UnknownOffering
            | GapCode::ConflictingEvidenceId => Low,
            GapCode::UnusedEvidence | GapCode::UnusedAttestation | GapCode::EvidenceDueSoon => Info,
        }
    }

    /// The severity of a finding that names no control, and of one on a `standard` control.
    pub fn severity(self) -> Severity {
        self.severity_at(Weight::Standard)
    }

    /// The severity on each weight: (key, standard, supporting), for legends.
    pub fn severities(self) -> [Severity; 3] {
        Weight::ALL.map(|w| self.severity_at(w))
    }

    /// What the code means, in a sentence, for report legends.
    pub fn meaning(self) -> &'static str {
        match self {
            GapCode::ControlFailing => {
                "The evidence records a failed test or scan: the control is not operating."
            }
            GapCode::MissingEvidence => {
                "No evidence is registered for a control the customer owns or shares."
            }
            GapCode::StaleEvidence => {
                "The evidence is older than the control's cadence allows at the period end (or the as-of date), or dated outside the period."
            }
            GapCode::MissingOccurrence => {
                "A recurring control has no approved evidence for some occurrences of the period."
            }
            GapCode::EvidenceNotApproved => {
                "The evidence is pending, draft or rejected, not approved."
            }
            GapCode::EvidenceExpired => "The evidence expired before the as-of date.",
            GapCode::MissingAttestation => {
                "No provider report of the kind the framework needs is on file."
            }
            GapCode::AttestationExpired => "The provider report or certificate has lapsed.",
            GapCode::AttestationNotCoveringOffering => {
                "The provider report on file does not list this service."
            }
            GapCode::AttestationPeriodGap => {
                "The report period ends before the audit period: a bridge letter is needed."
            }
            GapCode::MissingAgreement => {
                "The contract the framework requires (HIPAA BAA, GDPR DPA) is not on file."
            }
            GapCode::UnknownControl => {
                "An evidence row names a control the framework does not have."
            }
            GapCode::UnknownSystem => "An evidence row names a system that is not in the scope.",
            GapCode::UnknownOffering => "An attestation row names an offering srmap does not know.",
            GapCode::ConflictingEvidenceId => {
                "An evidence ID that another row uses with another title or date: one ID, two documents."
            }
            GapCode::UnusedEvidence => "An evidence row that no in-scope control needs.",
            GapCode::UnusedAttestation => "An attestation row that no in-scope system needs.",
            GapCode::EvidenceDueSoon => {
                "The evidence that satisfies the control stops counting soon: collect the next."
            }
        }
    }

    pub fn is_gap(self) -> bool {
        self.severities().iter().any(|s| *s != Severity::Info)
    }
}

impl fmt::Display for GapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for GapCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What became of a finding since the previous report (`gaps --previous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Not in the previous report.
    New,
    /// In the previous report too (same ID): still open.
    Open,
    /// In the previous report, gone now. Resolved findings are listed after the worklist and are
    /// never gaps.
    Resolved,
}

impl Change {
    pub const ALL: [Change; 3] = [Change::New, Change::Open, Change::Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Open => "open",
            Change::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Change> {
        Change::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The person a finding falls to when the register and the scope name nobody.
pub const UNASSIGNED: &str = "unassigned";

/// One finding. Fields a finding does not have are `None`; every output writes them as empty
/// cells (`""` in JSON), and its severity is its code's on its control's weight.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The stable ID (`G-3F9A2C1B`): the same gap keeps it from one run to the next (see
    /// `worklist::stable_id`). Empty until the worklist is settled.
    pub id: String,
    pub system: Option<Name>,
    pub framework: Option<Name>,
    /// `None` for findings about an attestation or an input row that names no control.
    pub control: Option<Name>,
    /// Which party owns the control (`None` when no control is known).
    pub party: Option<Party>,
    /// The accountable person: the register row's owner, the scope's `[owners]`, or
    /// `unassigned` (set when the worklist is settled).
    pub assignee: Option<Name>,
    pub code: GapCode,
    pub detail: String,
    /// The control's title.
    pub title: Option<Name>,
    pub offering: Option<Name>,
    pub evidence_id: Option<Box<str>>,
    /// The attestation's reference, or the evidence row's title.
    pub reference: Option<Box<str>>,
    /// What to do about it: most codes' actions are fixed texts, held once (a run at scale has
    /// tens of thousands of findings about register rows, each with the same action).
    pub action: Cow<'static, str>,
    /// The input row it is about (`file:row`), if any.
    pub source: Option<Box<str>>,
    /// The date the gap opened (expiry, end of freshness), if it has one.
    pub since: Option<Date>,
    /// With `--reuse-mapped`: the control whose evidence this finding is about (`framework:control`).
    pub reused_from: Option<Box<str>>,
    /// When it should be closed (set when the worklist is settled; see README "Gap rules").
    pub due: Option<Date>,
    /// With `--previous`: new, still open, or resolved since then.
    pub change: Option<Change>,
    /// Sort key: the control's position in its framework (findings without one sort last).
    pub order: Option<usize>,
    /// The control's risk weight, set wherever the control is known; `None`: the code's own
    /// severity ([`GapCode::severity`]).
    pub weight: Option<Weight>,
}

/// `Some` of a value as written, `None` when it is empty.
pub(super) fn given(s: &str) -> Option<Box<str>> {
    (!s.is_empty()).then(|| s.into())
}

/// A name many findings share (a system, framework, control, title, offering or person), held
/// once: a run at scale has tens of thousands of findings and a few thousand names.
pub type Name = Arc<str>;

/// `Some` of a name as written (a copy of its own), `None` when it is empty.
pub(super) fn name(s: &str) -> Option<Name> {
    (!s.is_empty()).then(|| s.into())
}

/// The names given to findings so far, each held once.
#[derive(Debug, Default)]
pub(super) struct Names(RefCell<HashSet<Name>>);

impl Names {
    /// The shared copy of `s`.
    pub(super) fn get(&self, s: &str) -> Name {
        let mut set = self.0.borrow_mut();
        if let Some(name) = set.get(s) {
            return name.clone();
        }
        let name: Name = s.into();
        set.insert(name.clone());
        name
    }

    /// `Some` of a name as written, `None` when it is empty.
    pub(super) fn given(&self, s: &str) -> Option<Name> {
        (!s.is_empty()).then(|| self.get(s))
    }
}

/// A text field as the outputs write it: `None` is an empty cell.
pub fn text<T: AsRef<str>>(field: &Option<T>) -> &str {
    field.as_ref().map_or("", AsRef::as_ref)
}

impl Finding {
    /// A finding of `code`: what was found (`detail`) and what to do about it (`action`).
    pub fn new(
        code: GapCode,
        detail: impl Into<String>,
        action: impl Into<Cow<'static, str>>,
    ) -> Finding {
        Finding {
            id: String::new(),
            system: None,
            framework: None,
            control: None,
            party: None,
            assignee: None,
            code,
            detail: detail.into(),
            title: None,
            offering: None,
            evidence_id: None,
            reference: None,
            action: action.into(),
            source: None,
            since: None,
            reused_from: None,
            due: None,
            change: None,
            order: None,
            weight: None,
        }
    }

    /// How urgent it is: its code's severity on its control's weight (the code's own without
    /// one). The one accessor every output and `--fail-on` use.
    pub fn severity(&self) -> Severity {
        match self.weight {
            Some(w) => self.code.severity_at(w),
            None => self.code.severity(),
        }
    }

    /// Whether it is about `framework` on `system`.
    pub fn concerns(&self, system: &str, framework: &str) -> bool {
        self.system.as_deref() == Some(system) && self.framework.as_deref() == Some(framework)
    }

    /// An evidence-due-soon finding: the row that lasts longest, the day it stops counting.
    pub fn with_due(mut self, day: Date, evidence_id: Box<str>) -> Finding {
        self.since = Some(day);
        self.evidence_id = given(&evidence_id);
        self
    }

    /// Worklist order: severity, code, system, framework, control order, offering, row.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.severity(),
            self.code,
            self.system.as_deref(),
            self.framework.as_deref(),
            self.order.unwrap_or(usize::MAX),
            self.offering.as_deref(),
            self.evidence_id.as_deref(),
            self.source.as_deref(),
        )
    }
}

/// The keys of [`Record::columns`], in that order, with the severity derived from the code.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 19)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("system", text(&self.system))?;
        st.serialize_field("framework", text(&self.framework))?;
        st.serialize_field("control", text(&self.control))?;
        st.serialize_field("party", self.party.map_or("", Party::as_str))?;
        st.serialize_field("assignee", text(&self.assignee))?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("title", text(&self.title))?;
        st.serialize_field("offering", text(&self.offering))?;
        st.serialize_field("evidence_id", text(&self.evidence_id))?;
        st.serialize_field("reference", text(&self.reference))?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("due", &self.due)?;
        st.serialize_field("source", text(&self.source))?;
        st.serialize_field("since", &self.since)?;
        st.serialize_field("reused_from", text(&self.reused_from))?;
        st.serialize_field("change", self.change.map_or("", Change::as_str))?;
        st.end()
    }
}

impl Record for Finding {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "system",
            "framework",
            "control",
            "party",
            "assignee",
            "code",
            "detail",
            "severity",
            "title",
            "offering",
            "evidence_id",
            "reference",
            "action",
            "due",
            "source",
            "since",
            "reused_from",
            "change",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            text(&self.system).to_string(),
            text(&self.framework).to_string(),
            text(&self.control).to_string(),
            self.party.map_or("", Party::as_str).to_string(),
            text(&self.assignee).to_string(),
            self.code.to_string(),
            self.detail.clone(),
            self.severity().as_str().to_string(),
            text(&self.title).to_string(),
            text(&self.offering).to_string(),
            text(&self.evidence_id).to_string(),
            text(&self.reference).to_string(),
            self.action.to_string(),
            self.due.map(|d| d.to_string()).unwrap_or_default(),
            text(&self.source).to_string(),
            self.since.map(|d| d.to_string()).unwrap_or_default(),
            text(&self.reused_from).to_string(),
            self.change.map_or("", Change::as_str).to_string(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "id",
            "severity",
            "code",
            "system",
            "framework",
            "control",
            "assignee",
            "due",
            "detail",
            "change",
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_cell() {
        let f = Finding::new(GapCode::MissingEvidence, "x", "act");
        assert_eq!(Finding::columns().len(), f.cells().len());
        let json = serde_json::to_value(&f).unwrap();
        for c in Finding::columns() {
            assert!(json.get(*c).is_some(), "JSON has no `{c}`");
        }
    }

    #[test]
    fn severity_comes_from_the_code() {
        for code in GapCode::ALL {
            let f = Finding::new(code, "x", "act");
            assert_eq!(f.severity(), code.severity());
            let at = Finding::columns()
                .iter()
                .position(|c| *c == "severity")
                .unwrap();
            assert_eq!(f.cells()[at], code.severity().as_str());
            let json = serde_json::to_value(&f).unwrap();
            assert_eq!(json["severity"], code.severity().as_str());
            assert_eq!(code.is_gap(), code.severity() != Severity::Info);
        }
        assert_eq!(GapCode::MissingAgreement.severity(), Severity::High);
        assert_eq!(GapCode::AttestationPeriodGap.severity(), Severity::Medium);
        assert_eq!(GapCode::UnknownOffering.severity(), Severity::Low);
        assert_eq!(GapCode::EvidenceDueSoon.severity(), Severity::Info);
    }

    #[test]
    fn severity_follows_the_controls_weight() {
        let on = |code: GapCode, w: Weight| {
            let mut f = Finding::new(code, "x", "act");
            f.weight = Some(w);
            let json = serde_json::to_value(&f).unwrap();
            assert_eq!(json["severity"], f.severity().as_str());
            let at = Finding::columns()
                .iter()
                .position(|c| *c == "severity")
                .unwrap();
            assert_eq!(f.cells()[at], f.severity().as_str());
            f.severity()
        };
        use Severity::*;
        let missing = GapCode::MissingEvidence;
        assert_eq!(on(missing, Weight::Key), High);
        assert_eq!(on(missing, Weight::Standard), Medium);
        assert_eq!(on(missing, Weight::Supporting), Low);
        assert_eq!(on(GapCode::ControlFailing, Weight::Key), High);
        assert_eq!(on(GapCode::ControlFailing, Weight::Supporting), Medium);
        // Provider reports and agreements, hygiene and information do not depend on the control.
        for w in Weight::ALL {
            assert_eq!(on(GapCode::MissingAgreement, w), High);
            assert_eq!(on(GapCode::AttestationExpired, w), High);
            assert_eq!(on(GapCode::UnknownControl, w), Low);
            assert_eq!(on(GapCode::EvidenceDueSoon, w), Info);
        }
        // Without a control: the code's own, the standard column.
        for code in GapCode::ALL {
            assert_eq!(code.severity(), code.severity_at(Weight::Standard));
            // A heavier weight is never less severe.
            let [k, st, su] = code.severities();
            assert!(k <= st && st <= su, "{code}");
        }
    }

    /// The severity tables of README.md and docs/severity.md are this matrix, row for row.
    #[test]
    fn the_documented_tables_are_the_matrix() {
        let mut table = String::from("| code | key | standard | supporting |\n|---|---|---|---|\n");
        for code in GapCode::ALL {
            let [k, st, su] = code.severities().map(Severity::as_str);
            table.push_str(&format!("| `{code}` | {k} | {st} | {su} |\n"));
        }
        for (name, text) in [
            ("README.md", include_str!("../../README.md")),
            ("docs/severity.md", include_str!("../../docs/severity.md")),
        ] {
            let start = text.find("<!-- severity -->\n").expect(name) + "<!-- severity -->\n".len();
            let end = text.find("<!-- /severity -->").expect(name);
            assert_eq!(&text[start..end], table, "{name}");
        }
    }

    #[test]
    fn code_order_never_contradicts_severity() {
        // The worklist sorts by severity, then code: codes are listed most severe first.
        for pair in GapCode::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].severity() <= pair[1].severity(), "{pair:?}");
        }
    }

    #[test]
    fn missing_fields_are_written_as_empty_cells() {
        let f = Finding::new(GapCode::UnusedAttestation, "x", "act");
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"id":"","system":"","framework":"","control":"","party":"","assignee":"","code":"unused-attestation","detail":"x","severity":"info","title":"","offering":"","evidence_id":"","reference":"","action":"act","due":null,"source":"","since":null,"reused_from":"","change":""}"#
        );
        let cells = f.cells();
        for (column, cell) in Finding::columns().iter().zip(&cells) {
            let expected = match *column {
                "code" => "unused-attestation",
                "detail" => "x",
                "severity" => "info",
                "action" => "act",
                _ => "",
            };
            assert_eq!(cell, expected, "{column}");
        }
    }

    #[test]
    fn present_fields_are_written_as_they_are() {
        let mut f = Finding::new(GapCode::StaleEvidence, "old", "act");
        f.system = Some("payments".into());
        f.framework = Some("soc2".into());
        f.control = Some("CC6.1".into());
        f.party = Some(Party::Shared);
        f.assignee = Some("M. Chen".into());
        f.due = Some(jiff::civil::date(2026, 8, 31));
        f.change = Some(Change::Open);
        f.since = Some(jiff::civil::date(2026, 3, 31));
        f.reused_from = Some("iso27001-2022:A.5.15".into());
        let cells = f.cells();
        let cell = |name: &str| {
            let i = Finding::columns().iter().position(|c| *c == name).unwrap();
            cells[i].as_str()
        };
        assert_eq!(cell("system"), "payments");
        assert_eq!(cell("party"), "shared");
        assert_eq!(cell("assignee"), "M. Chen");
        assert_eq!(cell("due"), "2026-08-31");
        assert_eq!(cell("change"), "open");
        assert_eq!(cell("severity"), "medium");
        assert_eq!(cell("since"), "2026-03-31");
        assert_eq!(cell("reused_from"), "iso27001-2022:A.5.15");
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["party"], "shared");
        assert_eq!(json["due"], "2026-08-31");
        assert_eq!(json["since"], "2026-03-31");
        assert!(f.concerns("payments", "soc2"));
        assert!(!f.concerns("payments", "iso27001-2022"));
    }

    #[test]
    fn findings_without_a_field_sort_before_those_with_one_and_without_a_control_last() {
        let mut named = Finding::new(GapCode::UnknownSystem, "x", "act");
        named.system = Some("a".into());
        let unnamed = Finding::new(GapCode::UnknownSystem, "x", "act");
        assert!(unnamed.sort_key() < named.sort_key());
        let mut placed = Finding::new(GapCode::MissingEvidence, "x", "act");
        placed.order = Some(3);
        let unplaced = Finding::new(GapCode::MissingEvidence, "x", "act");
        assert!(placed.sort_key() < unplaced.sort_key());
        // Severity first: an info finding sorts after a low one whatever its fields.
        let info = Finding::new(GapCode::UnusedEvidence, "x", "act");
        assert!(named.sort_key() < info.sort_key());
    }

    #[test]
    fn codes_round_trip_and_sort_most_urgent_first() {
        for c in GapCode::ALL {
            assert_eq!(GapCode::parse(c.as_str()), Some(c));
        }
        assert!(GapCode::MissingAgreement < GapCode::MissingEvidence);
        assert!(GapCode::MissingEvidence < GapCode::UnusedEvidence);
    }
}

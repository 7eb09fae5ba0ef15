//! Findings: one gap each, with a stable kebab-case code.

use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::record::Record;

/// Every kind of finding. The order is the worklist order: the gaps that take longest to close
/// (contracts and provider reports) first, data hygiene and information last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapCode {
    MissingAgreement,
    MissingAttestation,
    AttestationExpired,
    AttestationNotCoveringOffering,
    MissingEvidence,
    EvidenceExpired,
    AttestationPeriodGap,
    StaleEvidence,
    EvidenceNotApproved,
    UnknownControl,
    UnknownSystem,
    UnknownOffering,
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
    pub const ALL: [GapCode; 15] = [
        GapCode::MissingAgreement,
        GapCode::MissingAttestation,
        GapCode::AttestationExpired,
        GapCode::AttestationNotCoveringOffering,
        GapCode::MissingEvidence,
        GapCode::EvidenceExpired,
        GapCode::AttestationPeriodGap,
        GapCode::StaleEvidence,
        GapCode::EvidenceNotApproved,
        GapCode::UnknownControl,
        GapCode::UnknownSystem,
        GapCode::UnknownOffering,
        GapCode::UnusedEvidence,
        GapCode::UnusedAttestation,
        GapCode::EvidenceDueSoon,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GapCode::MissingEvidence => "missing-evidence",
            GapCode::StaleEvidence => "stale-evidence",
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
            GapCode::UnusedEvidence => "unused-evidence",
            GapCode::UnusedAttestation => "unused-attestation",
            GapCode::EvidenceDueSoon => "evidence-due-soon",
        }
    }

    pub fn parse(s: &str) -> Option<GapCode> {
        GapCode::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn severity(self) -> Severity {
        match self {
            GapCode::MissingAgreement
            | GapCode::MissingAttestation
            | GapCode::AttestationExpired
            | GapCode::AttestationNotCoveringOffering
            | GapCode::MissingEvidence
            | GapCode::EvidenceExpired => Severity::High,
            GapCode::AttestationPeriodGap
            | GapCode::StaleEvidence
            | GapCode::EvidenceNotApproved => Severity::Medium,
            GapCode::UnknownControl | GapCode::UnknownSystem | GapCode::UnknownOffering => {
                Severity::Low
            }
            GapCode::UnusedEvidence | GapCode::UnusedAttestation | GapCode::EvidenceDueSoon => {
                Severity::Info
            }
        }
    }

    /// What the code means, in a sentence, for report legends.
    pub fn meaning(self) -> &'static str {
        match self {
            GapCode::MissingEvidence => {
                "No evidence is registered for a control the customer owns or shares."
            }
            GapCode::StaleEvidence => {
                "The newest evidence is older than the control's cadence allows."
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
            GapCode::UnusedEvidence => "An evidence row that no in-scope control needs.",
            GapCode::UnusedAttestation => "An attestation row that no in-scope system needs.",
            GapCode::EvidenceDueSoon => {
                "The evidence that satisfies the control stops counting soon: collect the next."
            }
        }
    }

    pub fn is_gap(self) -> bool {
        self.severity() != Severity::Info
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

/// One finding. `control` is empty for findings about an attestation or an input row that
/// names no control.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub system: String,
    pub framework: String,
    pub control: String,
    /// `provider`, `customer`, `shared`, or empty when no control is known.
    pub owner: String,
    pub code: GapCode,
    pub detail: String,
    pub severity: Severity,
    pub title: String,
    pub offering: String,
    pub evidence_id: String,
    pub reference: String,
    /// What to do about it.
    pub action: String,
    /// The input row it is about (`file:row`), if any.
    pub source: String,
    /// The date the gap opened (expiry, end of freshness), if it has one.
    pub since: Option<Date>,
    /// With `--reuse-mapped`: the control whose evidence this finding is about (`framework:control`).
    pub reused_from: String,
    /// Sort key: the control's position in its framework.
    #[serde(skip)]
    pub order: usize,
}

impl Finding {
    pub fn new(code: GapCode, detail: impl Into<String>) -> Finding {
        Finding {
            system: String::new(),
            framework: String::new(),
            control: String::new(),
            owner: String::new(),
            code,
            detail: detail.into(),
            severity: code.severity(),
            title: String::new(),
            offering: String::new(),
            evidence_id: String::new(),
            reference: String::new(),
            action: String::new(),
            source: String::new(),
            since: None,
            reused_from: String::new(),
            order: usize::MAX,
        }
    }

    /// An evidence-due-soon finding: the row that lasts longest, the day it stops counting.
    pub fn with_due(
        mut self,
        day: Date,
        evidence_id: Box<str>,
        control: &crate::framework::Control,
    ) -> Finding {
        self.since = Some(day);
        self.evidence_id = evidence_id.into();
        self.action = format!("Collect the next: {}", control.evidence);
        self
    }

    /// Worklist order: severity, code, system, framework, control order, offering, row.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.severity,
            self.code,
            self.system.as_str(),
            self.framework.as_str(),
            self.order,
            self.offering.as_str(),
            self.evidence_id.as_str(),
            self.source.as_str(),
        )
    }
}

impl Record for Finding {
    fn columns() -> &'static [&'static str] {
        &[
            "system",
            "framework",
            "control",
            "owner",
            "code",
            "detail",
            "severity",
            "title",
            "offering",
            "evidence_id",
            "reference",
            "action",
            "source",
            "since",
            "reused_from",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.system.clone(),
            self.framework.clone(),
            self.control.clone(),
            self.owner.clone(),
            self.code.to_string(),
            self.detail.clone(),
            self.severity.as_str().to_string(),
            self.title.clone(),
            self.offering.clone(),
            self.evidence_id.clone(),
            self.reference.clone(),
            self.action.clone(),
            self.source.clone(),
            self.since.map(|d| d.to_string()).unwrap_or_default(),
            self.reused_from.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "severity",
            "code",
            "system",
            "framework",
            "control",
            "owner",
            "detail",
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_cell() {
        let f = Finding::new(GapCode::MissingEvidence, "x");
        assert_eq!(Finding::columns().len(), f.cells().len());
        let json = serde_json::to_value(&f).unwrap();
        for c in Finding::columns() {
            assert!(json.get(*c).is_some(), "JSON has no `{c}`");
        }
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

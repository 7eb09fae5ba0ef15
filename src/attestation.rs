//! Kinds of provider attestation: audit reports, certificates and signed agreements.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttestationKind {
    Soc2Type2,
    PciAoc,
    Iso27001Cert,
    HipaaBaa,
    GdprDpa,
    FedrampAto,
}

impl AttestationKind {
    pub const ALL: [AttestationKind; 6] = [
        AttestationKind::Soc2Type2,
        AttestationKind::PciAoc,
        AttestationKind::Iso27001Cert,
        AttestationKind::HipaaBaa,
        AttestationKind::GdprDpa,
        AttestationKind::FedrampAto,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttestationKind::Soc2Type2 => "soc2-type2",
            AttestationKind::PciAoc => "pci-aoc",
            AttestationKind::Iso27001Cert => "iso27001-cert",
            AttestationKind::HipaaBaa => "hipaa-baa",
            AttestationKind::GdprDpa => "gdpr-dpa",
            AttestationKind::FedrampAto => "fedramp-ato",
        }
    }

    /// A human name for reports.
    pub fn label(self) -> &'static str {
        match self {
            AttestationKind::Soc2Type2 => "SOC 2 Type II report",
            AttestationKind::PciAoc => "PCI DSS Attestation of Compliance",
            AttestationKind::Iso27001Cert => "ISO/IEC 27001 certificate",
            AttestationKind::HipaaBaa => "HIPAA Business Associate Agreement",
            AttestationKind::GdprDpa => "GDPR Data Processing Agreement",
            AttestationKind::FedrampAto => "FedRAMP authorization",
        }
    }

    /// A short upper-case code for request IDs (`PBC-VEN-AWS-SOC2`).
    pub fn code(self) -> &'static str {
        match self {
            AttestationKind::Soc2Type2 => "SOC2",
            AttestationKind::PciAoc => "AOC",
            AttestationKind::Iso27001Cert => "ISO",
            AttestationKind::HipaaBaa => "BAA",
            AttestationKind::GdprDpa => "DPA",
            AttestationKind::FedrampAto => "ATO",
        }
    }

    /// A contract rather than an audit report: its absence is `missing-agreement`.
    pub fn is_agreement(self) -> bool {
        matches!(self, AttestationKind::HipaaBaa | AttestationKind::GdprDpa)
    }
}

impl fmt::Display for AttestationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AttestationKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for AttestationKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        AttestationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == norm)
            .ok_or_else(|| {
                format!(
                    "`{}` is not an attestation kind; expected one of {}",
                    s.trim(),
                    AttestationKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

//! NIST SP 800-53 control IDs as real files write them (`AC-2(a)`, `AC-02 (01)`, `ac-2.1`,
//! `ac_2_3_a`, Rev4's `AC-2a.`), reduced to the control or enhancement (`AC-2`, `AC-2(1)`),
//! and the layers each control family touches.

/// The framework ID of NIST SP 800-53 Rev. 5 in srmap's data.
pub const FRAMEWORK: &str = "nist-800-53-r5";

/// The 20 control families of SP 800-53 Rev. 5, with the layers a control of the family
/// touches when nothing more precise is known (srmap's own choice; see docs/importers.md).
pub const FAMILIES: [(&str, &str, &[&str]); 20] = [
    ("AC", "Access Control", &["accounts-identities"]),
    ("AT", "Awareness and Training", &["governance-training"]),
    ("AU", "Audit and Accountability", &["logging-monitoring"]),
    (
        "CA",
        "Assessment, Authorization, and Monitoring",
        &["governance-training"],
    ),
    (
        "CM",
        "Configuration Management",
        &["operating-system", "application"],
    ),
    ("CP", "Contingency Planning", &["backup-recovery"]),
    (
        "IA",
        "Identification and Authentication",
        &["identity-infrastructure", "accounts-identities"],
    ),
    ("IR", "Incident Response", &["incident-response"]),
    ("MA", "Maintenance", &["physical-hosts"]),
    ("MP", "Media Protection", &["physical-hosts"]),
    (
        "PE",
        "Physical and Environmental Protection",
        &["physical-facilities"],
    ),
    ("PL", "Planning", &["governance-training"]),
    ("PM", "Program Management", &["governance-training"]),
    ("PS", "Personnel Security", &["governance-training"]),
    ("PT", "PII Processing and Transparency", &["data"]),
    ("RA", "Risk Assessment", &["governance-training"]),
    (
        "SA",
        "System and Services Acquisition",
        &["application", "governance-training"],
    ),
    (
        "SC",
        "System and Communications Protection",
        &["network-controls", "encryption-keys"],
    ),
    (
        "SI",
        "System and Information Integrity",
        &["operating-system", "logging-monitoring"],
    ),
    (
        "SR",
        "Supply Chain Risk Management",
        &["governance-training"],
    ),
];

/// The layers of a family (`AC`), if it is one of SP 800-53's.
pub fn family_layers(family: &str) -> Option<&'static [&'static str]> {
    FAMILIES
        .iter()
        .find(|(f, _, _)| f.eq_ignore_ascii_case(family))
        .map(|(_, _, l)| *l)
}

/// A control ID split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NistId {
    /// Upper case: `AC`.
    pub family: String,
    pub number: u32,
    pub enhancement: Option<u32>,
    /// Whatever followed the control or enhancement (`a`, `a.1`): a statement part.
    pub part: String,
}

impl NistId {
    /// `AC-2` or `AC-2(1)`.
    pub fn control(&self) -> String {
        match self.enhancement {
            Some(e) => format!("{}-{}({e})", self.family, self.number),
            None => format!("{}-{}", self.family, self.number),
        }
    }

    /// `AC-2` for `AC-2(1)`: the control an enhancement belongs to.
    pub fn base(&self) -> String {
        format!("{}-{}", self.family, self.number)
    }
}

/// Runs of letters and runs of digits.
fn tokens(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            let alpha = b[i].is_ascii_alphabetic();
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() && b[i].is_ascii_alphabetic() == alpha
            {
                i += 1;
            }
            out.push(&s[start..i]);
        } else {
            i += 1;
        }
    }
    out
}

/// Parse a NIST SP 800-53 control ID in any of the spellings real files use. Only the 20
/// families of Rev. 5 are accepted.
pub fn parse(s: &str) -> Option<NistId> {
    let t = tokens(s.trim());
    let [family, number, rest @ ..] = t.as_slice() else {
        return None;
    };
    if family.len() != 2 || family_layers(family).is_none() {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    let (enhancement, part) = match rest {
        [first, more @ ..] if first.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(first.parse().ok()?), more.join("."))
        }
        _ => (None, rest.join(".")),
    };
    Some(NistId {
        family: family.to_ascii_uppercase(),
        number,
        enhancement,
        part,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Option<String> {
        parse(s).map(|n| n.control())
    }

    #[test]
    fn every_spelling_reduces_to_the_control() {
        assert_eq!(c("AC-2(a)"), Some("AC-2".into()));
        assert_eq!(c("AC-2"), Some("AC-2".into()));
        assert_eq!(c("AC-02 (01)"), Some("AC-2(1)".into()));
        assert_eq!(c("AC-2(1)"), Some("AC-2(1)".into()));
        assert_eq!(c("AC-2 (1)"), Some("AC-2(1)".into()));
        assert_eq!(c("AC-2(3)(a)"), Some("AC-2(3)".into()));
        assert_eq!(c("ac-2.1"), Some("AC-2(1)".into()));
        assert_eq!(c("ac_2_3_a"), Some("AC-2(3)".into()));
        assert_eq!(c("ac_2_d_1"), Some("AC-2".into()));
        assert_eq!(c("AC-2a."), Some("AC-2".into()));
        assert_eq!(c("AC-2a.1"), Some("AC-2".into()));
        assert_eq!(c("RA-05 (08)"), Some("RA-5(8)".into()));
        assert_eq!(c("SR-12"), Some("SR-12".into()));
        assert_eq!(c(" si-4(2) "), Some("SI-4(2)".into()));
    }

    #[test]
    fn parts_are_kept() {
        let id = parse("AC-2(3)(a)").unwrap();
        assert_eq!(id.part, "a");
        assert_eq!(id.base(), "AC-2");
        assert_eq!(parse("AC-2").unwrap().part, "");
    }

    #[test]
    fn other_ids_are_not_nist() {
        for s in [
            "IAM-01",
            "A&A-02",
            "NS-1",
            "1.2.5",
            "Control ID",
            "",
            "AC",
            "XX-1",
            "AC-x",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn families_cover_rev5_with_known_layers() {
        assert_eq!(FAMILIES.len(), 20);
        assert_eq!(family_layers("pe"), Some(&["physical-facilities"][..]));
        assert_eq!(family_layers("NS"), None);
    }
}

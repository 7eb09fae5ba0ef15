//! The responsibility vocabularies real matrices use, mapped onto srmap's owners.
//!
//! One table for every importer: a value is matched after [`normalize`] (case, punctuation and
//! spacing do not matter), and the importers keep the source's wording verbatim beside the
//! owner it maps to. A value that is not in the table is reported, never guessed.

use crate::party::Party;
use crate::table::normalize;

/// Where a spelling comes from, for the documentation and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Srmap,
    CsaCcm,
    Prowler,
    FedrampCis,
    FedrampCrm,
    Oscal,
    Azure,
    Google,
    Aws,
    Rmf,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Srmap => "srmap",
            Source::CsaCcm => "CSA CCM v4 / CAIQ",
            Source::Prowler => "Prowler (CCM file)",
            Source::FedrampCis => "FedRAMP CIS",
            Source::FedrampCrm => "FedRAMP CRM",
            Source::Oscal => "OSCAL / FedRAMP OSCAL",
            Source::Azure => "Azure",
            Source::Google => "Google Cloud",
            Source::Aws => "AWS",
            Source::Rmf => "NIST RMF / eMASS",
        }
    }
}

use Party::{Customer as C, NotApplicable as NA, Provider as P, Shared as S};

/// Every spelling srmap knows, already normalised, with its owner and where it comes from.
/// Several sources share a spelling (`shared`, `not applicable`): it is listed once.
pub const VOCABULARY: &[(&str, Party, Source)] = &[
    // srmap's own words
    ("provider", P, Source::Srmap),
    ("customer", C, Source::Srmap),
    ("shared", S, Source::Srmap),
    ("not applicable", NA, Source::Srmap),
    ("n a", NA, Source::Srmap),
    ("na", NA, Source::Srmap),
    // CSA CCM v4 / CAIQ v4 (SSRM control ownership). Work the CSP hands to its own
    // subcontractors is still the provider's side of the line for the customer.
    ("csp owned", P, Source::CsaCcm),
    ("csc owned", C, Source::CsaCcm),
    ("3rd party outsourced", P, Source::CsaCcm),
    ("third party outsourced", P, Source::CsaCcm),
    ("shared csp and csc", S, Source::CsaCcm),
    ("shared csp and 3rd party", P, Source::CsaCcm),
    ("shared csp and third party", P, Source::CsaCcm),
    // Prowler's copy of the CCM
    ("customer owned", C, Source::Prowler),
    // FedRAMP Control Implementation Summary: control origination
    ("service provider corporate", P, Source::FedrampCis),
    ("service provider system specific", P, Source::FedrampCis),
    (
        "service provider hybrid corporate and system specific",
        P,
        Source::FedrampCis,
    ),
    ("service provider hybrid", P, Source::FedrampCis),
    (
        "configured by customer customer system specific",
        C,
        Source::FedrampCis,
    ),
    ("configured by customer", C, Source::FedrampCis),
    (
        "provided by customer customer system specific",
        C,
        Source::FedrampCis,
    ),
    ("provided by customer", C, Source::FedrampCis),
    (
        "shared service provider and customer responsibility",
        S,
        Source::FedrampCis,
    ),
    (
        "inherited from pre existing authorization",
        P,
        Source::FedrampCis,
    ),
    (
        "inherited from pre existing fedramp authorization",
        P,
        Source::FedrampCis,
    ),
    // FedRAMP Customer Responsibility Matrix: Can Be Inherited from CSP
    ("yes", P, Source::FedrampCrm),
    ("partial", S, Source::FedrampCrm),
    ("no", C, Source::FedrampCrm),
    // OSCAL control-origination (NIST and FedRAMP value sets) and responsibility statements
    ("organization", P, Source::Oscal),
    ("sp corporate", P, Source::Oscal),
    ("sp system", P, Source::Oscal),
    ("customer configured", C, Source::Oscal),
    ("customer provided", C, Source::Oscal),
    ("inherited", P, Source::Oscal),
    ("provided", P, Source::Oscal),
    ("responsibility", C, Source::Oscal),
    ("satisfied", C, Source::Oscal),
    // Azure (security baselines' Responsibility column)
    ("microsoft", P, Source::Azure),
    // Google Cloud
    ("google responsibility", P, Source::Google),
    ("customer responsibility", C, Source::Google),
    ("shared responsibility", S, Source::Google),
    // AWS (Artifact customer compliance guides)
    ("inherited controls", P, Source::Aws),
    ("shared controls", S, Source::Aws),
    ("customer specific controls", C, Source::Aws),
    // NIST RMF / eMASS: the system is yours; common controls come from a common-control
    // provider (the cloud). OSCAL's provider-side `system-specific` is spelt sp-system.
    ("common", P, Source::Rmf),
    ("system specific", C, Source::Rmf),
    ("hybrid", S, Source::Rmf),
];

/// The owner a source value means, if srmap knows the spelling.
pub fn owner(value: &str) -> Option<Party> {
    let key = normalize(value);
    VOCABULARY
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, p, _)| *p)
}

/// A value that is not in the table, explained for a `skipped:` line.
pub fn unknown(value: &str) -> String {
    format!(
        "`{value}` is not an owner srmap knows (see docs/importers.md for the vocabulary: CSP-owned, Customer, Microsoft, Yes/Partial/No, ...)"
    )
}

/// The FedRAMP CIS control-origination column a header names, if it is one. Matched by
/// prefix, so Rev4's `Inherited from pre-existing FedRAMP Authorization for [...], Date of
/// Authorization` is recognised too.
pub fn cis_origination(header: &str) -> Option<Party> {
    let h = normalize(header);
    const PREFIXES: [(&str, Party); 7] = [
        ("service provider corporate", P),
        ("service provider system specific", P),
        ("service provider hybrid", P),
        ("configured by customer", C),
        ("provided by customer", C),
        ("shared", S),
        ("inherited from pre existing", P),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| h.starts_with(p))
        .map(|(_, party)| *party)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(v: &str) -> Option<Party> {
        owner(v)
    }

    #[test]
    fn every_table_key_is_normalised_and_unique() {
        for (i, (k, _, _)) in VOCABULARY.iter().enumerate() {
            assert_eq!(normalize(k), *k, "{k}");
            assert!(
                VOCABULARY[i + 1..].iter().all(|(other, _, _)| other != k),
                "{k} twice"
            );
        }
    }

    #[test]
    fn srmap_words() {
        assert_eq!(o("provider"), Some(P));
        assert_eq!(o("Customer"), Some(C));
        assert_eq!(o("SHARED"), Some(S));
        assert_eq!(o("not-applicable"), Some(NA));
        assert_eq!(o("N/A"), Some(NA));
        assert_eq!(o("NA"), Some(NA));
    }

    #[test]
    fn csa_ccm_and_caiq() {
        assert_eq!(o("CSP-owned"), Some(P));
        assert_eq!(o("CSC-owned"), Some(C));
        assert_eq!(o("3rd-party outsourced"), Some(P));
        assert_eq!(o("Third-party outsourced"), Some(P));
        assert_eq!(o("Shared CSP and CSC"), Some(S));
        assert_eq!(o("Shared CSP and 3rd-party"), Some(P));
        assert_eq!(o("Shared CSP and third party"), Some(P));
    }

    #[test]
    fn prowler_ccm_file() {
        assert_eq!(o("Shared"), Some(S));
        assert_eq!(o("CSP-Owned"), Some(P));
        assert_eq!(o("Customer-Owned"), Some(C));
    }

    #[test]
    fn fedramp_cis_origination() {
        assert_eq!(o("Service Provider Corporate"), Some(P));
        assert_eq!(o("Service Provider System Specific"), Some(P));
        assert_eq!(
            o("Service Provider Hybrid (Corporate and System Specific)"),
            Some(P)
        );
        assert_eq!(o("Service Provider Hybrid"), Some(P));
        assert_eq!(
            o("Configured by Customer (Customer System Specific)"),
            Some(C)
        );
        assert_eq!(o("Configured by Customer"), Some(C));
        assert_eq!(
            o("Provided by Customer (Customer System Specific)"),
            Some(C)
        );
        assert_eq!(o("Provided by Customer"), Some(C));
        assert_eq!(
            o("Shared (Service Provider and Customer Responsibility)"),
            Some(S)
        );
        assert_eq!(o("Inherited from Pre-Existing  Authorization"), Some(P));
        assert_eq!(
            o("Inherited from pre-existing FedRAMP Authorization"),
            Some(P)
        );
    }

    #[test]
    fn fedramp_cis_headers_by_prefix() {
        assert_eq!(
            cis_origination(
                "Inherited from pre-existing FedRAMP Authorization for [Click here to enter text], Date of Authorization"
            ),
            Some(P)
        );
        assert_eq!(
            cis_origination("Provided by Customer (Customer System Specific)"),
            Some(C)
        );
        assert_eq!(
            cis_origination("Shared (Service Provider and Customer Responsibility)"),
            Some(S)
        );
        assert_eq!(
            cis_origination("Service Provider Hybrid (Corporate and System Specific)"),
            Some(P)
        );
        assert_eq!(cis_origination("Implemented"), None);
        assert_eq!(cis_origination("Control ID"), None);
    }

    #[test]
    fn fedramp_crm_inheritance() {
        assert_eq!(o("Yes"), Some(P));
        assert_eq!(o("Partial"), Some(S));
        assert_eq!(o("No"), Some(C));
    }

    #[test]
    fn oscal_origination_and_responsibility() {
        assert_eq!(o("organization"), Some(P));
        assert_eq!(o("sp-corporate"), Some(P));
        assert_eq!(o("sp-system"), Some(P));
        assert_eq!(o("customer-configured"), Some(C));
        assert_eq!(o("customer-provided"), Some(C));
        assert_eq!(o("inherited"), Some(P));
        assert_eq!(o("provided"), Some(P));
        assert_eq!(o("responsibility"), Some(C));
        assert_eq!(o("satisfied"), Some(C));
    }

    #[test]
    fn azure() {
        assert_eq!(o("Customer"), Some(C));
        assert_eq!(o("Microsoft"), Some(P));
        assert_eq!(o("Shared"), Some(S));
        assert_eq!(o("Not Applicable"), Some(NA));
    }

    #[test]
    fn google_cloud() {
        assert_eq!(o("Google responsibility"), Some(P));
        assert_eq!(o("Customer responsibility"), Some(C));
        assert_eq!(o("Shared responsibility"), Some(S));
        assert_eq!(o("Not applicable"), Some(NA));
    }

    #[test]
    fn aws() {
        assert_eq!(o("Inherited controls"), Some(P));
        assert_eq!(o("Shared controls"), Some(S));
        assert_eq!(o("Customer specific controls"), Some(C));
        assert_eq!(o("Customer-Specific Controls"), Some(C));
    }

    #[test]
    fn nist_rmf_emass() {
        assert_eq!(o("Common"), Some(P));
        assert_eq!(o("System-Specific"), Some(C));
        assert_eq!(o("Hybrid"), Some(S));
        assert_eq!(o("Inherited"), Some(P));
    }

    #[test]
    fn unknown_values_are_not_guessed() {
        for v in ["", "X", "Maybe", "CSP", "Partially", "Yes please", "TBD"] {
            assert_eq!(o(v), None, "{v}");
        }
        assert!(unknown("Maybe").contains("`Maybe`"));
    }
}

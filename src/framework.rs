//! Frameworks and their controls.

use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::cadence::Cadence;
use crate::control_id::{Resolver, Unresolved};
use crate::weight::Weight;

/// `kind` of a row that places no duty (listed for reference, never mapped).
pub const INFORMATIVE: &str = "informative";

#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub group: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub layers: Vec<String>,
    /// Features of a service (frameworks/features.csv) whose facts decide this control's
    /// part of their layer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    pub cadence: Cadence,
    /// How much its failure matters: combined with a gap's code into the gap's severity.
    pub weight: Weight,
    pub evidence: String,
    /// Other spellings real files use for this control (`164.310(a)` for `164.310(a)(1)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What the customer does for this control wherever it has a part (empty: the duty comes
    /// from the layers' sentences on each offering).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customer_duty: String,
    /// What the provider does for its part of this control (empty: from the layers).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub provider_duty: String,
    /// Conditions (`frameworks/applicability.csv`) that must all hold for the control to apply
    /// to an organisation (empty: it applies to every organisation assessed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// The evidence artefacts (`frameworks/pbc/artefacts.csv`) that serve this control, which
    /// the PBC list asks for (empty: the control is asked for on its own).
    #[serde(skip)]
    pub artefacts: Vec<String>,
    /// Line of the row in its file.
    #[serde(skip)]
    pub line: u64,
}

impl Control {
    pub fn is_informative(&self) -> bool {
        self.kind == INFORMATIVE
    }
}

/// Whether a framework is in force or only proposed (a rule published for comment, such as
/// the 2025 HIPAA Security Rule NPRM): listings and reports say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Published and in force (or final, for a standard).
    #[default]
    Final,
    /// Proposed, not final: it may change or never take effect.
    Proposed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Proposed => "proposed",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub version: String,
    /// In force or only proposed.
    pub status: Status,
    pub publisher: String,
    pub source: String,
    pub description: String,
    /// Provider attestations a provider-owned control needs: one kind from each group.
    pub attestations: Vec<Vec<AttestationKind>>,
    /// Provider agreements the framework requires (`hipaa-baa`, `gdpr-dpa`).
    pub agreements: Vec<AttestationKind>,
    /// Whether the organisation's own premises are in scope unless the scope says otherwise.
    pub premises: bool,
    /// Kinds of row a scope may not exclude (ISO 27001's `clause`: the management system).
    pub mandatory_kinds: Vec<String>,
    pub controls: Vec<Control>,
    /// The controls file, as shown in diagnostics.
    pub file: String,
    pub(crate) resolver: Resolver,
}

impl Framework {
    /// What a provider must show for the framework: each attestation group (any one kind of
    /// it), then each agreement on its own.
    pub fn provider_needs(&self) -> impl Iterator<Item = &[AttestationKind]> {
        self.attestations
            .iter()
            .map(Vec::as_slice)
            .chain(self.agreements.iter().map(std::slice::from_ref))
            .filter(|g| !g.is_empty())
    }

    /// Controls that carry a duty (informative rows excluded).
    pub fn obligations(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| !c.is_informative())
    }

    /// Whether a scope may exclude `control` (its kind is not one the framework makes
    /// mandatory).
    pub fn excludable(&self, control: &Control) -> bool {
        !self.mandatory_kinds.contains(&control.kind)
    }

    pub fn control_count(&self) -> usize {
        self.obligations().count()
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// A control by any spelling of its ID.
    pub fn resolve(&self, spelling: &str) -> Result<&Control, Unresolved> {
        self.resolver
            .resolve(spelling, |i| self.controls[i].id.clone())
            .map(|i| &self.controls[i])
    }

    /// `pci-dss-4.0.1 8.3.1 is ambiguous ...` style message for an unresolved spelling.
    pub fn unresolved_message(&self, spelling: &str, why: &Unresolved) -> String {
        match why {
            Unresolved::Unknown => format!("`{spelling}` is not a control of {}", self.id),
            Unresolved::Ambiguous(ids) => format!(
                "`{spelling}` could mean {} in {}: write it out in full",
                ids.join(" or "),
                self.id
            ),
        }
    }
}

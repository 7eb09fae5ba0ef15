//! Offerings (service models and named services) and their responsibility matrices.

use indexmap::IndexMap;
use serde::Serialize;

use crate::party::Party;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    Onprem,
    Iaas,
    Containers,
    Paas,
    Faas,
    Saas,
}

impl Model {
    pub const ALL: [Model; 6] = [
        Model::Onprem,
        Model::Iaas,
        Model::Containers,
        Model::Paas,
        Model::Faas,
        Model::Saas,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Model::Onprem => "onprem",
            Model::Iaas => "iaas",
            Model::Containers => "containers",
            Model::Paas => "paas",
            Model::Faas => "faas",
            Model::Saas => "saas",
        }
    }

    pub fn parse(s: &str) -> Option<Model> {
        let s = s.trim().to_ascii_lowercase();
        Model::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn is_cloud(self) -> bool {
        self != Model::Onprem
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// One layer's owner on an offering, and what each party does there.
#[derive(Debug, Clone, Serialize)]
pub struct LayerDuty {
    pub owner: Party,
    pub provider: String,
    pub customer: String,
    /// Decided by the scope (the customer's own premises), not by the matrix: counts only when
    /// the premises are in scope.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub scope: bool,
}

/// A per-service fact: what the service does by default for one feature, who must act, and the
/// public page that says so.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub feature: String,
    /// The layer the feature refines (from frameworks/features.csv).
    pub layer: String,
    pub default: String,
    /// Who must act for a control that depends on this feature to hold.
    pub responsibility: Party,
    /// What the provider does.
    pub provider: String,
    /// What the customer must do.
    pub customer_action: String,
    pub source: String,
    /// Microsoft cloud security benchmark control (Azure baselines).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mcsb: String,
    #[serde(skip)]
    pub line: u64,
}

/// A matrix row that decides one control directly, overriding the layer rule.
#[derive(Debug, Clone, Serialize)]
pub struct ControlOverride {
    pub framework: String,
    /// Canonical control ID.
    pub control: String,
    pub owner: Party,
    pub provider: String,
    pub customer: String,
    pub source: String,
    /// The source's own wording for the owner, verbatim (empty when the row was written by hand).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_value: String,
    #[serde(skip)]
    pub line: u64,
}

/// An owner carried to a control from matrix rows over another framework, through a crosswalk
/// (a FedRAMP CRM over NIST 800-53 informs the mapped HIPAA and ISO controls).
#[derive(Debug, Clone, Serialize)]
pub struct CarriedOverride {
    pub framework: String,
    pub control: String,
    /// The rows it comes from: (framework, control, owner, relationship of this control to it).
    pub via: Vec<(String, String, Party, crate::crosswalk::Relationship)>,
    /// Mapped controls without a row; when some are, the layer rule's owner (decided with each
    /// run's assumptions) joins the combination.
    pub uncovered: usize,
    pub provider: String,
    pub customer: String,
}

#[derive(Debug, Clone)]
pub struct Offering {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub model: Model,
    pub summary: String,
    pub aliases: Vec<String>,
    pub sources: Vec<Source>,
    pub layers: IndexMap<String, LayerDuty>,
    /// Per-service facts, in the order of frameworks/features.csv.
    pub facts: Vec<Fact>,
    /// Offerings whose customer share this one never exceeds, control by control (validate
    /// checks it).
    pub narrows: Vec<String>,
    /// Where `narrows` is written (line, column), for diagnostics.
    pub narrows_at: (u64, u64),
    pub overrides: Vec<ControlOverride>,
    /// Owners carried through crosswalks from `overrides` (computed when the catalog loads).
    pub carried: Vec<CarriedOverride>,
    /// The matrix file, as shown in diagnostics and `basis`.
    pub file: String,
}

impl Offering {
    pub fn layer(&self, id: &str) -> Option<&LayerDuty> {
        self.layers.get(id)
    }

    pub fn fact(&self, feature: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.feature == feature)
    }

    pub fn override_for(&self, framework: &str, control: &str) -> Option<&ControlOverride> {
        self.overrides
            .iter()
            .find(|o| o.framework == framework && o.control == control)
    }

    pub fn carried_for(&self, framework: &str, control: &str) -> Option<&CarriedOverride> {
        self.carried
            .iter()
            .find(|o| o.framework == framework && o.control == control)
    }

    pub fn matches(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}

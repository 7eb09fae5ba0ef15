//! Rows of the listing commands: frameworks, controls, offerings, layers.

use serde::Serialize;

use crate::cadence::Cadence;
use crate::crosswalk::Relationship;
use crate::framework::{Control, Framework, Status};
use crate::offering::{Model, Offering};
use crate::record::Record;
use crate::weight::Weight;

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkRow {
    pub id: String,
    pub name: String,
    pub version: String,
    /// `final`, or `proposed` for a rule not yet in force.
    pub status: Status,
    /// Controls that carry a duty.
    pub controls: usize,
    /// All rows, informative ones included.
    pub entries: usize,
    pub publisher: String,
}

impl From<&Framework> for FrameworkRow {
    fn from(f: &Framework) -> Self {
        FrameworkRow {
            id: f.id.clone(),
            name: f.name.clone(),
            version: f.version.clone(),
            status: f.status,
            controls: f.control_count(),
            entries: f.controls.len(),
            publisher: f.publisher.clone(),
        }
    }
}

impl Record for FrameworkRow {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "version",
            "status",
            "controls",
            "entries",
            "publisher",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.version.clone(),
            self.status.to_string(),
            self.controls.to_string(),
            self.entries.to_string(),
            self.publisher.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["id", "name", "version", "status", "controls"]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlRow {
    pub id: String,
    pub title: String,
    pub layers: Vec<String>,
    pub group: String,
    pub kind: String,
    pub parent: String,
    pub cadence: Cadence,
    /// Its risk weight (key, standard, supporting).
    pub weight: Weight,
    pub evidence: String,
}

impl From<&Control> for ControlRow {
    fn from(c: &Control) -> Self {
        ControlRow {
            id: c.id.clone(),
            title: c.title.clone(),
            layers: c.layers.clone(),
            group: c.group.clone(),
            kind: c.kind.clone(),
            parent: c.parent.clone().unwrap_or_default(),
            cadence: c.cadence,
            weight: c.weight,
            evidence: c.evidence.clone(),
        }
    }
}

impl Record for ControlRow {
    fn columns() -> &'static [&'static str] {
        &[
            "id", "title", "layers", "group", "kind", "parent", "cadence", "weight", "evidence",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.title.clone(),
            self.layers.join("; "),
            self.group.clone(),
            self.kind.clone(),
            self.parent.clone(),
            self.cadence.to_string(),
            self.weight.to_string(),
            self.evidence.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["id", "title", "layers", "cadence"]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferingRow {
    pub id: String,
    pub provider: String,
    pub model: Model,
    pub name: String,
    pub summary: String,
    pub source: String,
}

impl From<&Offering> for OfferingRow {
    fn from(o: &Offering) -> Self {
        OfferingRow {
            id: o.id.clone(),
            provider: o.provider.clone(),
            model: o.model,
            name: o.name.clone(),
            summary: o.summary.clone(),
            source: o.sources.first().map(|s| s.url.clone()).unwrap_or_default(),
        }
    }
}

impl Record for OfferingRow {
    fn columns() -> &'static [&'static str] {
        &["id", "provider", "model", "name", "summary", "source"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.provider.clone(),
            self.model.as_str().to_string(),
            self.name.clone(),
            self.summary.clone(),
            self.source.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["id", "provider", "model", "name"]
    }
}

/// One layer of an offering's matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub offering: String,
    pub layer: String,
    pub owner: crate::party::Party,
    pub provider_duty: String,
    pub customer_duty: String,
}

impl MatrixRow {
    /// The layers the matrix decides (the scope-decided customer premises are not among them).
    pub fn for_offering(o: &Offering) -> Vec<MatrixRow> {
        o.layers
            .iter()
            .filter(|(_, d)| !d.scope)
            .map(|(layer, d)| MatrixRow {
                offering: o.id.clone(),
                layer: layer.clone(),
                owner: d.owner,
                provider_duty: d.provider.clone(),
                customer_duty: d.customer.clone(),
            })
            .collect()
    }
}

impl Record for MatrixRow {
    fn columns() -> &'static [&'static str] {
        &[
            "offering",
            "layer",
            "owner",
            "provider_duty",
            "customer_duty",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.offering.clone(),
            self.layer.clone(),
            self.owner.to_string(),
            self.provider_duty.clone(),
            self.customer_duty.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["layer", "owner", "customer_duty"]
    }
}

/// One mapping of a control to a control of another framework.
#[derive(Debug, Clone, Serialize)]
pub struct MappingRow {
    pub id: String,
    pub title: String,
    pub mapped_framework: String,
    pub mapped_control: String,
    pub mapped_title: String,
    /// The relationship of `id` to `mapped_control` (`subset`: `id` is a subset of it).
    pub relationship: String,
}

impl Record for MappingRow {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "title",
            "mapped_framework",
            "mapped_control",
            "mapped_title",
            "relationship",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.title.clone(),
            self.mapped_framework.clone(),
            self.mapped_control.clone(),
            self.mapped_title.clone(),
            self.relationship.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "id",
            "title",
            "mapped_control",
            "mapped_title",
            "relationship",
        ]
    }
}

/// `controls X --mapped-to Y`: each listed control of `from` with its mappings to `to`'s
/// controls (a row with no mapped control for one that has none), and the crosswalk files they
/// come from. Written as rows, or as an OSCAL mapping collection.
#[derive(Debug, Clone)]
pub struct ControlMapping<'c> {
    pub from: &'c Framework,
    pub to: &'c Framework,
    /// The crosswalk files between the two frameworks, either direction.
    pub files: Vec<String>,
    /// What narrowed the listing (`--layer`), if anything: part of the mapping's identity.
    pub selection: Option<String>,
    pub rows: Vec<MappingRow>,
}

impl ControlMapping<'_> {
    /// Each mapped pair: the control of `from`, the control of `to`, and how the first relates
    /// to the second, in row order.
    pub fn pairs(&self) -> Vec<(&str, &str, Relationship)> {
        self.rows
            .iter()
            .filter(|r| !r.mapped_control.is_empty())
            .filter_map(|r| {
                let rel = r.relationship.parse::<Relationship>().ok()?;
                Some((r.id.as_str(), r.mapped_control.as_str(), rel))
            })
            .collect()
    }

    /// The listed controls of `from` that no pair maps, in row order.
    pub fn unmapped(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|r| r.mapped_control.is_empty())
            .map(|r| r.id.as_str())
            .collect()
    }
}

/// One per-service fact of an offering (`srmap matrix`).
#[derive(Debug, Clone, Serialize)]
pub struct FactRow {
    pub offering: String,
    #[serde(flatten)]
    pub fact: crate::offering::Fact,
}

impl FactRow {
    pub fn for_offering(o: &Offering) -> Vec<FactRow> {
        o.facts
            .iter()
            .map(|f| FactRow {
                offering: o.id.clone(),
                fact: f.clone(),
            })
            .collect()
    }
}

impl Record for FactRow {
    fn columns() -> &'static [&'static str] {
        &[
            "offering",
            "feature",
            "default",
            "responsibility",
            "provider",
            "customer_action",
            "source",
            "mcsb",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let f = &self.fact;
        vec![
            self.offering.clone(),
            f.feature.clone(),
            f.default.clone(),
            f.responsibility.to_string(),
            f.provider.clone(),
            f.customer_action.clone(),
            f.source.clone(),
            f.mcsb.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["feature", "default", "responsibility", "customer_action"]
    }
}

/// One offering's whole matrix, as `srmap matrix --format json` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixDoc {
    pub offering: String,
    pub name: String,
    pub model: Model,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub narrows: Vec<String>,
    pub sources: Vec<crate::offering::Source>,
    pub layers: Vec<MatrixRow>,
    pub features: Vec<FactRow>,
    /// How many per-control rows the matrix carries, per framework.
    pub control_rows: std::collections::BTreeMap<String, usize>,
}

impl MatrixDoc {
    pub fn new(o: &Offering) -> MatrixDoc {
        let mut control_rows = std::collections::BTreeMap::new();
        for r in &o.overrides {
            *control_rows.entry(r.framework.clone()).or_insert(0) += 1;
        }
        MatrixDoc {
            offering: o.id.clone(),
            name: o.name.clone(),
            model: o.model,
            narrows: o.narrows.clone(),
            sources: o.sources.clone(),
            layers: MatrixRow::for_offering(o),
            features: FactRow::for_offering(o),
            control_rows,
        }
    }
}

/// Some offerings' matrices, as `srmap matrix` writes them: JSON the documents, CSV the layers,
/// tables and Markdown the layers and then the per-service facts.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Matrices {
    pub offerings: Vec<MatrixDoc>,
}

impl Matrices {
    pub fn new(offerings: &[&Offering]) -> Matrices {
        Matrices {
            offerings: offerings.iter().map(|o| MatrixDoc::new(o)).collect(),
        }
    }

    /// Every offering's layers, offering by offering.
    pub fn layers(&self) -> Vec<MatrixRow> {
        self.offerings
            .iter()
            .flat_map(|d| d.layers.iter().cloned())
            .collect()
    }

    /// Every offering's per-service facts, offering by offering.
    pub fn facts(&self) -> Vec<FactRow> {
        self.offerings
            .iter()
            .flat_map(|d| d.features.iter().cloned())
            .collect()
    }
}

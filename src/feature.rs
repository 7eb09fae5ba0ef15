//! Features: what a named service may do by default that moves duties between the provider and
//! the customer (encryption at rest, public exposure, logging, ...). Defined in
//! `frameworks/features.csv`; offerings state their facts about them, controls name the ones
//! they depend on.

use serde::Serialize;

use crate::party::Party;

#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    pub id: String,
    pub name: String,
    /// The layer whose owner a fact about this feature refines.
    pub layer: String,
    /// The defaults a fact may state (`on`, `off`, `always-on`, ...), each with the
    /// responsibilities that fit it (`off` -> customer: nothing happens until the customer acts).
    pub values: Vec<FeatureValue>,
    pub description: String,
}

/// One default a fact may state and who may be responsible with it.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureValue {
    pub value: String,
    pub responsibilities: Vec<Party>,
}

impl Feature {
    pub fn value(&self, v: &str) -> Option<&FeatureValue> {
        self.values.iter().find(|x| x.value == v)
    }

    pub fn value_names(&self) -> Vec<&str> {
        self.values.iter().map(|v| v.value.as_str()).collect()
    }
}

/// The ordered list of features, looked up by ID.
#[derive(Debug, Clone, Default)]
pub struct Features {
    list: Vec<Feature>,
}

impl Features {
    pub fn new(list: Vec<Feature>) -> Self {
        Features { list }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Feature> {
        self.list.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Feature> {
        self.list.iter().find(|f| f.id == id)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|f| f.id.as_str()).collect()
    }

    /// Position in the canonical order, for sorting.
    pub fn position(&self, id: &str) -> usize {
        self.list
            .iter()
            .position(|f| f.id == id)
            .unwrap_or(usize::MAX)
    }
}

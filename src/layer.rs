//! Layers: the slices of the stack whose owner changes with the service model.

use serde::Serialize;

use crate::party::Party;

#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    pub id: String,
    pub name: String,
    /// The party that owns this layer on every cloud offering, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub always: Option<Party>,
    /// Decided by the scope (the customer's own premises), not by any offering's matrix.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub scope: bool,
    pub description: String,
    /// The customer's duty on a scope-decided layer.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub duty: String,
}

/// The ordered list of layers, looked up by ID.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    list: Vec<Layer>,
}

impl Layers {
    pub fn new(list: Vec<Layer>) -> Self {
        Layers { list }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Layer> {
        self.list.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Layer> {
        self.list.iter().find(|l| l.id == id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Position in the canonical order, for sorting.
    pub fn position(&self, id: &str) -> usize {
        self.list
            .iter()
            .position(|l| l.id == id)
            .unwrap_or(usize::MAX)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|l| l.id.as_str()).collect()
    }
}

/// Is this a kebab-case identifier (`a-z`, `0-9`, single dashes)?
pub fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

//! The one header normaliser, and a header row indexed by it.
//!
//! Names and values are compared after [`normalize`]: case, punctuation and spacing do not
//! matter, so `Evidence ID`, `evidence_id` and `EvidenceId` are one column, and
//! `Inherited from Pre-Existing  Authorization` one value.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, Location};

/// Reduce a name or value to lower-case words: `Inherited from Pre-Existing  Authorization` and
/// `inherited from pre-existing authorization` are one value.
pub fn normalize(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut space = false;
    for c in value.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// A header name as columns are matched: its [`normalize`]d words run together, so that
/// `Evidence ID` and `EvidenceId` are one column.
fn key(name: &str) -> String {
    normalize(name).replace(' ', "")
}

/// The header row of a CSV file or sheet, indexed by normalised name.
#[derive(Debug, Clone)]
pub struct Header {
    /// The names as written, trimmed.
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    /// A header from its cells' text, left to right.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<String> = names.into_iter().map(|s| s.trim().to_string()).collect();
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(key(n)).or_insert(i);
        }
        Header { names, index }
    }

    /// Column index of a header, by any spelling.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(&key(name)).copied()
    }

    /// Column index of the first of several accepted names.
    pub fn get_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.get(n))
    }

    /// Report every missing required column at once (`missing-column`).
    pub fn require(&self, required: &[&str], at: &Location) -> Vec<Diagnostic> {
        required
            .iter()
            .filter(|c| self.get(c).is_none())
            .map(|c| {
                Diagnostic::error(
                    Code::MissingColumn,
                    at.clone(),
                    format!(
                        "the header has no `{c}` column (found: {})",
                        self.names.join(", ")
                    ),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_case_punctuation_and_spacing() {
        assert_eq!(
            normalize("Inherited from Pre-Existing  Authorization"),
            "inherited from pre existing authorization"
        );
        assert_eq!(normalize("  CSP-Owned "), "csp owned");
        assert_eq!(normalize("N/A"), "n a");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn headers_match_any_spelling() {
        let h = Header::new(["Evidence ID", "Effective_Date", "\u{feff}Control"]);
        assert_eq!(h.get("evidence_id"), Some(0));
        assert_eq!(h.get("EFFECTIVE DATE"), Some(1));
        assert_eq!(h.get("EvidenceId"), Some(0));
        assert_eq!(h.get("control"), Some(2));
        assert_eq!(h.get("status"), None);
    }

    #[test]
    fn require_reports_all_missing_columns() {
        let h = Header::new(["id"]);
        let d = h.require(&["id", "title", "layers"], &Location::file("x.csv"));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.code == Code::MissingColumn));
    }
}

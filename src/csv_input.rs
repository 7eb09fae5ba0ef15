//! The one CSV reader builder every CSV input goes through, and header matching.
//!
//! Header names are matched without regard to case, spaces, dashes or underscores, so
//! `Evidence ID`, `evidence_id` and `EvidenceId` are one column.

use std::collections::HashMap;
use std::io::Read;

use crate::diagnostic::{Diagnostic, Location};

/// A CSV reader with srmap's settings: header row, ragged rows allowed (missing cells read as
/// empty), no trimming (values are trimmed by the field readers), BOM stripped.
pub fn reader<R: Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input)
}

/// A header name reduced to letters and digits, lower case.
pub fn normalize_header(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// The header row of a CSV file or sheet, indexed by normalized name.
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<String> = names.into_iter().map(|s| s.trim().to_string()).collect();
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(normalize_header(n)).or_insert(i);
        }
        Header { names, index }
    }

    /// Column index of a header, by any spelling.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(&normalize_header(name)).copied()
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
                    "missing-column",
                    at.clone(),
                    format!(
                        "the header has no `{c}` column (found: {})",
                        self.names.join(", ")
                    ),
                )
            })
            .collect()
    }

    /// Names of columns not in `known` (kept and ignored by readers).
    pub fn extra_columns(&self, known: &[&str]) -> Vec<String> {
        let known: Vec<String> = known.iter().map(|k| normalize_header(k)).collect();
        self.names
            .iter()
            .filter(|n| !known.contains(&normalize_header(n)))
            .cloned()
            .collect()
    }
}

/// A cell of a record, trimmed; empty when the record is short.
pub fn cell(record: &csv::StringRecord, idx: Option<usize>) -> &str {
    idx.and_then(|i| record.get(i)).unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_any_spelling() {
        let h = Header::new(["Evidence ID", "Effective_Date", "\u{feff}Control"]);
        assert_eq!(h.get("evidence_id"), Some(0));
        assert_eq!(h.get("EFFECTIVE DATE"), Some(1));
        assert_eq!(h.get("control"), Some(2));
        assert_eq!(h.get("status"), None);
    }

    #[test]
    fn require_reports_all_missing_columns() {
        let h = Header::new(["id"]);
        let d = h.require(&["id", "title", "layers"], &Location::file("x.csv"));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.code == "missing-column"));
    }

    #[test]
    fn short_rows_read_as_empty() {
        let mut r = reader("a,b\n1\n".as_bytes(), b',');
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(cell(&rec, Some(1)), "");
        assert_eq!(cell(&rec, Some(0)), "1");
    }
}

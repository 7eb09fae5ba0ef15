//! The one header normaliser, and a header row indexed by it.
//!
//! Names and values are compared after [`normalize`]: case, punctuation and spacing do not
//! matter, so `Evidence ID`, `evidence_id` and `EvidenceId` are one column, and
//! `Inherited from Pre-Existing  Authorization` one value.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::diagnostic::{column_letters, Code, Diagnostic, Location};

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
    /// The columns looked up so far: the columns a reader reads.
    read: RefCell<Vec<usize>>,
}

impl Header {
    /// A header from its cells' text, left to right.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<String> = names.into_iter().map(|s| s.trim().to_string()).collect();
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(key(n)).or_insert(i);
        }
        Header {
            names,
            index,
            read: RefCell::default(),
        }
    }

    /// Column index of a header, by any spelling. The column is noted as read: an error value
    /// in it is refused ([`crate::table::Records::each_row`]).
    pub fn get(&self, name: &str) -> Option<usize> {
        let col = self.index.get(&key(name)).copied();
        if let Some(c) = col {
            let mut read = self.read.borrow_mut();
            if !read.contains(&c) {
                read.push(c);
            }
        }
        col
    }

    /// The columns looked up with [`Header::get`], in the order they were.
    pub fn read_columns(&self) -> Vec<usize> {
        self.read.borrow().clone()
    }

    /// The header's names, for a message: the empty ones left out, and at most 30.
    fn found(&self) -> String {
        let named: Vec<&str> = self
            .names
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        match named.len() {
            0 => "no names".to_string(),
            n if n > 30 => format!("{}, and {} more", named[..30].join(", "), n - 30),
            _ => named.join(", "),
        }
    }

    /// `duplicate-column` for every name the header gives twice (as [`normalize`]d: `Status`
    /// and `status` are one name), naming both columns; `at` is the header's place (a sheet's
    /// columns are named by letter, a CSV file's by number).
    pub fn duplicates(&self, at: &Location) -> Vec<Diagnostic> {
        let say = |c: usize| match at.sheet {
            Some(_) => column_letters(c as u64 + 1),
            None => (c + 1).to_string(),
        };
        let mut out = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            let k = key(name);
            if k.is_empty() {
                continue;
            }
            let Some(&first) = self.index.get(&k) else {
                continue;
            };
            if first == i {
                continue;
            }
            let mut loc = at.clone();
            loc.column = Some(i as u64 + 1);
            loc.field = Some(name.clone());
            out.push(Diagnostic::error(
                Code::DuplicateColumn,
                loc,
                format!(
                    "columns {} (`{}`) and {} (`{name}`) are the same column: srmap would read \
                     only the first; remove or rename one",
                    say(first),
                    self.names[first],
                    say(i)
                ),
            ));
        }
        out
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
                    format!("the header has no `{c}` column (found: {})", self.found()),
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

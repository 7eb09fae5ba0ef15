//! Importers: read the matrices, catalogs and scanner results people already have and write
//! srmap data files (a folder to pass as `--data`) or evidence rows.
//!
//! Each input format has its own module. Every importer keeps the source's wording verbatim
//! beside the normalised owner, reports the rows it could not read (sheet, row, why) instead of
//! dropping them, and returns counts for a one-line summary.

pub mod answer;
pub mod azure;
pub mod ccm;
pub mod data_dir;
pub mod fedramp;
pub mod matrix;
pub mod nist;
pub mod oscal;
pub mod prowler;
pub mod vocabulary;

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Location};
use crate::offering::Model;

/// `--model`: a generic service model, or why not.
pub fn parse_model(s: &str) -> Result<Model, String> {
    Model::parse(s).ok_or_else(|| {
        format!(
            "`{s}` is not a service model: use {}",
            Model::ALL.map(|m| m.as_str()).join(", ")
        )
    })
}

/// A row an importer could not use, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub at: Location,
    pub why: String,
    /// How many source rows this entry stands for (a scanner's unknown requirement is reported
    /// once for all its rows).
    pub rows: usize,
}

impl Skipped {
    pub fn new(at: Location, why: impl Into<String>) -> Self {
        Skipped {
            at,
            why: why.into(),
            rows: 1,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Data rows read from the source.
    pub read: usize,
    /// Rows that became srmap data.
    pub imported: usize,
    pub skipped: Vec<Skipped>,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// What the user should know about the result (defaults taken, things to review).
    pub notes: Vec<String>,
    /// What the user must check before trusting the result (`warning[<code>]`): the import
    /// went ahead, but on an assumption the source did not confirm.
    pub warnings: Vec<Diagnostic>,
}

impl ImportReport {
    /// Rows skipped (an entry may stand for several rows).
    pub fn skipped_rows(&self) -> usize {
        self.skipped.iter().map(|s| s.rows).sum()
    }

    /// `fedramp-crm: 1,234 rows read, 1,200 imported, 34 skipped`
    pub fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} rows read, {} imported, {} skipped",
            thousands(self.read),
            thousands(self.imported),
            thousands(self.skipped_rows())
        )
    }

    pub fn skip(&mut self, at: Location, why: impl Into<String>) {
        self.skipped.push(Skipped::new(at, why));
    }
}

/// `1234567` -> `1,234,567`
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_rows_with_separators() {
        let mut r = ImportReport {
            read: 1234,
            imported: 1200,
            ..Default::default()
        };
        r.skip(Location::file("a.xlsx"), "x");
        r.skipped.push(Skipped {
            rows: 33,
            ..Skipped::new(Location::file("a.xlsx"), "y")
        });
        assert_eq!(
            r.summary("fedramp-crm"),
            "fedramp-crm: 1,234 rows read, 1,200 imported, 34 skipped"
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}

//! Importers: read the matrices, catalogs and scanner results people already have and write
//! srmap data files (a folder to pass as `--data`) or evidence rows.
//!
//! Each input format has its own module. Every importer keeps the source's wording verbatim
//! beside the normalised owner, reports the rows it could not read (sheet, row, why) instead of
//! dropping them, and returns counts for a one-line summary.

use std::path::PathBuf;

use crate::diagnostic::Location;

/// A row an importer could not use, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub at: Location,
    pub why: String,
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
}

impl ImportReport {
    /// `fedramp-crm: 1,234 rows read, 1,200 imported, 34 skipped`
    pub fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} rows read, {} imported, {} skipped",
            self.read,
            self.imported,
            self.skipped.len()
        )
    }
}

//! Diagnostics: every problem found in a data or input file, with a stable kebab-case code
//! and the place it was found (file, line, column or sheet cell).

use std::fmt;

use serde::Serialize;

/// Where a problem was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as the user knows it (a path, or `builtin:frameworks/x.csv`).
    pub file: String,
    /// 1-based line (CSV record line, TOML line) or spreadsheet row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column (character column in TOML, field number in CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The column header (CSV) or key (TOML) when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The spreadsheet sheet, for XLSX inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    pub fn at(file: impl Into<String>, line: u64, column: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            ..Location::default()
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// Spreadsheet column letters of a 1-based column number: 1 -> A, 27 -> AA.
pub fn column_letters(mut col: u64) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        out.push(b'A' + rem);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ": sheet {sheet}")?;
            match (self.line, self.column) {
                (Some(row), Some(col)) => write!(f, ", cell {}{row}", column_letters(col))?,
                (Some(row), None) => write!(f, ", row {row}")?,
                _ => {}
            }
            if let Some(field) = &self.field {
                write!(f, " ({field})")?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            location,
            message: message.into(),
        }
    }

    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Warning,
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// A set of problems, reported together. Used as the error of every loader.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_count(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn render_count(list: &[Diagnostic]) -> String {
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    format!("{errors} error{} found", if errors == 1 { "" } else { "s" })
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sort by file, then line, so reports read top to bottom.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.code).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                b.code,
            ))
        });
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() as u64 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
    }

    #[test]
    fn sheet_locations_name_the_cell() {
        let mut at = Location::at("ev.xlsx", 12, 3).with_field("effective_date");
        at.sheet = Some("Evidence".into());
        assert_eq!(
            at.to_string(),
            "ev.xlsx: sheet Evidence, cell C12 (effective_date)"
        );
        assert_eq!(column_letters(27), "AA");
    }

    #[test]
    fn display_has_code_and_place() {
        let d = Diagnostic::error(
            "unknown-layer",
            Location::at("frameworks/x.csv", 4, 6).with_field("layers"),
            "layer `dat` is not defined",
        );
        assert_eq!(
            d.to_string(),
            "error[unknown-layer]: frameworks/x.csv:4:6 (layers): layer `dat` is not defined"
        );
    }
}

//! CSV files, read the one way srmap reads them: ragged rows allowed (missing cells read as
//! empty), no trimming (values are trimmed when read), byte-order mark dropped, every record
//! with its line.

use std::io::Read;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::table::{Cell, Row};

/// A record the CSV parser could not read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct BadRecord {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The parser's own message.
    pub error: String,
    /// The record is not UTF-8 text.
    pub not_utf8: bool,
}

impl BadRecord {
    fn new(e: &csv::Error) -> Self {
        BadRecord {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            error: e.to_string(),
            not_utf8: matches!(e.kind(), csv::ErrorKind::Utf8 { .. }),
        }
    }

    /// `bad-csv` at the record's line, saying how to fix a file that is not UTF-8.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let msg = if self.not_utf8 {
            "is not UTF-8 text: save it as CSV UTF-8".to_string()
        } else {
            self.error.clone()
        };
        Diagnostic::error(Code::BadCsv, Location::at(file, self.line, 1), msg)
    }
}

/// The separator of a CSV file from its first line: `;` when it has more of them than `,`
/// (`prefer_semicolon`: when it has at least as many).
pub fn sniff_delimiter(first_line: &[u8], prefer_semicolon: bool) -> u8 {
    let semis = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if semis > commas || (prefer_semicolon && semis == commas) {
        b';'
    } else {
        b','
    }
}

/// Every record of a CSV input, the header row included, as rows of cells with their lines,
/// streamed.
pub fn records<R: Read>(input: R, delimiter: u8) -> impl Iterator<Item = Result<Row, BadRecord>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input)
        .into_records()
        .map(|rec| match rec {
            Ok(r) => Ok(Row {
                line: r.position().map(|p| p.line()).unwrap_or(0),
                cells: r.iter().map(Cell::from_text).collect(),
            }),
            Err(e) => Err(BadRecord::new(&e)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_rows_read_as_empty_and_lines_are_kept() {
        let rows: Vec<Row> = records("\u{feff}a,b\n1\n2,x\n".as_bytes(), b',')
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0].text(0), "a");
        assert_eq!(rows[1].text(1), "");
        assert_eq!(rows[1].text(0), "1");
        assert_eq!(rows[2].line, 3);
    }

    #[test]
    fn the_separator_is_the_commonest() {
        assert_eq!(sniff_delimiter(b"a;b;c,d", false), b';');
        assert_eq!(sniff_delimiter(b"a;b,c", false), b',');
        assert_eq!(sniff_delimiter(b"a;b,c", true), b';');
    }
}

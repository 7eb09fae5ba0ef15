//! Writers of finished reports: rows ([`Record`]) as a terminal table, CSV, JSON or Markdown,
//! and reports with their own layout (PDF, XLSX, OSCAL) in their own modules. Every report
//! writes itself through [`Report`], to any `Write`.

pub mod csv;
pub mod json;
pub mod md;
pub mod oscal;
pub mod pdf;
pub mod report;
pub mod table;
pub mod xlsx;

use std::io::{self, Write};

use crate::output::Format;
use crate::record::Record;

pub use report::{Dated, EvidenceTemplate, Report, ROW_FORMATS};

/// Write `rows` in a text format.
pub fn write_rows<R: Record>(rows: &[R], format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Csv => csv::write(rows, out),
        Format::Json => json::write(rows, out),
        Format::Md => md::write(rows, out),
        Format::Table => table::write(rows, out),
        Format::Xlsx | Format::Pdf | Format::Oscal => {
            Err(io::Error::other(format!("{format} is not a row format")))
        }
    }
}

/// Write a grid whose columns are known only at run time (CSV, Markdown or a terminal table).
pub fn write_grid(
    header: &[String],
    rows: &[Vec<String>],
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cols: Vec<&str> = header.iter().map(String::as_str).collect();
    match format {
        Format::Csv => csv::write_cells(&cols, rows, out),
        Format::Md => md::write_table(&cols, rows.iter().cloned(), out),
        Format::Table => table::write_grid(&cols, &table::cut_rows(rows), out),
        other => Err(io::Error::other(format!("{other} is not a grid format"))),
    }
}

/// Cells of `row` for a subset of its columns.
pub(crate) fn pick<R: Record>(row: &R, wanted: &[&str]) -> Vec<String> {
    let cols = R::columns();
    let cells = row.cells();
    wanted
        .iter()
        .map(|w| {
            cols.iter()
                .position(|c| c == w)
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or_default()
        })
        .collect()
}

//! Markdown output: a pipe table with escaped cells.

use std::io::{self, Write};

use super::Record;

pub fn escape(cell: &str) -> String {
    cell.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    write_table(R::columns(), rows.iter().map(|r| r.cells()), out)
}

/// A Markdown table from column names and rows of cells.
pub fn write_table(
    columns: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "| {} |", columns.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; columns.len()].join("|"))?;
    for cells in rows {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

//! Terminal table: aligned columns, long cells cut with an ellipsis.

use std::io::{self, Write};

use super::pick;
use crate::listing::Matrices;
use crate::record::Record;

/// The widest a cell may be before it is cut.
const MAX_CELL: usize = 60;

fn cut(s: &str, width: usize) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() <= width {
        s
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    let cols = R::table_columns();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| pick(r, cols).iter().map(|c| cut(c, MAX_CELL)).collect())
        .collect();
    write_grid(cols, &body, out)
}

/// The offerings' layers, then their per-service facts under a heading.
pub fn matrices(m: &Matrices, out: &mut dyn Write) -> io::Result<()> {
    write(&m.layers(), out)?;
    let facts = m.facts();
    if !facts.is_empty() {
        writeln!(out, "\nPer-service facts:")?;
        write(&facts, out)?;
    }
    Ok(())
}

/// Rows with every cell cut to the terminal width of a cell.
pub fn cut_rows(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| cut(c, MAX_CELL)).collect())
        .collect()
}

/// Aligned columns with a header underline.
pub fn write_grid(cols: &[&str], body: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
    for row in body {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>, out: &mut dyn Write| -> io::Result<()> {
        let n = cells.len();
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            s.push_str(c);
            if i + 1 < n {
                s.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(cols.iter().map(|c| c.to_uppercase()).collect(), out)?;
    line(widths.iter().map(|w| "-".repeat(*w)).collect(), out)?;
    for row in body {
        line(row.clone(), out)?;
    }
    Ok(())
}

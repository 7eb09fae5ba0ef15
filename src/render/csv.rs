//! CSV output: header row, RFC 4180 quoting, formula-looking cells neutralised.

use std::io::{self, Write};

use crate::output::neutralize;
use crate::record::Record;

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows.iter().map(Record::cells).collect();
    write_cells(R::columns(), &cells, out)
}

/// A header and rows of cells, each cell neutralised.
pub fn write_cells(columns: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(columns)?;
    for cells in rows {
        w.write_record(cells.iter().map(|c| neutralize(c).into_owned()))?;
    }
    w.flush()
}

//! CSV output: header row, RFC 4180 quoting, formula-looking cells neutralised.

use std::io::{self, Write};

use super::Record;
use crate::output::neutralize;

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(R::columns())?;
    for row in rows {
        let cells = row.cells();
        w.write_record(cells.iter().map(|c| neutralize(c).into_owned()))?;
    }
    w.flush()
}

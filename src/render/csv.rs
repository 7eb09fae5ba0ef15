//! CSV output: header row, RFC 4180 quoting, formula-looking cells neutralised (header too).

use std::io::{self, Write};

use crate::output::neutralize;
use crate::record::Record;

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    // Row by row: a report of many findings is not copied into cells all at once.
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(R::columns()).map_err(to_io)?;
    for row in rows {
        for cell in row.cells() {
            w.write_field(neutralize(&cell).as_bytes()).map_err(to_io)?;
        }
        // The record ends: no more fields.
        w.write_record(None::<&[u8]>).map_err(to_io)?;
    }
    w.flush()
}

/// A header and rows of cells, each cell neutralised, the header's too (a comparison's
/// columns are system names from the scope).
pub fn write_cells(columns: &[&str], rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(columns.iter().map(|c| neutralize(c).into_owned()))
        .map_err(to_io)?;
    for cells in rows {
        w.write_record(cells.iter().map(|c| neutralize(c).into_owned()))
            .map_err(to_io)?;
    }
    w.flush()
}

/// The writer's own I/O error as it is (so a closed pipe stays one), any other as `Other`.
fn to_io(e: ::csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e);
    }
    match e.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader has gone away.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stays_a_broken_pipe() {
        let big = vec![vec!["x".repeat(100_000)]];
        let e = write_cells(&["a"], &big, &mut Closed).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
    }
}

//! JSON output: an array of objects, pretty-printed, keys in a fixed order.

use std::io::{self, Write};

use super::Record;

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows)?;
    out.write_all(b"\n")
}

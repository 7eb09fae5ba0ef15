//! JSON output: an array of objects, pretty-printed, keys in a fixed order.

use std::io::{self, Write};

use serde::Serialize;

use crate::record::Record;

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    document(rows, out)
}

/// Any serialisable document (a comparison, matrices, an OSCAL SSP), pretty-printed, with a
/// final newline.
pub fn document<T: Serialize + ?Sized>(doc: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    out.write_all(b"\n")
}

//! The limits a workbook is read within, whatever it claims. Each is checked before the work it
//! bounds is done (declared sizes before anything is decompressed, every part scanned before
//! calamine parses it), and each refusal names the file, and the sheet and cell where there is
//! one. `docs/reliability.md` says why each value was chosen.
//!
//! Together they keep any workbook of up to 50 MB within 512 MB of memory and 30 seconds, read
//! or refused (issue 13): a sheet is streamed a row at a time, so what is held is the shared
//! strings, one XML event, one row, and what the caller keeps of the rows.

/// Excel's last row: 1,048,576.
pub const MAX_ROWS: u32 = 1_048_576;

/// Excel's last column, XFD: 16,384.
pub const MAX_COLUMNS: u32 = 16_384;

/// Excel's longest cell text: 32,767 characters.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The parts of a workbook's zip, decompressed, all together: 1 GiB. Declared sizes are checked
/// before anything is decompressed (the zip reader also refuses a part that holds more than it
/// declares), and the bytes actually read are counted as well.
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// The longest stretch of a part's XML without a `<`: 1 MiB. An XML parser holds one element or
/// one text at a time, so this bounds what it holds at once, however large the part. A cell of
/// Excel's longest text, every character written as a character reference, is about 330 KB.
pub const MAX_XML_RUN: u64 = 1 << 20;

/// Shared strings (the workbook-wide table of the text cells refer to), counted: 2,000,000.
/// They are read whole when the workbook is opened.
pub const MAX_SHARED_STRINGS: u64 = 2_000_000;

/// The shared strings' part, decompressed: 128 MiB.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 128 << 20;

/// Any other part read whole when a workbook is opened (styles, workbook, relationships, theme),
/// decompressed: 32 MiB. Excel's own are well under 10 MB (at most 64,000 cell formats).
pub const MAX_OTHER_PART_BYTES: u64 = 32 << 20;

/// Parts in a workbook's zip: 10,000 (a sheet, its relationships, drawings and comments are a
/// few parts each).
pub const MAX_PARTS: usize = 10_000;

/// The text of the cells read from one sheet, counted at every use of a shared string: 256 MiB.
/// A short file can repeat one long shared string in a million cells.
pub const MAX_SHEET_TEXT_BYTES: u64 = 256 << 20;

/// Cells held when a sheet is read whole (the importers' vendor workbooks, each row padded to
/// the widest): 4,000,000.
pub const MAX_TABLE_CELLS: u64 = 4_000_000;

/// Characters of text held when a workbook is read whole (XLS, ODS): 64 Mi, counted at every
/// cell that holds a copy (an XLS shared string at each cell that uses it, an ODS cell at each
/// repetition).
pub const MAX_HELD_TEXT: u64 = 64 << 20;

/// Bytes moved while calamine writes an XLS workbook's formulas out as text: 4 Gi (about a
/// second). A formula's spaces are inserted one at a time before the text already written, so
/// one 8 KB formula record can cost a hundred billion.
pub const MAX_FORMULA_MOVES: u64 = 4 << 30;

/// Bytes as people read them: `1.5 GiB`, `640 KiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            return if v.fract() == 0.0 {
                format!("{v:.0} {unit}")
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

/// A count as people read it: `4,000,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(MAX_UNPACKED_BYTES), "1 GiB");
        assert_eq!(bytes(3 << 29), "1.5 GiB");
        assert_eq!(bytes(MAX_XML_RUN), "1 MiB");
        assert_eq!(bytes(2048), "2 KiB");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(count(4_000_000_000), "4,000,000,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
    }
}

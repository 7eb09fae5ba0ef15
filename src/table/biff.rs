//! An XLS workbook's records (BIFF, in a compound file), checked before calamine parses them.
//!
//! calamine parses every sheet of an XLS workbook when it opens it, into a dense range as large
//! as the sheet's cells span, after reserving room for as many cells as the sheet's DIMENSIONS
//! record claims: two cells at A1 and at the last row and column, or one record claiming four
//! billion rows, would ask for gigabytes or terabytes. So the records are walked first (each is
//! a type, a length and its bytes) and every sheet's claimed and actual extent added up.
//!
//! A text cell of an XLS sheet refers to the workbook's shared strings (the SST record and its
//! CONTINUE records), and calamine copies the string into every cell that uses it: a string of
//! 65,535 characters used by a million cells is 65 GB from a 14 MB file. So the shared strings'
//! lengths are read (as calamine reads them) and the text of every cell counted at each use.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::table::limits::{count, MAX_HELD_TEXT, MAX_SHARED_STRINGS, MAX_TABLE_CELLS};

/// One sheet's extent, as its records give it.
#[derive(Default)]
struct Extent {
    /// Cells its DIMENSIONS record claims.
    claimed: u64,
    /// The rows and columns its cells span (first row, last row, first column, last column).
    span: Option<(u16, u16, u16, u16)>,
}

impl Extent {
    fn cells(&self, row: u16, first: u16, last: u16) -> Option<(u16, u16, u16, u16)> {
        Some(match self.span {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        })
    }

    /// Cells of the dense range calamine builds for the sheet.
    fn dense(&self) -> u64 {
        self.span.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
        })
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The characters of each shared string of an SST record (`segments[0]`, its counts skipped)
/// and its CONTINUE records, read as calamine reads them: a string's characters may run on into
/// the next record, which then starts with the flag saying whether they are one byte or two.
/// Stops at the first string calamine could not read (it refuses the workbook then), or after
/// one string more than [`MAX_SHARED_STRINGS`] (refused here).
fn shared_string_lengths(segments: &[Vec<u8>]) -> Vec<u32> {
    let mut cursor = Segments {
        rest: segments.iter(),
        data: segments
            .first()
            .and_then(|s| s.get(8..))
            .unwrap_or_default(),
    };
    cursor.rest.next();
    let mut lengths = Vec::new();
    while lengths.len() as u64 <= MAX_SHARED_STRINGS && (!cursor.data.is_empty() || cursor.next()) {
        match cursor.string() {
            Some(chars) => lengths.push(chars),
            None => break,
        }
    }
    lengths
}

/// Where a read of the shared strings is: the record being read, and the records after it.
struct Segments<'a> {
    rest: std::slice::Iter<'a, Vec<u8>>,
    data: &'a [u8],
}

impl Segments<'_> {
    fn next(&mut self) -> bool {
        match self.rest.next() {
            Some(segment) => {
                self.data = segment;
                true
            }
            None => false,
        }
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, tail) = (self.data.get(..n)?, self.data.get(n..)?);
        self.data = tail;
        Some(head)
    }

    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if self.data.is_empty() && !self.next() {
                return None;
            }
            let step = n.min(self.data.len());
            self.data = &self.data[step..];
            n -= step;
        }
        Some(())
    }

    /// One XLUnicodeRichExtendedString: its characters.
    fn string(&mut self) -> Option<u32> {
        let head = self.take(3)?;
        let (cch, flags) = (u16::from_le_bytes([head[0], head[1]]), head[2]);
        let runs = if flags & 0x8 != 0 {
            let b = self.take(2)?;
            usize::from(u16::from_le_bytes([b[0], b[1]])) * 4
        } else {
            0
        };
        let extended = if flags & 0x4 != 0 {
            let b = self.take(4)?;
            i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        } else {
            0
        };
        let mut wide = flags & 0x1 != 0;
        let mut left = usize::from(cch);
        while left > 0 {
            let width = if wide { 2 } else { 1 };
            let here = left.min(self.data.len() / width);
            self.data = &self.data[here * width..];
            left -= here;
            if left > 0 {
                if !self.next() {
                    return None;
                }
                wide = self.take(1)?[0] & 0x1 != 0;
            }
        }
        self.skip(runs)?;
        self.skip(extended)?;
        Some(u32::from(cch))
    }
}

/// Check an XLS workbook: every sheet's claimed cells, and the cells of the dense ranges of all
/// its sheets together, at most [`MAX_TABLE_CELLS`] (calamine holds every sheet's at once).
/// A file calamine cannot read is left to calamine to say so.
pub fn check(path: &Path) -> Result<(), Diagnostics> {
    let Ok(mut file) = cfb::open(path) else {
        return Ok(());
    };
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n));
    let Some(stream) = name.and_then(|n| file.open_stream(n).ok()) else {
        return Ok(());
    };
    let mut stream = BufReader::new(stream);
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut sheets: Vec<(Option<String>, Extent)> = Vec::new();
    let (mut at, mut depth) = (0u32, 0usize);
    let mut header = [0u8; 4];
    let mut data = Vec::new();
    // The SST record and its CONTINUE records while they are read, then its strings' lengths.
    let (mut sst, mut in_sst) = (Vec::new(), false);
    let mut lengths: Vec<u32> = Vec::new();
    // Characters of the cells' text, each shared string counted at every use.
    let mut text = 0u64;
    while stream.read_exact(&mut header).is_ok() {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        data.resize(len, 0);
        if stream.read_exact(&mut data).is_err() {
            break;
        }
        let start = at;
        at = at.saturating_add(4 + len as u32);
        if in_sst {
            if typ == 0x003C {
                sst.push(data.clone());
                continue;
            }
            in_sst = false;
            lengths = shared_string_lengths(&std::mem::take(&mut sst));
            if lengths.len() as u64 > MAX_SHARED_STRINGS {
                return Err(too_large(
                    Location::file(path.display().to_string()),
                    format!(
                        "the workbook has more than {} shared strings (the texts its cells \
                         refer to), srmap's limit",
                        count(MAX_SHARED_STRINGS)
                    ),
                ));
            }
        }
        if typ == 0x00FC && depth == 1 && sheets.len() == 1 {
            sst.push(data.clone());
            in_sst = true;
            continue;
        }
        match typ {
            // BOF: a substream starts (a sheet's at the offset BOUNDSHEET gave).
            0x0809 => {
                if depth == 0 {
                    sheets.push((names.remove(&start), Extent::default()));
                }
                depth += 1;
            }
            0x000A => depth = depth.saturating_sub(1),
            // BOUNDSHEET: a sheet's offset and name (a short string, 8-bit or UTF-16).
            0x0085 if depth == 1 && sheets.len() == 1 => {
                if let (Some(pos), Some(&cch), Some(&wide)) =
                    (u32_at(&data, 0), data.get(6), data.get(7))
                {
                    let text = data.get(8..).unwrap_or_default();
                    let name = if wide & 1 == 1 {
                        let units: Vec<u16> = text
                            .chunks_exact(2)
                            .take(cch as usize)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        text.iter().take(cch as usize).map(|&b| b as char).collect()
                    };
                    names.insert(pos, name);
                }
            }
            _ if depth != 1 || sheets.len() < 2 => {}
            // DIMENSIONS: the cells the sheet claims (BIFF8: 32-bit rows; older: 16-bit).
            0x0200 => {
                let (rows, cols) = if len >= 14 {
                    let rows = u32_at(&data, 4)
                        .unwrap_or(0)
                        .saturating_sub(u32_at(&data, 0).unwrap_or(0));
                    let cols = u16_at(&data, 10)
                        .unwrap_or(0)
                        .saturating_sub(u16_at(&data, 8).unwrap_or(0));
                    (u64::from(rows), u64::from(cols))
                } else {
                    let rows = u16_at(&data, 2)
                        .unwrap_or(0)
                        .saturating_sub(u16_at(&data, 0).unwrap_or(0));
                    let cols = u16_at(&data, 6)
                        .unwrap_or(0)
                        .saturating_sub(u16_at(&data, 4).unwrap_or(0));
                    (u64::from(rows), u64::from(cols))
                };
                if let Some((_, extent)) = sheets.last_mut() {
                    extent.claimed = extent.claimed.max(rows.saturating_mul(cols));
                }
            }
            // Cells: number, label, rich label, bool or error, RK, shared-string label, formula.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD => {
                let (Some(row), Some(first)) = (u16_at(&data, 0), u16_at(&data, 2)) else {
                    continue;
                };
                // MULRK: a run of cells, its last column in its last two bytes.
                let last = match typ {
                    0x00BD => u16_at(&data, len.saturating_sub(2))
                        .unwrap_or(first)
                        .max(first),
                    _ => first,
                };
                if let Some((_, extent)) = sheets.last_mut() {
                    extent.span = extent.cells(row, first, last);
                }
                // Text: a shared string (LABELSST) or a string of its own (LABEL, RSTRING).
                text += match typ {
                    0x00FD => u32_at(&data, 6)
                        .and_then(|i| lengths.get(i as usize))
                        .map_or(0, |&n| u64::from(n)),
                    0x0204 | 0x00D6 => u64::from(u16_at(&data, 6).unwrap_or(0)),
                    _ => 0,
                };
                if text > MAX_HELD_TEXT {
                    let mut loc = Location::file(path.display().to_string());
                    loc.sheet = sheets.last().and_then(|(name, _)| name.clone());
                    loc.line = Some(u64::from(row) + 1);
                    loc.column = Some(u64::from(first) + 1);
                    return Err(too_large(
                        loc,
                        format!(
                            "the workbook's text cells hold more than {} characters up to \
                             this one (a shared string counts at every cell that uses it), \
                             over srmap's limit for an XLS workbook (XLS workbooks are read \
                             whole): save it as XLSX or CSV",
                            count(MAX_HELD_TEXT)
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    let place = |sheet: &Option<String>| {
        let mut loc = Location::file(path.display().to_string());
        loc.sheet = sheet.clone();
        loc
    };
    let mut total = 0u64;
    for (sheet, extent) in sheets.iter().skip(1) {
        if extent.claimed > MAX_TABLE_CELLS {
            return Err(too_large(
                place(sheet),
                format!(
                    "the sheet claims {} cells, over srmap's limit of {} for an XLS sheet \
                     (XLS workbooks are read whole): save it as XLSX or CSV",
                    count(extent.claimed),
                    count(MAX_TABLE_CELLS)
                ),
            ));
        }
        total += extent.dense();
        if total > MAX_TABLE_CELLS {
            return Err(too_large(
                place(sheet),
                format!(
                    "the sheets' cells span {} cells up to this one, over srmap's limit of {} \
                     for an XLS workbook (XLS workbooks are read whole): save it as XLSX or CSV",
                    count(total),
                    count(MAX_TABLE_CELLS)
                ),
            ));
        }
    }
    Ok(())
}

fn too_large(at: Location, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(Code::WorkbookTooLarge, at, msg)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SST record's counts, then `body`.
    fn sst(body: &[u8]) -> Vec<u8> {
        let mut record = vec![0u8; 8];
        record.extend(body);
        record
    }

    #[test]
    fn shared_strings_are_read_across_records_as_calamine_reads_them() {
        // "ab" (8-bit), then a string of 3 characters whose last two run on into a CONTINUE
        // record as two-byte characters, with a rich-text run and an extension after it.
        let first = sst(&[2, 0, 0, b'a', b'b', 3, 0, 0x0C, 1, 0, 2, 0, 0, 0, b'x']);
        let cont = vec![1, b'y', 0, b'z', 0, 0, 0, 0, 0, 9, 9, 1, 0, 0, b'q'];
        assert_eq!(shared_string_lengths(&[first, cont]), [2, 3, 1]);
        // A string cut short: what was read before it.
        assert_eq!(
            shared_string_lengths(&[sst(&[2, 0, 0, b'a', b'b', 5, 0, 0, b'x'])]),
            [2]
        );
    }

    #[test]
    fn shared_strings_are_counted_to_one_over_the_limit() {
        let mut body = Vec::new();
        for _ in 0..MAX_SHARED_STRINGS + 10 {
            body.extend([0, 0, 0]);
        }
        let lengths = shared_string_lengths(&[sst(&body)]);
        assert_eq!(lengths.len() as u64, MAX_SHARED_STRINGS + 1);
    }
}

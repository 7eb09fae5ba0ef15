//! An XLS workbook's records (BIFF, in a compound file), measured before calamine parses them.
//!
//! calamine parses every sheet of an XLS workbook when it opens it, and holds them all: each
//! sheet's cells, then its dense range (as large as its cells span) and the dense range of its
//! formulas, after reserving room for as many cells as the sheet's DIMENSIONS record claims.
//! Two cells at A1 and at the last row and column, or one record claiming four billion rows,
//! would ask for gigabytes or terabytes. A text cell refers to the workbook's shared strings
//! (the SST record and its CONTINUE records), and calamine copies the string into every cell
//! that uses it: a string of 65,535 characters used by a million cells is 65 GB from a 14 MB
//! file. Every formula is written out as text ([`crate::table::formula`]). And a sheet is read
//! from wherever its BOUNDSHEET record says it starts, so two sheets can be one sheet's
//! records read twice.
//!
//! So the records are walked first as calamine walks them (each a type, a length and its bytes,
//! a CONTINUE record part of the record before it): the workbook's globals up to their end,
//! then each sheet from where it starts, and what calamine would hold is counted.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::table::formula::{self, Names};
use crate::table::limits::{
    count, MAX_FORMULA_MOVES, MAX_HELD_TEXT, MAX_SHARED_STRINGS, MAX_TABLE_CELLS,
};

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The records of a stream from an offset, as calamine's reader gives them: a CONTINUE record
/// (0x003C) is part of the record before it. Ends where a record runs past the stream (calamine
/// refuses the workbook there).
struct Records<'a> {
    stream: &'a [u8],
}

/// One record: its type, its bytes, and the bytes of the CONTINUE records after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    more: Vec<&'a [u8]>,
}

impl<'a> Records<'a> {
    fn split(&mut self) -> Option<(u16, &'a [u8])> {
        let typ = u16_at(self.stream, 0)?;
        let len = usize::from(u16_at(self.stream, 2)?);
        let data = self.stream.get(4..4 + len)?;
        self.stream = &self.stream[4 + len..];
        Some((typ, data))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let (typ, data) = self.split()?;
        let mut more = Vec::new();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(0x003C) {
            more.push(self.split()?.1);
        }
        Some(Record { typ, data, more })
    }
}

/// What the workbook's globals say the sheets need.
#[derive(Default)]
struct Globals {
    /// Each sheet: where its records start, and its name.
    sheets: Vec<(usize, String)>,
    /// Each shared string's characters.
    strings: Vec<u32>,
    /// The longest names a formula can refer to.
    names: Names,
    /// BIFF8 (Excel 97 and later) or earlier.
    biff8: bool,
}

impl Globals {
    /// The globals: the records up to the first EOF, as calamine reads them.
    fn read(stream: &[u8]) -> Globals {
        let mut g = Globals {
            biff8: true,
            ..Globals::default()
        };
        for r in (Records { stream }) {
            match r.typ {
                // BOF: the version.
                0x0809 => {
                    g.biff8 = !matches!(u16_at(r.data, 0), Some(0x0500 | 0x0400 | 0x0300 | 0x0200))
                }
                // BOUNDSHEET: a sheet's offset and name (a short string).
                0x0085 => {
                    let Some(pos) = u32_at(r.data, 0) else {
                        continue;
                    };
                    let cch = usize::from(r.data.get(6).copied().unwrap_or(0));
                    let wide = g.biff8 && r.data.get(7).is_some_and(|f| f & 1 == 1);
                    let text = r
                        .data
                        .get(if g.biff8 { 8 } else { 7 }..)
                        .unwrap_or_default();
                    let name = if wide {
                        let units: Vec<u16> = text
                            .chunks_exact(2)
                            .take(cch)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        text.iter().take(cch).map(|&b| b as char).collect()
                    };
                    g.names.sheet = g.names.sheet.max(3 * cch as u64);
                    g.sheets.push((pos as usize, name));
                }
                // NAME: a defined name, up to 255 characters.
                0x0018 => {
                    let cch = u64::from(r.data.get(3).copied().unwrap_or(0));
                    g.names.defined = g.names.defined.max(3 * cch);
                }
                // SST: the shared strings (the last one, as calamine keeps it).
                0x00FC => {
                    let mut segments = vec![r.data];
                    segments.extend(r.more.iter().copied());
                    g.strings = shared_string_lengths(&segments);
                }
                0x000A => break,
                _ => {}
            }
        }
        g
    }
}

/// What calamine would hold for the sheets read so far.
#[derive(Debug, Default, Clone, Copy)]
struct Held {
    /// Cells as read (values and formulas), and the dense ranges of values and of formulas.
    cells: u64,
    /// Cells of the dense ranges of values only.
    dense: u64,
    /// Characters of text: values and formulas.
    text: u64,
    /// Bytes moved while writing the formulas.
    moved: u64,
}

impl Held {
    fn add(self, other: Held) -> Held {
        Held {
            cells: self.cells.saturating_add(other.cells),
            dense: self.dense.saturating_add(other.dense),
            text: self.text.saturating_add(other.text),
            moved: self.moved.saturating_add(other.moved),
        }
    }
}

/// The rows and columns a sheet's cells span: first row, last row, first column, last column.
#[derive(Debug, Default, Clone, Copy)]
struct Span(Option<(u16, u16, u16, u16)>);

impl Span {
    fn add(&mut self, row: u16, first: u16, last: u16) {
        self.0 = Some(match self.0 {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
    }

    fn cells(self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
        })
    }
}

/// One sheet's cost, and the cells its DIMENSIONS record claims.
#[derive(Debug, Default, Clone, Copy)]
struct Sheet {
    held: Held,
    claimed: u64,
}

/// Why a sheet's walk stopped: over a limit, at a cell (row, column) when there is one.
struct Over {
    cell: Option<(u16, u16)>,
    message: String,
}

/// Check an XLS workbook: what calamine would hold for all its sheets together (it holds every
/// one at once) within [`MAX_TABLE_CELLS`] and [`MAX_HELD_TEXT`], each sheet's claimed cells
/// too, and the formulas' writing within [`MAX_FORMULA_MOVES`]. A file calamine cannot read is
/// left to calamine to say so.
pub fn check(path: &Path) -> Result<(), Diagnostics> {
    // The compound file (the XLS file's container of streams) is read by the `cfb` crate, which
    // checks its chains of sectors; calamine's own reader follows them without checking, so a
    // chain that loops back on itself grew its copy of a stream until memory ran out (a fuzz
    // finding). A container the crate refuses is refused here, never given to calamine.
    let damaged = |e: &dyn std::fmt::Display| {
        Diagnostics(vec![Diagnostic::error(
            Code::UnreadableFile,
            Location::file(path.display().to_string()),
            format!(
                "cannot open the workbook: {e} (an XLS file is a compound file, and this one is \
                 damaged, or is not an XLS file)"
            ),
        )])
    };
    let mut file = cfb::open(path).map_err(|e| damaged(&e))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n));
    let Some(name) = name else {
        // calamine says so: no workbook stream.
        return Ok(());
    };
    let mut part = file.open_stream(name).map_err(|e| damaged(&e))?;
    // calamine reads the stream whole too.
    let mut stream = Vec::new();
    part.read_to_end(&mut stream).map_err(|e| damaged(&e))?;
    let globals = Globals::read(&stream);
    let place = |sheet: Option<&str>, cell: Option<(u16, u16)>| {
        let mut loc = Location::file(path.display().to_string());
        loc.sheet = sheet.map(str::to_string);
        if let Some((row, col)) = cell {
            loc.line = Some(u64::from(row) + 1);
            loc.column = Some(u64::from(col) + 1);
        }
        loc
    };
    if globals.strings.len() as u64 > MAX_SHARED_STRINGS {
        return Err(too_large(
            place(None, None),
            format!(
                "the workbook has more than {} shared strings (the texts its cells refer to), \
                 srmap's limit",
                count(MAX_SHARED_STRINGS)
            ),
        ));
    }
    // Each start walked once (two sheets may start at one place), and the bytes walked in all
    // at most the stream's twice over: sheets that overlap are read again and again.
    let mut walked: HashMap<usize, Sheet> = HashMap::new();
    let mut walked_bytes = 0u64;
    let mut held = Held::default();
    for (pos, name) in &globals.sheets {
        let sheet = match walked.get(pos) {
            Some(sheet) => *sheet,
            None => {
                let records = stream.get(*pos..).unwrap_or_default();
                walked_bytes += records.len() as u64;
                if walked_bytes > 2 * stream.len() as u64 + (1 << 20) {
                    return Err(Diagnostics(vec![Diagnostic::error(
                        Code::UnreadableFile,
                        place(Some(name), None),
                        "the workbook's sheets start inside one another, so their records would \
                         be read again and again: the workbook is damaged, or made to mislead",
                    )]));
                }
                let sheet = walk(records, &globals, held)
                    .map_err(|over| too_large(place(Some(name), over.cell), over.message))?;
                walked.insert(*pos, sheet);
                sheet
            }
        };
        held = held.add(sheet.held);
        if let Err(over) = over(held, sheet.claimed, None) {
            return Err(too_large(place(Some(name), None), over.message));
        }
    }
    Ok(())
}

/// Is what is held, with a sheet's claimed cells, over a limit? (`cell`: where it was crossed.)
fn over(held: Held, claimed: u64, cell: Option<(u16, u16)>) -> Result<(), Over> {
    const SAVE: &str = "(XLS workbooks are read whole): save it as XLSX or CSV";
    let message = if claimed > MAX_TABLE_CELLS {
        format!(
            "the sheet claims {} cells, over srmap's limit of {} for an XLS sheet {SAVE}",
            count(claimed),
            count(MAX_TABLE_CELLS)
        )
    } else if held.dense > MAX_TABLE_CELLS {
        format!(
            "the sheets' cells span {} cells up to this one, over srmap's limit of {} for an \
             XLS workbook {SAVE}",
            count(held.dense),
            count(MAX_TABLE_CELLS)
        )
    } else if held.cells > MAX_TABLE_CELLS {
        format!(
            "the sheets would be held as {} cells up to here (their cells as read, and the \
             dense ranges of their values and of their formulas), over srmap's limit of {} for \
             an XLS workbook {SAVE}",
            count(held.cells),
            count(MAX_TABLE_CELLS)
        )
    } else if held.text > MAX_HELD_TEXT {
        format!(
            "the workbook's cells and formulas hold more than {} characters of text up to here \
             (a shared string counts at every cell that uses it), over srmap's limit for an XLS \
             workbook {SAVE}",
            count(MAX_HELD_TEXT)
        )
    } else if held.moved > MAX_FORMULA_MOVES {
        format!(
            "the workbook's formulas would take more than {} byte moves to write out as text \
             (calamine writes every formula, though srmap reads only values) {SAVE}",
            count(MAX_FORMULA_MOVES)
        )
    } else {
        return Ok(());
    };
    Err(Over { cell, message })
}

/// Walk one sheet's records from where it starts, as calamine does (a BOF after the first one
/// starts an embedded substream, skipped to its EOF; the sheet ends at its own EOF), counting
/// what it holds on top of `before`.
fn walk(records: &[u8], globals: &Globals, before: Held) -> Result<Sheet, Over> {
    let mut sheet = Sheet::default();
    let (mut values, mut formulas) = (Span::default(), Span::default());
    let (mut read, mut formula_cells) = (0u64, 0u64);
    let (mut text, mut moved) = (0u64, 0u64);
    let (mut seen_bof, mut depth) = (false, 0usize);
    let mut formula_at = (0u16, 0u16);
    for r in (Records { stream: records }) {
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let data = r.data;
        let at = (u16_at(data, 0), u16_at(data, 2));
        let cell = match (r.typ, at) {
            (0x0809, _) => {
                if seen_bof {
                    depth += 1;
                }
                seen_bof = true;
                continue;
            }
            (0x000A, _) => break,
            // DIMENSIONS: the cells the sheet claims (BIFF8: 32-bit rows; older: 16-bit), worked
            // out as calamine works them out: in 32-bit numbers that wrap around (a first row
            // after the last claims four billion rows), a first column beyond 255 or after the
            // last read as 0.
            (0x0200, _) => {
                let (first_row, last_row, first_col, last_col) = match data.len() {
                    10 => (
                        u32::from(u16_at(data, 0).unwrap_or(0)),
                        u32::from(u16_at(data, 2).unwrap_or(0)),
                        u32::from(u16_at(data, 4).unwrap_or(0)),
                        u32::from(u16_at(data, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(data, 0).unwrap_or(0),
                        u32_at(data, 4).unwrap_or(0),
                        u32::from(u16_at(data, 8).unwrap_or(0)),
                        u32::from(u16_at(data, 10).unwrap_or(0)),
                    ),
                    // calamine refuses the workbook.
                    _ => continue,
                };
                let first_col = if first_col > 0xFF || last_col < first_col {
                    0
                } else {
                    first_col
                };
                let (rows, cols) = if last_row >= 1 && last_col >= 1 {
                    (
                        u64::from(last_row.wrapping_sub(first_row)),
                        u64::from(last_col - first_col),
                    )
                } else {
                    (1, 1)
                };
                sheet.claimed = sheet.claimed.max(rows.saturating_mul(cols));
                over(before.add(sheet.held), sheet.claimed, None)?;
                None
            }
            // Number, bool or error, RK: a value.
            (0x0203 | 0x0205 | 0x027E, (Some(row), Some(col))) => Some((row, col, col, 0)),
            // Label, rich label: a string of its own.
            (0x0204 | 0x00D6, (Some(row), Some(col))) => {
                Some((row, col, col, u64::from(u16_at(data, 6).unwrap_or(0))))
            }
            // LABELSST: a shared string (no cell when there is no such string).
            (0x00FD, (Some(row), Some(col))) => u32_at(data, 6)
                .and_then(|i| globals.strings.get(i as usize))
                .map(|&n| (row, col, col, u64::from(n))),
            // MULRK: a run of values, its last column in its last two bytes.
            (0x00BD, (Some(row), Some(first))) => {
                let last = u16_at(data, data.len().saturating_sub(2))
                    .unwrap_or(first)
                    .max(first);
                read += u64::from(last - first);
                Some((row, first, last, 0))
            }
            // STRING: a formula's text value, in the formula's cell.
            (0x0207, _) => Some((
                formula_at.0,
                formula_at.1,
                formula_at.1,
                u64::from(u16_at(data, 0).unwrap_or(0)),
            )),
            // FORMULA: its value, and the formula written out as text.
            (0x0006, (Some(row), Some(col))) if data.len() >= 20 => {
                formula_at = (row, col);
                formulas.add(row, col, col);
                formula_cells += 1;
                let m = formula::measure(&data[20..], globals.names, globals.biff8);
                text = text.saturating_add(m.text);
                moved = moved.saturating_add(m.moved);
                Some((row, col, col, 0))
            }
            _ => None,
        };
        let Some((row, first, last, chars)) = cell else {
            continue;
        };
        read += 1;
        text = text.saturating_add(chars);
        values.add(row, first, last);
        sheet.held = Held {
            cells: read + values.cells() + formula_cells + formulas.cells(),
            dense: values.cells(),
            text,
            moved,
        };
        over(before.add(sheet.held), sheet.claimed, Some((row, first)))?;
    }
    Ok(sheet)
}

fn too_large(at: Location, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(Code::WorkbookTooLarge, at, msg)])
}

/// The characters of each shared string of an SST record (`segments[0]`, its counts skipped)
/// and its CONTINUE records, read as calamine reads them: a string's characters may run on into
/// the next record, which then starts with the flag saying whether they are one byte or two.
/// Stops at the first string calamine could not read (it refuses the workbook then), or after
/// one string more than [`MAX_SHARED_STRINGS`] (refused here).
fn shared_string_lengths(segments: &[&[u8]]) -> Vec<u32> {
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
    rest: std::slice::Iter<'a, &'a [u8]>,
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
        assert_eq!(shared_string_lengths(&[&first, &cont]), [2, 3, 1]);
        // A string cut short: what was read before it.
        assert_eq!(
            shared_string_lengths(&[&sst(&[2, 0, 0, b'a', b'b', 5, 0, 0, b'x'])]),
            [2]
        );
    }

    #[test]
    fn shared_strings_are_counted_to_one_over_the_limit() {
        let mut body = Vec::new();
        for _ in 0..MAX_SHARED_STRINGS + 10 {
            body.extend([0, 0, 0]);
        }
        let lengths = shared_string_lengths(&[&sst(&body)]);
        assert_eq!(lengths.len() as u64, MAX_SHARED_STRINGS + 1);
    }
}

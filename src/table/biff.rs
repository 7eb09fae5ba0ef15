//! An XLS workbook's records (BIFF, in a compound file), checked before calamine parses them.
//!
//! calamine parses every sheet of an XLS workbook when it opens it, into a dense range as large
//! as the sheet's cells span, after reserving room for as many cells as the sheet's DIMENSIONS
//! record claims: two cells at A1 and at the last row and column, or one record claiming four
//! billion rows, would ask for gigabytes or terabytes. So the records are walked first (each is
//! a type, a length and its bytes) and every sheet's claimed and actual extent added up.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::table::limits::{count, MAX_TABLE_CELLS};

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
    while stream.read_exact(&mut header).is_ok() {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        data.resize(len, 0);
        if stream.read_exact(&mut data).is_err() {
            break;
        }
        let start = at;
        at = at.saturating_add(4 + len as u32);
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

//! Evidence IDs used for two different pieces of evidence: the same ID on rows with another
//! title or date (`conflicting-evidence-id`). The same ID on several rows with the same title and
//! date is one document counted for several controls, which is fine.
//!
//! Finding them takes memory bounded whatever the register's size: each row leaves 24 bytes
//! (its ID's hash, its title-and-date's hash, its row number) in a buffer; a full buffer is
//! sorted and written to an anonymous temporary file, and the sorted runs are merged at the end
//! (an external sort). Only the rows found in conflict are kept.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use crate::text::trim;
use jiff::civil::Date;

/// Records kept in memory before a run is written out (24 bytes each: 1.5 MB).
const RUN: usize = 1 << 16;

/// FNV-1a, 64 bits: stable from run to run and from machine to machine.
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// One row: (ID hash, content hash, row number).
type Entry = (u64, u64, u64);

#[derive(Default)]
pub(super) struct IdLedger {
    buffer: Vec<Entry>,
    runs: Vec<File>,
}

impl IdLedger {
    /// Note one row's evidence ID, title and date.
    pub fn add(&mut self, id: &str, title: &str, effective: Date, row: u64) -> io::Result<()> {
        let id_hash = fnv(FNV_START, trim(id).as_bytes());
        let [y0, y1] = effective.year().to_le_bytes();
        let day = [y0, y1, effective.month() as u8, effective.day() as u8];
        let content = fnv(fnv(FNV_START, trim(title).as_bytes()), &day);
        self.buffer.push((id_hash, content, row));
        if self.buffer.len() >= RUN {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buffer.sort_unstable_by_key(|&(id, _, row)| (id, row));
        let mut file = tempfile::tempfile()?;
        {
            let mut w = BufWriter::new(&mut file);
            for &(id, content, row) in &self.buffer {
                w.write_all(&id.to_le_bytes())?;
                w.write_all(&content.to_le_bytes())?;
                w.write_all(&row.to_le_bytes())?;
            }
            w.flush()?;
        }
        file.rewind()?;
        self.runs.push(file);
        self.buffer.clear();
        Ok(())
    }

    /// The rows whose ID an earlier row uses with another title or date: row number, and the
    /// first row with that ID.
    pub fn conflicts(mut self) -> io::Result<HashMap<u64, u64>> {
        let mut out = HashMap::new();
        // The first row of the current ID, and its content.
        let mut first: Option<Entry> = None;
        let mut take = |(id, content, row): Entry| match first {
            Some((fid, fcontent, frow)) if fid == id => {
                if fcontent != content {
                    out.insert(row, frow);
                }
            }
            _ => first = Some((id, content, row)),
        };
        if self.runs.is_empty() {
            self.buffer.sort_unstable_by_key(|&(id, _, row)| (id, row));
            self.buffer.iter().copied().for_each(&mut take);
        } else {
            if !self.buffer.is_empty() {
                self.spill()?;
            }
            let mut readers: Vec<BufReader<File>> =
                self.runs.into_iter().map(BufReader::new).collect();
            let mut heap = BinaryHeap::new();
            for (i, r) in readers.iter_mut().enumerate() {
                if let Some((id, content, row)) = read_entry(r)? {
                    heap.push(Reverse((id, row, content, i)));
                }
            }
            while let Some(Reverse((id, row, content, i))) = heap.pop() {
                take((id, content, row));
                if let Some((id, content, row)) = read_entry(&mut readers[i])? {
                    heap.push(Reverse((id, row, content, i)));
                }
            }
        }
        Ok(out)
    }
}

fn read_entry(r: &mut impl Read) -> io::Result<Option<Entry>> {
    let mut b = [0u8; 24];
    match r.read_exact(&mut b) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let word = |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
    Ok(Some((word(0), word(1), word(2))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn ledger(rows: &[(&str, &str, &str)]) -> HashMap<u64, u64> {
        let mut l = IdLedger::default();
        for (i, (id, title, date)) in rows.iter().enumerate() {
            l.add(id, title, day(date), i as u64 + 2).unwrap();
        }
        l.conflicts().unwrap()
    }

    #[test]
    fn the_same_document_for_several_controls_is_no_conflict() {
        let c = ledger(&[
            ("E-1", "Access review", "2026-01-01"),
            ("E-1", "Access review", "2026-01-01"),
            ("E-2", "Backup report", "2026-02-01"),
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn another_title_or_date_under_one_id_is_reported_against_the_first_row() {
        let c = ledger(&[
            ("E-1", "Access review", "2026-01-01"),
            ("E-2", "Backup report", "2026-02-01"),
            ("E-1", "Firewall rules", "2026-01-01"),
            ("E-1", "Access review", "2026-03-01"),
            ("E-1", "Access review", "2026-01-01"),
        ]);
        assert_eq!(c, HashMap::from([(4, 2), (5, 2)]));
    }

    #[test]
    fn runs_spilled_to_disk_merge_to_the_same_answer() {
        // More rows than one run holds: IDs repeat across runs.
        let mut l = IdLedger::default();
        let n = RUN as u64 * 2 + 10;
        for i in 0..n {
            let id = format!("E-{}", i % 1000);
            let title = if i == n - 1 { "changed" } else { "same" };
            l.add(&id, title, day("2026-01-01"), i + 2).unwrap();
        }
        assert_eq!(l.runs.len(), 2);
        let c = l.conflicts().unwrap();
        let last = n - 1;
        assert_eq!(c, HashMap::from([(last + 2, (last % 1000) + 2)]));
    }
}

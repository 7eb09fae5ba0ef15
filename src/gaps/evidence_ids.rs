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
use std::hash::BuildHasher;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use crate::text::trim;
use jiff::civil::Date;

/// Records kept in memory before a run is written out (24 bytes each: 1.5 MB).
const RUN: usize = 1 << 16;

/// The hash of IDs and of titles and dates: foldhash with a fixed seed, the same in every run
/// (the hashes never leave the run: they are compared with each other only). FNV-1a, byte by
/// byte, cost 6% of a gap run on a million rows; this reads eight bytes at a time.
const HASH: foldhash::quality::FixedState =
    foldhash::quality::FixedState::with_seed(0x0053_524d_4150);

/// One row: (ID hash, content hash, row number).
type Entry = (u64, u64, u64);

#[derive(Default)]
pub(super) struct IdLedger {
    buffer: Vec<Entry>,
    /// Sorted runs written out, each with a number to add to its rows (a run of a register's
    /// second part, read on its own: [`IdLedger::absorb`]).
    runs: Vec<(File, u64)>,
    /// Ledgers of later parts, with the lines before each, not yet merged in.
    later: Vec<(IdLedger, u64)>,
}

impl IdLedger {
    /// Note one row's evidence ID, title and date.
    pub fn add(&mut self, id: &str, title: &str, effective: Date, row: u64) -> io::Result<()> {
        let id_hash = HASH.hash_one(trim(id).as_bytes());
        let day = (effective.year(), effective.month(), effective.day());
        let content = HASH.hash_one((trim(title).as_bytes(), day));
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
        self.runs.push((file, 0));
        self.buffer.clear();
        Ok(())
    }

    /// Take in the rows of a register's later part, noted by a ledger of its own with rows
    /// counted from the part's start: `lines_before` is added to each. They are only kept
    /// aside here: [`IdLedger::conflicts`], on a thread of its own, merges them.
    pub fn absorb(&mut self, mut other: IdLedger, lines_before: u64) -> io::Result<()> {
        let theirs = std::mem::take(&mut other.later);
        self.later.push((other, lines_before));
        self.later.extend(
            theirs
                .into_iter()
                .map(|(ledger, lines)| (ledger, lines + lines_before)),
        );
        Ok(())
    }

    /// Merge in the rows of a later part kept aside by [`IdLedger::absorb`].
    fn take_in(&mut self, other: IdLedger, lines_before: u64) -> io::Result<()> {
        self.runs.extend(
            other
                .runs
                .into_iter()
                .map(|(file, offset)| (file, offset + lines_before)),
        );
        for (id, content, row) in other.buffer {
            self.buffer.push((id, content, row + lines_before));
            if self.buffer.len() >= RUN {
                self.spill()?;
            }
        }
        Ok(())
    }

    /// The rows whose ID an earlier row uses with another title or date: row number, and the
    /// first row with that ID.
    pub fn conflicts(mut self) -> io::Result<HashMap<u64, u64>> {
        for (other, lines_before) in std::mem::take(&mut self.later) {
            self.take_in(other, lines_before)?;
        }
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
            let mut readers: Vec<(BufReader<File>, u64)> = self
                .runs
                .into_iter()
                .map(|(file, offset)| (BufReader::new(file), offset))
                .collect();
            let mut heap = BinaryHeap::new();
            for (i, (r, offset)) in readers.iter_mut().enumerate() {
                if let Some((id, content, row)) = read_entry(r)? {
                    heap.push(Reverse((id, row + *offset, content, i)));
                }
            }
            while let Some(Reverse((id, row, content, i))) = heap.pop() {
                take((id, content, row));
                let (r, offset) = &mut readers[i];
                if let Some((id, content, row)) = read_entry(r)? {
                    heap.push(Reverse((id, row + *offset, content, i)));
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
    fn a_later_part_noted_on_its_own_gives_the_same_answer() {
        // Rows 2.. of one register; the second part's ledger counts rows from its start.
        let rows: Vec<(String, &str)> = (0..RUN as u64 + 50)
            .map(|i| {
                (
                    format!("E-{}", i % 700),
                    if i % 997 == 3 { "other" } else { "same" },
                )
            })
            .collect();
        let mut whole = IdLedger::default();
        for (i, (id, title)) in rows.iter().enumerate() {
            whole
                .add(id, title, day("2026-01-01"), i as u64 + 2)
                .unwrap();
        }
        let cut = 40_000;
        let (mut first, mut second) = (IdLedger::default(), IdLedger::default());
        for (i, (id, title)) in rows.iter().enumerate() {
            if i < cut {
                first
                    .add(id, title, day("2026-01-01"), i as u64 + 2)
                    .unwrap();
            } else {
                second
                    .add(id, title, day("2026-01-01"), (i - cut) as u64 + 1)
                    .unwrap();
            }
        }
        first.absorb(second, cut as u64 + 1).unwrap();
        let expected = whole.conflicts().unwrap();
        assert!(!expected.is_empty());
        assert_eq!(first.conflicts().unwrap(), expected);
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

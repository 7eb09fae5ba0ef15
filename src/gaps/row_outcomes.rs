//! What became of every register row, for the reports that list them (the workbook's `Evidence
//! rows` sheet, the PDF's evidence index), in bounded memory: the first rows are held, the
//! rest written to an anonymous temporary file as the second pass decides them, and read back
//! in order each time a report goes through them (a workbook goes through its sheet twice:
//! once to measure the columns, once to write them).
//!
//! A row's outcome is about 150 bytes held (its ID, location and two shared texts); a register
//! of a million rows held them all (150 MB and more); now at most [`HELD`] are.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::RowOutcome;

/// Rows held in memory before the rest go to the temporary file.
const HELD: usize = 16_384;

/// The outcomes of a register's rows, in register order.
#[derive(Debug, Default)]
pub struct RowOutcomes {
    held: Vec<RowOutcome>,
    /// Rows past the first [`HELD`]: written, then shared by the report's clones.
    spilled: Option<Arc<Spill>>,
    /// The spill being written (until [`RowOutcomes::seal`]).
    writing: Option<BufWriter<File>>,
    len: usize,
}

/// A clone shares the written rows (a clone of rows still being written has only those held).
impl Clone for RowOutcomes {
    fn clone(&self) -> RowOutcomes {
        RowOutcomes {
            held: self.held.clone(),
            spilled: self.spilled.clone(),
            writing: None,
            len: self.held.len() + self.spilled.as_ref().map_or(0, |s| s.len),
        }
    }
}

#[derive(Debug)]
struct Spill {
    file: File,
    len: usize,
}

impl RowOutcomes {
    pub fn new() -> RowOutcomes {
        RowOutcomes::default()
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The outcomes of a few rows, all held (an attestation register's).
    pub(super) fn held(rows: Vec<RowOutcome>) -> RowOutcomes {
        RowOutcomes {
            len: rows.len(),
            held: rows,
            ..RowOutcomes::default()
        }
    }

    /// Add the next row's outcome.
    pub(super) fn push(&mut self, row: RowOutcome) -> io::Result<()> {
        self.len += 1;
        if self.held.len() < HELD && self.writing.is_none() {
            self.held.push(row);
            return Ok(());
        }
        let w = match &mut self.writing {
            Some(w) => w,
            None => self.writing.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        w.write_all(&row.row.to_le_bytes())?;
        for text in [&*row.id, &*row.location, &*row.what, &*row.outcome] {
            w.write_all(&(text.len() as u64).to_le_bytes())?;
            w.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// Finish writing: the rows can be read from then on.
    pub(super) fn seal(&mut self) -> io::Result<()> {
        if let Some(w) = self.writing.take() {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            self.spilled = Some(Arc::new(Spill {
                file,
                len: self.len - self.held.len(),
            }));
        }
        Ok(())
    }

    /// Every row in order. Reading the temporary file back can fail (each such row is an
    /// error); the held rows cannot.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<RowOutcome>> + '_ {
        let spilled = self.spilled.as_deref().map(|s| {
            let mut input = BufReader::with_capacity(
                1 << 16,
                At {
                    file: &s.file,
                    at: 0,
                },
            );
            (0..s.len).map(move |_| read_row(&mut input))
        });
        self.held
            .iter()
            .cloned()
            .map(Ok)
            .chain(spilled.into_iter().flatten())
    }
}

/// The held rows and the file's rows as one sequence (a report's JSON, were it ever written
/// whole). A row that cannot be read back is an error of the serializer.
impl Serialize for RowOutcomes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len))?;
        for row in self.iter() {
            seq.serialize_element(&row.map_err(serde::ser::Error::custom)?)?;
        }
        seq.end()
    }
}

fn read_row(input: &mut impl BufRead) -> io::Result<RowOutcome> {
    let mut word = [0u8; 8];
    input.read_exact(&mut word)?;
    let row = u64::from_le_bytes(word);
    let mut text = || -> io::Result<String> {
        input.read_exact(&mut word)?;
        let len = usize::try_from(u64::from_le_bytes(word)).map_err(io::Error::other)?;
        let mut bytes = vec![0; len];
        input.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(io::Error::other)
    };
    Ok(RowOutcome {
        row,
        id: text()?.into(),
        location: text()?.into(),
        what: text()?.into(),
        outcome: text()?.into(),
    })
}

/// A file read from a place of its own (not the file's shared offset), so that two readers of
/// one spill do not move each other.
struct At<'f> {
    file: &'f File,
    at: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.at)?;
        #[cfg(not(any(unix, windows)))]
        let n: usize = {
            let _ = buf;
            return Err(io::Error::other(
                "reading a file at a place is not supported here",
            ));
        };
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u64) -> RowOutcome {
        RowOutcome {
            row: n,
            id: format!("EV-{n}").into(),
            location: if n % 3 == 0 {
                "".into()
            } else {
                format!("https://docs.example/{n} é").into()
            },
            what: "pci-dss-4.0.1:8.3.1 @ payments".into(),
            outcome: format!("counts for system-{}", n % 7).into(),
        }
    }

    #[test]
    fn rows_past_the_held_ones_are_read_back_in_order_as_often_as_asked() {
        let mut rows = RowOutcomes::new();
        let n = HELD as u64 + 5_000;
        for i in 2..n + 2 {
            rows.push(row(i)).unwrap();
        }
        rows.seal().unwrap();
        assert_eq!(rows.len(), n as usize);
        assert!(rows.spilled.is_some());
        let copy = rows.clone();
        // Two readers at once (a clone shares the file): neither moves the other.
        let mut a = rows.iter();
        let mut b = copy.iter();
        for i in 2..n + 2 {
            let (x, y) = (a.next().unwrap().unwrap(), b.next().unwrap().unwrap());
            let want = row(i);
            for got in [x, y] {
                assert_eq!(
                    (got.row, &*got.id, &*got.location, &*got.what, &*got.outcome),
                    (
                        want.row,
                        &*want.id,
                        &*want.location,
                        &*want.what,
                        &*want.outcome
                    )
                );
            }
        }
        assert!(a.next().is_none() && b.next().is_none());
        assert_eq!(rows.iter().count(), n as usize);
    }

    #[test]
    fn few_rows_are_held() {
        let mut rows = RowOutcomes::new();
        rows.push(row(2)).unwrap();
        rows.seal().unwrap();
        assert!(rows.spilled.is_none());
        assert_eq!(rows.iter().map(|r| r.unwrap().row).collect::<Vec<_>>(), [2]);
        let json = serde_json::to_string(&rows).unwrap();
        assert!(json.starts_with("[{\"row\":2,"), "{json}");
    }
}

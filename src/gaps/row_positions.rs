//! Where each row of a CSV register is and which key it folded into, kept on the first pass so
//! the second pass reads again only the rows it needs; for a workbook register, the rows
//! themselves.
//!
//! The second pass applies each check's verdict to the rows of its key; the rows of a key whose
//! verdict reports nothing are skipped. On a register of a million rows that is 99% of them,
//! yet reading the file again to skip them cost as much as the first read (the CSV parser sees
//! every byte). So the first pass notes each row's place (where its record starts, its line)
//! and key, a few bytes a row written to an anonymous temporary file (memory stays flat), and
//! the second pass reads the places back and parses only the records it needs, each from where
//! it starts. A workbook cannot be read from the middle, and reading it again costs as much as
//! the first read (its XML parsed again), so the fields of each of its rows are written instead
//! (about a hundred bytes a row) and the second pass reads them back.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};

use jiff::civil::Date;

use crate::input::evidence::{EvidenceRow, Status};

/// The places of the rows, in the register's order, as they are noted.
pub(super) struct RowPositions {
    out: BufWriter<File>,
    /// The last row's start and line (the file holds differences from them).
    last: (u64, u64),
    rows: u64,
    /// Whether the file holds rows (a workbook's) rather than places (a CSV file's).
    holds_rows: bool,
    /// The places of the register's later part, noted on their own ([`RowPositions::absorb`]):
    /// read after these, their lines moved down and their keys made this one's.
    later: Vec<Later>,
}

/// A later part's places: the lines before the part, and this book's key for each of its keys.
struct Later {
    positions: RowPositions,
    lines_before: u64,
    keys: Vec<u32>,
}

/// One row: where its record starts, its line, and its key (None: it resolved to nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    pub at: u64,
    pub line: u64,
    pub key: Option<u32>,
}

impl RowPositions {
    pub fn new() -> io::Result<RowPositions> {
        Ok(RowPositions {
            out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            last: (0, 0),
            rows: 0,
            holds_rows: false,
            later: Vec::new(),
        })
    }

    /// The same, every row written out to the temporary file (an error when the disk is full:
    /// the second pass then reads the register again instead).
    pub fn flushed(mut self) -> io::Result<RowPositions> {
        self.out.flush()?;
        Ok(self)
    }

    /// Whether rows were noted ([`RowPositions::push_row`]) rather than places.
    pub fn holds_rows(&self) -> bool {
        self.holds_rows
    }

    /// Note the next row of a workbook register: its key and the row itself (a register's rows
    /// are all noted one way: places or rows).
    pub fn push_row(&mut self, key: Option<u32>, r: &EvidenceRow<'_>) -> io::Result<()> {
        self.holds_rows = true;
        let mut buf = [0u8; 10];
        let n = varint(&mut buf, key.map_or(0, |k| u64::from(k) + 1));
        self.out.write_all(&buf[..n])?;
        let n = varint(&mut buf, r.row);
        self.out.write_all(&buf[..n])?;
        for text in [
            &r.framework,
            &r.control,
            &r.system,
            &r.evidence_id,
            &r.title,
            &r.owner,
            &r.location,
        ] {
            let n = varint(&mut buf, text.len() as u64);
            self.out.write_all(&buf[..n])?;
            self.out.write_all(text.as_bytes())?;
        }
        let status = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0) as u8;
        self.out.write_all(&day(r.effective_date))?;
        match r.expires {
            Some(d) => {
                self.out.write_all(&[1])?;
                self.out.write_all(&day(d))?;
            }
            None => self.out.write_all(&[0])?,
        }
        self.out.write_all(&[status])?;
        self.rows += 1;
        Ok(())
    }

    /// The rows noted with [`RowPositions::push_row`], in order, each with its key, given to
    /// `each` (its text borrowed from a buffer reused row after row).
    pub fn each_row(self, mut each: impl FnMut(Option<u32>, EvidenceRow<'_>)) -> io::Result<()> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut input = BufReader::with_capacity(1 << 16, file);
        let mut text: Vec<u8> = Vec::new();
        for _ in 0..self.rows {
            let key = read_varint(&mut input)?.checked_sub(1).map(|k| k as u32);
            let row = read_varint(&mut input)?;
            text.clear();
            let mut ends = [0usize; 7];
            for end in &mut ends {
                let len = read_varint(&mut input)? as usize;
                let start = text.len();
                text.resize(start + len, 0);
                input.read_exact(&mut text[start..])?;
                *end = text.len();
            }
            let effective_date = read_day(&mut input)?;
            let mut flag = [0u8];
            input.read_exact(&mut flag)?;
            let expires = match flag[0] {
                0 => None,
                _ => Some(read_day(&mut input)?),
            };
            input.read_exact(&mut flag)?;
            let status = Status::ALL[usize::from(flag[0]) % Status::ALL.len()];
            let text = std::str::from_utf8(&text)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let field = |i: usize| {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                Cow::Borrowed(&text[start..ends[i]])
            };
            each(
                key,
                EvidenceRow {
                    row,
                    framework: field(0),
                    control: field(1),
                    system: field(2),
                    evidence_id: field(3),
                    title: field(4),
                    owner: field(5),
                    effective_date,
                    expires,
                    status,
                    location: field(6),
                    at: None,
                },
            );
        }
        Ok(())
    }

    /// Note the next row (rows come in the register's order: `at` and `line` never go back).
    pub fn push(&mut self, p: Position) -> io::Result<()> {
        let mut buf = [0u8; 30];
        let mut n = varint(&mut buf, p.key.map_or(0, |k| u64::from(k) + 1));
        n += varint(&mut buf[n..], p.at - self.last.0);
        n += varint(&mut buf[n..], p.line - self.last.1);
        self.last = (p.at, p.line);
        self.rows += 1;
        self.out.write_all(&buf[..n])
    }

    /// Take in the places of a register's later part, noted on their own with lines counted
    /// from the part's start (`lines_before` is added to each) and keys of their own (`keys`
    /// gives this one's for each). They are not copied: they are read after these.
    pub fn absorb(
        &mut self,
        other: RowPositions,
        lines_before: u64,
        keys: Vec<u32>,
    ) -> io::Result<()> {
        if other.holds_rows || self.holds_rows {
            return Err(io::ErrorKind::InvalidInput.into());
        }
        self.later.push(Later {
            positions: other,
            lines_before,
            keys,
        });
        Ok(())
    }

    /// Rows noted.
    pub fn len(&self) -> u64 {
        self.rows + self.later.iter().map(|l| l.positions.len()).sum::<u64>()
    }

    /// The rows noted, in order (a later part's after these).
    pub fn read(mut self) -> io::Result<Box<dyn Iterator<Item = io::Result<Position>>>> {
        let later = std::mem::take(&mut self.later);
        let mut all: Box<dyn Iterator<Item = io::Result<Position>>> = Box::new(self.places()?);
        for Later {
            positions,
            lines_before,
            keys,
        } in later
        {
            let moved = positions.read()?.map(move |p| {
                p.map(|p| Position {
                    line: p.line + lines_before,
                    key: p.key.map(|k| keys[k as usize]),
                    ..p
                })
            });
            all = Box::new(all.chain(moved));
        }
        Ok(all)
    }

    /// The places this one noted, in order.
    fn places(self) -> io::Result<impl Iterator<Item = io::Result<Position>>> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut input = BufReader::with_capacity(1 << 16, file);
        let mut last = (0u64, 0u64);
        let mut left = self.rows;
        Ok(std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            left -= 1;
            let mut next = || read_varint(&mut input);
            Some((|| {
                let key = next()?;
                let at = last.0 + next()?;
                let line = last.1 + next()?;
                last = (at, line);
                Ok(Position {
                    at,
                    line,
                    key: key.checked_sub(1).map(|k| k as u32),
                })
            })())
        }))
    }
}

/// A date as four bytes: the year (two), the month and the day.
fn day(d: Date) -> [u8; 4] {
    let [y0, y1] = d.year().to_le_bytes();
    [y0, y1, d.month() as u8, d.day() as u8]
}

fn read_day(input: &mut impl Read) -> io::Result<Date> {
    let mut b = [0u8; 4];
    input.read_exact(&mut b)?;
    Date::new(i16::from_le_bytes([b[0], b[1]]), b[2] as i8, b[3] as i8)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// LEB128: seven bits a byte, low first; the high bit says another byte follows.
fn varint(buf: &mut [u8], mut v: u64) -> usize {
    let mut n = 0;
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            buf[n] = byte;
            return n + 1;
        }
        buf[n] = byte | 0x80;
        n += 1;
    }
}

fn read_varint(input: &mut impl BufRead) -> io::Result<u64> {
    // Most often the whole number is in the buffer: decoded there.
    let buf = input.fill_buf()?;
    let mut v = 0u64;
    for (i, &byte) in buf.iter().take(9).enumerate() {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            input.consume(i + 1);
            return Ok(v);
        }
    }
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let mut byte = [0u8];
        input.read_exact(&mut byte)?;
        v |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "a row's place is longer than a number can be",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_come_back_in_order() {
        let rows = [
            Position {
                at: 57,
                line: 2,
                key: Some(0),
            },
            Position {
                at: 130,
                line: 3,
                key: None,
            },
            Position {
                at: 5_000_000_000,
                line: 90_000_000,
                key: Some(u32::MAX - 1),
            },
        ];
        let mut p = RowPositions::new().unwrap();
        for r in rows {
            p.push(r).unwrap();
        }
        assert_eq!(p.len(), 3);
        let back: Vec<Position> = p.read().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, rows);
    }

    #[test]
    fn rows_come_back_as_they_were_noted() {
        let date = |s: &str| s.parse::<Date>().unwrap();
        let rows = [
            EvidenceRow {
                row: 2,
                framework: Cow::Borrowed("pci-dss-4.0.1"),
                control: Cow::Borrowed("8.3.1"),
                system: Cow::Borrowed(""),
                evidence_id: Cow::Borrowed("EV-1"),
                title: Cow::Borrowed("Access review, signed \u{e9}t\u{e9}"),
                owner: Cow::Borrowed("M. Chen"),
                effective_date: date("2026-02-10"),
                expires: None,
                status: Status::Approved,
                location: Cow::Borrowed("https://grc.example/ev/1"),
                at: None,
            },
            EvidenceRow {
                row: 1_048_576,
                framework: Cow::Borrowed(""),
                control: Cow::Borrowed("CC6.1"),
                system: Cow::Borrowed("payments"),
                evidence_id: Cow::Borrowed("EV-2"),
                title: Cow::Borrowed(""),
                owner: Cow::Borrowed(""),
                effective_date: Date::new(-9, 12, 31).unwrap(),
                expires: Some(date("9999-12-31")),
                status: Status::Failed,
                location: Cow::Borrowed("s3://bucket/key"),
                at: None,
            },
        ];
        let mut p = RowPositions::new().unwrap();
        p.push_row(Some(7), &rows[0]).unwrap();
        p.push_row(None, &rows[1]).unwrap();
        assert!(p.holds_rows());
        let mut back = Vec::new();
        p.each_row(|key, r| back.push((key, format!("{r:?}"))))
            .unwrap();
        assert_eq!(
            back,
            [
                (Some(7), format!("{:?}", rows[0])),
                (None, format!("{:?}", rows[1]))
            ]
        );
    }
}

//! Where each row of a CSV register is and which key it folded into, kept on the first pass so
//! the second pass reads again only the rows it needs.
//!
//! The second pass applies each check's verdict to the rows of its key; the rows of a key whose
//! verdict reports nothing are skipped. On a register of a million rows that is 99% of them,
//! yet reading the file again to skip them cost as much as the first read (the CSV parser sees
//! every byte). So the first pass notes each row's place (where its record starts, its line)
//! and key, a few bytes a row written to an anonymous temporary file (memory stays flat), and
//! the second pass reads the places back and parses only the records it needs, each from where
//! it starts.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

/// The places of the rows, in the register's order, as they are noted.
pub(super) struct RowPositions {
    out: BufWriter<File>,
    /// The last row's start and line (the file holds differences from them).
    last: (u64, u64),
    rows: u64,
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
        })
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

    /// Rows noted.
    pub fn len(&self) -> u64 {
        self.rows
    }

    /// The rows noted, in order.
    pub fn read(self) -> io::Result<impl Iterator<Item = io::Result<Position>>> {
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
}

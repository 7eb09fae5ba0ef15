//! CSV files, read the one way srmap reads them: ragged rows allowed (missing cells read as
//! empty), no trimming (values are trimmed when read), byte-order mark dropped, every record
//! with its line.

use std::collections::VecDeque;
use std::io::{Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::table::{control_character, may_hold_control, Cell, Row};

/// A record that cannot be read: the CSV parser's error (`bad-csv`), or a field with a control
/// character (`control-character`).
#[derive(Debug, Clone, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct BadRecord {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The parser's own message, or what is wrong with the field.
    pub error: String,
    /// The record is not UTF-8 text.
    pub not_utf8: bool,
    /// The code of the problem.
    pub code: Code,
    /// The 1-based field, when the problem is in one.
    pub column: Option<u64>,
    /// The problem already placed (a sheet's row read as a record).
    pub placed: Option<Box<Diagnostic>>,
}

impl BadRecord {
    fn new(e: &csv::Error) -> Self {
        let utf8_field = match e.kind() {
            csv::ErrorKind::Utf8 { err, .. } => Some(err.field() as u64 + 1),
            _ => None,
        };
        BadRecord {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            error: e.to_string(),
            not_utf8: utf8_field.is_some(),
            code: Code::BadCsv,
            column: utf8_field,
            placed: None,
        }
    }

    /// A problem found in a sheet, carried as a record's.
    pub fn placed(d: Diagnostic) -> Self {
        BadRecord {
            line: d.location.line.unwrap_or(0),
            error: d.message.clone(),
            not_utf8: false,
            code: d.code,
            column: d.location.column,
            placed: Some(Box::new(d)),
        }
    }

    /// The problem at the record's line (and field), saying how to fix a file that is not
    /// UTF-8.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        if let Some(d) = &self.placed {
            return (**d).clone();
        }
        let msg = if self.not_utf8 {
            "this field is not UTF-8 text (a Latin-1 or Windows-1252 character?): save the file as \
             CSV UTF-8"
                .to_string()
        } else {
            self.error.clone()
        };
        Diagnostic::error(
            self.code,
            Location::at(file, self.line, self.column.unwrap_or(1)),
            msg,
        )
    }
}

/// The separator of a CSV file from its first line: `;` when it has more of them than `,`
/// (`prefer_semicolon`: when it has at least as many).
pub fn sniff_delimiter(first_line: &[u8], prefer_semicolon: bool) -> u8 {
    let semis = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if semis > commas || (prefer_semicolon && semis == commas) {
        b';'
    } else {
        b','
    }
}

/// Every record of a CSV input, the header row included, as rows of cells with their lines,
/// streamed.
///
/// Lines are counted from the bytes, not taken from the parser: the `csv` crate gives a record
/// that follows blank lines the line of the first blank one, so a row after an empty line would
/// be reported a line (or, with CRLF endings, two) too early.
pub fn records<R: Read>(input: R, delimiter: u8) -> Stream<R> {
    records_buffered(input, delimiter, 8 << 10)
}

/// As [`records`], the parser reading `buffer` bytes at a time (a record read on its own,
/// after a seek, reads this much: [`Stream::read_at`]).
pub fn records_buffered<R: Read>(input: R, delimiter: u8, buffer: usize) -> Stream<R> {
    let counted = Counting {
        inner: input,
        offset: 0,
        breaks: LineBreaks::default(),
    };
    Stream {
        reader: csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(buffer)
            .from_reader(counted),
        record: csv::StringRecord::new(),
    }
}

/// The records of a CSV input, each as a row of cells with its line. As an iterator it gives
/// owned rows; [`Stream::next_into`] fills one row over and over, so a register of millions of
/// rows is read without allocating per cell.
pub struct Stream<R> {
    reader: csv::Reader<Counting<R>>,
    record: csv::StringRecord,
}

impl<R: Read> Stream<R> {
    /// Where the last record read starts, in bytes from the start of the input (the first of
    /// the blank lines before it, if any: reading from there skips them again).
    pub fn position(&self) -> u64 {
        self.record.position().map_or(0, |p| p.byte())
    }

    /// Where the parser goes on from: the byte after the last record read (a record after a
    /// CRLF line end is read from its `\n`).
    pub(super) fn goes_on_from(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The line breaks (`\n`) before `byte`, which must not come before the last record read
    /// and must have been read past.
    pub(super) fn newlines_before(&self, byte: u64) -> u64 {
        let breaks = &self.reader.get_ref().breaks;
        breaks.passed + breaks.newlines.partition_point(|&n| n < byte) as u64
    }

    /// Read the next record into `row` (its cells' text buffers reused). `None` at the end.
    pub fn next_into(&mut self, row: &mut Row) -> Option<Result<(), BadRecord>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                row.line = self
                    .record
                    .position()
                    .map(|p| self.reader.get_mut().breaks.line_at(p.byte()))
                    .unwrap_or(0);
                row.cells.truncate(self.record.len());
                for (i, field) in self.record.iter().enumerate() {
                    match row.cells.get_mut(i) {
                        Some(cell) => cell.set_text(field),
                        None => row.cells.push(Cell::from_text(field)),
                    }
                }
                if may_hold_control(self.record.as_slice().as_bytes()) {
                    for (i, field) in self.record.iter().enumerate() {
                        if let Some(error) = control_character(field) {
                            return Some(Err(BadRecord {
                                line: row.line,
                                error,
                                not_utf8: false,
                                code: Code::ControlCharacter,
                                column: Some(i as u64 + 1),
                                placed: None,
                            }));
                        }
                    }
                }
                Some(Ok(()))
            }
            Err(e) => {
                let mut bad = BadRecord::new(&e);
                if let Some(p) = e.position() {
                    bad.line = self.reader.get_mut().breaks.line_at(p.byte());
                }
                Some(Err(bad))
            }
        }
    }
}

/// Rows read ahead at a time, on the reading thread ([`Stream::read_ahead`]).
const BATCH: usize = 256;

/// A batch of rows read ahead: each row's place, or the problem in its place.
#[derive(Default)]
struct Batch {
    rows: Vec<Row>,
    read: Vec<Result<u64, BadRecord>>,
}

impl<R: Read + Send> Stream<R> {
    /// Read every record in turn on a thread of its own, a batch of rows ahead, and hand each
    /// to `each` on this one, in order, with its place ([`Stream::position`]): parsing the CSV
    /// and using its rows take about as long as each other, and this way they overlap. `each`
    /// can stop the reading. The batches' rows go back to the reading thread to be filled
    /// again, so a register of millions of rows is read with a few batches' worth of memory.
    pub fn read_ahead(
        mut self,
        mut each: impl FnMut(Result<(&Row, u64), BadRecord>) -> ControlFlow<()>,
    ) {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(2);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            scope.spawn(move || loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                batch.read.clear();
                let mut end = false;
                while batch.read.len() < BATCH {
                    let n = batch.read.len();
                    if batch.rows.len() <= n {
                        batch.rows.push(Row {
                            line: 0,
                            cells: Vec::new(),
                        });
                    }
                    match self.next_into(&mut batch.rows[n]) {
                        None => {
                            end = true;
                            break;
                        }
                        Some(Ok(())) => batch.read.push(Ok(self.position())),
                        Some(Err(bad)) => batch.read.push(Err(bad)),
                    }
                }
                // The other side hung up (it stopped reading), or the input ended.
                if (!batch.read.is_empty() && full_tx.send(batch).is_err()) || end {
                    return;
                }
            });
            'batches: for mut batch in full_rx.iter() {
                for (i, read) in batch.read.drain(..).enumerate() {
                    let given = read.map(|at| (&batch.rows[i], at));
                    if each(given).is_break() {
                        break 'batches;
                    }
                }
                let _ = empty_tx.send(batch);
            }
            // Stop the reading thread if it is still reading (it is waiting to hand a batch).
            drop(full_rx);
        });
    }
}

impl Stream<std::io::BufReader<std::fs::File>> {
    /// Read the record that starts at `at` (a [`Stream::position`] of an earlier read of the
    /// same input) into `row`, as the `line` it was then. `None` when there is no record there.
    pub fn read_at(&mut self, at: u64, line: u64, row: &mut Row) -> Option<Result<(), BadRecord>> {
        let mut position = csv::Position::new();
        position.set_byte(at).set_line(line);
        if let Err(e) = self.reader.seek(position) {
            return Some(Err(BadRecord::new(&e)));
        }
        let read = self.next_into(row);
        row.line = line;
        read
    }
}

impl<R: Read> Iterator for Stream<R> {
    type Item = Result<Row, BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        self.next_into(&mut row).map(|r| r.map(|()| row))
    }
}

/// Where the line breaks of an input are, as it is read. Records are asked for in order, so the
/// breaks before the last record asked for are only counted, not kept: memory stays at about a
/// buffer's worth of breaks, whatever the size of the file.
#[derive(Debug)]
struct LineBreaks {
    /// Byte offsets of the `\n`s not yet passed, in order.
    newlines: VecDeque<u64>,
    /// Byte offsets of the `\r`s not yet passed, in order.
    returns: VecDeque<u64>,
    /// `\n`s passed (before the last record asked for).
    passed: u64,
    /// Whether breaks are noted (not after a seek: the records read then know their lines).
    counting: bool,
}

impl Default for LineBreaks {
    fn default() -> Self {
        LineBreaks {
            newlines: VecDeque::new(),
            returns: VecDeque::new(),
            passed: 0,
            counting: true,
        }
    }
}

impl LineBreaks {
    /// The 1-based line of the record that the parser says starts at `byte`: blank lines the
    /// parser skipped before it are stepped over first. `byte` never goes back.
    fn line_at(&mut self, byte: u64) -> u64 {
        // The breaks before `at` are passed (popped) as `at` moves on: a break at `at` is then
        // the front of its list (no search: records are asked for in order).
        let mut at = byte;
        loop {
            while self.newlines.front().is_some_and(|&n| n < at) {
                self.newlines.pop_front();
                self.passed += 1;
            }
            while self.returns.front().is_some_and(|&r| r < at) {
                self.returns.pop_front();
            }
            if self.newlines.front() == Some(&at) || self.returns.front() == Some(&at) {
                at += 1;
            } else {
                return self.passed + 1;
            }
        }
    }
}

/// A reader that notes the offsets of line breaks as bytes pass through it.
struct Counting<R> {
    inner: R,
    offset: u64,
    breaks: LineBreaks,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let breaks = &mut self.breaks;
        if !breaks.counting {
            self.offset += n as u64;
            return Ok(n);
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            let at = self.offset + i as u64;
            if buf[i] == b'\n' {
                breaks.newlines.push_back(at);
            } else {
                breaks.returns.push_back(at);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl Seek for Counting<std::io::BufReader<std::fs::File>> {
    /// Only to where a record starts, to read it again (its line is known): line breaks are no
    /// longer noted from there on. Within the file's buffer the seek moves in the buffer, so
    /// reading records a few kilobytes apart reads the file once.
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.offset = match to {
            SeekFrom::Start(at) => {
                let delta = i64::try_from(at).unwrap_or(i64::MAX) - self.offset as i64;
                self.inner.seek_relative(delta)?;
                at
            }
            other => self.inner.seek(other)?,
        };
        let breaks = &mut self.breaks;
        breaks.counting = false;
        breaks.newlines.clear();
        breaks.returns.clear();
        Ok(self.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_rows_read_as_empty_and_lines_are_kept() {
        let rows: Vec<Row> = records("\u{feff}a,b\n1\n2,x\n".as_bytes(), b',')
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0].text(0), "a");
        assert_eq!(rows[1].text(1), "");
        assert_eq!(rows[1].text(0), "1");
        assert_eq!(rows[2].line, 3);
    }

    #[test]
    fn rows_after_blank_lines_keep_their_own_line() {
        for text in [
            "a,b\n1,x\n\n2,y\n\n\n3,z\n",
            "a,b\r\n1,x\r\n\r\n2,y\r\n\r\n\r\n3,z\r\n",
        ] {
            let lines: Vec<u64> = records(text.as_bytes(), b',')
                .map(|r| r.unwrap().line)
                .collect();
            assert_eq!(lines, [1, 2, 4, 7], "{text:?}");
        }
        // A quoted cell over two lines: the next record is on the line after it.
        let lines: Vec<u64> = records("a,b\n\"x\ny\",1\n\n2,z\n".as_bytes(), b',')
            .map(|r| r.unwrap().line)
            .collect();
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn the_separator_is_the_commonest() {
        assert_eq!(sniff_delimiter(b"a;b;c,d", false), b';');
        assert_eq!(sniff_delimiter(b"a;b,c", false), b',');
        assert_eq!(sniff_delimiter(b"a;b,c", true), b';');
    }
}

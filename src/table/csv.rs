//! CSV files, read the one way srmap reads them: ragged rows allowed (missing cells read as
//! empty), no trimming (values are trimmed when read), byte-order mark dropped, every record
//! with its line.

use std::io::{Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::table::{control_character, Cell, Row};
use crate::text::{trim, without_bom};

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
pub fn records<R: Read>(input: R, delimiter: u8) -> Stream<R> {
    records_buffered(input, delimiter, 64 << 10)
}

/// As [`records`], reading `buffer` bytes (at least 4) at a time (a record read on its own,
/// after a seek, reads this much: [`Stream::read_at`]).
pub fn records_buffered<R: Read>(input: R, delimiter: u8, buffer: usize) -> Stream<R> {
    Stream {
        input,
        buf: vec![0; buffer.max(4)].into_boxed_slice(),
        end: 0,
        pos: 0,
        offset: 0,
        newlines: 0,
        start: 0,
        delimiter,
        done: false,
        at_start: true,
        spare: Vec::new(),
    }
}

/// The records of a CSV input, each as a row of cells with its line. As an iterator it gives
/// owned rows; [`Stream::next_into`] fills one row over and over, so a register of millions of
/// rows is read without allocating per cell.
///
/// The parser reads CSV as the `csv` crate does with `flexible` rows and no headers (a test
/// compares the two on random input): fields separated by the delimiter; records ended by `\n`,
/// `\r` or `\r\n`, blank lines skipped; a field that starts with `"` is quoted (`""` in it is
/// one `"`, line breaks and delimiters in it are text, and what follows its closing quote up
/// to the next delimiter is added as written); a `"` elsewhere is text. It parses each field
/// straight into its cell's text, and counts lines as it goes: a record's line is that of its
/// first byte. A byte-order mark at the start of the input is dropped (one at the start of a
/// field is dropped from its cell: [`Cell::from_text`]).
pub struct Stream<R> {
    input: R,
    buf: Box<[u8]>,
    /// The bytes of `buf` read from the input.
    end: usize,
    /// The next byte of `buf` to parse.
    pos: usize,
    /// Where `buf` starts in the input.
    offset: u64,
    /// The `\n`s before `buf[pos]`.
    newlines: u64,
    /// Where the last record read starts.
    start: u64,
    delimiter: u8,
    /// The input has ended (or failed).
    done: bool,
    /// Nothing is read yet from the start of the input: a byte-order mark there is dropped.
    at_start: bool,
    /// Text buffers of cells read as empty, for the next rows' cells.
    spare: Vec<Vec<u8>>,
}

/// Text buffers kept for reuse ([`Stream::spare`]).
const SPARE: usize = 64;

/// Bytes of which every byte is `b`.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each zero byte of `x` (exact for the lowest zero byte; a byte above a zero
/// one may be marked too).
const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// Where the first of `a`, `b` or `c` is in `bytes`, and whether a byte before it (or in
/// `bytes`, when there is none) may be other than printable ASCII ([`not_plain`]): sixteen
/// bytes at a time with SSE2 (every x86-64 processor has it), then eight at a time.
fn find3(bytes: &[u8], a: u8, b: u8, c: u8) -> (Option<usize>, bool) {
    // SAFETY: SSE2 is part of x86-64: every processor that runs this code has it.
    #[cfg(target_arch = "x86_64")]
    return unsafe { find3_sse2(bytes, a, b, c) };
    #[cfg(not(target_arch = "x86_64"))]
    find3_by_words(bytes, a, b, c)
}

/// [`find3`] sixteen bytes at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn find3_sse2(bytes: &[u8], a: u8, b: u8, c: u8) -> (Option<usize>, bool) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let (va, vb, vc) = (
        _mm_set1_epi8(a as i8),
        _mm_set1_epi8(b as i8),
        _mm_set1_epi8(c as i8),
    );
    let (space, delete) = (_mm_set1_epi8(0x20), _mm_set1_epi8(0x7f));
    let mut odd = 0;
    let mut chunks = bytes.chunks_exact(16);
    for (n, chunk) in chunks.by_ref().enumerate() {
        // SAFETY: the chunk holds 16 bytes; the load needs no alignment.
        let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
        let hits = _mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
            _mm_cmpeq_epi8(x, vc),
        )) as u32;
        // As signed bytes, 0x80 and over are below 0x20 too.
        let marks = _mm_movemask_epi8(_mm_or_si128(
            _mm_cmplt_epi8(x, space),
            _mm_cmpeq_epi8(x, delete),
        )) as u32;
        if hits != 0 {
            let i = hits.trailing_zeros();
            return (
                Some(n * 16 + i as usize),
                odd | (marks & ((1 << i) - 1)) != 0,
            );
        }
        odd |= marks;
    }
    let done = bytes.len() - chunks.remainder().len();
    let (found, rest_odd) = find3_by_words(chunks.remainder(), a, b, c);
    (found.map(|i| done + i), odd != 0 || rest_odd)
}

/// [`find3`] eight bytes at a time.
fn find3_by_words(bytes: &[u8], a: u8, b: u8, c: u8) -> (Option<usize>, bool) {
    let mut chunks = bytes.chunks_exact(8);
    let (mut at, mut odd) = (0, 0);
    for chunk in chunks.by_ref() {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let hits = zero_bytes(x ^ splat(a)) | zero_bytes(x ^ splat(b)) | zero_bytes(x ^ splat(c));
        // Bytes of 0x80 and over, under 0x20, and 0x7f (a byte above a marked one may be
        // marked too: never one below the first hit unless a byte there is marked itself).
        let marks = (x & splat(0x80))
            | (x.wrapping_sub(splat(0x20)) & !x & splat(0x80))
            | zero_bytes(x ^ splat(0x7f));
        if hits != 0 {
            let i = hits.trailing_zeros() as usize / 8;
            let before = (1u64 << (i * 8)).wrapping_sub(1);
            return (Some(at + i), odd | (marks & before) != 0);
        }
        odd |= marks;
        at += 8;
    }
    let rest = chunks.remainder();
    let found = rest.iter().position(|&x| x == a || x == b || x == c);
    let before = &rest[..found.unwrap_or(rest.len())];
    (found.map(|i| at + i), odd != 0 || not_plain(before))
}

/// Whether `bytes` may hold other than printable ASCII: a byte of 0x80 or over (UTF-8 to
/// check), or under 0x20 or 0x7f (a control character, or a tab or line break).
fn not_plain(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |any, &b| any | !(0x20..0x7f).contains(&b))
}

impl<R: Read> Stream<R> {
    /// Where the last record read starts, in bytes from the start of the input (reading from
    /// there reads it again: [`Stream::read_at`]).
    pub fn position(&self) -> u64 {
        self.start
    }

    /// Where the parser goes on from: the byte after the last record read and the first byte
    /// of its line break (a record after a `\r\n` is read from its `\n`).
    pub(super) fn goes_on_from(&self) -> u64 {
        self.offset + self.pos as u64
    }

    /// The `\n`s before [`Stream::goes_on_from`].
    pub(super) fn newlines_read(&self) -> u64 {
        self.newlines
    }

    /// Read more of the input into the buffer once it is all parsed: false at the end.
    fn fill(&mut self) -> std::io::Result<bool> {
        debug_assert_eq!(self.pos, self.end);
        if self.done {
            return Ok(false);
        }
        self.offset += self.end as u64;
        self.pos = 0;
        self.end = 0;
        self.read_more()?;
        Ok(self.end > 0)
    }

    /// Read more of the input after the bytes in the buffer (`done` at its end, or when it
    /// fails).
    fn read_more(&mut self) -> std::io::Result<()> {
        loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    self.done = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
    }

    /// Parse one field into `out`, from where the parser is (its first byte) through the
    /// delimiter or line break after it: whether a delimiter ended it (more fields follow),
    /// and whether it may hold other than printable ASCII ([`not_plain`]).
    fn field(&mut self, out: &mut Vec<u8>) -> std::io::Result<(bool, bool)> {
        if self.pos == self.end && !self.fill()? {
            return Ok((false, false));
        }
        let mut odd = false;
        if self.buf[self.pos] == b'"' {
            self.pos += 1;
            self.quoted(out)?;
            odd = not_plain(out);
        }
        loop {
            let rest = &self.buf[self.pos..self.end];
            match find3(rest, self.delimiter, b'\n', b'\r') {
                (Some(i), marked) => {
                    out.extend_from_slice(&rest[..i]);
                    let ended = rest[i];
                    self.pos += i + 1;
                    if ended == b'\n' {
                        self.newlines += 1;
                    }
                    return Ok((ended == self.delimiter, odd | marked));
                }
                (None, marked) => {
                    odd |= marked;
                    out.extend_from_slice(rest);
                    self.pos = self.end;
                    if !self.fill()? {
                        return Ok((false, odd));
                    }
                }
            }
        }
    }

    /// The rest of a quoted field, after its opening quote, through its closing quote (or to
    /// the end of the input).
    fn quoted(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        loop {
            let rest = &self.buf[self.pos..self.end];
            match memchr::memchr2(b'"', b'\n', rest) {
                Some(i) => {
                    out.extend_from_slice(&rest[..i]);
                    self.pos += i + 1;
                    if rest[i] == b'\n' {
                        self.newlines += 1;
                        out.push(b'\n');
                        continue;
                    }
                    if self.pos == self.end && !self.fill()? {
                        return Ok(());
                    }
                    if self.buf[self.pos] != b'"' {
                        return Ok(());
                    }
                    out.push(b'"');
                    self.pos += 1;
                }
                None => {
                    out.extend_from_slice(rest);
                    self.pos = self.end;
                    if !self.fill()? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// A record the input failed in the middle of: the input is not read further.
    fn failed(&self, e: &std::io::Error) -> BadRecord {
        BadRecord {
            line: self.newlines + 1,
            error: format!("could not be read: {e}"),
            not_utf8: false,
            code: Code::BadCsv,
            column: None,
            placed: None,
        }
    }

    /// The input read from somewhere in the middle of a file: a byte-order mark where it starts
    /// is a field's (the reader of a file's second part: [`super::parts`]).
    pub(super) fn in_the_middle(mut self) -> Self {
        self.at_start = false;
        self
    }

    /// Drop a byte-order mark at the start of the input, the first three bytes read first.
    fn drop_bom(&mut self) -> std::io::Result<()> {
        self.at_start = false;
        while self.end < 3 && !self.done {
            self.read_more()?;
        }
        if self.buf[..self.end].starts_with(b"\xef\xbb\xbf") {
            self.pos = 3;
        }
        Ok(())
    }

    /// Read the next record into `row` (its cells' text buffers reused). `None` at the end.
    pub fn next_into(&mut self, row: &mut Row) -> Option<Result<(), BadRecord>> {
        if self.at_start {
            if let Err(e) = self.drop_bom() {
                return Some(Err(self.failed(&e)));
            }
        }
        // Blank lines, and the `\n` of a `\r\n`.
        loop {
            if self.pos == self.end {
                match self.fill() {
                    Ok(true) => {}
                    Ok(false) => return None,
                    Err(e) => return Some(Err(self.failed(&e))),
                }
            }
            match self.buf[self.pos] {
                b'\n' => self.newlines += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        self.start = self.offset + self.pos as u64;
        row.line = self.newlines + 1;
        let (mut n, mut not_utf8, mut control) = (0, None, None);
        loop {
            let mut text = match row.cells.get_mut(n) {
                Some(Cell::Text(s)) => std::mem::take(s).into_bytes(),
                _ => self.spare.pop().unwrap_or_default(),
            };
            text.clear();
            let (more, odd) = match self.field(&mut text) {
                Ok(read) => read,
                Err(e) => return Some(Err(self.failed(&e))),
            };
            let text = if odd {
                String::from_utf8(text)
            } else {
                // SAFETY: `field` found every byte of the text printable ASCII, which is UTF-8.
                Ok(unsafe { String::from_utf8_unchecked(text) })
            };
            let cell = match text {
                Ok(text) => {
                    if odd && control.is_none() {
                        control = control_character(&text).map(|e| (n, e));
                    }
                    self.cell(text)
                }
                Err(e) => {
                    not_utf8 = not_utf8.or(Some(n));
                    self.keep(e.into_bytes());
                    Cell::Empty
                }
            };
            match row.cells.get_mut(n) {
                Some(c) => *c = cell,
                None => row.cells.push(cell),
            }
            n += 1;
            if !more {
                break;
            }
        }
        for cell in row.cells.drain(n..) {
            if let Cell::Text(s) = cell {
                self.keep(s.into_bytes());
            }
        }
        let bad = |column: usize, error: String, not_utf8: bool, code: Code| BadRecord {
            line: row.line,
            error,
            not_utf8,
            code,
            column: Some(column as u64 + 1),
            placed: None,
        };
        Some(match (not_utf8, control) {
            (Some(i), _) => Err(bad(
                i,
                format!("field {} is not UTF-8 text", i + 1),
                true,
                Code::BadCsv,
            )),
            (None, Some((i, error))) => Err(bad(i, error, false, Code::ControlCharacter)),
            (None, None) => Ok(()),
        })
    }

    /// A field's text as its cell ([`Cell::from_text`]): its buffer kept when the cell is empty.
    fn cell(&mut self, mut text: String) -> Cell {
        let bom = text.len() - without_bom(&text).len();
        if bom > 0 {
            text.drain(..bom);
        }
        if trim(&text).is_empty() {
            self.keep(text.into_bytes());
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// Keep a text buffer for a later cell.
    fn keep(&mut self, buffer: Vec<u8>) {
        if self.spare.len() < SPARE && buffer.capacity() > 0 {
            self.spare.push(buffer);
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

impl<R: Read + Seek> Stream<R> {
    /// Read the record that starts at `at` (a [`Stream::position`] of an earlier read of the
    /// same input) into `row`, as the `line` it was then. `None` when there is no record there.
    /// A record in the bytes already read is read from them: records a few kilobytes apart are
    /// read with one read of the input.
    pub fn read_at(&mut self, at: u64, line: u64, row: &mut Row) -> Option<Result<(), BadRecord>> {
        match at.checked_sub(self.offset) {
            Some(i) if i <= self.end as u64 => self.pos = i as usize,
            _ => {
                if let Err(e) = self.input.seek(SeekFrom::Start(at)) {
                    return Some(Err(self.failed(&e)));
                }
                (self.offset, self.pos, self.end) = (at, 0, 0);
            }
        }
        (self.done, self.at_start) = (false, false);
        self.newlines = line.saturating_sub(1);
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

    /// A stream of pseudo-random numbers from `seed` (xorshift: the same every run).
    fn random(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// A record read: its line and cells, or its problem's line, column and code.
    type Read = Result<(u64, Vec<Cell>), (u64, u64, Code)>;

    /// What the `csv` crate reads in `input` (flexible rows, no headers), as srmap's reader
    /// should: each record's cells and line (that of its first byte), or its problem's line,
    /// column and code.
    fn as_the_csv_crate_reads(input: &[u8], delimiter: u8) -> Vec<Read> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        // The parser's position is before the blank lines it skipped (and the byte-order mark
        // at the start): the record starts after them.
        let line_at = |mut byte: usize| {
            if byte == 0 && input.starts_with(b"\xef\xbb\xbf") {
                byte = 3;
            }
            while byte < input.len() && matches!(input[byte], b'\n' | b'\r') {
                byte += 1;
            }
            input[..byte].iter().filter(|&&b| b == b'\n').count() as u64 + 1
        };
        let mut record = ::csv::StringRecord::new();
        let mut out = Vec::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => return out,
                Ok(true) => {
                    let line = line_at(record.position().unwrap().byte() as usize);
                    let control = record.iter().position(|f| control_character(f).is_some());
                    out.push(match control {
                        Some(i) => Err((line, i as u64 + 1, Code::ControlCharacter)),
                        None => Ok((line, record.iter().map(Cell::from_text).collect())),
                    });
                }
                Err(e) => {
                    let line = line_at(e.position().unwrap().byte() as usize);
                    let ::csv::ErrorKind::Utf8 { err, .. } = e.kind() else {
                        panic!("{e}");
                    };
                    out.push(Err((line, err.field() as u64 + 1, Code::BadCsv)));
                }
            }
        }
    }

    /// What srmap's reader reads in `input`, `buffer` bytes at a time.
    fn as_srmap_reads(input: &[u8], delimiter: u8, buffer: usize) -> Vec<Read> {
        records_buffered(input, delimiter, buffer)
            .map(|r| match r {
                Ok(row) => Ok((row.line, row.cells)),
                Err(bad) => Err((bad.line, bad.column.unwrap_or(0), bad.code)),
            })
            .collect()
    }

    #[test]
    fn records_read_as_the_csv_crate_reads_them() {
        // Random inputs of the pieces that matter to a CSV parser, read whole and a few bytes
        // at a time (fields and quotes cut by the buffer's end).
        const PIECES: &[&[u8]] = &[
            b"a",
            b"bc",
            b"d e",
            b",",
            b";",
            b"\"",
            b"\"\"",
            b"\n",
            b"\r",
            b"\r\n",
            b" ",
            b"\t",
            "é".as_bytes(),
            "\u{feff}".as_bytes(),
            b"\x01",
            b"\x7f",
            "\u{85}".as_bytes(),
            b"\xff",
            b"\xc3",
            b"0123456789abcdefghij",
        ];
        let mut next = random(0x2545_f491_4f6c_dd1d_u64);
        for case in 0..20_000 {
            let mut input = Vec::new();
            for _ in 0..next() % 40 {
                input.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let delimiter = if case % 5 == 0 { b';' } else { b',' };
            let expected = as_the_csv_crate_reads(&input, delimiter);
            for buffer in [4, 5, 8, 64 << 10] {
                assert_eq!(
                    as_srmap_reads(&input, delimiter, buffer),
                    expected,
                    "input {:?}, buffer {buffer}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }

    #[test]
    fn the_scan_finds_what_a_byte_by_byte_scan_finds() {
        let mut next = random(0x9e37_79b9_7f4a_7c15_u64);
        // Mostly printable bytes, some of every other kind, at every length and offset.
        let plain = |b: u8| (0x20..0x7f).contains(&b);
        for _ in 0..20_000 {
            let len = (next() % 70) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 10 {
                    0 => (next() % 256) as u8,
                    1 => b",\n\r"[(next() % 3) as usize],
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            let found = bytes
                .iter()
                .position(|&x| matches!(x, b',' | b'\n' | b'\r'));
            let before = &bytes[..found.unwrap_or(len)];
            let odd = !before.iter().all(|&x| plain(x));
            assert_eq!(find3(&bytes, b',', b'\n', b'\r'), (found, odd), "{bytes:?}");
            assert_eq!(
                find3_by_words(&bytes, b',', b'\n', b'\r'),
                (found, odd),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_record_read_again_from_its_position_reads_the_same() {
        let text = "a,b\r\n\r\n\"x\ny\",1\n\n2,\"z\"\"\"\r3,w";
        let mut first = records_buffered(std::io::Cursor::new(text), b',', 4);
        let mut read = Vec::new();
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        while let Some(r) = first.next_into(&mut row) {
            r.unwrap();
            read.push((first.position(), row.clone()));
        }
        assert_eq!(read.len(), 4);
        for buffer in [1, 4, 64] {
            let mut again = records_buffered(std::io::Cursor::new(text), b',', buffer);
            for (at, expected) in read.iter().rev().chain(&read) {
                again
                    .read_at(*at, expected.line, &mut row)
                    .unwrap()
                    .unwrap();
                assert_eq!(row.cells, expected.cells, "at {at}, buffer {buffer}");
                assert_eq!(row.line, expected.line);
            }
        }
    }

    #[test]
    fn the_separator_is_the_commonest() {
        assert_eq!(sniff_delimiter(b"a;b;c,d", false), b';');
        assert_eq!(sniff_delimiter(b"a;b,c", false), b',');
        assert_eq!(sniff_delimiter(b"a;b,c", true), b';');
    }
}

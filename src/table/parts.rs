//! A large CSV file read in two parts at once, one on each core ([`Records::each_row_parts`]).
//!
//! On a register of a million rows a gap run spends its time reading: the operating system
//! copying the file into the reader's buffer, the CSV parser, and folding each row into its key.
//! Reading on one thread and folding on another keeps two cores busy, but the copying and the
//! parsing stay on one, and every cell crosses from one core to the other. So a file of at least
//! a given size is cut in two at the start of a line near its middle: this thread reads and folds
//! the first part, another thread the second, each into a state of its own, and the caller merges
//! the second state into the first.
//!
//! Where the second part starts is a guess: the line break near the middle may be inside a
//! quoted cell. The first part checks it: reading on, its parser must come to a record that
//! starts exactly there. If it reads past without one, the guess was wrong: the second part's
//! work is dropped and the first part reads on to the end, as one read would have. Each part
//! counts lines from its own start; the first, when it gets to the cut, knows how many lines
//! come before the second, and the second's problems are moved down by that many (the caller
//! moves its rows' lines: [`Second::lines_before`]). Problems stop the read where one read would
//! have stopped: after the row that brings them to [`MAX_PROBLEMS`], counting the first part's
//! before the second's.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    csv, file_name, finish, header_problems, CsvFile, Gate, Place, Records, Row, RowSource,
    MAX_PROBLEMS,
};
use crate::diagnostic::Diagnostics;
use crate::progress::Phase;

/// What a file read in parts gives: the first part's state, and the second's.
pub struct Parts<S> {
    pub first: S,
    /// The second part's state, when the file was read in two parts.
    pub second: Option<Second<S>>,
    /// The rows given, both parts together.
    pub rows: usize,
}

/// The second part of a file read in two.
pub struct Second<S> {
    pub state: S,
    /// The lines before the second part. Its rows were given with their lines counted from its
    /// start (its first line is line 1), so each row's line in the file is this many more. The
    /// places' byte offsets ([`Place::at`]) are the file's.
    pub lines_before: u64,
}

/// Where the second part starts: the start of a line between two lines that read as whole
/// records of the header's width (an even number of quotes, and as many separators outside them
/// as the header has), so that it is most likely where a record starts: the line breaks inside
/// a quoted cell (a note of several lines) are seldom between two such lines. The first part
/// checks it: its parser must start a record there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    at: u64,
    /// The line break is `\r\n` (the parser ends the record at the `\r` and goes on from the
    /// `\n`).
    crlf: bool,
}

/// How far looked for a cut past the middle of the file.
const WINDOW: u64 = 1 << 16;

/// Whether `line` (without its line break) reads as one whole record of `width` fields.
fn whole_record(line: &[u8], width: usize, delimiter: u8) -> bool {
    let (mut quoted, mut fields) = (false, 1);
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            fields += 1;
        }
    }
    !quoted && fields == width
}

/// The cut in `window`, the bytes of the file from `start`, for records of `width` fields.
fn cut_in(window: &[u8], start: u64, width: usize, delimiter: u8) -> Option<Cut> {
    let line_end = |from: usize, to: usize| {
        let to = if to > from && window[to - 1] == b'\r' {
            to - 1
        } else {
            to
        };
        &window[from..to]
    };
    let breaks: Vec<usize> = memchr::memchr_iter(b'\n', window).collect();
    breaks.windows(3).find_map(|w| {
        let (before, at, after) = (w[0], w[1], w[2]);
        let whole = |line: &[u8]| whole_record(line, width, delimiter);
        (whole(line_end(before + 1, at)) && whole(line_end(at + 1, after))).then_some(Cut {
            at: start + at as u64 + 1,
            crlf: at > 0 && window[at - 1] == b'\r',
        })
    })
}

/// The second part's reader and where it starts: `None` when the file is smaller than `from`
/// bytes, has no cut near its middle, or cannot be opened again.
fn second_reader(csv: &CsvFile, width: usize, from: u64) -> Option<(csv::Stream<File>, Cut)> {
    let mut file = File::open(&csv.path).ok()?;
    let len = file.metadata().ok()?.len();
    if len < from.max(4) {
        return None;
    }
    let start = len / 2 - 2;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut window = Vec::with_capacity(WINDOW as usize);
    file.by_ref().take(WINDOW).read_to_end(&mut window).ok()?;
    let cut = cut_in(&window, start, width, csv.delimiter)?;
    file.seek(SeekFrom::Start(cut.at)).ok()?;
    Some((csv::records(file, csv.delimiter).in_the_middle(), cut))
}

/// How the first part ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// At the end of the file, or at the problems' limit.
    End,
    /// At the cut: the second part is the rest. The lines before the cut.
    AtCut(u64),
}

/// One part's read: its problems, the rows it gave, and where it stopped.
#[derive(Default)]
struct Part {
    diags: Diagnostics,
    /// Records read (blank ones too), for the progress.
    read: u64,
    /// Rows given.
    rows: usize,
    /// The line of the row after which the problems reached the limit.
    stopped: Option<u64>,
    /// After each row with problems: its line and the problems so far (the two parts stop
    /// together where one read would have stopped).
    marks: Vec<(u64, usize)>,
}

/// What a part reads with.
struct Reading<'r, 'h> {
    file: &'r str,
    gate: &'r Gate<'h>,
    /// Tells the second part to stop: the first has no use for it any more.
    stop: &'r AtomicBool,
}

impl Reading<'_, '_> {
    /// Read `stream`, the part of the file from byte `origin`, to its end, giving each row to
    /// `each`. The first part (`cut` given) stops at the cut when its parser gets there; when it
    /// reads past, the second part is stopped and this one reads on. The second part stops when
    /// told to.
    fn read<R: Read>(
        &self,
        part: &mut Part,
        stream: &mut csv::Stream<R>,
        origin: u64,
        mut cut: Option<Cut>,
        mut each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Ending {
        let first = cut.is_some();
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        loop {
            if let Some(c) = cut {
                let on = stream.goes_on_from();
                if on == c.at {
                    // The cut's `\n` has been read: the lines before are the line breaks read.
                    return Ending::AtCut(stream.newlines_read());
                }
                if c.crlf && on + 1 == c.at {
                    // Read up to the `\n` of the cut's `\r\n`: it ends one more line.
                    return Ending::AtCut(stream.newlines_read() + 1);
                }
                if on > c.at {
                    self.stop.store(true, Ordering::Relaxed);
                    cut = None;
                }
            } else if !first && self.stop.load(Ordering::Relaxed) {
                return Ending::End;
            }
            let Some(next) = stream.next_into(&mut row) else {
                break;
            };
            part.read += 1;
            let before = part.diags.len();
            let line = match next {
                Err(bad) => {
                    part.diags.push(bad.diagnostic(self.file));
                    bad.line
                }
                Ok(()) if row.is_blank() => continue,
                Ok(()) => {
                    let place = Place {
                        file: self.file,
                        sheet: None,
                        line: row.line,
                        at: Some(origin + csv::Stream::position(stream)),
                    };
                    if self.gate.admits(&row, &place, &mut part.diags) {
                        part.rows += 1;
                        each(&row, &place, &mut part.diags);
                    }
                    row.line
                }
            };
            if part.diags.len() > before {
                part.marks.push((line, part.diags.len()));
            }
            if part.diags.len() >= MAX_PROBLEMS {
                part.stopped = Some(line);
                break;
            }
        }
        if first {
            self.stop.store(true, Ordering::Relaxed);
        }
        Ending::End
    }
}

impl Records {
    /// As [`Records::each_row`], a CSV file of at least `from` bytes read in two parts at once
    /// (see the module's documentation): the rows of the first part are given to `each` with
    /// `first`, those of the second with a state made by `fork`, on another thread. A sheet, a
    /// smaller file, or a file without a line to cut at is read as [`Records::each_row`] reads
    /// it, all of it with `first`.
    pub fn each_row_parts<S: Send>(
        self,
        required: &[&str],
        from: u64,
        mut first: S,
        fork: impl FnOnce(&S) -> S,
        each: impl Fn(&mut S, &Row, &Place<'_>, &mut Diagnostics) + Sync,
    ) -> Result<Parts<S>, Diagnostics> {
        let split = match &self.rows {
            RowSource::Csv(csv) => second_reader(csv, self.header.names.len(), from),
            _ => None,
        };
        let (mut second_stream, cut, mut csv) = match (split, self.rows) {
            (Some((stream, cut)), RowSource::Csv(csv)) => (stream, cut, csv),
            (_, rows) => {
                let records = Records { rows, ..self };
                let rows = records.rows_of(required, None, |row, place, diags| {
                    each(&mut first, row, place, diags)
                })?;
                return Ok(Parts {
                    first,
                    second: None,
                    rows,
                });
            }
        };
        let file = self.file;
        let header_warnings =
            header_problems(&file, None, self.header_line, &self.header, required)?;
        let gate = Gate::new(&self.header, false);
        let stop = AtomicBool::new(false);
        let reading = Reading {
            file: &file,
            gate: &gate,
            stop: &stop,
        };
        let mut phase = Phase::begin(|| format!("reading {}", file_name(Path::new(&file))));
        let mut second = fork(&first);
        let mut a = Part {
            diags: header_warnings,
            ..Part::default()
        };
        let (ending, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let mut b = Part::default();
                reading.read(
                    &mut b,
                    &mut second_stream,
                    cut.at,
                    None,
                    |row, place, diags| each(&mut second, row, place, diags),
                );
                b
            });
            let ending = reading.read(
                &mut a,
                &mut csv.stream,
                0,
                Some(cut),
                |row, place, diags| each(&mut first, row, place, diags),
            );
            let b = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (ending, b)
        });
        phase.add(a.read);
        let Ending::AtCut(lines_before) = ending else {
            return Ok(Parts {
                rows: finish(&file, None, a.diags, a.stopped, a.rows)?,
                first,
                second: None,
            });
        };
        phase.add(b.read);
        // The first part stopped at the cut, under the problems' limit: the second's problems
        // follow, up to the row that brings them to the limit.
        let room = MAX_PROBLEMS - a.diags.len();
        let (kept, stopped) = match b.marks.iter().find(|(_, n)| *n >= room) {
            Some(&(line, n)) => (n, Some(line + lines_before)),
            None => (b.diags.len(), None),
        };
        let mut diags = a.diags;
        for mut d in b.diags.0.into_iter().take(kept) {
            if let Some(line) = d.location.line.as_mut() {
                *line += lines_before;
            }
            diags.push(d);
        }
        let rows = finish(&file, None, diags, stopped, a.rows + b.rows)?;
        Ok(Parts {
            first,
            second: Some(Second {
                state: second,
                lines_before,
            }),
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};

    /// What a read gave: each row's line and first cell, or every problem (rendered).
    type Read = Result<Vec<(u64, String)>, Vec<String>>;

    /// The rows a part took, and (in the second part) what to tell when it takes one.
    type State<'f> = (Vec<(u64, String)>, Option<&'f AtomicBool>);

    /// A row whose first cell starts with `bad` is a problem of its own.
    fn take(state: &mut State<'_>, row: &Row, place: &Place<'_>, diags: &mut Diagnostics) {
        if let Some(second) = state.1 {
            second.store(true, Ordering::Relaxed);
        }
        let text = row.text(0);
        if text.starts_with("bad") {
            diags.push(Diagnostic::error(
                Code::BadDate,
                place.at(Some(0), "a"),
                text,
            ));
        } else {
            state.0.push((row.line, text));
        }
    }

    fn rendered(d: Diagnostics) -> Vec<String> {
        d.0.iter()
            .map(|d| format!("{} {d}", d.location.line.unwrap_or(0)))
            .collect()
    }

    /// `text` read once, and in two parts: (one read, two parts, whether the two parts' rows
    /// were given, whether a second part read rows).
    fn both(text: &str) -> (Read, Read, bool, bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, text).unwrap();
        let mut one = (Vec::new(), None);
        let once = Records::open(&path, None, b',')
            .unwrap()
            .each_row(&["a"], |row, place, diags| {
                take(&mut one, row, place, diags)
            })
            .map(|_| one.0)
            .map_err(rendered);
        let second_read = AtomicBool::new(false);
        let mut merged = false;
        let parts = Records::open(&path, None, b',')
            .unwrap()
            .each_row_parts(
                &["a"],
                0,
                (Vec::new(), None),
                |_| (Vec::new(), Some(&second_read)),
                take,
            )
            .map(|p| {
                let mut rows = p.first.0;
                if let Some(second) = p.second {
                    merged = true;
                    rows.extend(
                        second
                            .state
                            .0
                            .into_iter()
                            .map(|(line, t)| (line + second.lines_before, t)),
                    );
                }
                rows
            })
            .map_err(rendered);
        (once, parts, merged, second_read.load(Ordering::Relaxed))
    }

    fn register(rows: usize, eol: &str, each: impl Fn(usize) -> String) -> String {
        let mut text = format!("a,b{eol}");
        for i in 0..rows {
            text.push_str(&each(i));
            text.push_str(eol);
        }
        text
    }

    #[test]
    fn two_parts_give_what_one_read_gives() {
        for eol in ["\n", "\r\n"] {
            // Blank lines, quoted line breaks and ragged rows throughout.
            let text = register(2000, eol, |i| match i % 7 {
                0 => String::new(),
                1 => format!("\"r{i}\nnext line\",x"),
                2 => format!("r{i}"),
                _ => format!("r{i},y"),
            });
            let (once, parts, merged, _) = both(&text);
            assert!(merged, "{eol:?}");
            assert_eq!(once.as_ref().unwrap().len(), 1714);
            assert_eq!(once, parts, "{eol:?}");
        }
    }

    #[test]
    fn a_cut_inside_a_quoted_cell_is_found_out_and_the_file_read_once() {
        // One cell of many lines over the middle of the file, each line like a record.
        let mut text = register(300, "\n", |i| format!("r{i},y"));
        text.push('"');
        for i in 0..2000 {
            text.push_str(&format!("quoted {i},z\n"));
        }
        text.push_str("\",y\n");
        text.push_str(&register(300, "\n", |i| format!("s{i},y")));
        let (once, parts, merged, _) = both(&text);
        assert!(!merged);
        assert_eq!(once.as_ref().unwrap().len(), 602);
        assert_eq!(once, parts);
    }

    #[test]
    fn problems_of_both_parts_stop_where_one_read_stops() {
        // Fewer problems than the limit in the first part; the limit reached in the second.
        // The first part's problems reach the limit (1: the second part is stopped, if it
        // started) or not (3, 4: the second part reads on to the limit).
        for bad_every in [3, 4, 1] {
            let text = register(6000, "\n", |i| {
                if i % bad_every == 0 && !(2500..=3500).contains(&i) {
                    format!("bad{i},y")
                } else {
                    format!("r{i},y")
                }
            });
            let (once, parts, _, second_read) = both(&text);
            assert!(second_read || bad_every == 1, "one bad row in {bad_every}");
            let problems = once.as_ref().unwrap_err();
            assert!(
                problems.last().unwrap().contains("too-many-problems"),
                "{problems:?}"
            );
            assert_eq!(once, parts, "one bad row in {bad_every}");
        }
        // Problems in both parts, under the limit.
        let text = register(3000, "\n", |i| {
            if i % 10 == 0 {
                format!("bad{i},y")
            } else {
                format!("r{i},y")
            }
        });
        let (once, parts, _, second_read) = both(&text);
        assert!(second_read);
        assert_eq!(once.as_ref().unwrap_err().len(), 300);
        assert_eq!(once, parts);
    }

    #[test]
    fn the_cut_is_between_two_whole_records() {
        let cut = |w: &[u8]| cut_in(w, 10, 2, b',');
        assert_eq!(
            cut(b"ab\nc,d\ne,f\n"),
            Some(Cut {
                at: 17,
                crlf: false
            })
        );
        assert_eq!(
            cut(b"x\r\na,b\r\nc,d\r\n"),
            Some(Cut { at: 18, crlf: true })
        );
        // Blank lines, short lines and lines with a quote left open are passed over.
        assert_eq!(
            cut(b"a\n\nc,d\n\"e,f\ng,h\ni,j\n"),
            Some(Cut {
                at: 26,
                crlf: false
            })
        );
        // Quoted separators are not counted; quotes of quotes are.
        assert_eq!(
            cut(b"\n\"a,b\",c\n\"\"\"d\",e\n"),
            Some(Cut {
                at: 19,
                crlf: false
            })
        );
        // No whole record after a break in the window.
        assert_eq!(cut(b"a,b\nc,d"), None);
        assert_eq!(cut(b"abc"), None);
    }
}

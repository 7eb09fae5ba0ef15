//! The one table reader: CSV files and workbook sheets read the same way, every cell with its
//! place (file, line or sheet row, column, sheet, header name), and the one header normaliser.
//!
//! Two shapes: [`Table`], a sheet or CSV file whole (importers look for their header rows
//! themselves, since real workbooks put titles and guidance above them), and [`Records`], a
//! header and the rows under it, streamed (the user's inputs and srmap's own data files).

mod biff;
mod cell;
pub mod csv;
mod formula;
pub mod header;
pub mod limits;
mod opendocument;
mod package;
mod parts;
mod references;
pub mod sheet;

use std::ops::ControlFlow;
use std::path::Path;

pub use cell::Cell;
pub use header::{normalize, Header};
pub use parts::{Parts, Second};
pub use sheet::{is_workbook, Workbook};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::progress::Phase;

/// Problems listed for one file before srmap stops reading it: a file with a million bad rows
/// would otherwise print a million lines, and hold them.
pub const MAX_PROBLEMS: usize = 1_000;

/// The buffers of a CSV file read a row here and a row there ([`Records::each_row_at`]).
const PLACE_BUFFER: usize = 1 << 10;

/// One row: its 1-based number in the sheet (or line in the CSV) and its cells from column A.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell in a column (empty when the row is short or the column absent).
    pub fn get(&self, col: impl Into<Option<usize>>) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        col.into().and_then(|c| self.cells.get(c)).unwrap_or(&EMPTY)
    }

    /// A cell's text, trimmed.
    pub fn text(&self, col: impl Into<Option<usize>>) -> String {
        self.get(col).text()
    }

    /// A cell's text, trimmed, borrowed when it is text.
    pub fn cow(&self, col: impl Into<Option<usize>>) -> std::borrow::Cow<'_, str> {
        self.get(col).cow()
    }

    /// A text cell, trimmed, without a copy (CSV rows hold only text).
    pub fn str(&self, col: Option<usize>) -> &str {
        self.get(col).as_str()
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }

    /// The first column whose cell, [`normalize`]d, satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.cells.iter().position(|c| pred(&normalize(&c.text())))
    }
}

/// Could these bytes hold a control character? A quick test over a whole record or cell: also
/// true for tabs, line breaks and the lead byte of U+0080 to U+00BF, which
/// [`control_character`] then looks at.
pub(crate) fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    })
}

/// What is wrong with a text that holds a control character (NUL, escape, the invisible C1
/// characters of a mis-decoded file); none when it holds none. Tabs and line breaks are text.
pub(crate) fn control_character(text: &str) -> Option<String> {
    if !may_hold_control(text.as_bytes()) {
        return None;
    }
    let (n, c) = text
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    let code = if c == '\0' {
        "U+0000 (NUL)".to_string()
    } else {
        format!("U+{:04X}", c as u32)
    };
    let shown: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    let more = if text.chars().count() > 40 { "..." } else { "" };
    Some(format!(
        "the text `{shown}{more}` holds the control character {code} at character {}: it is \
         invisible, and makes values that look alike differ; remove it",
        n + 1
    ))
}

/// The file name alone, for `source` citations.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// One error about a whole file.
pub fn failure(path: &Path, code: Code, msg: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        code,
        Location::file(path.display().to_string()),
        msg,
    )])
}

/// A sheet or CSV file, whole.
#[derive(Debug, Clone)]
pub struct Table {
    /// The path as the user gave it (for diagnostics).
    pub file: String,
    /// The file name alone (for `source` in the data written).
    pub name: String,
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// A CSV file, whole (header row included). The separator is `,` unless the first line
    /// has more `;` than `,`.
    pub fn read_csv(path: &Path) -> Result<Table, Diagnostics> {
        let bytes =
            std::fs::read(path).map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let file = path.display().to_string();
        let rows = csv::records(bytes.as_slice(), csv::sniff_delimiter(first, false))
            .collect::<Result<Vec<Row>, _>>()
            .map_err(|bad| Diagnostics(vec![bad.diagnostic(&file)]))?;
        if rows.is_empty() {
            return Err(failure(path, Code::EmptyFile, "is empty"));
        }
        Ok(Table {
            file,
            name: file_name(path),
            sheet: None,
            rows,
        })
    }

    /// The same table with the spreadsheet exports' `None` placeholder read as an empty cell.
    pub fn none_as_empty(mut self) -> Table {
        for cell in self.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
            if matches!(cell, Cell::Text(t) if t.trim() == "None") {
                *cell = Cell::Empty;
            }
        }
        self
    }

    /// Where a row is, for a `skipped:` line: `file: sheet S, row N` (or `file:N` for CSV).
    pub fn at(&self, line: u64) -> Location {
        Location {
            file: self.file.clone(),
            line: Some(line),
            sheet: self.sheet.clone(),
            ..Location::default()
        }
    }

    /// The whole sheet or file.
    pub fn whole(&self) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            ..Location::default()
        }
    }

    /// `missing-column` on the whole sheet or file: its header has no `column`.
    pub fn missing_column(&self, column: &str) -> Diagnostics {
        Diagnostics(vec![Diagnostic::error(
            Code::MissingColumn,
            self.whole(),
            format!("has no `{column}` column in its header"),
        )])
    }

    /// `file.xlsx, sheet S, row N`: the `source` of a row written from this table.
    pub fn source(&self, line: u64) -> String {
        match &self.sheet {
            Some(s) => format!("{}, sheet {s}, row {line}", self.name),
            None => format!("{}, line {line}", self.name),
        }
    }

    /// `file.xlsx, sheet S, rows 4, 5, 9`.
    pub fn source_rows(&self, lines: &[u64]) -> String {
        if let [one] = lines {
            return self.source(*one);
        }
        let list: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        match &self.sheet {
            Some(s) => format!("{}, sheet {s}, rows {}", self.name, list.join(", ")),
            None => format!("{}, lines {}", self.name, list.join(", ")),
        }
    }

    /// `row` in a sheet, `line` in a CSV file.
    pub fn row_word(&self) -> &'static str {
        if self.sheet.is_some() {
            "row"
        } else {
            "line"
        }
    }
}

/// A header and the rows under it, streamed from a CSV file or a sheet.
pub struct Records {
    pub file: String,
    pub sheet: Option<String>,
    /// The header's line (CSV) or row (sheet).
    pub header_line: u64,
    pub header: Header,
    pub rows: RowSource,
}

/// Where a [`Records`]' rows come from: a CSV file or a sheet, streamed, or rows already read.
pub enum RowSource {
    Csv(Box<CsvFile>),
    Rows(Box<dyn Iterator<Item = Result<Row, csv::BadRecord>>>),
    /// A sheet, streamed by [`Records::each_row`]; iterated, it is read whole first.
    Sheet(Box<SheetRows>),
}

/// A CSV file's rows, streamed, and what it takes to read a part of it on another thread
/// ([`Records::each_row_parts`]).
pub struct CsvFile {
    stream: csv::Stream<std::fs::File>,
    path: std::path::PathBuf,
    delimiter: u8,
}

/// The rows of a sheet under its header.
pub struct SheetRows {
    book: Workbook,
    name: String,
    header_line: u64,
    /// The sheet read whole, when the rows are iterated rather than streamed.
    read: Option<std::vec::IntoIter<Result<Row, csv::BadRecord>>>,
}

impl RowSource {
    /// The next row into `row`, reusing its buffers when the source is a CSV file.
    fn next_into(&mut self, row: &mut Row) -> Option<Result<(), csv::BadRecord>> {
        match self {
            RowSource::Csv(csv) => csv.stream.next_into(row),
            other => other.next().map(|r| r.map(|r| *row = r)),
        }
    }
}

impl Iterator for RowSource {
    type Item = Result<Row, csv::BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            RowSource::Csv(csv) => csv.stream.next(),
            RowSource::Rows(rows) => rows.next(),
            RowSource::Sheet(sheet) => {
                let SheetRows {
                    book,
                    name,
                    header_line,
                    read,
                } = &mut **sheet;
                read.get_or_insert_with(|| {
                    let rows: Vec<_> = match book.read_exact(name) {
                        Ok(table) => table
                            .rows
                            .into_iter()
                            .filter(|r| r.line > *header_line)
                            .map(Ok)
                            .collect(),
                        Err(problems) => problems
                            .0
                            .into_iter()
                            .map(|d| Err(csv::BadRecord::placed(d)))
                            .collect(),
                    };
                    rows.into_iter()
                })
                .next()
            }
        }
    }
}

/// Where a row is, to point at its cells.
pub struct Place<'t> {
    file: &'t str,
    sheet: Option<&'t str>,
    pub line: u64,
    /// Where the row's record starts in a CSV file, in bytes (to read it again with
    /// [`Records::each_row_at`]); None in a sheet.
    pub at: Option<u64>,
}

impl Place<'_> {
    /// The place of a cell: file, line, 1-based column (none when the column is absent),
    /// sheet and the column's name.
    pub fn at(&self, col: Option<usize>, field: &str) -> Location {
        let mut loc = Location::at(self.file, self.line, col.map(|c| c as u64 + 1).unwrap_or(1))
            .with_field(field);
        loc.sheet = self.sheet.map(str::to_string);
        if col.is_none() {
            loc.column = None;
        }
        loc
    }
}

impl Records {
    /// Records of CSV text already in memory (`file` names it in diagnostics). The first
    /// record is the header; a header the parser cannot read is `bad-csv` on the whole file.
    pub fn from_text(file: &str, text: &str) -> Result<Records, Diagnostics> {
        let mut rows = csv::records(std::io::Cursor::new(text.to_string()), b',');
        let (header_line, header) = match rows.next() {
            Some(Ok(h)) => (h.line, Header::new(h.cells.iter().map(Cell::as_str))),
            Some(Err(bad)) if bad.code == Code::BadCsv => {
                return Err(whole_file(file, Code::BadCsv, bad.error))
            }
            Some(Err(bad)) => return Err(Diagnostics(vec![bad.diagnostic(file)])),
            None => (1, Header::new([])),
        };
        Ok(Records {
            file: file.to_string(),
            sheet: None,
            header_line,
            header,
            rows: RowSource::Rows(Box::new(rows)),
        })
    }

    /// Open a CSV file (streamed; `delimiter` separates its fields) or a sheet of a workbook
    /// (the first, or `sheet`, its name matched without regard to case): the first row is the
    /// header.
    pub fn open(path: &Path, sheet: Option<&str>, delimiter: u8) -> Result<Records, Diagnostics> {
        let file = path.display().to_string();
        if is_workbook(path) {
            let mut wb = Workbook::open(path)?;
            let names = wb.sheet_names().to_vec();
            let name = match sheet {
                Some(s) => names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(s))
                    .cloned()
                    .ok_or_else(|| wb.missing(s))?,
                None => names
                    .first()
                    .cloned()
                    .ok_or_else(|| failure(path, Code::MissingSheet, "has no sheets"))?,
            };
            refuse_merged(&mut wb, &file, &name)?;
            let mut first: Option<Result<Row, Diagnostic>> = None;
            wb.rows(&name, None, |row| {
                first = Some(row.cloned());
                ControlFlow::Break(())
            })?;
            let first = match first {
                Some(Ok(row)) => row,
                Some(Err(problem)) => return Err(Diagnostics(vec![problem])),
                None => {
                    return Err(failure(
                        path,
                        Code::EmptyFile,
                        format!("sheet `{name}` is empty"),
                    ))
                }
            };
            let names: Vec<String> = first.cells.iter().map(Cell::text).collect();
            return Ok(Records {
                file,
                sheet: Some(name.clone()),
                header_line: first.line,
                header: Header::new(names.iter().map(String::as_str)),
                rows: RowSource::Sheet(Box::new(SheetRows {
                    book: wb,
                    name,
                    header_line: first.line,
                    read: None,
                })),
            });
        }
        let f = std::fs::File::open(path)
            .map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
        let mut rows = csv::records(f, delimiter);
        let (header_line, header) = match rows.next() {
            Some(Ok(h)) if !h.cells.is_empty() => {
                (h.line, Header::new(h.cells.iter().map(Cell::as_str)))
            }
            Some(Err(bad)) => return Err(Diagnostics(vec![bad.diagnostic(&file)])),
            _ => return Err(failure(path, Code::EmptyFile, "is empty")),
        };
        Ok(Records {
            file,
            sheet: None,
            header_line,
            header,
            rows: RowSource::Csv(Box::new(CsvFile {
                stream: rows,
                path: path.to_path_buf(),
                delimiter,
            })),
        })
    }

    /// Check the header has the `required` columns and names no column twice, then stream each
    /// non-blank row to `each` with its place; every problem of the file is collected. A row
    /// with a value in a column the header does not name (`cell-beyond-header`), an error
    /// value in a column the reader looked up (`error-cell`), a control character
    /// (`control-character`) or a cell over Excel's length (`cell-too-long`) is reported and
    /// not given to `each`. Returns the rows read, or the problems when there were any.
    pub fn each_row(
        self,
        required: &[&str],
        each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Result<usize, Diagnostics> {
        self.rows_of(required, None, each)
    }

    /// As [`Records::each_row`], for the rows of a CSV file that start at the given places
    /// (byte and line, in the file's order: the [`Place::at`] and line of an earlier read),
    /// each read from where it starts; the rows between them are not read. A sheet has no such
    /// places: every row of it is read.
    pub fn each_row_at(
        mut self,
        required: &[&str],
        places: impl Iterator<Item = (u64, u64)>,
        each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Result<usize, Diagnostics> {
        // Each row is read on its own, a kilobyte at a time (a row is a few hundred bytes): with
        // the sequential reader's 64 KiB, reading 7,749 rows of a million copied half a
        // gigabyte; 1 KiB was the fastest of 1, 4, 16 and 64 KiB (docs/benchmarks.md).
        if let RowSource::Csv(csv) = &mut self.rows {
            if let Ok(f) = std::fs::File::open(&csv.path) {
                csv.stream = csv::records_buffered(f, csv.delimiter, PLACE_BUFFER);
            }
        }
        self.rows_of(required, Some(Box::new(places)), each)
    }

    fn rows_of(
        self,
        required: &[&str],
        mut places: Option<Box<dyn Iterator<Item = (u64, u64)> + '_>>,
        mut each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Result<usize, Diagnostics> {
        let Records {
            file,
            sheet,
            header_line,
            header,
            rows,
        } = self;
        let mut diags = header_problems(&file, sheet.as_deref(), header_line, &header, required)?;
        let gate = Gate::new(&header, sheet.is_some());
        let mut count = 0;
        let mut take = |row: &Row, at: Option<u64>, diags: &mut Diagnostics| {
            let place = Place {
                file: &file,
                sheet: sheet.as_deref(),
                line: row.line,
                at,
            };
            if gate.admits(row, &place, diags) {
                count += 1;
                each(row, &place, diags);
            }
        };
        let mut phase = Phase::begin(|| {
            let name = file_name(Path::new(&file));
            match &sheet {
                Some(s) => format!("reading {name}, sheet {s}"),
                None => format!("reading {name}"),
            }
        });
        let mut stopped = None;
        match rows {
            RowSource::Sheet(source) => {
                let SheetRows {
                    mut book,
                    name,
                    header_line,
                    ..
                } = *source;
                let streamed = book.rows(&name, Some((gate.width, &header.names)), |row| {
                    phase.row();
                    let line = match row {
                        Err(problem) => {
                            let line = problem.location.line;
                            diags.push(problem);
                            line
                        }
                        Ok(row) if row.line <= header_line || row.is_blank() => {
                            return ControlFlow::Continue(())
                        }
                        Ok(row) => {
                            take(row, None, &mut diags);
                            Some(row.line)
                        }
                    };
                    if diags.0.len() >= MAX_PROBLEMS {
                        stopped = line;
                        return ControlFlow::Break(());
                    }
                    ControlFlow::Continue(())
                });
                if let Err(fatal) = streamed {
                    diags.extend(fatal);
                }
            }
            RowSource::Csv(csv) if places.is_none() => {
                // Parsed on a thread of its own, a batch of rows ahead of `each`.
                csv.stream.read_ahead(|read| {
                    phase.row();
                    let line = match read {
                        Err(bad) => {
                            diags.push(bad.diagnostic(&file));
                            bad.line
                        }
                        Ok((row, _)) if row.is_blank() => return ControlFlow::Continue(()),
                        Ok((row, at)) => {
                            take(row, Some(at), &mut diags);
                            row.line
                        }
                    };
                    if diags.0.len() >= MAX_PROBLEMS {
                        stopped = Some(line);
                        return ControlFlow::Break(());
                    }
                    ControlFlow::Continue(())
                });
            }
            mut rows => {
                let mut row = Row {
                    line: 0,
                    cells: Vec::new(),
                };
                loop {
                    let next = match (&mut rows, places.as_mut()) {
                        (RowSource::Csv(csv), Some(places)) => match places.next() {
                            Some((at, line)) => csv.stream.read_at(at, line, &mut row),
                            None => None,
                        },
                        (rows, _) => rows.next_into(&mut row),
                    };
                    let Some(next) = next else { break };
                    phase.row();
                    let line = match next {
                        Err(bad) => {
                            diags.push(bad.diagnostic(&file));
                            bad.line
                        }
                        Ok(()) if row.is_blank() => continue,
                        Ok(()) => {
                            let at = match &rows {
                                RowSource::Csv(csv) => Some(csv.stream.position()),
                                _ => None,
                            };
                            take(&row, at, &mut diags);
                            row.line
                        }
                    };
                    if diags.0.len() >= MAX_PROBLEMS {
                        stopped = Some(line);
                        break;
                    }
                }
            }
        }
        finish(&file, sheet.as_deref(), diags, stopped, count)
    }
}

/// The header's problems: a required column missing or a column named twice are errors (the
/// rows are not read); the warnings are kept, to be listed with the rows' problems.
fn header_problems(
    file: &str,
    sheet: Option<&str>,
    line: u64,
    header: &Header,
    required: &[&str],
) -> Result<Diagnostics, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut at_header = Location::file(file).with_field("header");
    at_header.line = Some(line);
    at_header.sheet = sheet.map(str::to_string);
    diags.0.extend(header.require(required, &at_header));
    diags.0.extend(header.duplicates(&at_header));
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(diags)
    }
}

/// What every row passes before it is given to the reader's user: no value in a column the
/// header does not name (`cell-beyond-header`), no error value in a column read (`error-cell`).
struct Gate<'h> {
    names: &'h [String],
    width: usize,
    unnamed: Vec<usize>,
    read: Vec<usize>,
    /// Columns are named by letter (a sheet) rather than number (a CSV file).
    letters: bool,
}

impl<'h> Gate<'h> {
    fn new(header: &'h Header, letters: bool) -> Gate<'h> {
        let width = header.names.len();
        Gate {
            names: &header.names,
            width,
            unnamed: (0..width).filter(|&c| header.names[c].is_empty()).collect(),
            read: header.read_columns(),
            letters,
        }
    }

    /// Whether `row` may be given; when not, its problem is added to `diags`.
    fn admits(&self, row: &Row, place: &Place<'_>, diags: &mut Diagnostics) -> bool {
        let beyond = self
            .unnamed
            .iter()
            .copied()
            .chain(self.width..row.cells.len())
            .find(|&c| !row.get(c).is_empty());
        if let Some(col) = beyond {
            let at = place.at(Some(col), "");
            let at = Location { field: None, ..at };
            diags.push(sheet::beyond_header(at, col, self.names, self.letters));
            return false;
        }
        if let Some(&col) = self
            .read
            .iter()
            .find(|&&c| matches!(row.get(c), Cell::Error(_)))
        {
            diags.push(Diagnostic::error(
                Code::ErrorCell,
                place.at(Some(col), &self.names[col]),
                format!(
                    "the cell holds the error {}, not a value: a formula failed; fix it, or \
                     replace it with the value",
                    row.get(col).text()
                ),
            ));
            return false;
        }
        true
    }
}

/// The end of a read: `too-many-problems` when it stopped at the limit (at `stopped`), then
/// the rows given or every problem.
fn finish(
    file: &str,
    sheet: Option<&str>,
    mut diags: Diagnostics,
    stopped: Option<u64>,
    count: usize,
) -> Result<usize, Diagnostics> {
    if let Some(line) = stopped {
        let mut at = Location::file(file);
        at.sheet = sheet.map(str::to_string);
        let row = if sheet.is_some() { "row" } else { "line" };
        diags.push(Diagnostic::error(
            Code::TooManyProblems,
            at,
            format!(
                "srmap stopped reading at {row} {line}, after {} problems: fix these and run it \
                 again",
                limits::count(MAX_PROBLEMS as u64)
            ),
        ));
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(count)
    }
}

/// `merged-cells`: a register sheet with merged areas is refused, each area named (the first
/// ten, then how many more).
fn refuse_merged(wb: &mut Workbook, file: &str, sheet: &str) -> Result<(), Diagnostics> {
    let areas = wb.merged_areas(sheet)?;
    if areas.is_empty() {
        return Ok(());
    }
    let letters = |(r, c): (u32, u32)| {
        format!(
            "{}{}",
            crate::diagnostic::column_letters(c as u64 + 1),
            r as u64 + 1
        )
    };
    let mut out: Vec<Diagnostic> = areas
        .iter()
        .take(10)
        .map(|a| {
            let at = Location {
                file: file.to_string(),
                line: Some(a.start.0 as u64 + 1),
                column: Some(a.start.1 as u64 + 1),
                sheet: Some(sheet.to_string()),
                field: None,
            };
            Diagnostic::error(
                Code::MergedCells,
                at,
                format!(
                    "cells {}:{} are merged: srmap reads each cell of a register on its own, and \
                     all but the first would read as empty; unmerge them and fill each cell",
                    letters(a.start),
                    letters(a.end)
                ),
            )
        })
        .collect();
    if areas.len() > 10 {
        let mut at = Location::file(file);
        at.sheet = Some(sheet.to_string());
        out.push(Diagnostic::error(
            Code::MergedCells,
            at,
            format!("and {} more merged areas", areas.len() - 10),
        ));
    }
    Err(Diagnostics(out))
}

fn whole_file(file: &str, code: Code, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(code, Location::file(file), msg)])
}

//! Workbooks (XLSX, XLSM, XLSB, XLS, ODS): their sheets streamed a row at a time, every row with
//! its number, within the limits of [`crate::table::limits`].
//!
//! XLSX, XLSM and XLSB sheets are read through calamine's cell readers, one cell at a time: no
//! sheet is ever held whole, whatever size it claims, and a cell beyond Excel's last row or
//! column is refused where it is met. Their zip is checked first ([`crate::table::package`]).
//! XLS and ODS workbooks are parsed whole by calamine when they are opened (it has no cell
//! reader for them), so what it would hold is counted first ([`crate::table::biff`],
//! [`crate::table::opendocument`]); their rows then go through the same checks.

use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use calamine::{DataRef, Dimensions, Ods, Reader, Xls, Xlsb, Xlsx};

use crate::diagnostic::{column_letters, Code, Diagnostic, Diagnostics, Location};
use crate::table::biff;
use crate::table::cell::data_ref;
use crate::table::limits::{
    bytes, count, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_SHEET_TEXT_BYTES, MAX_TABLE_CELLS,
};
use crate::table::opendocument;
use crate::table::package::{self, Package};
use crate::table::{control_character, failure, file_name, normalize, Cell, Row, Table};

/// Is this file a workbook (by extension)?
pub fn is_workbook(path: &Path) -> bool {
    kind(path).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "xlsx" | "xlsm" => Kind::Xlsx,
        "xlsb" => Kind::Xlsb,
        "xls" => Kind::Xls,
        "ods" => Kind::Ods,
        _ => return None,
    })
}

type Source = BufReader<File>;

enum Book {
    Xlsx(Box<Xlsx<Source>>),
    Xlsb(Box<Xlsb<Source>>),
    Xls(Box<Xls<Source>>),
    Ods(Box<Ods<Source>>),
}

/// An open workbook: its sheet names, read one at a time.
pub struct Workbook {
    path: PathBuf,
    book: Book,
    names: Vec<String>,
    package: Package,
    /// Read the `None` placeholder of spreadsheet exports as an empty cell.
    none_as_empty: bool,
}

impl Workbook {
    /// Open a workbook (`unreadable-file` when it cannot be, `workbook-too-large` when its zip
    /// is over a limit).
    pub fn open(path: &Path) -> Result<Workbook, Diagnostics> {
        let kind = kind(path).unwrap_or(Kind::Xlsx);
        let package = match kind {
            Kind::Xls => {
                biff::check(path)?;
                Package::default()
            }
            Kind::Ods => {
                let package = package::check(path, false)?;
                opendocument::check(path)?;
                package
            }
            _ => package::check(path, kind == Kind::Xlsb)?,
        };
        let cannot = |e: &dyn std::fmt::Display| {
            failure(
                path,
                Code::UnreadableFile,
                format!("cannot open the workbook: {e}"),
            )
        };
        let file = File::open(path).map_err(|e| cannot(&e))?;
        let source = BufReader::new(file);
        let book = match kind {
            Kind::Xlsx => Book::Xlsx(Box::new(Xlsx::new(source).map_err(|e| cannot(&e))?)),
            Kind::Xlsb => Book::Xlsb(Box::new(Xlsb::new(source).map_err(|e| cannot(&e))?)),
            Kind::Xls => Book::Xls(Box::new(
                whole(path, || Xls::new(source))?.map_err(|e| cannot(&e))?,
            )),
            Kind::Ods => Book::Ods(Box::new(
                whole(path, || Ods::new(source))?.map_err(|e| cannot(&e))?,
            )),
        };
        let names = match &book {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        };
        Ok(Workbook {
            path: path.to_path_buf(),
            book,
            names,
            package,
            none_as_empty: false,
        })
    }

    /// Open a workbook an importer reads: a missing file is `unreadable-file` (`no such
    /// file`), and every sheet is read with the `None` placeholder of spreadsheet exports as an
    /// empty cell ([`Table::none_as_empty`]).
    pub fn open_for_import(path: &Path) -> Result<Workbook, Diagnostics> {
        if !path.is_file() {
            return Err(failure(path, Code::UnreadableFile, "no such file"));
        }
        let mut wb = Workbook::open(path)?;
        wb.none_as_empty = true;
        Ok(wb)
    }

    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// The sheet with this name, ignoring case, punctuation and doubled spaces.
    pub fn find(&self, name: &str) -> Option<String> {
        let want = normalize(name);
        self.names.iter().find(|n| normalize(n) == want).cloned()
    }

    /// `missing-sheet` for a name that is not there, listing the sheets.
    pub fn missing(&self, name: &str) -> Diagnostics {
        failure(
            &self.path,
            Code::MissingSheet,
            format!("has no sheet `{name}` (sheets: {})", self.names.join(", ")),
        )
    }

    /// A sheet by name (as [`Workbook::find`] matches it).
    pub fn read(&mut self, name: &str) -> Result<Table, Diagnostics> {
        let Some(real) = self.find(name) else {
            return Err(self.missing(name));
        };
        self.read_exact(&real)
    }

    /// The sheet with exactly this name, whole: each row numbered as the spreadsheet numbers
    /// it, its cells from column A, from its first row with a value to its last (blank rows
    /// between them kept), every row as wide as the widest. A merged area reads as Excel stores
    /// it: its value in its first cell, the others empty. At most [`MAX_TABLE_CELLS`] cells.
    pub fn read_exact(&mut self, name: &str) -> Result<Table, Diagnostics> {
        let file = self.path.display().to_string();
        let mut rows: Vec<Row> = Vec::new();
        let mut problems = Diagnostics::default();
        let mut width = 0usize;
        let mut too_many = None;
        self.rows(name, None, |row| {
            let row = match row {
                Ok(row) => row,
                Err(d) => {
                    problems.push(d);
                    return ControlFlow::Continue(());
                }
            };
            width = width.max(row.cells.len());
            let first = rows.first().map_or(row.line, |r| r.line);
            let held = (row.line - first + 1).saturating_mul(width as u64);
            if held > MAX_TABLE_CELLS {
                too_many = Some(Diagnostic::error(
                    Code::WorkbookTooLarge,
                    sheet_place(&file, name, Some(row.line), None),
                    format!(
                        "the sheet is {} columns wide down to row {}: over srmap's limit of \
                         {} cells for a sheet read whole",
                        count(width as u64),
                        row.line,
                        count(MAX_TABLE_CELLS)
                    ),
                ));
                return ControlFlow::Break(());
            }
            let next = rows.last().map_or(row.line, |r| r.line + 1);
            rows.extend((next..row.line).map(|line| Row {
                line,
                cells: Vec::new(),
            }));
            rows.push(row.clone());
            ControlFlow::Continue(())
        })?;
        if let Some(d) = too_many {
            return Err(Diagnostics(vec![d]));
        }
        if problems.has_errors() {
            return Err(problems);
        }
        for row in &mut rows {
            row.cells.resize(width, Cell::Empty);
        }
        let table = Table {
            file,
            name: file_name(&self.path),
            sheet: Some(name.to_string()),
            rows,
        };
        Ok(if self.none_as_empty {
            table.none_as_empty()
        } else {
            table
        })
    }

    /// The merged areas of a sheet (XLSX and XLS; calamine does not give them for XLSB and
    /// ODS). Read only when the package scan saw one, since it is a second pass over the sheet.
    pub(crate) fn merged_areas(&mut self, name: &str) -> Result<Vec<Dimensions>, Diagnostics> {
        let path = self.path.clone();
        let cannot = |e: &dyn std::fmt::Display| {
            failure(
                &path,
                Code::UnreadableFile,
                format!("cannot read sheet `{name}`: {e}"),
            )
        };
        let seen = self.package.merged.iter().any(|n| n == name)
            || (self.package.any_merged && self.package.merged.is_empty());
        match &mut self.book {
            Book::Xlsx(b) if seen => b.merge_cells_by_sheet_name(name).map_err(|e| cannot(&e)),
            Book::Xls(b) => Ok(b.merge_cells_by_sheet_name(name).unwrap_or_default()),
            _ => Ok(Vec::new()),
        }
    }

    /// Stream the rows of the sheet with exactly this name to `each`, in order, each row's
    /// cells from column A to its last value; rows without a value are not given. With a
    /// `width` (a header's), a value in a column at or beyond it is a `cell-beyond-header`
    /// problem for its row, and such cells are not held. A row's problems (text over Excel's
    /// length, control characters) come as an error in its place; a problem with the sheet
    /// itself (a cell beyond Excel's last row or column, text over the sheet's limit, a part
    /// that cannot be read) ends the stream with an error. `each` can stop the stream.
    pub(crate) fn rows(
        &mut self,
        name: &str,
        width: Option<(usize, &[String])>,
        mut each: impl FnMut(Result<&Row, Diagnostic>) -> ControlFlow<()>,
    ) -> Result<(), Diagnostics> {
        let file = self.path.display().to_string();
        let mut rows = Assembler::new(&file, name, width);
        let cannot = |e: &dyn std::fmt::Display| {
            Diagnostics(vec![Diagnostic::error(
                Code::UnreadableFile,
                sheet_place(&file, name, None, None),
                format!("cannot read the sheet: {e}"),
            )])
        };
        let fatal = |d: Box<Diagnostic>| Diagnostics(vec![*d]);
        match &mut self.book {
            Book::Xlsx(b) => {
                let mut cells = b.worksheet_cells_reader(name).map_err(|e| cannot(&e))?;
                while let Some(c) = cells.next_cell().map_err(|e| cannot(&rows.after(&e)))? {
                    let (r, col) = c.get_position();
                    if rows.cell(r, col, c.get_value(), &mut each).map_err(fatal)? {
                        return Ok(());
                    }
                }
            }
            Book::Xlsb(b) => {
                let mut cells = b.worksheet_cells_reader(name).map_err(|e| cannot(&e))?;
                while let Some(c) = cells.next_cell().map_err(|e| cannot(&rows.after(&e)))? {
                    let (r, col) = c.get_position();
                    if rows.cell(r, col, c.get_value(), &mut each).map_err(fatal)? {
                        return Ok(());
                    }
                }
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(|e| cannot(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    let (r, c) = (r0 + r as u32, c0 + c as u32);
                    if rows.cell(r, c, &data_ref(v), &mut each).map_err(fatal)? {
                        return Ok(());
                    }
                }
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(|e| cannot(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    let (r, c) = (r0 + r as u32, c0 + c as u32);
                    if rows.cell(r, c, &data_ref(v), &mut each).map_err(fatal)? {
                        return Ok(());
                    }
                }
            }
        }
        rows.finish(&mut each);
        Ok(())
    }
}

/// Open an XLS or ODS workbook, which calamine parses whole: a panic while it does (it indexes
/// some records of a damaged XLS file, a formula's tokens, without checking their length) is
/// `unreadable-file`, said once, not a crash.
fn whole<T>(path: &Path, open: impl FnOnce() -> T) -> Result<T, Diagnostics> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(open));
    std::panic::set_hook(hook);
    opened.map_err(|_| {
        failure(
            path,
            Code::UnreadableFile,
            "cannot open the workbook: its records are damaged (the reader stopped on one that \
             runs past its end): open it in a spreadsheet program and save it again",
        )
    })
}

/// A sheet's place: the file, the sheet, and the row and column when known.
fn sheet_place(file: &str, sheet: &str, line: Option<u64>, col: Option<usize>) -> Location {
    Location {
        file: file.to_string(),
        line,
        column: col.map(|c| c as u64 + 1),
        sheet: Some(sheet.to_string()),
        ..Location::default()
    }
}

/// A cell reference (`B7`, `ZZZZ1`) as its 0-based row and column; none when it is not one.
pub fn parse_ref(text: &str) -> Option<(u64, u64)> {
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(26)?
            .checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    let row: u64 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// Cells read in sheet order, put together into rows.
struct Assembler<'a> {
    file: &'a str,
    sheet: &'a str,
    /// A header's width and names: values beyond it are refused, not held.
    header: Option<(usize, &'a [String])>,
    row: Row,
    /// The 0-based row being put together.
    current: Option<u32>,
    /// Cells of `row` set so far (the rest of its buffer is left from earlier rows).
    len: usize,
    /// The row's first problem.
    problem: Option<Diagnostic>,
    /// Bytes of text read from the sheet so far.
    text: u64,
}

impl<'a> Assembler<'a> {
    fn new(file: &'a str, sheet: &'a str, header: Option<(usize, &'a [String])>) -> Self {
        Assembler {
            file,
            sheet,
            header,
            row: Row {
                line: 0,
                cells: Vec::new(),
            },
            current: None,
            len: 0,
            problem: None,
            text: 0,
        }
    }

    fn place(&self, r: u32, c: usize) -> Location {
        let mut loc = sheet_place(self.file, self.sheet, Some(r as u64 + 1), Some(c));
        if let Some(name) = self.header.and_then(|(_, names)| names.get(c)) {
            if !name.is_empty() {
                loc.field = Some(name.clone());
            }
        }
        loc
    }

    /// A calamine error, said with the last row read.
    fn after(&self, e: &dyn std::fmt::Display) -> String {
        match self.current {
            Some(r) => format!("{e} (after row {})", r + 1),
            None => e.to_string(),
        }
    }

    /// Take one cell. Returns whether `each` stopped the stream; an error ends it.
    fn cell(
        &mut self,
        r: u32,
        c: u32,
        value: &DataRef<'_>,
        each: &mut impl FnMut(Result<&Row, Diagnostic>) -> ControlFlow<()>,
    ) -> Result<bool, Box<Diagnostic>> {
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            let beyond = if c >= MAX_COLUMNS {
                "beyond Excel's last column, XFD"
            } else {
                "beyond Excel's last row, 1,048,576"
            };
            let cell = format!("{}{}", column_letters(c as u64 + 1), r as u64 + 1);
            return Err(Box::new(Diagnostic::error(
                Code::CellOutOfRange,
                sheet_place(self.file, self.sheet, Some(r as u64 + 1), Some(c as usize)),
                format!(
                    "the sheet has a cell at {cell}, {beyond}: no spreadsheet program writes \
                     one there (the workbook is damaged, or made to mislead)"
                ),
            )));
        }
        if self.current != Some(r) {
            if let Some(current) = self.current {
                if r < current {
                    return Err(Box::new(Diagnostic::error(
                        Code::UnreadableFile,
                        sheet_place(self.file, self.sheet, Some(r as u64 + 1), None),
                        format!(
                            "row {} comes after row {} in the sheet's file: srmap reads rows \
                             in order (open the workbook and save it again to put them in order)",
                            r + 1,
                            current + 1
                        ),
                    )));
                }
                if self.flush(each).is_break() {
                    return Ok(true);
                }
            }
            self.current = Some(r);
            self.row.line = r as u64 + 1;
        }
        if matches!(value, DataRef::Empty) {
            return Ok(false);
        }
        let c = c as usize;
        if let Some((width, names)) = self.header {
            if c >= width {
                let blank = match value {
                    DataRef::String(s) => s.trim().is_empty(),
                    DataRef::SharedString(s) => s.trim().is_empty(),
                    _ => false,
                };
                if !blank && self.problem.is_none() {
                    self.problem = Some(beyond_header(self.place(r, c), c, names, true));
                }
                return Ok(false);
            }
        }
        let cells = &mut self.row.cells;
        for i in self.len..c {
            match cells.get_mut(i) {
                Some(cell) => *cell = Cell::Empty,
                None => cells.push(Cell::Empty),
            }
        }
        if c >= cells.len() {
            cells.push(Cell::Empty);
        }
        cells[c].set_sheet(value);
        self.len = self.len.max(c + 1);
        let cell = &self.row.cells[c];
        if let Some(text) = cell.as_text() {
            self.text += text.len() as u64;
            if self.text > MAX_SHEET_TEXT_BYTES {
                return Err(Box::new(Diagnostic::error(
                    Code::WorkbookTooLarge,
                    self.place(r, c),
                    format!(
                        "the sheet's cells hold more than {} of text up to here (a shared \
                         string counts at every cell that uses it), over srmap's limit",
                        bytes(MAX_SHEET_TEXT_BYTES)
                    ),
                )));
            }
            let long = text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS;
            let problem = if long {
                Some(Diagnostic::error(
                    Code::CellTooLong,
                    self.place(r, c),
                    format!(
                        "the cell holds {} characters, over Excel's limit of 32,767",
                        count(text.chars().count() as u64)
                    ),
                ))
            } else {
                control_character(text)
                    .map(|msg| Diagnostic::error(Code::ControlCharacter, self.place(r, c), msg))
            };
            if self.problem.is_none() {
                self.problem = problem;
            }
        }
        Ok(false)
    }

    /// Give the row put together, if it has a value or a problem.
    fn flush(
        &mut self,
        each: &mut impl FnMut(Result<&Row, Diagnostic>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let flow = match self.problem.take() {
            Some(problem) => each(Err(problem)),
            None if self.len == 0 => ControlFlow::Continue(()),
            None => {
                self.row.cells.truncate(self.len);
                each(Ok(&self.row))
            }
        };
        self.len = 0;
        flow
    }

    fn finish(mut self, each: &mut impl FnMut(Result<&Row, Diagnostic>) -> ControlFlow<()>) {
        if self.current.is_some() {
            let _ = self.flush(each);
        }
    }
}

/// `cell-beyond-header`: a value in a column the header does not name (`letters`: say the
/// column as a sheet does, else by number).
pub(crate) fn beyond_header(
    at: Location,
    col: usize,
    names: &[String],
    letters: bool,
) -> Diagnostic {
    let say = |c: usize| {
        if letters {
            column_letters(c as u64 + 1)
        } else {
            (c + 1).to_string()
        }
    };
    let last = names.iter().rposition(|n| !n.is_empty());
    let msg = match last {
        Some(last) if col > last => format!(
            "a value in column {}, beyond the header's last column ({}, `{}`): srmap would \
             ignore it; give the column a header or clear the cell",
            say(col),
            say(last),
            names[last]
        ),
        _ => format!(
            "a value in column {}, whose header cell is empty: srmap would ignore it; give the \
             column a header or clear the cell",
            say(col)
        ),
    };
    Diagnostic::error(Code::CellBeyondHeader, at, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_read_as_row_and_column() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref("ZZZZ2"), Some((1, 475_253)));
        assert_eq!(parse_ref("b7"), Some((6, 1)));
        assert_eq!(parse_ref("7"), None);
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("AZZZZZZZZZZZZZZZZZZZZZZZZ1"), None);
    }
}

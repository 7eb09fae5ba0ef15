//! The one table reader: CSV files and workbook sheets read the same way, every cell with its
//! place (file, line or sheet row, column, sheet, header name), and the one header normaliser.
//!
//! Two shapes: [`Table`], a sheet or CSV file whole (importers look for their header rows
//! themselves, since real workbooks put titles and guidance above them), and [`Records`], a
//! header and the rows under it, streamed (the user's inputs and srmap's own data files).

mod cell;
pub mod csv;
pub mod header;
pub mod sheet;

use std::path::Path;

pub use cell::Cell;
pub use header::{normalize, Header};
pub use sheet::{is_workbook, Workbook};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::progress::Phase;

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

/// A header and the rows under it, streamed from a CSV file (or read from a sheet).
pub struct Records {
    pub file: String,
    pub sheet: Option<String>,
    pub header: Header,
    pub rows: RowSource,
}

/// Where a [`Records`]' rows come from: a CSV file, streamed, or rows already read.
pub enum RowSource {
    Csv(csv::Stream<std::io::BufReader<std::fs::File>>),
    Rows(Box<dyn Iterator<Item = Result<Row, csv::BadRecord>>>),
}

impl RowSource {
    /// The next row into `row`, reusing its buffers when the source is a CSV file.
    fn next_into(&mut self, row: &mut Row) -> Option<Result<(), csv::BadRecord>> {
        match self {
            RowSource::Csv(stream) => stream.next_into(row),
            RowSource::Rows(rows) => rows.next().map(|r| r.map(|r| *row = r)),
        }
    }
}

impl Iterator for RowSource {
    type Item = Result<Row, csv::BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            RowSource::Csv(stream) => stream.next(),
            RowSource::Rows(rows) => rows.next(),
        }
    }
}

/// Where a row is, to point at its cells.
pub struct Place<'t> {
    file: &'t str,
    sheet: Option<&'t str>,
    pub line: u64,
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
        let header = match rows.next() {
            Some(Ok(h)) => Header::new(h.cells.iter().map(Cell::as_str)),
            Some(Err(bad)) => return Err(whole_file(file, Code::BadCsv, bad.error)),
            None => Header::new([]),
        };
        Ok(Records {
            file: file.to_string(),
            sheet: None,
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
            let table = {
                let _loading =
                    Phase::begin(|| format!("loading {}, sheet {name}", file_name(path)));
                wb.read_exact(&name)?
            };
            let mut rows = table.rows.into_iter();
            let Some(first) = rows.next() else {
                return Err(failure(
                    path,
                    Code::EmptyFile,
                    format!("sheet `{name}` is empty"),
                ));
            };
            let names: Vec<String> = first.cells.iter().map(Cell::text).collect();
            return Ok(Records {
                file,
                sheet: Some(name),
                header: Header::new(names.iter().map(String::as_str)),
                rows: RowSource::Rows(Box::new(rows.map(Ok))),
            });
        }
        let f = std::fs::File::open(path)
            .map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
        let mut rows = csv::records(std::io::BufReader::new(f), delimiter);
        let header = match rows.next() {
            Some(Ok(h)) if !h.cells.is_empty() => Header::new(h.cells.iter().map(Cell::as_str)),
            Some(Err(bad)) => return Err(failure(path, Code::BadCsv, bad.error)),
            _ => return Err(failure(path, Code::EmptyFile, "is empty")),
        };
        Ok(Records {
            file,
            sheet: None,
            header,
            rows: RowSource::Csv(rows),
        })
    }

    /// Check the header has the `required` columns, then stream each non-blank row to `each`
    /// with its place; every problem of the file is collected. Returns the rows read, or the
    /// problems when there were any.
    pub fn each_row(
        self,
        required: &[&str],
        mut each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Result<usize, Diagnostics> {
        let Records {
            file,
            sheet,
            header,
            mut rows,
        } = self;
        let mut diags = Diagnostics::default();
        let mut at_header = Location::file(&file).with_field("header");
        at_header.line = Some(1);
        at_header.sheet = sheet.clone();
        diags.0.extend(header.require(required, &at_header));
        if diags.has_errors() {
            return Err(diags);
        }
        let mut count = 0;
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        let mut phase = Phase::begin(|| {
            let name = file_name(Path::new(&file));
            match &sheet {
                Some(s) => format!("reading {name}, sheet {s}"),
                None => format!("reading {name}"),
            }
        });
        while let Some(next) = rows.next_into(&mut row) {
            phase.row();
            match next {
                Err(bad) => diags.push(bad.diagnostic(&file)),
                Ok(()) if row.is_blank() => {}
                Ok(()) => {
                    count += 1;
                    let place = Place {
                        file: &file,
                        sheet: sheet.as_deref(),
                        line: row.line,
                    };
                    each(&row, &place, &mut diags);
                }
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(count)
        }
    }
}

fn whole_file(file: &str, code: Code, msg: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(code, Location::file(file), msg)])
}

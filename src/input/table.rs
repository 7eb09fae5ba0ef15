//! Rows of a CSV file or an XLSX sheet, with their places, read the same way.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use jiff::civil::Date;

use crate::csv_input::{self, Header};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::input::date::parse_date;

/// One cell's value: spreadsheets have real dates and numbers, CSV only text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
}

impl Cell {
    /// The cell as text (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a date: a real date cell, or ISO text.
    pub fn date(&self) -> Result<Option<Date>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::Text(s) if s.trim().is_empty() => Ok(None),
            Cell::Text(s) => parse_date(s).map(Some),
            Cell::Number(n) => Err(format!(
                "`{n}` is a number, not a date: format the cell as a date or write YYYY-MM-DD"
            )),
        }
    }
}

/// One data row and where it is.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line (CSV) or sheet row.
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A table read from a file: its header and rows.
pub struct Table {
    pub file: String,
    pub sheet: Option<String>,
    pub header: Header,
    pub rows: Box<dyn Iterator<Item = Result<Row, Box<Diagnostic>>>>,
}

impl Table {
    /// The place of a cell, for diagnostics.
    pub fn at(&self, line: u64, col: Option<usize>, field: &str) -> Location {
        let mut loc = Location::at(&self.file, line, col.map(|c| c as u64 + 1).unwrap_or(1))
            .with_field(field);
        loc.sheet = self.sheet.clone();
        if col.is_none() {
            loc.column = None;
        }
        loc
    }

    pub fn whole(&self) -> Location {
        let mut loc = Location::file(&self.file);
        loc.sheet = self.sheet.clone();
        loc
    }
}

fn is_xlsx(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "ods")
    )
}

/// Open a CSV file (streamed) or a sheet of a workbook (the first, or `sheet`).
pub fn open(path: &Path, sheet: Option<&str>, delimiter: u8) -> Result<Table, Diagnostics> {
    let file = path.display().to_string();
    let fail = |code: &'static str, msg: String| {
        Diagnostics(vec![Diagnostic::error(code, Location::file(&file), msg)])
    };
    if is_xlsx(path) {
        let mut wb = open_workbook_auto(path)
            .map_err(|e| fail("unreadable-file", format!("cannot open the workbook: {e}")))?;
        let names = wb.sheet_names().to_vec();
        let name = match sheet {
            Some(s) => names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(s))
                .cloned()
                .ok_or_else(|| {
                    fail(
                        "missing-sheet",
                        format!("has no sheet `{s}` (sheets: {})", names.join(", ")),
                    )
                })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| fail("missing-sheet", "has no sheets".into()))?,
        };
        let range = wb.worksheet_range(&name).map_err(|e| {
            fail(
                "unreadable-file",
                format!("cannot read sheet `{name}`: {e}"),
            )
        })?;
        let start_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
        let mut rows = range.rows().enumerate();
        let header = match rows.next() {
            Some((_, cells)) => {
                let names: Vec<String> = cells.iter().map(|c| sheet_cell(c).text()).collect();
                let mut padded = vec![String::new(); start_col];
                padded.extend(names);
                Header::new(padded.iter().map(String::as_str))
            }
            None => return Err(fail("empty-file", format!("sheet `{name}` is empty"))),
        };
        let data: Vec<Result<Row, Box<Diagnostic>>> = rows
            .map(|(i, cells)| {
                let mut out = vec![Cell::Empty; start_col];
                out.extend(cells.iter().map(sheet_cell));
                Ok(Row {
                    line: start_row + i as u64 + 1,
                    cells: out,
                })
            })
            .collect();
        return Ok(Table {
            file,
            sheet: Some(name),
            header,
            rows: Box::new(data.into_iter()),
        });
    }
    let f = std::fs::File::open(path).map_err(|e| fail("unreadable-file", e.to_string()))?;
    let mut rdr = csv_input::reader(std::io::BufReader::new(f), delimiter);
    let header = match rdr.headers() {
        Ok(h) if !h.is_empty() => Header::new(h.iter()),
        Ok(_) => return Err(fail("empty-file", "is empty".into())),
        Err(e) => return Err(fail("bad-csv", e.to_string())),
    };
    let name = file.clone();
    let rows = rdr.into_records().map(move |rec| match rec {
        Ok(r) => Ok(Row {
            line: r.position().map(|p| p.line()).unwrap_or(0),
            cells: r
                .iter()
                .map(|v| {
                    if v.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(v.to_string())
                    }
                })
                .collect(),
        }),
        Err(e) => {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            let msg = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => {
                    "is not UTF-8 text: save it as CSV UTF-8".to_string()
                }
                _ => e.to_string(),
            };
            Err(Box::new(Diagnostic::error(
                "bad-csv",
                Location::at(&name, line, 1),
                msg,
            )))
        }
    });
    Ok(Table {
        file,
        sheet: None,
        header,
        rows: Box::new(rows),
    })
}

/// A spreadsheet cell as srmap reads it: real dates stay dates.
pub fn sheet_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match Date::new(y as i16, m as i8, day as i8) {
                Ok(date) => Cell::Date(date),
                Err(_) => Cell::Number(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

impl Row {
    pub fn get(&self, col: Option<usize>) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        col.and_then(|c| self.cells.get(c)).unwrap_or(&EMPTY)
    }

    pub fn text(&self, col: Option<usize>) -> String {
        self.get(col).text()
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// Where a row is, to point at its cells.
pub struct Place<'t> {
    file: &'t str,
    sheet: Option<&'t str>,
    pub line: u64,
}

impl Place<'_> {
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

impl Table {
    /// Check the header has the `required` columns, then stream each non-blank row to `each`
    /// with its place; every problem of the file is collected. Returns the rows read, or the
    /// problems when there were any.
    pub fn each_row(
        self,
        required: &[&str],
        mut each: impl FnMut(&Row, &Place<'_>, &mut Diagnostics),
    ) -> Result<usize, Diagnostics> {
        let mut diags = Diagnostics::default();
        diags
            .0
            .extend(self.header.require(required, &self.at(1, None, "header")));
        if diags.has_errors() {
            return Err(diags);
        }
        let Table {
            file, sheet, rows, ..
        } = self;
        let mut count = 0;
        for row in rows {
            match row {
                Err(d) => diags.push(*d),
                Ok(row) if row.is_blank() => {}
                Ok(row) => {
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

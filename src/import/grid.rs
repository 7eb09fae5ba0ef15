//! Whole sheets (or CSV files) as grids of cells with their row numbers: importers look for
//! their header rows themselves, since real workbooks put titles and guidance above them.

use std::io::BufReader;
use std::path::Path;

use calamine::{open_workbook_auto, Reader, Sheets};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::import::vocabulary::normalize;
use crate::input::table::{sheet_cell, Cell};

/// One row: its 1-based number in the sheet (or line in the CSV) and its cells from column A.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub line: u64,
    pub cells: Vec<Cell>,
}

impl GridRow {
    pub fn text(&self, col: usize) -> String {
        match self.cells.get(col) {
            Some(c) => clean(&c.text()),
            None => String::new(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| clean(&c.text()).is_empty())
    }

    /// The first column whose cell, normalised, satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.cells.iter().position(|c| pred(&normalize(&c.text())))
    }
}

/// Cell text with the spreadsheet export's `None` placeholder read as empty.
fn clean(s: &str) -> String {
    let t = s.trim();
    if t == "None" {
        String::new()
    } else {
        t.to_string()
    }
}

/// A sheet or CSV file, whole.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The path as the user gave it (for diagnostics).
    pub file: String,
    /// The file name alone (for `source` in the data written).
    pub name: String,
    pub sheet: Option<String>,
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// Where a row is, for a `skipped:` line: `file: sheet S, row N` (or `file:N` for CSV).
    pub fn at(&self, line: u64) -> Location {
        Location {
            file: self.file.clone(),
            line: Some(line),
            sheet: self.sheet.clone(),
            ..Location::default()
        }
    }

    pub fn whole(&self) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            ..Location::default()
        }
    }

    /// `file.xlsx, sheet S, row N`: the `source` of a row written from this grid.
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
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub fn fail(path: &Path, code: &'static str, msg: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        code,
        Location::file(path.display().to_string()),
        msg,
    )])
}

/// An open workbook: its sheet names, read one at a time.
pub struct Workbook {
    path: std::path::PathBuf,
    inner: Sheets<BufReader<std::fs::File>>,
    names: Vec<String>,
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook, Diagnostics> {
        if !path.is_file() {
            return Err(fail(path, "unreadable-file", "no such file"));
        }
        let inner = open_workbook_auto(path).map_err(|e| {
            fail(
                path,
                "unreadable-file",
                format!("cannot open the workbook: {e}"),
            )
        })?;
        let names = inner.sheet_names().to_vec();
        Ok(Workbook {
            path: path.to_path_buf(),
            inner,
            names,
        })
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
        fail(
            &self.path,
            "missing-sheet",
            format!("has no sheet `{name}` (sheets: {})", self.names.join(", ")),
        )
    }

    /// A sheet by name (as [`Workbook::find`] matches it).
    pub fn read(&mut self, name: &str) -> Result<Grid, Diagnostics> {
        let Some(real) = self.find(name) else {
            return Err(self.missing(name));
        };
        let range = self.inner.worksheet_range(&real).map_err(|e| {
            fail(
                &self.path,
                "unreadable-file",
                format!("cannot read sheet `{real}`: {e}"),
            )
        })?;
        let (start_row, start_col) = range
            .start()
            .map(|(r, c)| (r as u64, c as usize))
            .unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut out = vec![Cell::Empty; start_col];
                out.extend(cells.iter().map(sheet_cell));
                GridRow {
                    line: start_row + i as u64 + 1,
                    cells: out,
                }
            })
            .collect();
        Ok(Grid {
            file: self.path.display().to_string(),
            name: file_name(&self.path),
            sheet: Some(real),
            rows,
        })
    }
}

/// Is this file a workbook (by extension)?
pub fn is_workbook(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// A CSV file, whole, as a grid (header row included). The separator is `,` unless the first
/// line has more `;` than `,`.
pub fn read_csv(path: &Path) -> Result<Grid, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| fail(path, "unreadable-file", e.to_string()))?;
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let semis = first.iter().filter(|b| **b == b';').count();
    let commas = first.iter().filter(|b| **b == b',').count();
    let delimiter = if semis > commas { b';' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            let msg = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text: save it as CSV UTF-8".into(),
                _ => e.to_string(),
            };
            Diagnostics(vec![Diagnostic::error(
                "bad-csv",
                Location::at(path.display().to_string(), line, 1),
                msg,
            )])
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        rows.push(GridRow {
            line,
            cells: rec
                .iter()
                .map(|v| {
                    let v = v.trim_start_matches('\u{feff}');
                    if v.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(v.to_string())
                    }
                })
                .collect(),
        });
    }
    if rows.is_empty() {
        return Err(fail(path, "empty-file", "is empty"));
    }
    Ok(Grid {
        file: path.display().to_string(),
        name: file_name(path),
        sheet: None,
        rows,
    })
}

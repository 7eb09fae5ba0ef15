//! Workbooks (XLSX, XLSM, XLS, XLSB, ODS): their sheets read whole, every row with its number.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Reader, Sheets};

use crate::diagnostic::{Code, Diagnostics};
use crate::table::{failure, file_name, normalize, Cell, Row, Table};

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

/// An open workbook: its sheet names, read one at a time.
pub struct Workbook {
    path: PathBuf,
    inner: Sheets<BufReader<std::fs::File>>,
    names: Vec<String>,
    /// Read the `None` placeholder of spreadsheet exports as an empty cell.
    none_as_empty: bool,
}

impl Workbook {
    /// Open a workbook (`unreadable-file` when it cannot be).
    pub fn open(path: &Path) -> Result<Workbook, Diagnostics> {
        let inner = open_workbook_auto(path).map_err(|e| {
            failure(
                path,
                Code::UnreadableFile,
                format!("cannot open the workbook: {e}"),
            )
        })?;
        let names = inner.sheet_names().to_vec();
        Ok(Workbook {
            path: path.to_path_buf(),
            inner,
            names,
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
    /// it, its cells from column A.
    pub fn read_exact(&mut self, name: &str) -> Result<Table, Diagnostics> {
        let range = self.inner.worksheet_range(name).map_err(|e| {
            failure(
                &self.path,
                Code::UnreadableFile,
                format!("cannot read sheet `{name}`: {e}"),
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
                out.extend(cells.iter().map(Cell::from_sheet));
                Row {
                    line: start_row + i as u64 + 1,
                    cells: out,
                }
            })
            .collect();
        let table = Table {
            file: self.path.display().to_string(),
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
}

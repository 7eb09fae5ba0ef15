//! XLSX output (rust_xlsxwriter): the gap workbook, and a sheet helper other reports share.
//! Every list sheet holds one table with a bold frozen header, its filter, sensible widths, and
//! prints landscape, fitted to the page width, with the header repeated; counts are numbers,
//! dates are dates, web links are hyperlinks; every text cell, headers included, goes through
//! the one formula neutraliser ([`neutralize`]), and every sheet name through
//! [`crate::output::sheet_name`]; the file is byte-stable.
//!
//! Excel's limits are met, not tripped over: a text longer than a cell holds (32,767
//! characters) is cut with a visible marker and a line under the table says so; a date Excel
//! cannot show (before 1900, after 9999) is written as its text. What still cannot be written
//! (a sheet beyond 1,048,576 rows) is a [`WorkbookError`] naming the sheet, the cell, its column
//! and the row's subject, reported with its code.

use std::borrow::Cow;
use std::io::{self, Write};

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Url,
    Workbook, Worksheet, XlsxError,
};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::gaps::Severity;
use crate::output::{neutralize, sheet_name};
use crate::party::Party;

mod compare;
mod diff;
mod gap_report;
mod soa;
mod templates;

pub use compare::comparison;
pub use diff::{change_color, diff_report};
pub use gap_report::gap_report;
pub use soa::soa;
pub use templates::{evidence_template, pbc_list};

/// Why a workbook cannot be built: the library's error, or a diagnostic with the sheet, cell
/// and row it was writing.
#[derive(Debug)]
pub enum WorkbookError {
    Xlsx(XlsxError),
    At(Box<Diagnostic>),
}

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> Self {
        WorkbookError::Xlsx(e)
    }
}

/// A workbook error as an I/O error, the error of every writer (a diagnostic travels inside,
/// so the command line reports it with its code and place).
pub fn to_io(e: impl Into<WorkbookError>) -> io::Error {
    match e.into() {
        WorkbookError::Xlsx(e) => io::Error::other(e.to_string()),
        WorkbookError::At(d) => io::Error::other(*d),
    }
}

/// Write a built workbook's bytes, or the error that stopped building it.
fn write_workbook(built: Result<Vec<u8>, WorkbookError>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&built.map_err(to_io)?)
}

/// Build a workbook with `build` and save it, or say the error that stopped either. The
/// workbook is written to a temporary file first (its sheets of a million rows are not held as
/// one buffer), then copied to `out`.
///
/// Constant-memory sheets write each row to a temporary file as it ends, and rust_xlsxwriter
/// panics when that write fails (a full disk): the panic is caught, and the failure said as the
/// error a probe write to a temporary file meets, not as a crash.
fn write_saved(
    build: impl FnOnce() -> Result<Workbook, WorkbookError>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let saved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut wb = build().map_err(to_io)?;
        let mut file = tempfile::tempfile()?;
        wb.save_to_writer(&mut file).map_err(to_io)?;
        Ok::<_, io::Error>(file)
    }));
    std::panic::set_hook(hook);
    let mut file = saved.unwrap_or_else(|_| Err(temporary_write_error()))?;
    io::Seek::rewind(&mut file)?;
    io::copy(&mut file, out)?;
    Ok(())
}

/// Why writing a temporary file fails now (a full disk, a file size limit), found by writing one.
fn temporary_write_error() -> io::Error {
    let probe = tempfile::tempfile().and_then(|mut f| {
        f.write_all(&[0u8; 1 << 16])?;
        f.sync_all()
    });
    match probe {
        Err(e) => e,
        Ok(()) => io::Error::other("cannot write the workbook's temporary files"),
    }
}

/// Excel's longest text in a cell, in UTF-16 code units.
pub const MAX_TEXT: usize = 32_767;

/// `text` cut to at most `limit` UTF-16 code units, with a visible marker saying how much was
/// left out, or `text` itself when it fits.
pub fn cut_to(text: &str, limit: usize) -> Cow<'_, str> {
    if text.encode_utf16().count() <= limit {
        return Cow::Borrowed(text);
    }
    let total = text.chars().count();
    // The marker is at most this long (its count of characters has at most 20 digits).
    let room = limit.saturating_sub(100);
    let mut used = 0;
    let mut end = 0;
    let mut kept = 0;
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
        kept += 1;
    }
    Cow::Owned(format!(
        "{} … [cut: {} more characters; the CSV and JSON outputs hold the whole text]",
        &text[..end],
        total - kept
    ))
}

/// A cell note's text, cut to what Excel keeps in a note.
pub fn note_text(text: &str) -> Cow<'_, str> {
    cut_to(text, MAX_TEXT - 54)
}

/// The date as Excel holds it, if Excel can (1900-01-01 to 9999-12-31).
pub fn excel_date(d: jiff::civil::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// Background colours, shared by every report so owners and severities read the same.
pub fn party_color(p: Party) -> Color {
    match p {
        Party::Customer => Color::RGB(0xF8CBAD),
        Party::Shared => Color::RGB(0xFFE699),
        Party::Provider => Color::RGB(0xC6E0B4),
        Party::NotApplicable => Color::RGB(0xE7E6E6),
    }
}

pub fn severity_color(s: Severity) -> Color {
    match s {
        Severity::High => Color::RGB(0xF4B6B6),
        Severity::Medium => Color::RGB(0xFFE699),
        Severity::Low => Color::RGB(0xDDEBF7),
        Severity::Info => Color::RGB(0xEDEDED),
    }
}

/// A workbook whose document properties carry a fixed date, so output is byte-identical.
pub fn new_workbook(title: &str, date: jiff::civil::Date) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // Properties need a date Excel can hold: a date outside its range stamps the nearest one.
    let when = match excel_date(date) {
        Some(d) => d,
        None if date.year() < 1900 => ExcelDateTime::from_ymd(1900, 1, 1)?,
        None => ExcelDateTime::from_ymd(9999, 12, 31)?,
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(cut_to(title, 255).as_ref())
            .set_author("srmap")
            .set_creation_datetime(&when),
    );
    Ok(wb)
}

/// Excel's limit of hyperlinks on one worksheet; later links are written as plain text.
pub const MAX_LINKS: usize = 65_530;

/// Whether a cell's text is a link a spreadsheet program can open: a web, FTP, file or mail
/// address, in one piece. Other schemes (`s3://`, `sharepoint://`, a ticket key) stay text.
pub fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    [
        "http://", "https://", "ftp://", "ftps://", "file://", "mailto:",
    ]
    .iter()
    .any(|p| lower.starts_with(p) && text.len() > p.len())
        && !text.chars().any(char::is_whitespace)
        && text.len() < 2_000
}

/// Writes rows of cells to one sheet, tracking column widths.
pub struct SheetWriter<'w> {
    pub ws: &'w mut Worksheet,
    pub row: u32,
    widths: Vec<f64>,
    header_row: Option<u32>,
    columns: u16,
    /// Wrapped cells: (row, column, the longest line's length and line count), for row heights.
    wrapped: Vec<(u32, u16, Vec<usize>)>,
    pub header: Format,
    pub wrap: Format,
    pub date: Format,
    /// A number, aligned to the top like the wrapped text beside it.
    pub num: Format,
    pub bold: Format,
    /// A hyperlink cell: blue, underlined, wrapped like the others.
    pub link_format: Format,
    /// Hyperlinks written so far (Excel opens at most [`MAX_LINKS`] on a sheet).
    links: usize,
    /// The sheet's name and its header's column names, for errors.
    name: String,
    columns_named: Vec<String>,
    /// What the row being written is about (its first cell, or what [`SheetWriter::about`]
    /// says), for errors.
    subject: Option<String>,
    /// Cells whose text was cut to Excel's limit.
    cut: usize,
    /// Measuring only: nothing is written ([`SheetWriter::measuring`]).
    dry: bool,
    /// The column widths, set before the first row ([`SheetWriter::streamed`]): each row's
    /// height is then set as the row ends, not at the end of the sheet.
    fixed: Option<Vec<f64>>,
    /// The current row's height in lines (with fixed widths).
    row_lines: usize,
}

impl<'w> SheetWriter<'w> {
    pub fn new(ws: &'w mut Worksheet, name: &str) -> Result<Self, WorkbookError> {
        let name = sheet_name(name);
        ws.set_name(&name)?;
        ws.set_landscape();
        ws.set_paper_size(9); // A4
        ws.set_print_fit_to_pages(1, 0);
        ws.set_footer("&L&A&RPage &P of &N");
        Ok(SheetWriter {
            ws,
            row: 0,
            widths: Vec::new(),
            header_row: None,
            columns: 0,
            wrapped: Vec::new(),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x1F3864))
                .set_font_color(Color::White)
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            num: Format::new().set_align(FormatAlign::Top),
            bold: Format::new().set_bold(),
            link_format: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            links: 0,
            name,
            columns_named: Vec::new(),
            subject: None,
            cut: 0,
            dry: false,
            fixed: None,
            row_lines: 1,
        })
    }

    /// A writer that only measures what it is given (column widths, cut cells, links): the
    /// first of two passes over a table too large to hold, the second written with
    /// [`SheetWriter::streamed`]. `ws` is left empty.
    pub fn measuring(ws: &'w mut Worksheet, name: &str) -> Result<Self, WorkbookError> {
        let mut s = SheetWriter::new(ws, name)?;
        s.dry = true;
        Ok(s)
    }

    /// The widths measured, each capped at `max_width` (as [`SheetWriter::finish`] sets them).
    pub fn widths(&self, max_width: f64) -> Vec<f64> {
        self.widths.iter().map(|w| w.min(max_width)).collect()
    }

    /// A writer for a sheet made with `add_worksheet_with_low_memory` (rows go to a temporary
    /// file as they end: a sheet of a million cells is not held), its column widths measured
    /// before ([`SheetWriter::measuring`]): they are set now, and each row's height as it ends.
    pub fn streamed(
        ws: &'w mut Worksheet,
        name: &str,
        widths: Vec<f64>,
    ) -> Result<Self, WorkbookError> {
        let mut s = SheetWriter::new(ws, name)?;
        for (i, w) in widths.iter().enumerate() {
            s.ws.set_column_width(i as u16, *w)?;
        }
        s.widths = widths.clone();
        s.fixed = Some(widths);
        Ok(s)
    }

    /// Note a wrapped cell's lines, for its row's height: kept until the widths are known, or
    /// (widths fixed) counted into the row's height now.
    fn wrapped(&mut self, row: u32, col: u16, lines: Vec<usize>) {
        if self.dry {
            return;
        }
        match &self.fixed {
            Some(widths) => self.row_lines = self.row_lines.max(lines_in(widths, col, &lines)),
            None => self.wrapped.push((row, col, lines)),
        }
    }

    /// With fixed widths: the row ends; its height is set when its cells need more than a line.
    fn end_row(&mut self) -> Result<(), WorkbookError> {
        let n = std::mem::replace(&mut self.row_lines, 1);
        if self.fixed.is_some() && !self.dry && n > 1 {
            self.ws.set_row_height(self.row, 15.0 * n.min(30) as f64)?;
        }
        Ok(())
    }

    /// Say what the current row is about (an input file and row, a finding), for errors;
    /// otherwise its first cell says it.
    pub fn about(&mut self, subject: impl Into<String>) {
        self.subject = Some(subject.into());
    }

    /// An error of the library while writing (`row`, `col`), with the sheet, cell, column
    /// and the row's subject.
    fn at(&self, row: u32, col: u16, e: XlsxError) -> WorkbookError {
        let code = match e {
            XlsxError::RowColumnLimitError => Code::XlsxLimit,
            _ => Code::CannotWrite,
        };
        let about = match &self.subject {
            Some(s) => format!(" (the row of {s})"),
            None => String::new(),
        };
        let message = match e {
            XlsxError::RowColumnLimitError => format!(
                "the sheet would need more than Excel's 1,048,576 rows or 16,384 columns{about}: \
                 write this report as CSV or JSON"
            ),
            other => format!("{other}{about}"),
        };
        let location = Location {
            sheet: Some(self.name.clone()),
            line: Some(u64::from(row) + 1),
            column: Some(u64::from(col) + 1),
            field: self.columns_named.get(usize::from(col)).cloned(),
            ..Location::default()
        };
        WorkbookError::At(Box::new(Diagnostic::error(code, location, message)))
    }

    /// The text of a cell: cut to Excel's limit (counted) and neutralised.
    fn fit<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        let kept = cut_to(text, MAX_TEXT - 1);
        if matches!(kept, Cow::Owned(_)) {
            self.cut += 1;
        }
        match kept {
            Cow::Borrowed(t) => neutralize(t),
            Cow::Owned(t) => Cow::Owned(neutralize(&t).into_owned()),
        }
    }

    fn widen(&mut self, col: u16, text: &str) {
        let len = text.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
        let i = col as usize;
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 8.0);
        }
        self.widths[i] = self.widths[i].max(len + 2.0);
    }

    /// A line of plain text (titles, notes above a table).
    pub fn text(
        &mut self,
        col: u16,
        text: &str,
        format: Option<&Format>,
    ) -> Result<(), WorkbookError> {
        let t = self.fit(text);
        let row = self.row;
        let written = match format {
            Some(f) => self.ws.write_string_with_format(row, col, t.as_ref(), f),
            None => self.ws.write_string(row, col, t.as_ref()),
        }
        .map(|_| ());
        written.map_err(|e| self.at(row, col, e))
    }

    /// Write one text cell, a failure named by its place.
    fn put(&mut self, row: u32, col: u16, text: &str, fmt: &Format) -> Result<(), WorkbookError> {
        if self.dry {
            return Ok(());
        }
        let written = self
            .ws
            .write_string_with_format(row, col, text, fmt)
            .map(|_| ());
        written.map_err(|e| self.at(row, col, e))
    }

    pub fn header(&mut self, cols: &[&str]) -> Result<(), WorkbookError> {
        self.columns_named = cols.iter().map(|c| c.to_string()).collect();
        for (i, c) in cols.iter().enumerate() {
            let fmt = self.header.clone();
            let t = self.fit(c);
            let (row, col) = (self.row, i as u16);
            self.put(row, col, &t, &fmt)?;
            self.widen(col, &t);
            self.wrapped(row, col, vec![t.chars().count()]);
        }
        self.header_row = Some(self.row);
        self.columns = cols.len() as u16;
        self.end_row()?;
        self.row += 1;
        Ok(())
    }

    pub fn cell(&mut self, col: u16, text: &str, fill: Option<Color>) -> Result<(), WorkbookError> {
        let t = self.fit(text);
        if col == 0 && self.subject.is_none() {
            self.subject = Some(format!("`{}`", cut_to(&t, 80)));
        }
        let mut fmt = self.wrap.clone();
        if let Some(c) = fill {
            fmt = fmt.set_background_color(c);
        }
        let row = self.row;
        self.put(row, col, &t, &fmt)?;
        self.widen(col, &t);
        let lines = t.lines().map(|l| l.chars().count()).collect();
        self.wrapped(row, col, lines);
        Ok(())
    }

    /// A wrapped cell of a bold first line (a title) and plain text under it.
    pub fn titled(&mut self, col: u16, title: &str, text: &str) -> Result<(), WorkbookError> {
        let title = self.fit(&cut_to(title, 1_000)).into_owned();
        let room = MAX_TEXT - 2 - title.encode_utf16().count();
        let text = match cut_to(text, room) {
            Cow::Borrowed(t) => t.to_string(),
            Cow::Owned(t) => {
                self.cut += 1;
                t
            }
        };
        let body = format!("\n{text}");
        let bold = self.wrap.clone().set_bold();
        let plain = Format::new();
        let wrap = self.wrap.clone();
        let row = self.row;
        let written = self
            .ws
            .write_rich_string_with_format(
                row,
                col,
                &[(&bold, title.as_str()), (&plain, body.as_str())],
                &wrap,
            )
            .map(|_| ());
        written.map_err(|e| self.at(row, col, e))?;
        let both = format!("{title}\n{text}");
        self.widen(col, &both);
        // Bold runs wider, and wrapping at words loses part of each line: count a little more.
        let lines = both.lines().map(|l| l.chars().count() * 23 / 20).collect();
        self.wrapped(row, col, lines);
        Ok(())
    }

    /// Give a column this width whatever its cells hold (the text wraps within it).
    pub fn set_width(&mut self, col: u16, width: f64) {
        let i = col as usize;
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 8.0);
        }
        self.widths[i] = width;
    }

    /// A cell whose text is a hyperlink when it is a URL ([`is_url`]), plain text otherwise.
    pub fn link(&mut self, col: u16, text: &str, fill: Option<Color>) -> Result<(), WorkbookError> {
        let t = text.trim();
        if !is_url(t) || self.links >= MAX_LINKS {
            return self.cell(col, text, fill);
        }
        let mut fmt = self.link_format.clone();
        if let Some(c) = fill {
            fmt = fmt.set_background_color(c);
        }
        let row = self.row;
        if !self.dry {
            let written = self
                .ws
                .write_url_with_format(row, col, Url::new(t), &fmt)
                .map(|_| ());
            written.map_err(|e| self.at(row, col, e))?;
        }
        self.links += 1;
        self.widen(col, t);
        self.wrapped(row, col, vec![t.chars().count()]);
        Ok(())
    }

    /// Make a column at least this wide (for columns the team fills in, empty when written).
    pub fn reserve(&mut self, col: u16, width: f64) {
        self.widen(col, &" ".repeat((width - 2.0).max(0.0) as usize));
    }

    pub fn number(&mut self, col: u16, n: f64) -> Result<(), WorkbookError> {
        let row = self.row;
        if !self.dry {
            let fmt = self.num.clone();
            let written = self
                .ws
                .write_number_with_format(row, col, n, &fmt)
                .map(|_| ());
            written.map_err(|e| self.at(row, col, e))?;
        }
        self.widen(col, &n.to_string());
        Ok(())
    }

    /// A date cell; a date Excel cannot hold (before 1900 or after 9999) is written as its
    /// text, as the input gave it.
    pub fn date_cell(
        &mut self,
        col: u16,
        d: Option<jiff::civil::Date>,
    ) -> Result<(), WorkbookError> {
        let Some(d) = d else {
            return Ok(());
        };
        let Some(x) = excel_date(d) else {
            return self.cell(col, &d.to_string(), None);
        };
        let fmt = self.date.clone();
        let row = self.row;
        let written = self
            .ws
            .write_datetime_with_format(row, col, &x, &fmt)
            .map(|_| ());
        written.map_err(|e| self.at(row, col, e))?;
        self.widen(col, "2026-09-30");
        Ok(())
    }

    pub fn next_row(&mut self) -> Result<(), WorkbookError> {
        self.end_row()?;
        self.row += 1;
        self.subject = None;
        Ok(())
    }

    /// Freeze the header, add filters, set widths (capped) and repeat the header on print;
    /// under the table, a line saying how many cells were cut to Excel's limit, if any.
    pub fn finish(&mut self, max_width: f64) -> Result<(), WorkbookError> {
        if let Some(h) = self.header_row {
            self.ws.set_freeze_panes(h + 1, 0)?;
            if self.row > h + 1 && self.columns > 0 {
                self.ws.autofilter(h, 0, self.row - 1, self.columns - 1)?;
            }
            self.ws.set_repeat_rows(h, h)?;
        }
        let widths: Vec<f64> = self.widths.iter().map(|w| w.min(max_width)).collect();
        for (i, w) in widths.iter().enumerate() {
            self.ws.set_column_width(i as u16, *w)?;
        }
        self.fit_rows(&widths)?;
        if self.cut > 0 {
            let row = self.row + 1;
            let line = format!(
                "{} cell{} on this sheet held more than Excel's {MAX_TEXT} characters: cut, and \
                 marked “[cut: …]”. The CSV and JSON outputs hold the whole text.",
                self.cut,
                if self.cut == 1 { "" } else { "s" }
            );
            let bold = self.bold.clone();
            let written = self
                .ws
                .write_string_with_format(row, 0, &line, &bold)
                .map(|_| ());
            written.map_err(|e| self.at(row, 0, e))?;
        }
        Ok(())
    }

    /// Set each row's height to fit its wrapped cells (spreadsheet programs do not all do it).
    pub fn fit_rows(&mut self, widths: &[f64]) -> Result<(), WorkbookError> {
        let mut lines_per_row: std::collections::BTreeMap<u32, usize> =
            std::collections::BTreeMap::new();
        for (row, col, lines) in &self.wrapped {
            let n = lines_in(widths, *col, lines);
            let e = lines_per_row.entry(*row).or_insert(1);
            *e = (*e).max(n);
        }
        for (row, n) in lines_per_row {
            if n > 1 {
                self.ws.set_row_height(row, 15.0 * n.min(30) as f64)?;
            }
        }
        Ok(())
    }
}

/// The lines a wrapped cell takes in its column: proportional text fits about 1.2 characters
/// per unit of column width.
fn lines_in(widths: &[f64], col: u16, lines: &[usize]) -> usize {
    let w = (widths.get(col as usize).copied().unwrap_or(8.0).max(4.0) - 1.0) * 1.2;
    lines
        .iter()
        .map(|len| ((*len as f64) / w).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_a_marker_counting_utf16() {
        let long = "é".repeat(40_000);
        let cut = cut_to(&long, MAX_TEXT);
        assert!(cut.encode_utf16().count() <= MAX_TEXT);
        assert!(
            cut.ends_with("the CSV and JSON outputs hold the whole text]"),
            "{}",
            &cut[cut.len() - 100..]
        );
        let kept = cut.chars().take_while(|c| *c == 'é').count();
        assert!(cut.contains(&format!("[cut: {} more characters", 40_000 - kept)));
        // Characters beyond the basic plane count twice.
        let emoji = "😀".repeat(20_000);
        assert!(cut_to(&emoji, MAX_TEXT).encode_utf16().count() <= MAX_TEXT);
        assert_eq!(cut_to("short", MAX_TEXT), "short");
    }

    #[test]
    fn dates_excel_cannot_hold_are_none() {
        let d = |y, m, dd| jiff::civil::date(y, m, dd);
        assert!(excel_date(d(2026, 9, 30)).is_some());
        assert!(excel_date(d(0, 1, 1)).is_none());
        assert!(excel_date(d(1899, 12, 30)).is_none());
        assert!(excel_date(d(-5, 1, 1)).is_none());
    }

    #[test]
    fn a_sheet_beyond_the_row_limit_names_sheet_cell_column_and_row() {
        let mut wb = Workbook::new();
        let mut s = SheetWriter::new(wb.add_worksheet(), "Evidence rows").unwrap();
        s.header(&["file", "row", "title"]).unwrap();
        s.row = 1_048_576;
        s.about("evidence.csv row 1048576");
        let WorkbookError::At(d) = s.cell(2, "x", None).unwrap_err() else {
            panic!("a library error without its place");
        };
        assert_eq!(d.code, Code::XlsxLimit);
        assert_eq!(
            d.location.to_string(),
            ": sheet Evidence rows, cell C1048577 (title)"
        );
        assert!(
            d.message.contains("(the row of evidence.csv row 1048576)"),
            "{}",
            d.message
        );
        assert!(d.message.contains("CSV or JSON"), "{}", d.message);
    }

    #[test]
    fn header_cells_and_sheet_names_are_neutralised() {
        let mut wb = Workbook::new();
        let mut s = SheetWriter::new(wb.add_worksheet(), "=cmd").unwrap();
        assert_eq!(s.name, "_=cmd");
        s.header(&["=cmd|' /C calc'!A0"]).unwrap();
        assert_eq!(s.columns_named, ["=cmd|' /C calc'!A0"]);
        s.finish(10.0).unwrap();
        // The bytes hold the neutralised header (shared strings are stored as written).
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        assert!(strings.contains("<t>'=cmd|' /C calc'!A0</t>"), "{strings}");
    }
}

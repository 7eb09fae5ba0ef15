//! XLSX output (rust_xlsxwriter): the gap workbook, and a sheet helper other reports share.
//! Every list sheet holds one table with a bold frozen header, its filter, sensible widths, and
//! prints landscape, fitted to the page width, with the header repeated; counts are numbers,
//! dates are dates, web links are hyperlinks; strings that a spreadsheet would run as formulas
//! are neutralised; the file is byte-stable.

use std::io::{self, Write};

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Url,
    Workbook, Worksheet, XlsxError,
};

use crate::gaps::Severity;
use crate::output::neutralize;
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

/// A workbook error as an I/O error, the error of every writer.
pub fn to_io(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Write a built workbook's bytes, or the error that stopped building it.
fn write_workbook(built: Result<Vec<u8>, XlsxError>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&built.map_err(to_io)?)
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
    let when = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
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
}

impl<'w> SheetWriter<'w> {
    pub fn new(ws: &'w mut Worksheet, name: &str) -> Result<Self, XlsxError> {
        ws.set_name(name)?;
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
        })
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
    pub fn text(&mut self, col: u16, text: &str, format: Option<&Format>) -> Result<(), XlsxError> {
        let t = neutralize(text);
        match format {
            Some(f) => self
                .ws
                .write_string_with_format(self.row, col, t.as_ref(), f)?,
            None => self.ws.write_string(self.row, col, t.as_ref())?,
        };
        Ok(())
    }

    pub fn header(&mut self, cols: &[&str]) -> Result<(), XlsxError> {
        for (i, c) in cols.iter().enumerate() {
            let fmt = self.header.clone();
            self.ws
                .write_string_with_format(self.row, i as u16, *c, &fmt)?;
            self.widen(i as u16, c);
            self.wrapped
                .push((self.row, i as u16, vec![c.chars().count()]));
        }
        self.header_row = Some(self.row);
        self.columns = cols.len() as u16;
        self.row += 1;
        Ok(())
    }

    pub fn cell(&mut self, col: u16, text: &str, fill: Option<Color>) -> Result<(), XlsxError> {
        let t = neutralize(text);
        let mut fmt = self.wrap.clone();
        if let Some(c) = fill {
            fmt = fmt.set_background_color(c);
        }
        self.ws
            .write_string_with_format(self.row, col, t.as_ref(), &fmt)?;
        self.widen(col, &t);
        let lines = t.lines().map(|l| l.chars().count()).collect();
        self.wrapped.push((self.row, col, lines));
        Ok(())
    }

    /// A wrapped cell of a bold first line (a title) and plain text under it.
    pub fn titled(&mut self, col: u16, title: &str, text: &str) -> Result<(), XlsxError> {
        let (title, text) = (neutralize(title), neutralize(text));
        let body = format!("\n{text}");
        let bold = self.wrap.clone().set_bold();
        let plain = Format::new();
        let wrap = self.wrap.clone();
        self.ws.write_rich_string_with_format(
            self.row,
            col,
            &[(&bold, title.as_ref()), (&plain, body.as_str())],
            &wrap,
        )?;
        let both = format!("{title}\n{text}");
        self.widen(col, &both);
        // Bold runs wider, and wrapping at words loses part of each line: count a little more.
        let lines = both.lines().map(|l| l.chars().count() * 23 / 20).collect();
        self.wrapped.push((self.row, col, lines));
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
    pub fn link(&mut self, col: u16, text: &str, fill: Option<Color>) -> Result<(), XlsxError> {
        let t = text.trim();
        if !is_url(t) || self.links >= MAX_LINKS {
            return self.cell(col, text, fill);
        }
        let mut fmt = self.link_format.clone();
        if let Some(c) = fill {
            fmt = fmt.set_background_color(c);
        }
        self.ws
            .write_url_with_format(self.row, col, Url::new(t), &fmt)?;
        self.links += 1;
        self.widen(col, t);
        self.wrapped.push((self.row, col, vec![t.chars().count()]));
        Ok(())
    }

    /// Make a column at least this wide (for columns the team fills in, empty when written).
    pub fn reserve(&mut self, col: u16, width: f64) {
        self.widen(col, &" ".repeat((width - 2.0).max(0.0) as usize));
    }

    pub fn number(&mut self, col: u16, n: f64) -> Result<(), XlsxError> {
        let fmt = self.num.clone();
        self.ws.write_number_with_format(self.row, col, n, &fmt)?;
        self.widen(col, &n.to_string());
        Ok(())
    }

    pub fn date_cell(&mut self, col: u16, d: Option<jiff::civil::Date>) -> Result<(), XlsxError> {
        if let Some(d) = d {
            let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            let fmt = self.date.clone();
            self.ws
                .write_datetime_with_format(self.row, col, &x, &fmt)?;
            self.widen(col, "2026-09-30");
        }
        Ok(())
    }

    pub fn next(&mut self) {
        self.row += 1;
    }

    /// Freeze the header, add filters, set widths (capped) and repeat the header on print.
    pub fn finish(&mut self, max_width: f64) -> Result<(), XlsxError> {
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
        self.fit_rows(&widths)
    }

    /// Set each row's height to fit its wrapped cells (spreadsheet programs do not all do it).
    pub fn fit_rows(&mut self, widths: &[f64]) -> Result<(), XlsxError> {
        let mut lines_per_row: std::collections::BTreeMap<u32, usize> =
            std::collections::BTreeMap::new();
        for (row, col, lines) in &self.wrapped {
            // Proportional text fits about 1.2 characters per unit of column width.
            let w = (widths.get(*col as usize).copied().unwrap_or(8.0).max(4.0) - 1.0) * 1.2;
            let n: usize = lines
                .iter()
                .map(|len| ((*len as f64) / w).ceil().max(1.0) as usize)
                .sum::<usize>()
                .max(1);
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

//! An ODS workbook's sheets (`content.xml`), measured before calamine parses them.
//!
//! calamine parses every sheet of an ODS workbook when it opens it: first each row's cells as
//! written (a cell with `table:number-columns-repeated` copied as many times, up to Excel's
//! 16,384 columns), then the sheet's dense range (a row with `table:number-rows-repeated`
//! copied as many times, up to 1,048,576 rows, and every row padded to the widest). A 3 KB
//! file whose one row holds a value repeated across 16,384 columns and a million rows asks for
//! 17 billion cells. So the XML is read first as calamine reads it, without holding any of it,
//! and the cells and text calamine would hold are counted; past a limit the workbook is refused
//! with the sheet and row where the limit was crossed.
//!
//! Empty cells and repeated empty rows cost next to nothing here, as in calamine: spreadsheet
//! programs write a sheet's unused columns and rows as one repeated empty cell and row, and
//! calamine does not expand those (nor a row's empty cells after its last value); each row
//! element as written counts as one cell (calamine keeps its place and repeat count).

use std::io::{BufRead, BufReader};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::table::limits::{count, MAX_COLUMNS, MAX_HELD_TEXT, MAX_ROWS, MAX_TABLE_CELLS};

/// What calamine would hold, counted so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Held {
    /// Cells: every row's cells as written, and every sheet's dense range.
    cells: u64,
    /// Characters of text (values and formulas), at every copy.
    text: u64,
}

/// One sheet's count, as its rows are read.
#[derive(Debug, Default)]
struct Sheet {
    /// Rows so far, after repeats (capped at Excel's last row, as calamine caps them).
    rows: u64,
    /// Cells of the rows as written.
    written: u64,
    /// Row elements as written: calamine keeps two numbers for each (where its cells start, how
    /// many times it repeats), empty or not, so each counts as a cell. A file of a few MB can
    /// hold tens of millions of empty `<table:table-row/>`.
    elements: u64,
    /// Text of the rows as written, and of the dense range.
    text: u64,
    /// The dense range: its first and last columns, and its rows (repeats counted) from the
    /// first row with a value to the last one.
    columns: Option<(u64, u64)>,
    rows_from_first: u64,
    dense_rows: u64,
}

impl Sheet {
    fn dense(&self) -> u64 {
        self.columns
            .map_or(0, |(first, last)| (last + 1 - first) * self.dense_rows)
    }

    fn held(&self) -> Held {
        Held {
            cells: self.written + self.elements + self.dense(),
            text: self.text,
        }
    }
}

/// One row as calamine reads it: its cells as written, and where its values are.
#[derive(Debug, Default)]
struct Row {
    cells: u64,
    /// Empty cells not yet written (calamine writes them only when a value follows).
    pending: u64,
    values: Option<(u64, u64)>,
    text: u64,
}

impl Row {
    /// A cell repeated `repeats` times, with a value of `text` characters or none.
    fn cell(&mut self, repeats: u64, value: Option<u64>) {
        let room = |written: u64| MAX_COLUMNS as u64 - written.min(MAX_COLUMNS as u64);
        let empty = self.pending.min(room(self.cells));
        self.cells += empty;
        self.pending = 0;
        let repeats = repeats.min(room(self.cells));
        match value {
            None => self.pending = repeats,
            Some(_) if repeats == 0 => {}
            Some(text) => {
                let (first, last) = (self.cells, self.cells + repeats - 1);
                self.values = Some(self.values.map_or((first, last), |(f, _)| (f, last)));
                self.cells += repeats;
                self.text = self.text.saturating_add(text.saturating_mul(repeats));
            }
        }
    }
}

/// Check an ODS workbook: the cells and text calamine would hold for all its sheets together
/// (it holds every sheet at once) at most [`MAX_TABLE_CELLS`] and [`MAX_HELD_TEXT`]. A file
/// calamine cannot read is left to calamine to say so.
pub fn check(path: &Path) -> Result<(), Diagnostics> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let Ok(part) = zip.by_name("content.xml") else {
        return Ok(());
    };
    Scan::new(BufReader::new(part)).run(path)
}

/// A read of `content.xml`, configured as calamine's.
struct Scan<R> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    /// What the sheets read before the current one hold.
    done: Held,
    /// Whether to stop at a limit (the tests count past them).
    limited: bool,
}

/// Why a scan stopped early: over a limit (the diagnostic), or at XML calamine would refuse
/// (left to calamine).
enum Stop {
    Over(Box<Diagnostic>),
    Unreadable,
}

impl<R: BufRead> Scan<R> {
    fn new(part: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(part);
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        Scan {
            xml,
            buf: Vec::with_capacity(1024),
            done: Held::default(),
            limited: true,
        }
    }

    fn event(&mut self) -> Result<Event<'_>, Stop> {
        self.buf.clear();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(Event::Eof) | Err(_) => Err(Stop::Unreadable),
            Ok(e) => Ok(e),
        }
    }

    fn run(mut self, path: &Path) -> Result<(), Diagnostics> {
        loop {
            let name = match self.event() {
                Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => {
                    attribute(&e, "table:name")
                }
                Ok(_) => continue,
                // The end, or XML calamine refuses too.
                Err(_) => return Ok(()),
            };
            // calamine reads the rows of a sheet with a name only.
            let Some(name) = name else { continue };
            match self.sheet() {
                Ok(held) => {
                    self.done.cells += held.cells;
                    self.done.text = self.done.text.saturating_add(held.text);
                }
                Err(Stop::Unreadable) => return Ok(()),
                Err(Stop::Over(d)) => {
                    let mut d = *d;
                    d.location.file = path.display().to_string();
                    d.location.sheet = Some(name);
                    return Err(Diagnostics(vec![d]));
                }
            }
        }
    }

    /// One sheet's rows, to the end of the sheet.
    fn sheet(&mut self) -> Result<Held, Stop> {
        let mut sheet = Sheet::default();
        loop {
            let repeats = match self.event()? {
                Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                    number(&e, "table:number-rows-repeated")?
                }
                Event::End(e) if e.name().as_ref() == "table:table" => return Ok(sheet.held()),
                _ => continue,
            };
            let repeats = repeats.min(u64::from(MAX_ROWS) - sheet.rows.min(u64::from(MAX_ROWS)));
            let first_row = sheet.rows + 1;
            sheet.rows += repeats;
            let row = self.row()?;
            sheet.written += row.cells;
            sheet.elements += 1;
            sheet.text = sheet.text.saturating_add(row.text);
            if sheet.columns.is_some() {
                sheet.rows_from_first += repeats;
            }
            if let Some((first, last)) = row.values {
                if sheet.columns.is_none() {
                    sheet.rows_from_first = repeats;
                }
                sheet.columns = Some(
                    sheet
                        .columns
                        .map_or((first, last), |(f, l)| (f.min(first), l.max(last))),
                );
                sheet.dense_rows = sheet.rows_from_first;
                sheet.text = sheet.text.saturating_add(row.text.saturating_mul(repeats));
            }
            self.over(sheet.held(), first_row)?;
        }
    }

    /// Is what is held now, with the sheet read so far, over a limit? (`row`: the sheet's row
    /// being read, 1-based.)
    fn over(&self, sheet: Held, row: u64) -> Result<(), Stop> {
        if !self.limited {
            return Ok(());
        }
        let cells = self.done.cells + sheet.cells;
        let text = self.done.text.saturating_add(sheet.text);
        let what = if cells > MAX_TABLE_CELLS {
            format!(
                "the workbook's sheets would be held as {} cells up to this row (a repeated \
                 cell or row counts at every repetition, and every row as wide as the widest), \
                 over srmap's limit of {} for an ODS workbook",
                count(cells),
                count(MAX_TABLE_CELLS)
            )
        } else if text > MAX_HELD_TEXT {
            format!(
                "the workbook's cells would hold more than {} characters of text up to this \
                 row (a repeated cell or row counts at every repetition), srmap's limit for an \
                 ODS workbook",
                count(MAX_HELD_TEXT)
            )
        } else {
            return Ok(());
        };
        let at = Location {
            line: Some(row),
            ..Location::default()
        };
        Err(Stop::Over(Box::new(Diagnostic::error(
            Code::WorkbookTooLarge,
            at,
            format!("{what} (ODS workbooks are read whole): save it as XLSX or CSV"),
        ))))
    }

    /// One row's cells, to the end of the row.
    fn row(&mut self) -> Result<Row, Stop> {
        let mut row = Row::default();
        loop {
            let (cell, repeats, value) = match self.event()? {
                Event::Start(e)
                    if matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    (
                        e.name().as_ref().to_string(),
                        number(&e, "table:number-columns-repeated")?,
                        Value::of(&e)?,
                    )
                }
                Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(row),
                _ => continue,
            };
            let text = match value {
                Value::InContent { formula } => Some(formula.saturating_add(self.content()?)),
                Value::Empty => {
                    self.skip(&cell)?;
                    None
                }
                Value::Set { text } => {
                    self.skip(&cell)?;
                    Some(text)
                }
            };
            row.cell(repeats, text);
        }
    }

    /// The rest of a cell calamine does not read.
    fn skip(&mut self, cell: &str) -> Result<(), Stop> {
        self.buf.clear();
        self.xml
            .read_to_end_into(quick_xml::name::QName(cell), &mut self.buf)
            .map(|_| ())
            .map_err(|_| Stop::Unreadable)
    }

    /// A string cell's text, as calamine reads it from the cell's content: its characters, to
    /// the end of the cell.
    fn content(&mut self) -> Result<u64, Stop> {
        let mut text = 0u64;
        let mut paragraphs = 0u64;
        loop {
            let add = match self.event()? {
                Event::Text(t) => t.len() as u64,
                Event::GeneralRef(_) => 4,
                Event::End(e)
                    if matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    return Ok(text);
                }
                Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                    self.skip("office:annotation")?;
                    0
                }
                Event::Start(e) if e.name().as_ref() == "text:p" => {
                    paragraphs += 1;
                    u64::from(paragraphs > 1)
                }
                Event::Start(e) if e.name().as_ref() == "text:s" => match attribute(&e, "text:c") {
                    Some(c) => c.parse().map_err(|_| Stop::Unreadable)?,
                    None => 1,
                },
                Event::Start(e) if matches!(e.name().as_ref(), "text:tab" | "text:line-break") => 1,
                _ => 0,
            };
            text = text.saturating_add(add);
        }
    }
}

/// A cell's value as calamine reads its attributes.
enum Value {
    /// No value and no formula.
    Empty,
    /// A value or a formula in its attributes: their characters.
    Set { text: u64 },
    /// A string whose text is the cell's content (and the formula's characters).
    InContent { formula: u64 },
}

impl Value {
    fn of(e: &BytesStart<'_>) -> Result<Value, Stop> {
        // The value's characters, and whether it is an empty string (an error cell's text is
        // then in the content).
        let mut set: Option<(u64, bool)> = None;
        let (mut string, mut error, mut formula) = (false, false, 0u64);
        for a in e.attributes().with_checks(false) {
            let a = a.map_err(|_| Stop::Unreadable)?;
            let len = a.value.len() as u64;
            match a.key.as_ref() {
                "office:string-value" if set.is_none() => set = Some((len, len == 0)),
                "office:date-value" | "office:time-value" if set.is_none() => {
                    set = Some((len, false));
                }
                "office:value" | "office:boolean-value" if set.is_none() => {
                    set = Some((0, false));
                }
                "office:value-type" if set.is_none() => string = a.value.as_ref() == "string",
                "calcext:value-type" => error = a.value.as_ref() == "error",
                "table:formula" => formula = len,
                _ => {}
            }
        }
        Ok(match set {
            None if string => Value::InContent { formula },
            Some((_, true)) if error => Value::InContent { formula },
            Some((text, _)) => Value::Set {
                text: text + formula,
            },
            None if formula > 0 => Value::Set { text: formula },
            None => Value::Empty,
        })
    }
}

/// An attribute's value, its references resolved.
fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    let a = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)?;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// A repeat count (1 when absent). One calamine cannot read stops the scan.
fn number(e: &BytesStart<'_>, key: &str) -> Result<u64, Stop> {
    match attribute(e, key) {
        None => Ok(1),
        Some(v) => v
            .parse::<usize>()
            .map(|n| n as u64)
            .map_err(|_| Stop::Unreadable),
    }
}

/// Check `content.xml` read from anything (the tests' XML).
#[cfg(test)]
fn check_content(xml: &str) -> Result<(), Diagnostics> {
    Scan::new(xml.as_bytes()).run(Path::new("book.ods"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"Register\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
    }

    fn held(xml: &str) -> Held {
        let mut scan = Scan::new(xml.as_bytes());
        scan.limited = false;
        loop {
            match scan.event() {
                Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => break,
                Ok(_) => {}
                Err(_) => panic!("no sheet"),
            }
        }
        match scan.sheet() {
            Ok(held) => held,
            Err(_) => panic!("stopped"),
        }
    }

    const VALUE: &str = "<table:table-cell office:value-type=\"float\" office:value=\"1\"/>";

    #[test]
    fn cells_are_counted_as_calamine_holds_them() {
        // Two rows of two values: written 4, dense 4.
        let row = format!("<table:table-row>{VALUE}{VALUE}</table:table-row>");
        assert_eq!(held(&sheet(&row.repeat(2))).cells, 8 + 2);
        // A value after three empty cells: the empty ones are written, the dense range starts
        // at the value.
        let row = "<table:table-row><table:table-cell table:number-columns-repeated=\"3\"/>\
                   <table:table-cell office:value-type=\"string\"><text:p>abc</text:p>\
                   </table:table-cell></table:table-row>";
        assert_eq!(
            held(&sheet(row)),
            Held {
                cells: 5 + 1,
                text: 6
            }
        );
        // The unused rest of a sheet, as LibreOffice writes it: nothing held.
        let rest = "<table:table-row table:number-rows-repeated=\"1048570\">\
                    <table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
        let row = format!("<table:table-row>{VALUE}</table:table-row>");
        assert_eq!(held(&sheet(&format!("{row}{rest}"))).cells, 2 + 2);
        // Empty rows between values are in the dense range.
        let gap = "<table:table-row table:number-rows-repeated=\"10\"><table:table-cell/>\
                   </table:table-row>";
        assert_eq!(held(&sheet(&format!("{row}{gap}{row}"))).cells, 2 + 12 + 3);
        // Millions of empty rows, each written out: a cell each.
        let empty = "<table:table-row/>".repeat(5000);
        assert_eq!(held(&sheet(&empty)).cells, 5000);
    }

    #[test]
    fn repeats_are_capped_where_calamine_caps_them() {
        // One value across every column of every row: 16,384 written, 17 billion dense.
        let row = "<table:table-row table:number-rows-repeated=\"4000000000\">\
                   <table:table-cell table:number-columns-repeated=\"99999\" \
                   office:value-type=\"float\" office:value=\"1\"/></table:table-row>";
        assert_eq!(held(&sheet(row)).cells, 16_384 + 1 + 16_384 * 1_048_576);
        let err = check_content(&sheet(row)).unwrap_err();
        assert_eq!(err.0[0].code, Code::WorkbookTooLarge);
        assert_eq!(err.0[0].location.sheet.as_deref(), Some("Register"));
        assert_eq!(err.0[0].location.line, Some(1));
        assert!(
            err.0[0].message.contains("17,179,885,569 cells"),
            "{}",
            err.0[0]
        );
    }

    #[test]
    fn text_is_counted_at_every_copy() {
        // `<text:s text:c="...">` is that many spaces.
        let row = "<table:table-row><table:table-cell office:value-type=\"string\">\
                   <text:p><text:s text:c=\"100000000\"/></text:p></table:table-cell>\
                   </table:table-row>";
        assert_eq!(held(&sheet(row)).text, 200_000_000);
        let err = check_content(&sheet(row)).unwrap_err();
        assert!(
            err.0[0].message.contains("67,108,864 characters"),
            "{}",
            err.0[0]
        );
        // A string value repeated across 1,000 columns and 100 rows.
        let value = "x".repeat(1000);
        let row = format!(
            "<table:table-row table:number-rows-repeated=\"100\">\
             <table:table-cell table:number-columns-repeated=\"1000\" \
             office:value-type=\"string\" office:string-value=\"{value}\"/></table:table-row>"
        );
        assert_eq!(held(&sheet(&row)).text, 1000 * 1000 + 100 * 1000 * 1000);
        // A sheet within the limits, after one: both counted.
        let fine = sheet(&format!("<table:table-row>{VALUE}</table:table-row>"));
        assert!(check_content(&fine).is_ok());
    }
}

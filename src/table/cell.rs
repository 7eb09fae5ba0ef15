//! One cell's value, as a CSV file or a spreadsheet gives it.

use calamine::{CellErrorType, Data, DataRef};
use jiff::civil::{Date, DateTime, Time};

use crate::input::date::parse_date;
use crate::text::{trim, without_bom};

/// One cell's value: spreadsheets have real dates and numbers, CSV only text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell at midnight (how Excel stores a date).
    Date(Date),
    /// A date cell with a time of day: not a date where one is read (see [`Cell::date`]).
    DateTime(DateTime),
    /// A date cell holding only a time of day (an Excel serial below 1, shown as 1899-12-31).
    Time(Time),
    /// A formula's error value (`#REF!`, `#N/A`): refused where a value is read.
    Error(CellErrorType),
}

impl Cell {
    /// A CSV field: empty when it is only spaces, else its text as written (a stray byte-order
    /// mark at its start dropped).
    pub fn from_text(v: &str) -> Cell {
        let v = without_bom(v);
        if trim(v).is_empty() {
            Cell::Empty
        } else {
            Cell::Text(v.to_string())
        }
    }

    /// Make this cell the CSV field `v` ([`Cell::from_text`]), reusing its text buffer.
    pub fn set_text(&mut self, v: &str) {
        let v = without_bom(v);
        if trim(v).is_empty() {
            *self = Cell::Empty;
        } else if let Cell::Text(s) = self {
            s.clear();
            s.push_str(v);
        } else {
            *self = Cell::Text(v.to_string());
        }
    }

    /// The cell as text (see [`Cell::text`]), borrowed when it is text.
    pub fn cow(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => std::borrow::Cow::Borrowed(""),
            Cell::Text(s) => std::borrow::Cow::Borrowed(trim(s)),
            _ => std::borrow::Cow::Owned(self.text()),
        }
    }

    /// A spreadsheet cell as srmap reads it: real dates stay dates.
    pub fn from_sheet(d: &Data) -> Cell {
        let mut cell = Cell::Empty;
        cell.set_sheet(&data_ref(d));
        cell
    }

    /// Make this cell the spreadsheet value `d`, reusing its text buffer.
    pub fn set_sheet(&mut self, d: &DataRef<'_>) {
        *self = match d {
            DataRef::Empty => Cell::Empty,
            DataRef::SharedString(s) => return self.set_str(s),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                return self.set_str(s)
            }
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Bool(b) => Cell::Text(b.to_string()),
            DataRef::DateTime(dt) if dt.is_datetime() => {
                let (y, m, day, h, min, sec, milli) = dt.to_ymd_hms_milli();
                let serial = dt.as_f64();
                let time = Time::new(h as i8, min as i8, sec as i8, i32::from(milli) * 1_000_000);
                let date = Date::new(y as i16, m as i8, day as i8);
                match (date, time) {
                    (_, Ok(t)) if (0.0..1.0).contains(&serial) => Cell::Time(t),
                    (Ok(d), Ok(t)) if t == Time::midnight() => Cell::Date(d),
                    (Ok(d), Ok(t)) => Cell::DateTime(d.to_datetime(t)),
                    _ => Cell::Number(serial),
                }
            }
            DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
            DataRef::Error(e) => Cell::Error(e.clone()),
        }
    }

    /// Make this cell the text `s`, as it is (not trimmed), reusing its buffer.
    fn set_str(&mut self, s: &str) {
        if let Cell::Text(buf) = self {
            buf.clear();
            buf.push_str(s);
        } else {
            *self = Cell::Text(s.to_string());
        }
    }

    /// The text of a cell to check (length, characters): none for numbers and dates.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The cell as text (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => trim(s).to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::DateTime(dt) => dt.to_string(),
            Cell::Time(t) => t.to_string(),
            Cell::Error(e) => e.to_string(),
        }
    }

    /// The cell's text, trimmed, without a copy: empty for anything but text (CSV cells are
    /// always text).
    pub fn as_str(&self) -> &str {
        match self {
            Cell::Text(s) => trim(s),
            _ => "",
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => trim(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as a date: a real date cell, or ISO text.
    pub fn date(&self) -> Result<Option<Date>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::Text(s) if trim(s).is_empty() => Ok(None),
            Cell::Text(s) => parse_date(s).map(Some),
            Cell::Number(n) => Err(format!(
                "`{n}` is a number, not a date: format the cell as a date or write YYYY-MM-DD"
            )),
            Cell::DateTime(dt) => Err(format!(
                "`{}` is a date and a time of day, not a date: srmap takes a date cell with a \
                 time only at midnight; enter the date alone",
                dt.strftime("%Y-%m-%d %H:%M:%S")
            )),
            Cell::Time(t) => Err(format!(
                "`{}` is a time of day without a date (Excel shows it as 1899-12-31): enter \
                 the date",
                t.strftime("%H:%M:%S")
            )),
            Cell::Error(e) => Err(format!("the cell holds the error {e}, not a date")),
        }
    }
}

/// A stored value as a value being read (a shared string for a string).
pub(crate) fn data_ref(d: &Data) -> DataRef<'_> {
    match d {
        Data::Empty => DataRef::Empty,
        Data::String(s) => DataRef::SharedString(s),
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(dt) => DataRef::DateTime(*dt),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
    }
}

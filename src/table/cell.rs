//! One cell's value, as a CSV file or a spreadsheet gives it.

use calamine::Data;
use jiff::civil::Date;

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
    /// A CSV field: empty when it is only spaces, else its text as written (a stray byte-order
    /// mark at its start dropped).
    pub fn from_text(v: &str) -> Cell {
        let v = v.trim_start_matches('\u{feff}');
        if v.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(v.to_string())
        }
    }

    /// Make this cell the CSV field `v` ([`Cell::from_text`]), reusing its text buffer.
    pub fn set_text(&mut self, v: &str) {
        let v = v.trim_start_matches('\u{feff}');
        if v.trim().is_empty() {
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
            Cell::Text(s) => std::borrow::Cow::Borrowed(s.trim()),
            _ => std::borrow::Cow::Owned(self.text()),
        }
    }

    /// A spreadsheet cell as srmap reads it: real dates stay dates.
    pub fn from_sheet(d: &Data) -> Cell {
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

    /// The cell's text, trimmed, without a copy: empty for anything but text (CSV cells are
    /// always text).
    pub fn as_str(&self) -> &str {
        match self {
            Cell::Text(s) => s.trim(),
            _ => "",
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

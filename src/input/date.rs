//! Dates in inputs: ISO 8601 only, the whole text. `03/04/2026` is an error, never a guess, and
//! so is `2026-09-01 or maybe 2025-01-01`: nothing after the date is ignored.
//!
//! A date is `YYYY-MM-DD`. A date-time is read as its date only when its time is midnight
//! (`2026-09-01T00:00:00`, `2026-09-01 00:00`, with or without fractions of a second, `Z` or an
//! offset; the date is the one written, never moved to another time zone): a spreadsheet or an
//! export that adds a zero time to a date says no more than the date. Any other time of day is
//! refused ([`parse_date`]); only a scanner's assessment time is read as the day it names
//! ([`parse_day_of`]). Years run from 1900 to 9999, the dates a spreadsheet can hold: a year
//! such as `0000` or `0206` is a typing mistake, and a report could not write it.

use jiff::civil::{Date, Time};
use jiff::fmt::temporal::Pieces;

/// The earliest year srmap reads (spreadsheets start at 1900-01-01).
pub const FIRST_YEAR: i16 = 1900;
/// The latest year srmap reads (spreadsheets end at 9999-12-31).
pub const LAST_YEAR: i16 = 9999;

/// Parse a date: `YYYY-MM-DD`, or a date-time whose time is midnight. Anything else, trailing
/// text included, is an error saying what to write instead.
pub fn parse_date(text: &str) -> Result<Date, String> {
    parse(text, false)
}

/// The day a timestamp names (`2025-03-01 10:00:00.123456`, `2025-02-28T23:59:59Z`: the date
/// as written, whatever the time), or a plain date: for scanner exports, whose dates are the
/// moment a check ran. The whole text must still be a date or a date-time.
pub fn parse_day_of(text: &str) -> Result<Date, String> {
    parse(text, true)
}

/// For serde (`#[serde(default, deserialize_with = "...")]`): an optional date read as
/// [`parse_date`] reads it; `null` or an empty string is none. jiff's own `Date` deserializer
/// takes any time of day and any year, so a JSON input's dates go through this instead.
pub fn deserialize_optional<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Date>, D::Error> {
    use serde::Deserialize;
    let text: Option<String> = Option::deserialize(d)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => parse_date(t).map(Some).map_err(serde::de::Error::custom),
    }
}

/// `date` when its year is one srmap reads (see [`FIRST_YEAR`], [`LAST_YEAR`]).
pub fn in_range(date: Date) -> Result<Date, String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!(
            "`{date}` is outside the years srmap reads ({FIRST_YEAR} to {LAST_YEAR}, the dates a \
             spreadsheet can hold): check the year"
        ))
    }
}

fn parse(text: &str, any_time: bool) -> Result<Date, String> {
    let t = text.trim();
    let day = t.get(..10).filter(|d| iso_shape(d.as_bytes()));
    let Some(day) = day else {
        let hint = if t.contains('/') || t.contains('.') {
            " (day and month order cannot be told apart)"
        } else {
            ""
        };
        return Err(format!(
            "`{t}` is not an ISO date: write it as YYYY-MM-DD{hint}"
        ));
    };
    let date = day
        .parse::<Date>()
        .map_err(|_| format!("`{t}` is not a real calendar date"))?;
    let rest = &t[10..];
    if !rest.is_empty() {
        let time = rest
            .starts_with(['T', 't', ' '])
            .then(|| Pieces::parse(t).ok())
            .flatten()
            .and_then(|p| p.time());
        let Some(time) = time else {
            return Err(format!(
                "`{t}` has more than a date: write one date as YYYY-MM-DD and nothing after it \
                 (is {day} meant?)"
            ));
        };
        if !any_time && time != Time::midnight() {
            return Err(format!(
                "`{t}` has a time of day ({time}): srmap reads dates, not times; write the date \
                 alone ({day}) after checking which day is meant"
            ));
        }
    }
    in_range(date)
}

/// `DDDD-DD-DD`, digits and dashes in their places.
fn iso_shape(bytes: &[u8]) -> bool {
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn iso_dates_and_midnight_date_times_parse() {
        for text in [
            "2026-09-30",
            " 2026-09-30 ",
            "2026-09-30T00:00:00",
            "2026-09-30t00:00",
            "2026-09-30 00:00",
            "2026-09-30 00:00:00.000",
            "2026-09-30T00:00:00Z",
            "2026-09-30T00:00:00+02:00",
            "2026-09-30T00:00:00-05:00",
        ] {
            assert_eq!(parse_date(text), Ok(d("2026-09-30")), "{text:?}");
        }
    }

    #[test]
    fn trailing_text_is_refused_not_cut() {
        for text in [
            "2026-09-01 or maybe 2025-01-01",
            "2026-09-01T99:99:99garbage",
            "2026-09-01T00:00:00garbage",
            "2026-09-01x",
            "2026-09-01[UTC]",
            "2026-09-01T",
            "2026-09-01 00:00 UTC",
            "2026-09-30 or 2026-12-31",
        ] {
            let err = parse_date(text).unwrap_err();
            assert!(err.contains("nothing after it"), "{text:?}: {err}");
        }
        // Surrounding spaces are not text after the date.
        assert_eq!(parse_date("2026-09-01 "), Ok(d("2026-09-01")));
    }

    #[test]
    fn a_time_of_day_is_refused_with_the_date_to_write() {
        let err = parse_date("2026-09-01T14:30:00").unwrap_err();
        assert_eq!(
            err,
            "`2026-09-01T14:30:00` has a time of day (14:30:00): srmap reads dates, not times; \
             write the date alone (2026-09-01) after checking which day is meant"
        );
        assert!(parse_date("2026-09-01 23:59:59Z").is_err());
        assert_eq!(parse_day_of("2026-09-01 23:59:59Z"), Ok(d("2026-09-01")));
        assert_eq!(
            parse_day_of("2025-03-01 10:00:00.123456"),
            Ok(d("2025-03-01"))
        );
        assert!(parse_day_of("2025-03-01 10:00:00 and more").is_err());
    }

    #[test]
    fn years_outside_what_a_spreadsheet_holds_are_refused() {
        for text in ["0000-01-01", "0206-09-01", "1899-12-31"] {
            let err = parse_date(text).unwrap_err();
            assert!(err.contains("outside the years"), "{text}: {err}");
        }
        assert_eq!(parse_date("1900-01-01"), Ok(d("1900-01-01")));
        assert_eq!(parse_date("9999-12-31"), Ok(d("9999-12-31")));
        // Five-digit and signed years are not YYYY.
        for text in ["10000-01-01", "+002026-09-01", "-0001-01-01"] {
            assert!(
                parse_date(text).unwrap_err().contains("not an ISO date"),
                "{text}"
            );
        }
    }

    #[test]
    fn json_dates_are_read_as_strictly() {
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "deserialize_optional")]
            due: Option<Date>,
        }
        let due = |json: &str| serde_json::from_str::<Row>(json).map(|r| r.due);
        assert_eq!(
            due(r#"{"due": "2026-08-31"}"#).unwrap(),
            Some(d("2026-08-31"))
        );
        assert_eq!(due(r#"{"due": ""}"#).unwrap(), None);
        assert_eq!(due(r#"{"due": null}"#).unwrap(), None);
        assert_eq!(due("{}").unwrap(), None);
        for bad in ["2026-08-31T12:00:00", "0000-01-01", "2026-08-31 garbage"] {
            let err = due(&format!(r#"{{"due": "{bad}"}}"#))
                .unwrap_err()
                .to_string();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn ambiguous_and_impossible_dates_are_errors() {
        assert!(parse_date("03/04/2026")
            .unwrap_err()
            .contains("cannot be told apart"));
        assert!(parse_date("2026-02-30").unwrap_err().contains("not a real"));
        assert!(parse_date("2026-02-30T00:00:00")
            .unwrap_err()
            .contains("not a real"));
        assert!(parse_date("30 Sep 2026").is_err());
        assert!(parse_date("20260930").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("2026-09-3é").is_err());
    }
}

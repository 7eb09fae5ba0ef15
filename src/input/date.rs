//! Dates in inputs: ISO 8601 only. `03/04/2026` is an error, never a guess.

use jiff::civil::Date;

/// Parse `YYYY-MM-DD` (a time part after `T` or a space is ignored).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let day = t.split(['T', ' ']).next().unwrap_or(t);
    let bytes = day.as_bytes();
    let iso_shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !iso_shape {
        let hint = if t.contains('/') || t.contains('.') {
            " (day and month order cannot be told apart)"
        } else {
            ""
        };
        return Err(format!(
            "`{t}` is not an ISO date: write it as YYYY-MM-DD{hint}"
        ));
    }
    day.parse::<Date>()
        .map_err(|_| format!("`{t}` is not a real calendar date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse() {
        assert_eq!(
            parse_date("2026-09-30").unwrap(),
            jiff::civil::date(2026, 9, 30)
        );
        assert_eq!(
            parse_date(" 2026-09-30T00:00:00Z ").unwrap(),
            jiff::civil::date(2026, 9, 30)
        );
    }

    #[test]
    fn ambiguous_and_impossible_dates_are_errors() {
        assert!(parse_date("03/04/2026")
            .unwrap_err()
            .contains("cannot be told apart"));
        assert!(parse_date("2026-02-30").unwrap_err().contains("not a real"));
        assert!(parse_date("30 Sep 2026").is_err());
        assert!(parse_date("").is_err());
    }
}

//! How often a control operates, and how its evidence is judged over an audit period.
//!
//! A cadence says one of two things about a control (see README "Gap rules"):
//!
//! - **point in time** (`annual`, `on-event`): the control is a document or a state that must be
//!   current (a policy reviewed every year, a diagram, a contract; an incident handled when one
//!   happens). Its newest approved evidence must be dated within the last cadence span of the
//!   audit window ([`Window::fresh_from`]);
//! - **recurring** (`continuous`, `daily`, `weekly`, `monthly`, `quarterly`, `semiannual`): the
//!   control is an operation that must be seen in every occurrence of the period (every quarter's
//!   scan, every half-year's access review). Occurrences are counted from the period start
//!   ([`Cadence::occurrence`]); `continuous`, `daily` and `weekly` controls are checked month by
//!   month (the month's export of the runs or the monitoring tool's report), not day by day.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::Span;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cadence {
    /// Always on: monitoring, alerting. Checked month by month.
    Continuous,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Semiannual,
    Annual,
    /// When something happens (an incident, a significant change): evidence from the period.
    OnEvent,
}

/// The days an audit looks at: the audit period, up to the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The audit period's first day.
    pub start: Date,
    /// The audit period's last day.
    pub period_end: Date,
    /// The day the evidence is judged at.
    pub as_of: Date,
}

impl Window {
    /// The last day evidence is looked at: the as-of date, or the period end if that is earlier.
    pub fn end(&self) -> Date {
        self.as_of.min(self.period_end)
    }

    /// The oldest date a point-in-time control's evidence may have: one cadence span of days
    /// ending at [`Window::end`] (for `on-event`, the period start). A year-long period judged at
    /// its end thus needs an annual control's evidence from within the period.
    pub fn fresh_from(&self, cadence: Cadence) -> Date {
        if cadence == Cadence::OnEvent {
            return self.start;
        }
        let end = self.end();
        end.checked_sub(cadence.span())
            .and_then(|d| d.tomorrow())
            .unwrap_or(end)
    }
}

/// One occurrence of a recurring control: the days one operation must be seen in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// 0 for the occurrence that starts on the period start.
    pub index: u32,
    pub start: Date,
    /// The last day (inclusive).
    pub end: Date,
    /// "Q2 2026", "H1 2026", "March 2026", or, when the period does not start on a calendar
    /// boundary, "quarter 2 of the period".
    pub label: String,
}

impl Occurrence {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

impl fmt::Display for Occurrence {
    /// `Q2 2026 (2026-04-01 to 2026-06-30)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} to {})", self.label, self.start, self.end)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Cadence {
    pub const ALL: [Cadence; 8] = [
        Cadence::Continuous,
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::Semiannual,
        Cadence::Annual,
        Cadence::OnEvent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Continuous => "continuous",
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Semiannual => "semiannual",
            Cadence::Annual => "annual",
            Cadence::OnEvent => "on-event",
        }
    }

    /// The calendar span that a point-in-time control's evidence stays fresh for, and the
    /// length of a recurring control's operation. `on-event` has no span of its own: it is judged
    /// over the period ([`Window::fresh_from`]); a year stands in for it elsewhere.
    pub fn span(self) -> Span {
        match self {
            Cadence::Continuous | Cadence::Daily => Span::new().days(1),
            Cadence::Weekly => Span::new().weeks(1),
            Cadence::Monthly => Span::new().months(1),
            Cadence::Quarterly => Span::new().months(3),
            Cadence::Semiannual => Span::new().months(6),
            Cadence::Annual | Cadence::OnEvent => Span::new().years(1),
        }
    }

    /// For a recurring control, the months one occurrence lasts (1, 3 or 6); `None` for a
    /// point-in-time one (`annual`, `on-event`).
    pub fn recurrence(self) -> Option<i32> {
        match self {
            Cadence::Continuous | Cadence::Daily | Cadence::Weekly | Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::Semiannual => Some(6),
            Cadence::Annual | Cadence::OnEvent => None,
        }
    }

    /// Whether the control must be seen operating in every occurrence of the period.
    pub fn recurs(self) -> bool {
        self.recurrence().is_some()
    }

    /// What one occurrence is called, plural: "quarters", "half-years", "months".
    pub fn occurrences_noun(self) -> &'static str {
        match self.recurrence() {
            Some(3) => "quarters",
            Some(6) => "half-years",
            _ => "months",
        }
    }

    /// The `index`-th occurrence counted from `period_start` (`None` for a point-in-time
    /// cadence). Occurrences follow each other without a gap; one that reaches past
    /// `period_end` is cut there, and one that starts after it is still given (the next period's
    /// first, for "due soon").
    pub fn occurrence(
        self,
        period_start: Date,
        period_end: Date,
        index: u32,
    ) -> Option<Occurrence> {
        let months = self.recurrence()?;
        // Checked all the way: an index far beyond the dates a calendar holds gives None, not
        // a panic.
        let step = |i: i64| {
            let span = Span::new()
                .try_months(i64::from(months).checked_mul(i)?)
                .ok()?;
            period_start.checked_add(span).ok()
        };
        let start = step(index as i64)?;
        let mut end = step(index as i64 + 1)?.yesterday().ok()?;
        if start <= period_end && end > period_end {
            end = period_end;
        }
        let aligned =
            period_start.day() == 1 && (i32::from(period_start.month()) - 1) % months == 0;
        let label = if aligned {
            let (m, y) = (i32::from(start.month()), start.year());
            match months {
                3 => format!("Q{} {y}", (m - 1) / 3 + 1),
                6 => format!("H{} {y}", (m - 1) / 6 + 1),
                _ => format!("{} {y}", MONTHS[(m - 1) as usize]),
            }
        } else {
            let noun = match months {
                3 => "quarter",
                6 => "half-year",
                _ => "month",
            };
            format!("{noun} {} of the period", index + 1)
        };
        Some(Occurrence {
            index,
            start,
            end,
            label,
        })
    }

    /// The occurrences of the period that have ended by the window's end (they are due), then
    /// the one in progress at it, if any (not due yet). Empty for a point-in-time cadence.
    pub fn occurrences(self, window: &Window) -> (Vec<Occurrence>, Option<Occurrence>) {
        let (mut due, mut current) = (Vec::new(), None);
        let end = window.end();
        for i in 0.. {
            let Some(o) = self.occurrence(window.start, window.period_end, i) else {
                break;
            };
            if o.start > end {
                break;
            }
            if o.end <= end {
                due.push(o);
            } else {
                current = Some(o);
                break;
            }
        }
        (due, current)
    }

    /// The date a request for evidence (PBC list) asks evidence from: the period start for a
    /// recurring or `on-event` control (each occurrence needs its own), one span before the
    /// period end for a point-in-time one.
    pub fn evidence_from(self, period_start: Date, period_end: Date) -> Date {
        let window = Window {
            start: period_start,
            period_end,
            as_of: period_end,
        };
        if self.recurs() {
            period_start
        } else {
            window.fresh_from(self)
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Cadence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for Cadence {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let squash = |t: &str| t.trim().to_ascii_lowercase().replace(['-', ' ', '_'], "");
        let norm = squash(s);
        Cadence::ALL
            .into_iter()
            .find(|c| {
                squash(c.as_str()) == norm
                    || (norm == "yearly" && *c == Cadence::Annual)
                    || (norm == "eventdriven" && *c == Cadence::OnEvent)
            })
            .ok_or_else(|| {
                format!(
                    "`{}` is not a cadence; expected one of {}",
                    s.trim(),
                    Cadence::ALL.map(|c| c.as_str()).join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cadence_is_listed_in_the_order_it_is_declared() {
        for (i, c) in Cadence::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i, "{c:?}");
        }
    }
    use jiff::civil::date;

    #[test]
    fn parses_known_words() {
        assert_eq!("Annual".parse::<Cadence>().unwrap(), Cadence::Annual);
        assert_eq!(
            "semi-annual".parse::<Cadence>().unwrap(),
            Cadence::Semiannual
        );
        assert_eq!("yearly".parse::<Cadence>().unwrap(), Cadence::Annual);
        assert_eq!("on-event".parse::<Cadence>().unwrap(), Cadence::OnEvent);
        assert_eq!("On event".parse::<Cadence>().unwrap(), Cadence::OnEvent);
        assert_eq!(
            "Continuous".parse::<Cadence>().unwrap(),
            Cadence::Continuous
        );
        assert!("fortnightly".parse::<Cadence>().is_err());
        for c in Cadence::ALL {
            assert_eq!(c.as_str().parse::<Cadence>().unwrap(), c);
        }
    }

    #[test]
    fn occurrences_beyond_the_calendar_are_none_not_a_panic() {
        let (start, end) = (date(1900, 1, 1), date(1900, 12, 31));
        assert!(Cadence::Semiannual
            .occurrence(start, end, u32::MAX)
            .is_none());
        assert!(Cadence::Monthly.occurrence(start, end, 239_977).is_none());
        let last = date(9999, 12, 1);
        assert!(Cadence::Monthly.occurrence(last, last, 1).is_none());
        assert!(Cadence::Monthly.occurrence(last, last, 0).is_none());
    }

    fn window(start: Date, end: Date, as_of: Date) -> Window {
        Window {
            start,
            period_end: end,
            as_of,
        }
    }

    #[test]
    fn calendar_quarters_when_the_period_starts_on_one() {
        let w = window(date(2025, 10, 1), date(2026, 9, 30), date(2026, 9, 30));
        let (due, current) = Cadence::Quarterly.occurrences(&w);
        assert_eq!(
            due.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
            [
                "Q4 2025 (2025-10-01 to 2025-12-31)",
                "Q1 2026 (2026-01-01 to 2026-03-31)",
                "Q2 2026 (2026-04-01 to 2026-06-30)",
                "Q3 2026 (2026-07-01 to 2026-09-30)",
            ]
        );
        assert_eq!(current, None);
        let (due, _) = Cadence::Semiannual.occurrences(&w);
        assert_eq!(
            due.iter().map(|o| o.label.as_str()).collect::<Vec<_>>(),
            ["half-year 1 of the period", "half-year 2 of the period"],
            "a half-year counted from October is no calendar half"
        );
        let (due, _) = Cadence::Daily.occurrences(&w);
        assert_eq!(due.len(), 12, "daily controls are checked month by month");
        assert_eq!(due[5].label, "March 2026");
        assert!(Cadence::Annual.occurrences(&w).0.is_empty());
    }

    #[test]
    fn an_occurrence_in_progress_is_not_due() {
        let w = window(date(2026, 1, 1), date(2026, 12, 31), date(2026, 8, 15));
        let (due, current) = Cadence::Quarterly.occurrences(&w);
        assert_eq!(due.len(), 2);
        assert_eq!(current.unwrap().label, "Q3 2026");
        let (due, _) = Cadence::Semiannual.occurrences(&w);
        assert_eq!(due[0].label, "H1 2026");
        // An occurrence ending on the as-of date is due.
        let w = window(date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 30));
        assert_eq!(Cadence::Quarterly.occurrences(&w).0.len(), 2);
    }

    #[test]
    fn the_last_occurrence_is_cut_at_the_period_end_and_the_next_follows_it() {
        let (s, e) = (date(2025, 11, 15), date(2026, 8, 31));
        let last = Cadence::Quarterly.occurrence(s, e, 3).unwrap();
        assert_eq!(
            last.to_string(),
            "quarter 4 of the period (2026-08-15 to 2026-08-31)"
        );
        let next = Cadence::Quarterly.occurrence(s, e, 4).unwrap();
        assert_eq!(
            (next.start, next.end),
            (date(2026, 11, 15), date(2027, 2, 14))
        );
    }

    #[test]
    fn point_in_time_evidence_is_counted_from_the_window_end() {
        // A year-long period judged at its end: evidence from within the period.
        let w = window(date(2025, 10, 1), date(2026, 9, 30), date(2026, 9, 30));
        assert_eq!(w.fresh_from(Cadence::Annual), date(2025, 10, 1));
        // Judged after the period: still counted from the period end.
        let late = window(date(2025, 10, 1), date(2026, 9, 30), date(2026, 12, 1));
        assert_eq!(late.fresh_from(Cadence::Annual), date(2025, 10, 1));
        // Judged mid-period: evidence current at the as-of date.
        let mid = window(date(2025, 10, 1), date(2026, 9, 30), date(2026, 3, 31));
        assert_eq!(mid.fresh_from(Cadence::Annual), date(2025, 4, 1));
        assert_eq!(w.fresh_from(Cadence::OnEvent), date(2025, 10, 1));
        assert_eq!(
            Cadence::Quarterly.evidence_from(date(2025, 10, 1), date(2026, 9, 30)),
            date(2025, 10, 1)
        );
    }
}

//! How fresh a control's evidence must be.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Semiannual,
    Annual,
}

impl Cadence {
    pub const ALL: [Cadence; 6] = [
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::Semiannual,
        Cadence::Annual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Semiannual => "semiannual",
            Cadence::Annual => "annual",
        }
    }

    /// The calendar span that evidence stays fresh for.
    pub fn span(self) -> jiff::Span {
        match self {
            Cadence::Daily => jiff::Span::new().days(1),
            Cadence::Weekly => jiff::Span::new().weeks(1),
            Cadence::Monthly => jiff::Span::new().months(1),
            Cadence::Quarterly => jiff::Span::new().months(3),
            Cadence::Semiannual => jiff::Span::new().months(6),
            Cadence::Annual => jiff::Span::new().years(1),
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
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' ', '_'], "");
        Cadence::ALL
            .into_iter()
            .find(|c| c.as_str() == norm || (norm == "yearly" && *c == Cadence::Annual))
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
    fn parses_known_words() {
        assert_eq!("Annual".parse::<Cadence>().unwrap(), Cadence::Annual);
        assert_eq!(
            "semi-annual".parse::<Cadence>().unwrap(),
            Cadence::Semiannual
        );
        assert_eq!("yearly".parse::<Cadence>().unwrap(), Cadence::Annual);
        assert!("fortnightly".parse::<Cadence>().is_err());
    }
}

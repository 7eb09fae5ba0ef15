//! How much a control matters when it fails: its risk weight (the `weight` column of a
//! framework's controls file). The gap rules combine it with a gap's code into a severity
//! (`GapCode::severity_at`); docs/severity.md gives the rule each framework's weights follow.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Weight {
    /// Its failure directly exposes data or access: authentication and MFA, access control and
    /// its reviews, encryption and keys, logging and monitoring, vulnerability scanning and
    /// patching, malware protection, backup and recovery, network segmentation, incident response.
    Key,
    /// Everything that is neither key nor supporting.
    #[default]
    Standard,
    /// Governance paperwork: policy wording, documented roles, awareness programme records,
    /// inventories of documents.
    Supporting,
}

impl Weight {
    pub const ALL: [Weight; 3] = [Weight::Key, Weight::Standard, Weight::Supporting];

    pub fn as_str(self) -> &'static str {
        match self {
            Weight::Key => "key",
            Weight::Standard => "standard",
            Weight::Supporting => "supporting",
        }
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Weight {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An empty cell is `standard` (controls files written before the column existed have none).
impl FromStr for Weight {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        if norm.is_empty() {
            return Ok(Weight::Standard);
        }
        Weight::ALL
            .into_iter()
            .find(|w| w.as_str() == norm)
            .ok_or_else(|| {
                format!(
                    "`{}` is not a risk weight; expected one of {}",
                    s.trim(),
                    Weight::ALL.map(|w| w.as_str()).join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_words_and_empty_as_standard() {
        for w in Weight::ALL {
            assert_eq!(w.as_str().parse::<Weight>().unwrap(), w);
        }
        assert_eq!(" Key ".parse::<Weight>().unwrap(), Weight::Key);
        assert_eq!("".parse::<Weight>().unwrap(), Weight::Standard);
        assert!("critical".parse::<Weight>().is_err());
    }
}

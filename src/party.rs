//! Who owns a layer or a control.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    Provider,
    Customer,
    Shared,
    NotApplicable,
}

impl Party {
    pub const ALL: [Party; 4] = [
        Party::Customer,
        Party::Shared,
        Party::Provider,
        Party::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::Provider => "provider",
            Party::Customer => "customer",
            Party::Shared => "shared",
            Party::NotApplicable => "not-applicable",
        }
    }

    /// How much of the duty stays with the customer: 2 all, 1 part, 0 none.
    pub fn customer_share(self) -> u8 {
        match self {
            Party::Customer => 2,
            Party::Shared => 1,
            Party::Provider | Party::NotApplicable => 0,
        }
    }

    /// Does the customer carry part of the duty?
    pub fn customer_involved(self) -> bool {
        matches!(self, Party::Customer | Party::Shared)
    }

    /// Does the provider carry part of the duty?
    pub fn provider_involved(self) -> bool {
        matches!(self, Party::Provider | Party::Shared)
    }

    /// Combine owners: all provider -> provider, all customer -> customer, any mix -> shared;
    /// not-applicable parts are ignored, and nothing left means not-applicable.
    pub fn combine(owners: impl IntoIterator<Item = Party>) -> Party {
        let mut seen: Option<Party> = None;
        for p in owners {
            match (p, seen) {
                (Party::NotApplicable, _) => {}
                (p, None) => seen = Some(p),
                (p, Some(s)) if p == s => {}
                _ => return Party::Shared,
            }
        }
        seen.unwrap_or(Party::NotApplicable)
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Party {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "provider" => Ok(Party::Provider),
            "customer" => Ok(Party::Customer),
            "shared" => Ok(Party::Shared),
            "not-applicable" | "n/a" | "na" => Ok(Party::NotApplicable),
            other => Err(format!(
                "`{other}` is not an owner; expected provider, customer, shared or not-applicable"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_follows_the_owner_rule() {
        use Party::*;
        assert_eq!(Party::combine([Provider, Provider]), Provider);
        assert_eq!(Party::combine([Customer]), Customer);
        assert_eq!(Party::combine([Customer, Provider]), Shared);
        assert_eq!(Party::combine([Shared]), Shared);
        assert_eq!(Party::combine([Provider, NotApplicable]), Provider);
        assert_eq!(Party::combine([NotApplicable]), NotApplicable);
        assert_eq!(Party::combine([]), NotApplicable);
    }

    #[test]
    fn parses_and_prints_kebab_case() {
        for p in Party::ALL {
            assert_eq!(p.as_str().parse::<Party>().unwrap(), p);
        }
        assert!("owner".parse::<Party>().is_err());
    }
}

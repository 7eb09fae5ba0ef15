//! A system's FIPS 199 security category: the potential impact (low, moderate or high) of a loss
//! of confidentiality, integrity or availability. srmap never guesses it: it comes from the
//! scope (`fips-199` of a system) or the command line (`--fips199`), and an OSCAL SSP states it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// One FIPS 199 potential impact level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImpactLevel {
    Low,
    Moderate,
    High,
}

impl ImpactLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ImpactLevel::Low => "low",
            ImpactLevel::Moderate => "moderate",
            ImpactLevel::High => "high",
        }
    }

    /// OSCAL's value for the level (`fips-199-moderate`).
    pub fn oscal(self) -> &'static str {
        match self {
            ImpactLevel::Low => "fips-199-low",
            ImpactLevel::Moderate => "fips-199-moderate",
            ImpactLevel::High => "fips-199-high",
        }
    }
}

impl fmt::Display for ImpactLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ImpactLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t
            .strip_prefix("fips-199-")
            .or_else(|| t.strip_prefix("FIPS-199-"))
            .unwrap_or(t);
        match t.to_ascii_lowercase().as_str() {
            "low" => Ok(ImpactLevel::Low),
            "moderate" => Ok(ImpactLevel::Moderate),
            "high" => Ok(ImpactLevel::High),
            _ => Err(format!(
                "`{}` is not a FIPS 199 impact level: use low, moderate or high",
                s.trim()
            )),
        }
    }
}

/// The impact levels of the three security objectives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SecurityCategory {
    pub confidentiality: ImpactLevel,
    pub integrity: ImpactLevel,
    pub availability: ImpactLevel,
}

impl SecurityCategory {
    /// The same level for all three objectives.
    pub fn uniform(level: ImpactLevel) -> SecurityCategory {
        SecurityCategory {
            confidentiality: level,
            integrity: level,
            availability: level,
        }
    }

    /// The high-water mark: the system's overall category (FIPS 200).
    pub fn high_water(&self) -> ImpactLevel {
        self.confidentiality
            .max(self.integrity)
            .max(self.availability)
    }
}

impl fmt::Display for SecurityCategory {
    /// `moderate` when all three agree, else `confidentiality=high, integrity=moderate,
    /// availability=low`: the form [`FromStr`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.confidentiality == self.integrity && self.integrity == self.availability {
            return write!(f, "{}", self.confidentiality);
        }
        write!(
            f,
            "confidentiality={}, integrity={}, availability={}",
            self.confidentiality, self.integrity, self.availability
        )
    }
}

const CATEGORY_FORMS: &str =
    "give one level for all three (`moderate`) or each objective (`confidentiality=high,integrity=moderate,availability=low`, or `c=high,i=moderate,a=low`)";

impl FromStr for SecurityCategory {
    type Err = String;

    /// `moderate` (all three objectives), or every objective by name:
    /// `confidentiality=high,integrity=moderate,availability=low` (or `c=`, `i=`, `a=`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if !t.contains('=') {
            if t.contains(',') {
                return Err(format!(
                    "`{t}`: name each objective's level; {CATEGORY_FORMS}"
                ));
            }
            return t.parse().map(SecurityCategory::uniform);
        }
        let (mut c, mut i, mut a) = (None, None, None);
        for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!("`{part}` has no `=`; {CATEGORY_FORMS}"));
            };
            let slot = match key.trim().to_ascii_lowercase().as_str() {
                "c" | "confidentiality" => &mut c,
                "i" | "integrity" => &mut i,
                "a" | "availability" => &mut a,
                other => {
                    return Err(format!(
                        "`{other}` is not a security objective: use confidentiality, integrity and availability (or c, i, a)"
                    ))
                }
            };
            if slot.is_some() {
                return Err(format!("`{}` is given twice", key.trim()));
            }
            *slot = Some(value.parse::<ImpactLevel>()?);
        }
        let missing: Vec<&str> = [
            ("confidentiality", c.is_none()),
            ("integrity", i.is_none()),
            ("availability", a.is_none()),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(n, _)| n)
        .collect();
        match (c, i, a) {
            (Some(confidentiality), Some(integrity), Some(availability)) => Ok(SecurityCategory {
                confidentiality,
                integrity,
                availability,
            }),
            _ => Err(format!(
                "`{t}` gives no level for {}; {CATEGORY_FORMS}",
                missing.join(" or ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_level_or_each_objective() {
        let m: SecurityCategory = "Moderate".parse().unwrap();
        assert_eq!(m, SecurityCategory::uniform(ImpactLevel::Moderate));
        assert_eq!(m.to_string(), "moderate");
        let mixed: SecurityCategory = "c=high, i=moderate, availability=fips-199-low"
            .parse()
            .unwrap();
        assert_eq!(mixed.confidentiality, ImpactLevel::High);
        assert_eq!(mixed.integrity, ImpactLevel::Moderate);
        assert_eq!(mixed.availability, ImpactLevel::Low);
        assert_eq!(mixed.high_water(), ImpactLevel::High);
        assert_eq!(
            mixed.to_string(),
            "confidentiality=high, integrity=moderate, availability=low"
        );
        assert_eq!(mixed.to_string().parse::<SecurityCategory>(), Ok(mixed));
    }

    #[test]
    fn every_mistake_is_named() {
        let err = |s: &str| s.parse::<SecurityCategory>().unwrap_err();
        assert!(err("medium").starts_with("`medium` is not a FIPS 199 impact level"));
        assert!(err("c=high,i=low").contains("no level for availability"));
        assert!(err("c=high,c=low,i=low,a=low").contains("`c` is given twice"));
        assert!(err("x=high").contains("`x` is not a security objective"));
        assert!(err("high,low,low").contains("name each objective"));
    }
}

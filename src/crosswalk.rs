//! Crosswalks: how the controls of one framework relate to another's.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    Equal,
    /// The first control is a subset of the second.
    Subset,
    /// The first control is a superset of the second.
    Superset,
    /// Related; neither contains the other.
    Intersect,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::Subset => "subset",
            Relationship::Superset => "superset",
            Relationship::Intersect => "intersect",
        }
    }

    /// The same pair read from the other side.
    pub fn inverse(self) -> Relationship {
        match self {
            Relationship::Subset => Relationship::Superset,
            Relationship::Superset => Relationship::Subset,
            other => other,
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Relationship {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['_', '-'], " ")
            .as_str()
        {
            "equal" | "equivalent" | "equal to" => Ok(Relationship::Equal),
            "subset" | "subset of" => Ok(Relationship::Subset),
            "superset" | "superset of" => Ok(Relationship::Superset),
            "intersect" | "intersects" | "intersects with" => Ok(Relationship::Intersect),
            other => Err(format!(
                "`{other}` is not a relationship; expected equal, subset, superset or intersect"
            )),
        }
    }
}

/// One pair, as stored: `from_control` (of `from`) `relationship` `to_control` (of `to`).
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub from_control: String,
    pub to_control: String,
    pub relationship: Relationship,
}

#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub from: String,
    pub to: String,
    pub pairs: Vec<Pair>,
    pub file: String,
}

/// A control of another framework that a control maps to, read from the control's side.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mapped {
    pub framework: String,
    pub control: String,
    /// The relationship of the asking control to the mapped one.
    pub relationship: Relationship,
}

/// Every mapping of `(framework, control)`, in both directions, to `other` (or to any
/// framework when `other` is None), sorted.
pub fn mapped(
    crosswalks: &[Crosswalk],
    framework: &str,
    control: &str,
    other: Option<&str>,
) -> Vec<Mapped> {
    let mut out = Vec::new();
    for cw in crosswalks {
        if cw.from == framework && other.is_none_or(|o| o == cw.to) {
            for p in cw.pairs.iter().filter(|p| p.from_control == control) {
                out.push(Mapped {
                    framework: cw.to.clone(),
                    control: p.to_control.clone(),
                    relationship: p.relationship,
                });
            }
        }
        if cw.to == framework && other.is_none_or(|o| o == cw.from) {
            for p in cw.pairs.iter().filter(|p| p.to_control == control) {
                out.push(Mapped {
                    framework: cw.from.clone(),
                    control: p.from_control.clone(),
                    relationship: p.relationship.inverse(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_directions_with_inverse_relationships() {
        let cw = vec![Crosswalk {
            from: "a".into(),
            to: "b".into(),
            pairs: vec![
                Pair {
                    from_control: "1".into(),
                    to_control: "X".into(),
                    relationship: Relationship::Subset,
                },
                Pair {
                    from_control: "2".into(),
                    to_control: "X".into(),
                    relationship: Relationship::Intersect,
                },
            ],
            file: String::new(),
        }];
        assert_eq!(
            mapped(&cw, "a", "1", None),
            vec![Mapped {
                framework: "b".into(),
                control: "X".into(),
                relationship: Relationship::Subset
            }]
        );
        let back = mapped(&cw, "b", "X", Some("a"));
        assert_eq!(back.len(), 2);
        assert_eq!(
            back[0].relationship,
            Relationship::Superset,
            "X is a superset of 1"
        );
        assert!(mapped(&cw, "b", "X", Some("c")).is_empty());
        assert_eq!(
            "intersects with".parse::<Relationship>().unwrap(),
            Relationship::Intersect
        );
    }
}

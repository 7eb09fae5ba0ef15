//! Per-service facts that differ between sides (the candidates of `srmap compare`, the source
//! and target of `srmap diff`), with their sources.

use indexmap::IndexMap;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::framework::Framework;
use crate::offering::{Fact, Offering};

/// One feature stated differently by the sides' offerings.
#[derive(Debug, Clone, Serialize)]
pub struct FactDifference {
    pub feature: String,
    /// Per side: what its offerings state (`not stated` when none does).
    pub sides: IndexMap<String, StatedFact>,
    /// How many controls of the frameworks compared depend on this feature.
    pub controls: usize,
    /// Every side states a fact (a side that states none differs only by omission).
    pub stated_by_all: bool,
}

/// What one side's offerings state about a feature (one offering: its fact; several: each
/// prefixed with the offering ID and joined with `; `).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatedFact {
    pub default: String,
    pub responsibility: String,
    pub customer_action: String,
    pub source: String,
    /// `default (responsibility)`, prefixed with the offering when the side has several.
    #[serde(skip)]
    each: Vec<String>,
}

impl StatedFact {
    fn not_stated() -> StatedFact {
        StatedFact {
            default: "not stated".into(),
            responsibility: String::new(),
            customer_action: String::new(),
            source: String::new(),
            each: Vec::new(),
        }
    }

    /// `default (responsibility)`, as a cell shows it; one per offering when the side has
    /// several (`aws/ec2: off (customer); aws/rds: off (customer)`).
    pub fn short(&self) -> String {
        if self.each.is_empty() {
            self.default.clone()
        } else {
            self.each.join("; ")
        }
    }
}

/// What `offerings` state about `feature`, or None when none of them does.
pub fn stated(offerings: &[&Offering], feature: &str) -> Option<StatedFact> {
    let facts: Vec<(&Offering, &Fact)> = offerings
        .iter()
        .filter_map(|o| o.fact(feature).map(|f| (*o, f)))
        .collect();
    if facts.is_empty() {
        return None;
    }
    let many = facts.len() > 1;
    let each = |text: fn(&Fact) -> String| -> String {
        facts
            .iter()
            .map(|(o, f)| {
                if many {
                    format!("{}: {}", o.id, text(f))
                } else {
                    text(f)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Some(StatedFact {
        default: each(|f| f.default.clone()),
        responsibility: each(|f| f.responsibility.to_string()),
        customer_action: each(|f| f.customer_action.clone()),
        source: each(|f| f.source.clone()),
        each: facts
            .iter()
            .map(|(o, f)| {
                let text = format!("{} ({})", f.default, f.responsibility);
                if many {
                    format!("{}: {text}", o.id)
                } else {
                    text
                }
            })
            .collect(),
    })
}

/// The features (in catalog order) whose facts differ between the sides.
pub fn fact_differences(
    catalog: &Catalog,
    sides: &[(String, &[&Offering])],
    frameworks: &[&Framework],
) -> Vec<FactDifference> {
    let mut out = Vec::new();
    for feature in catalog.features.iter() {
        let per: Vec<(String, Option<StatedFact>)> = sides
            .iter()
            .map(|(id, offs)| (id.clone(), stated(offs, &feature.id)))
            .collect();
        let key = |f: &Option<StatedFact>| {
            f.as_ref()
                .map(|x| (x.default.clone(), x.responsibility.clone()))
        };
        let stated_by_all = per.iter().all(|(_, f)| f.is_some());
        let first = per.first().map(|(_, f)| key(f));
        if per.iter().all(|(_, f)| Some(key(f)) == first) {
            continue;
        }
        let controls = frameworks
            .iter()
            .flat_map(|f| f.obligations())
            .filter(|c| c.features.contains(&feature.id))
            .count();
        out.push(FactDifference {
            feature: feature.id.clone(),
            sides: per
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or_else(StatedFact::not_stated)))
                .collect(),
            controls,
            stated_by_all,
        });
    }
    out
}

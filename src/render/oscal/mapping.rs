//! A crosswalk as an OSCAL 1.2 control mapping collection: one mapping from the source
//! framework's catalog to the target's, one `map` per pair of controls with OSCAL's relationship
//! (`equal` is `equivalent-to`, `subset` is `subset-of`, `superset` is `superset-of`,
//! `intersect` is `intersects-with`, each read from the source control's side), and gap
//! summaries of the controls no pair reaches. The catalogs are the ones srmap writes beside it.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde_json::{json, Value};

use super::catalog::{catalog_companion, catalog_file};
use super::{control_id, id, Companion, NS, OSCAL_VERSION};
use crate::crosswalk::Relationship;
use crate::framework::Framework;
use crate::listing::ControlMapping;

/// OSCAL's name of a relationship (the control mapping model's allowed values).
pub fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::Equal => "equivalent-to",
        Relationship::Subset => "subset-of",
        Relationship::Superset => "superset-of",
        Relationship::Intersect => "intersects-with",
    }
}

fn resource(framework: &Framework) -> Value {
    let mut props = vec![json!({ "name": "framework", "ns": NS, "value": framework.id })];
    if !framework.version.is_empty() {
        props.push(json!({ "name": "version", "ns": NS, "value": framework.version }));
    }
    json!({
        "type": "catalog",
        "href": catalog_file(framework),
        "props": props,
        "remarks": format!("{} {}, as srmap holds it (written beside this file).", framework.name, framework.version)
    })
}

fn item(framework: &Framework, control: &str) -> Value {
    json!({
        "type": "control",
        "id-ref": control_id(&framework.id, control),
        "props": [ { "name": "label", "value": control } ]
    })
}

fn gap_summary(framework: &Framework, key: &str, side: &str, controls: &[&str]) -> Option<Value> {
    if controls.is_empty() {
        return None;
    }
    let ids: Vec<String> = controls
        .iter()
        .map(|c| control_id(&framework.id, c))
        .collect();
    Some(json!({
        "uuid": id(&[key, side, "gap-summary"]),
        "unmapped-controls": [ { "with-ids": ids } ]
    }))
}

/// The catalogs the mapping names, to write beside it.
pub fn companions(mapping: &ControlMapping<'_>, date: Date) -> Vec<Companion> {
    vec![
        catalog_companion(mapping.from, date),
        catalog_companion(mapping.to, date),
    ]
}

/// The mapping collection of `mapping`; `date` stamps `last-modified`.
pub fn mapping_collection(mapping: &ControlMapping<'_>, date: Date) -> Value {
    let (from, to) = (mapping.from, mapping.to);
    let key = format!("{}>{}", from.id, to.id);
    let pairs = mapping.pairs();
    let maps: Vec<Value> = pairs
        .iter()
        .map(|(a, b, r)| {
            json!({
                "uuid": id(&[&key, a, b]),
                "relationship": relationship(*r),
                "sources": [ item(from, a) ],
                "targets": [ item(to, b) ]
            })
        })
        .collect();
    let reached: BTreeSet<&str> = pairs.iter().map(|(_, b, _)| *b).collect();
    let unreached: Vec<&str> = to
        .obligations()
        .map(|c| c.id.as_str())
        .filter(|c| !reached.contains(c))
        .collect();
    let files = if mapping.files.is_empty() {
        "no crosswalk file".to_string()
    } else {
        mapping.files.join(", ")
    };
    let mut one = json!({
        "uuid": id(&[&key, "mapping"]),
        "source-resource": resource(from),
        "target-resource": resource(to),
        "maps": maps
    });
    if let Some(g) = gap_summary(from, &key, "source", &mapping.unmapped()) {
        one["source-gap-summary"] = g;
    }
    if let Some(g) = gap_summary(to, &key, "target", &unreached) {
        one["target-gap-summary"] = g;
    }
    let mut remarks = format!(
        "Written by srmap from its crosswalk data ({files}). {} pairs; the source gap summary lists the {} controls of {} no pair maps, the target gap summary the {} controls of {} no pair reaches.",
        pairs.len(),
        mapping.unmapped().len(),
        from.id,
        unreached.len(),
        to.id
    );
    if let Some(sel) = &mapping.selection {
        remarks.push_str(&format!(" Only part of {}: {sel}.", from.id));
    }
    json!({
        "mapping-collection": {
            "uuid": match &mapping.selection {
                None => id(&[&key, "mapping-collection"]),
                Some(sel) => id(&[&key, "mapping-collection", sel]),
            },
            "metadata": {
                "title": format!("Crosswalk: {} {} to {} {}", from.name, from.version, to.name, to.version),
                "last-modified": format!("{date}T00:00:00Z"),
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
                "remarks": remarks
            },
            "provenance": {
                "method": "human",
                "matching-rationale": "semantic",
                "status": "complete",
                "mapping-description": format!(
                    "How each control of {} relates to the controls of {}, as the crosswalk states it ({files}). Relationships are read from the source control's side: equal is equivalent-to, subset is subset-of (the source asks less than the target), superset is superset-of, intersect is intersects-with (related, neither contains the other). No inference should be drawn from a pair that is not listed.",
                    from.id, to.id
                )
            },
            "mappings": [ one ]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relationship_has_its_oscal_name_and_reads_back() {
        for r in [
            Relationship::Equal,
            Relationship::Subset,
            Relationship::Superset,
            Relationship::Intersect,
        ] {
            assert_eq!(r.as_str().parse::<Relationship>(), Ok(r));
            let name = relationship(r);
            assert!(
                [
                    "equivalent-to",
                    "subset-of",
                    "superset-of",
                    "intersects-with"
                ]
                .contains(&name),
                "{name}"
            );
        }
        assert_eq!(relationship(Relationship::Subset), "subset-of");
        assert_eq!(relationship(Relationship::Subset.inverse()), "superset-of");
    }
}

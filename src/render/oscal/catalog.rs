//! A framework as an OSCAL catalog (every control srmap holds: its OSCAL ID, srmap's title and
//! the ID as the framework writes it), and the profile that selects the framework's obligations
//! from it. An SSP imports the profile and a mapping collection names the catalogs, by file
//! name, so a validator resolves them from the folder the documents are in.

use jiff::civil::Date;
use serde_json::{json, Value};

use super::{control_id, id, Companion, NS, OSCAL_VERSION};
use crate::framework::Framework;

/// The file name of `framework`'s catalog: `pci-dss-4.0.1.catalog.json`.
pub fn catalog_file(framework: &Framework) -> String {
    format!("{}.catalog.json", framework.id)
}

/// The file name of `framework`'s profile: `pci-dss-4.0.1.profile.json`.
pub fn profile_file(framework: &Framework) -> String {
    format!("{}.profile.json", framework.id)
}

fn metadata(framework: &Framework, title: String, date: Date, remarks: String) -> Value {
    let mut links = Vec::new();
    if !framework.source.is_empty() {
        links.push(json!({ "href": framework.source, "rel": "reference", "text": format!("{} (the published text)", framework.name) }));
    }
    let mut m = json!({
        "title": title,
        "last-modified": format!("{date}T00:00:00Z"),
        "version": if framework.version.is_empty() { "unversioned" } else { framework.version.as_str() },
        "oscal-version": OSCAL_VERSION,
        "props": [ { "name": "framework", "ns": NS, "value": framework.id } ],
        "remarks": remarks
    });
    if !links.is_empty() {
        m["links"] = Value::Array(links);
    }
    m
}

/// The catalog of `framework`: every control, flat, in file order.
pub fn catalog(framework: &Framework, date: Date) -> Value {
    let controls: Vec<Value> = framework
        .controls
        .iter()
        .map(|c| {
            let title = if c.title.trim().is_empty() {
                c.id.as_str()
            } else {
                c.title.trim()
            };
            let mut props = vec![json!({ "name": "label", "value": c.id })];
            if c.is_informative() {
                props.push(json!({ "name": "informative", "ns": NS, "value": "true" }));
            }
            json!({
                "id": control_id(&framework.id, &c.id),
                "title": title,
                "props": props
            })
        })
        .collect();
    json!({
        "catalog": {
            "uuid": id(&[&framework.id, &framework.version, "catalog"]),
            "metadata": metadata(
                framework,
                format!("{} {}: controls as srmap holds them", framework.name, framework.version),
                date,
                format!(
                    "Written by srmap from its data for {}: each control's ID (the `label` prop is the framework's own spelling) and srmap's short title. No control text is reproduced; the published text is authoritative.",
                    framework.id
                ),
            ),
            "controls": controls
        }
    })
}

/// The profile that selects `framework`'s obligations (informative entries left out) by ID
/// from the catalog beside it.
pub fn profile(framework: &Framework, date: Date) -> Value {
    let ids: Vec<String> = framework
        .obligations()
        .map(|c| control_id(&framework.id, &c.id))
        .collect();
    json!({
        "profile": {
            "uuid": id(&[&framework.id, &framework.version, "profile"]),
            "metadata": metadata(
                framework,
                format!("{} {}: every control that places a duty", framework.name, framework.version),
                date,
                format!(
                    "Written by srmap: selects the {} controls of {} that place a duty from {}, written beside it.",
                    ids.len(),
                    framework.id,
                    catalog_file(framework)
                ),
            ),
            "imports": [ {
                "href": catalog_file(framework),
                "include-controls": [ { "with-ids": ids } ]
            } ],
            "merge": { "as-is": true }
        }
    })
}

/// The catalog of `framework`, to write beside the document that names it.
pub fn catalog_companion(framework: &Framework, date: Date) -> Companion {
    Companion {
        file_name: catalog_file(framework),
        document: catalog(framework, date),
    }
}

/// The profile of `framework`, to write beside the SSP that imports it.
pub fn profile_companion(framework: &Framework, date: Date) -> Companion {
    Companion {
        file_name: profile_file(framework),
        document: profile(framework, date),
    }
}

//! OSCAL output: the owner map as an OSCAL 1.1.2 system security plan whose implemented
//! requirements say, per control, what each offering provides (`export.provided`), what the
//! customer must do on shared controls (`export.responsibilities`), what this system inherits
//! (`inherited`) and how it satisfies its responsibilities (`satisfied`): the constructs of NIST's
//! leveraged/leveraging examples. UUIDs are name-based (v5), so output is deterministic.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::offering::Offering;
use crate::owner_map::SystemPlan;
use crate::party::Party;

pub const OSCAL_VERSION: &str = "1.1.2";
const NS: &str = "urn:srmap:oscal";
const REMARKS: &str = "Written by srmap from the providers' published shared-responsibility matrices. Control titles are not reproduced.";

fn id(parts: &[&str]) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("urn:srmap:{}", parts.join(":")).as_bytes(),
    )
    .to_string()
}

/// An OSCAL control-id token: NIST style for NIST and FedRAMP (`ac-2.1`), otherwise the ID's
/// tokens joined with dots, starting with a letter or underscore (`_8.3.1`, `a.5.1`, `art.32`).
pub fn control_id(framework: &str, control: &str) -> String {
    let toks = crate::control_id::tokens(control);
    let nistish = framework.starts_with("nist") || framework.starts_with("fedramp");
    let joined = if nistish && toks.len() >= 2 {
        format!("{}-{}", toks[0], toks[1..].join("."))
    } else {
        toks.join(".")
    };
    if joined.starts_with(|c: char| c.is_ascii_alphabetic()) {
        joined
    } else {
        format!("_{joined}")
    }
}

/// The SSP of a system plan (one framework on some offerings, the controls it keeps). `date`
/// stamps `last-modified`.
pub fn owner_map_ssp(plan: &SystemPlan<'_>, date: jiff::civil::Date) -> Value {
    let SystemPlan {
        framework,
        offerings,
        premises,
        controls,
        selection,
    } = plan;
    let names: Vec<&str> = offerings.iter().map(|o| o.id.as_str()).collect();
    // The assumptions change the content, so they are part of every UUID's name.
    let key = format!(
        "{}|{}|premises={:?}",
        framework.id,
        names.join(","),
        premises
    );
    let this = id(&[&key, "this-system"]);
    let comp = |o: &Offering| id(&[&key, "component", &o.id]);
    let mut components = vec![json!({
        "uuid": this,
        "type": "this-system",
        "title": "This system",
        "description": format!("The customer's system, running on {}.", names.join(", ")),
        "status": { "state": "operational" }
    })];
    for o in offerings {
        components.push(json!({
            "uuid": comp(o),
            "type": "service",
            "title": o.name,
            "description": if o.summary.is_empty() { format!("{} ({}).", o.name, o.id) } else { o.summary.clone() },
            "props": [
                { "name": "implementation-point", "value": "external" },
                { "name": "offering", "ns": NS, "value": o.id },
                { "name": "service-model", "ns": NS, "value": o.model.as_str() }
            ],
            "links": o.sources.iter().map(|s| json!({ "href": s.url, "rel": "reference", "text": s.title })).collect::<Vec<_>>(),
            "status": { "state": "operational" },
            "responsible-roles": [ { "role-id": "provider" } ]
        }));
    }
    let mut requirements = Vec::new();
    for c in controls {
        let cid = control_id(&framework.id, &c.control);
        let req = |what: &str, o: &str| id(&[&key, &c.control, what, o]);
        let mut by = Vec::new();
        let mut inherited = Vec::new();
        let mut satisfied = Vec::new();
        for (o, d) in offerings.iter().zip(&c.rows) {
            if !d.owner.provider_involved() {
                continue;
            }
            let provided = req("provided", &o.id);
            let mut export = json!({
                "description": d.basis,
                "provided": [ { "uuid": provided, "description": d.provider_duty, "responsible-roles": [ { "role-id": "provider" } ] } ]
            });
            inherited.push(json!({
                "uuid": req("inherited", &o.id),
                "provided-uuid": provided,
                "description": format!("Inherited from {}: {}", o.name, d.provider_duty),
                "responsible-roles": [ { "role-id": "provider" } ]
            }));
            if d.owner == Party::Shared {
                let resp = req("responsibility", &o.id);
                export["responsibilities"] = json!([ {
                    "uuid": resp,
                    "provided-uuid": provided,
                    "description": d.customer_duty,
                    "responsible-roles": [ { "role-id": "customer" } ]
                } ]);
                satisfied.push(json!({
                    "uuid": req("satisfied", &o.id),
                    "responsibility-uuid": resp,
                    "description": d.customer_duty,
                    "responsible-roles": [ { "role-id": "customer" } ]
                }));
            }
            by.push(json!({
                "component-uuid": comp(o),
                "uuid": req("by-component", &o.id),
                "description": format!("{} on {}: {}.", d.owner, o.id, d.basis),
                "export": export
            }));
        }
        let owner = c.owner;
        let mut mine = json!({
            "component-uuid": this,
            "uuid": req("by-component", "this-system"),
            "description": match owner {
                Party::Customer => format!("The customer implements {} in full.", c.control),
                Party::Provider => format!("Inherited in full from the provider(s) of {}.", names.join(", ")),
                Party::Shared => format!("Shared: part inherited, part the customer's. {}", c.evidence),
                Party::NotApplicable => "Not applicable on these offerings.".to_string(),
            },
            "responsible-roles": [ { "role-id": "customer" } ]
        });
        if !inherited.is_empty() {
            mine["inherited"] = Value::Array(inherited);
        }
        if !satisfied.is_empty() {
            mine["satisfied"] = Value::Array(satisfied);
        }
        by.push(mine);
        requirements.push(json!({
            "uuid": id(&[&key, &c.control]),
            "control-id": cid,
            "props": [
                { "name": "label", "value": c.control },
                { "name": "owner", "ns": NS, "value": owner.as_str() }
            ],
            "by-components": by
        }));
    }
    let stamp = format!("{date}T00:00:00Z");
    json!({
        "system-security-plan": {
            // A narrowed plan is another document: its own UUID (its parts keep theirs, so a
            // requirement reads the same in both).
            "uuid": match selection {
                None => id(&[&key, "ssp"]),
                Some(sel) => id(&[&key, "ssp", sel]),
            },
            "metadata": {
                "title": format!("Owner map: {} on {}", framework.name, names.join(", ")),
                "last-modified": stamp,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
                "roles": [
                    { "id": "provider", "title": "Cloud service provider" },
                    { "id": "customer", "title": "Cloud customer" }
                ],
                "remarks": match selection {
                    None => REMARKS.to_string(),
                    Some(sel) => format!("{REMARKS} Only part of the framework: {sel}."),
                }
            },
            "import-profile": { "href": if framework.source.is_empty() { "#".to_string() } else { framework.source.clone() } },
            "system-characteristics": {
                "system-ids": [ { "identifier-type": "https://ietf.org/rfc/rfc4122", "id": id(&[&key, "system"]) } ],
                "system-name": format!("System on {}", names.join(", ")),
                "description": format!("Who owns each {} control when the system runs on {}.", framework.id, names.join(", ")),
                "system-information": {
                    "information-types": [ {
                        "title": "Information processed by the system",
                        "description": "To be described by the system owner.",
                        "confidentiality-impact": { "base": "fips-199-moderate" },
                        "integrity-impact": { "base": "fips-199-moderate" },
                        "availability-impact": { "base": "fips-199-moderate" }
                    } ]
                },
                "status": { "state": "under-development" },
                "authorization-boundary": { "description": format!("The customer's workload on {}.", names.join(", ")) }
            },
            "system-implementation": {
                "users": [ { "uuid": id(&[&key, "user"]), "title": "System administrators", "role-ids": ["customer"] } ],
                "components": components
            },
            "control-implementation": {
                "description": format!("Owner of each {} control on {}: provided by the offering (export), inherited and satisfied by this system.", framework.id, names.join(", ")),
                "implemented-requirements": requirements
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_are_oscal_tokens() {
        assert_eq!(control_id("nist-800-53-r5", "AC-2(1)"), "ac-2.1");
        assert_eq!(control_id("nist-800-53-r5", "AC-2"), "ac-2");
        assert_eq!(control_id("pci-dss-4.0.1", "8.3.1"), "_8.3.1");
        assert_eq!(
            control_id("hipaa-security", "164.308(a)(1)(ii)(A)"),
            "_164.308.a.1.ii.a"
        );
        assert_eq!(control_id("iso27001-2022", "A.5.1"), "a.5.1");
        assert_eq!(control_id("gdpr", "Art. 32"), "art.32");
    }
}

//! The owner map as an OSCAL system security plan whose implemented requirements say, per
//! control, what each offering provides (`export.provided`), what the customer must do on shared
//! controls (`export.responsibilities`), what this system inherits (`inherited`) and how it
//! satisfies its responsibilities (`satisfied`): the constructs of NIST's leveraged/leveraging
//! examples. The system's name and FIPS 199 levels are the ones given (scope or command line),
//! never a placeholder; `import-profile` points at the profile srmap writes beside the SSP, or
//! at the one the user names.

use jiff::civil::Date;
use serde_json::{json, Value};

use super::catalog::{catalog_companion, catalog_file, profile_companion, profile_file};
use super::{control_id, id, Companion, NS, OSCAL_VERSION};
use crate::offering::Offering;
use crate::owner_map::SystemPlan;
use crate::party::Party;
use crate::security_category::SecurityCategory;

const REMARKS: &str =
    "Written by srmap from the providers' published shared-responsibility matrices.";

/// Who the system is: what the SSP says of it, as the user gave it.
#[derive(Debug, Clone)]
pub struct SystemIdentity {
    pub name: String,
    /// What the system does (empty: the SSP describes it by its offerings).
    pub description: String,
    pub category: SecurityCategory,
    /// Where the name and levels came from (`scope.toml, system "payments"`, `the command
    /// line`), stated in the SSP's remarks.
    pub given_by: String,
}

/// A system plan written as an SSP: the plan, the system, the profile it imports (`None`: the
/// profile srmap writes beside it) and the date stamped in `last-modified`.
#[derive(Debug, Clone)]
pub struct Ssp<'a> {
    pub plan: &'a SystemPlan<'a>,
    pub system: SystemIdentity,
    pub profile_href: Option<String>,
    pub date: Date,
}

impl Ssp<'_> {
    /// The documents the SSP points at, to write beside it: the framework's profile and
    /// catalog, unless the SSP imports a profile the user named.
    pub fn companions(&self) -> Vec<Companion> {
        match self.profile_href {
            Some(_) => Vec::new(),
            None => vec![
                profile_companion(self.plan.framework, self.date),
                catalog_companion(self.plan.framework, self.date),
            ],
        }
    }

    /// The `href` of `import-profile`.
    pub fn profile_href(&self) -> String {
        self.profile_href
            .clone()
            .unwrap_or_else(|| profile_file(self.plan.framework))
    }
}

/// The SSP document.
pub fn owner_map_ssp(ssp: &Ssp<'_>) -> Value {
    let Ssp {
        plan, system, date, ..
    } = ssp;
    let SystemPlan {
        framework,
        offerings,
        premises,
        controls,
        selection,
    } = plan;
    let names: Vec<&str> = offerings.iter().map(|o| o.id.as_str()).collect();
    // The system and the assumptions change the content, so they are part of every UUID's name.
    let key = format!(
        "{}|{}|premises={:?}|system={}",
        framework.id,
        names.join(","),
        premises,
        system.name
    );
    let this = id(&[&key, "this-system"]);
    let comp = |o: &Offering| id(&[&key, "component", &o.id]);
    let mut components = vec![json!({
        "uuid": this,
        "type": "this-system",
        "title": system.name,
        "description": format!("{}, the customer's system, running on {}.", system.name, names.join(", ")),
        "status": { "state": "other", "remarks": "Not recorded (see the system's status)." }
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
    let c = system.category;
    let description = if system.description.is_empty() {
        format!(
            "{}, running on {}. This plan states who owns each {} control there.",
            system.name,
            names.join(", "),
            framework.id
        )
    } else {
        system.description.clone()
    };
    let import_profile = match &ssp.profile_href {
        None => json!({
            "href": profile_file(framework),
            "remarks": format!(
                "srmap's profile of {}, written beside this plan; it selects the framework's controls from {}, written beside it too.",
                framework.id,
                catalog_file(framework)
            )
        }),
        Some(href) => json!({ "href": href }),
    };
    json!({
        "system-security-plan": {
            // A narrowed plan is another document: its own UUID (its parts keep theirs, so a
            // requirement reads the same in both).
            "uuid": match selection {
                None => id(&[&key, "ssp"]),
                Some(sel) => id(&[&key, "ssp", sel]),
            },
            "metadata": {
                "title": format!("{}: owner map of {} {} on {}", system.name, framework.name, framework.version, names.join(", ")),
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
            "import-profile": import_profile,
            "system-characteristics": {
                "system-ids": [ { "identifier-type": "https://ietf.org/rfc/rfc4122", "id": id(&[&key, "system"]) } ],
                "system-name": system.name,
                "description": description,
                "security-sensitivity-level": c.high_water().oscal(),
                "system-information": {
                    "information-types": [ {
                        "title": format!("Information {} stores, processes or transmits", system.name),
                        "description": format!(
                            "All of the system's information, categorised as one information type at the system's FIPS 199 levels (confidentiality {}, integrity {}, availability {}) as given by {}. srmap does not break it down into NIST SP 800-60 information types.",
                            c.confidentiality, c.integrity, c.availability, system.given_by
                        ),
                        "confidentiality-impact": { "base": c.confidentiality.oscal() },
                        "integrity-impact": { "base": c.integrity.oscal() },
                        "availability-impact": { "base": c.availability.oscal() }
                    } ]
                },
                "security-impact-level": {
                    "security-objective-confidentiality": c.confidentiality.oscal(),
                    "security-objective-integrity": c.integrity.oscal(),
                    "security-objective-availability": c.availability.oscal()
                },
                "status": {
                    "state": "other",
                    "remarks": "Not recorded: srmap writes the plan from the offerings' responsibility matrices and does not know whether the system is in operation."
                },
                "authorization-boundary": { "description": format!("{} and the parts of {} it uses.", system.name, names.join(", ")) },
                "remarks": format!("System name, description and FIPS 199 levels as given by {}.", system.given_by)
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

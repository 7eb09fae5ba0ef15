//! Reader for `frameworks/layers.csv`.

use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::layer::{is_kebab, Layer, Layers};
use crate::party::Party;

pub const PATH: &str = "frameworks/layers.csv";

pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Layers {
    let mut list: Vec<Layer> = Vec::new();
    read_csv(
        file,
        &["id", "name"],
        ["id", "name", "always", "decided_by", "description", "duty"],
        diags,
        |cols, rec, diags| {
            let [c_id, c_name, c_always, c_decided, c_desc, c_duty] = *cols;
            let id = rec.get(c_id);
            if !is_kebab(id) {
                diags.push(Diagnostic::error(
                    Code::BadId,
                    rec.at(c_id, "id"),
                    format!("layer ID `{id}` must be kebab-case (a-z, 0-9, -)"),
                ));
                return;
            }
            if list.iter().any(|l| l.id == id) {
                diags.push(Diagnostic::error(
                    Code::DuplicateLayer,
                    rec.at(c_id, "id"),
                    format!("layer `{id}` is defined twice"),
                ));
                return;
            }
            let always = match rec.get(c_always) {
                "" => None,
                v => match v.parse::<Party>() {
                    Ok(p @ (Party::Customer | Party::Provider | Party::Shared)) => Some(p),
                    _ => {
                        diags.push(Diagnostic::error(
                            Code::BadParty,
                            rec.at(c_always, "always"),
                            format!("`{v}`: expected customer, provider, shared or empty"),
                        ));
                        None
                    }
                },
            };
            let scope = match rec.get(c_decided) {
                "" | "offering" => false,
                "scope" => true,
                v => {
                    diags.push(Diagnostic::error(
                        Code::BadDecidedBy,
                        rec.at(c_decided, "decided_by"),
                        format!("`{v}`: expected offering, scope or empty"),
                    ));
                    false
                }
            };
            let duty = rec.get(c_duty).to_string();
            if scope && (always != Some(Party::Customer) || duty.is_empty()) {
                diags.push(Diagnostic::error(
                    Code::BadScopeLayer,
                    rec.at(c_decided, "decided_by"),
                    format!("layer `{id}` is decided by the scope: it must be always the customer's and give the customer's `duty`"),
                ));
            }
            list.push(Layer {
                id: id.to_string(),
                name: rec.get(c_name).to_string(),
                always,
                scope,
                description: rec.get(c_desc).to_string(),
                duty,
            });
        },
    );
    if list.is_empty() {
        diags.push(Diagnostic::error(
            Code::NoLayers,
            Location::file(file.display()),
            "defines no layers",
        ));
    }
    Layers::new(list)
}

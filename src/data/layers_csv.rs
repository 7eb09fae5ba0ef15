//! Reader for `frameworks/layers.csv`.

use crate::csv_input::{self, cell, Header};
use crate::data::DataFile;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::layer::{is_kebab, Layer, Layers};
use crate::party::Party;

pub const PATH: &str = "frameworks/layers.csv";

pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Layers {
    let name = file.display();
    let mut rdr = csv_input::reader(file.text.as_bytes(), b',');
    let header = match rdr.headers() {
        Ok(h) => Header::new(h.iter()),
        Err(e) => {
            diags.push(Diagnostic::error(
                "bad-csv",
                Location::file(&name),
                e.to_string(),
            ));
            return Layers::default();
        }
    };
    let missing = header.require(&["id", "name"], &Location::at(&name, 1, 1));
    if !missing.is_empty() {
        diags.0.extend(missing);
        return Layers::default();
    }
    let (c_id, c_name) = (header.get("id"), header.get("name"));
    let (c_always, c_desc) = (header.get("always"), header.get("description"));
    let mut list: Vec<Layer> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                diags.push(Diagnostic::error(
                    "bad-csv",
                    Location::at(&name, line, 1),
                    e.to_string(),
                ));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let at = |col: Option<usize>, field: &str| {
            Location::at(&name, line, col.map(|c| c as u64 + 1).unwrap_or(1)).with_field(field)
        };
        let id = cell(&rec, c_id);
        if !is_kebab(id) {
            diags.push(Diagnostic::error(
                "bad-id",
                at(c_id, "id"),
                format!("layer ID `{id}` must be kebab-case (a-z, 0-9, -)"),
            ));
            continue;
        }
        if list.iter().any(|l| l.id == id) {
            diags.push(Diagnostic::error(
                "duplicate-layer",
                at(c_id, "id"),
                format!("layer `{id}` is defined twice"),
            ));
            continue;
        }
        let always = match cell(&rec, c_always) {
            "" => None,
            v => match v.parse::<Party>() {
                Ok(p @ (Party::Customer | Party::Provider)) => Some(p),
                _ => {
                    diags.push(Diagnostic::error(
                        "bad-party",
                        at(c_always, "always"),
                        format!("`{v}`: expected customer, provider or empty"),
                    ));
                    None
                }
            },
        };
        list.push(Layer {
            id: id.to_string(),
            name: cell(&rec, c_name).to_string(),
            always,
            description: cell(&rec, c_desc).to_string(),
        });
    }
    if list.is_empty() {
        diags.push(Diagnostic::error(
            "no-layers",
            Location::file(&name),
            "defines no layers",
        ));
    }
    Layers::new(list)
}

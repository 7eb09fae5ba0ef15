//! Reader for `frameworks/features.csv`.

use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::feature::{Feature, Features};
use crate::layer::{is_kebab, Layers};

pub const PATH: &str = "frameworks/features.csv";

pub fn read(file: &DataFile, layers: &Layers, diags: &mut Diagnostics) -> Features {
    let mut list: Vec<Feature> = Vec::new();
    read_csv(
        file,
        &["id", "name", "layer", "values"],
        ["id", "name", "layer", "values", "description"],
        diags,
        |cols, rec, diags| {
            let [c_id, c_name, c_layer, c_values, c_desc] = *cols;
            let id = rec.get(c_id);
            if !is_kebab(id) {
                diags.push(Diagnostic::error(
                    "bad-id",
                    rec.at(c_id, "id"),
                    format!("feature ID `{id}` must be kebab-case (a-z, 0-9, -)"),
                ));
                return;
            }
            if list.iter().any(|f| f.id == id) {
                diags.push(Diagnostic::error(
                    "duplicate-feature",
                    rec.at(c_id, "id"),
                    format!("feature `{id}` is defined twice"),
                ));
                return;
            }
            let layer = rec.get(c_layer);
            if !layers.contains(layer) {
                diags.push(Diagnostic::error(
                    "unknown-layer",
                    rec.at(c_layer, "layer"),
                    format!(
                        "feature `{id}`: layer `{layer}` is not defined in frameworks/layers.csv"
                    ),
                ));
                return;
            }
            let values: Vec<String> = rec
                .get(c_values)
                .split(';')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect();
            if values.is_empty() || values.iter().any(|v| !is_kebab(v)) {
                diags.push(Diagnostic::error(
                    "bad-feature-values",
                    rec.at(c_values, "values"),
                    format!("feature `{id}` needs `;`-separated kebab-case defaults (for example `on;off`)"),
                ));
                return;
            }
            list.push(Feature {
                id: id.to_string(),
                name: rec.get(c_name).to_string(),
                layer: layer.to_string(),
                values,
                description: rec.get(c_desc).to_string(),
            });
        },
    );
    Features::new(list)
}

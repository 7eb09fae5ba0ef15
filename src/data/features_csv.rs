//! Reader for `frameworks/features.csv`.

use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::feature::{Feature, FeatureValue, Features};
use crate::layer::{is_kebab, Layers};
use crate::party::Party;

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
                    Code::BadId,
                    rec.at(c_id, "id"),
                    format!("feature ID `{id}` must be kebab-case (a-z, 0-9, -)"),
                ));
                return;
            }
            if list.iter().any(|f| f.id == id) {
                diags.push(Diagnostic::error(
                    Code::DuplicateFeature,
                    rec.at(c_id, "id"),
                    format!("feature `{id}` is defined twice"),
                ));
                return;
            }
            let layer = rec.get(c_layer);
            if !layers.contains(layer) {
                diags.push(Diagnostic::error(
                    Code::UnknownLayer,
                    rec.at(c_layer, "layer"),
                    format!(
                        "feature `{id}`: layer `{layer}` is not defined in frameworks/layers.csv"
                    ),
                ));
                return;
            }
            let mut values: Vec<FeatureValue> = Vec::new();
            for item in rec
                .get(c_values)
                .split(';')
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                let (value, parties) = item.split_once('=').unwrap_or((item, ""));
                let responsibilities: Result<Vec<Party>, String> = parties
                    .split('|')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::parse::<Party>)
                    .collect();
                if values.iter().any(|v| v.value == value.trim()) {
                    diags.push(Diagnostic::error(
                        Code::BadFeatureValues,
                        rec.at(c_values, "values"),
                        format!("feature `{id}` lists the default `{}` twice", value.trim()),
                    ));
                    return;
                }
                match responsibilities {
                    Ok(r) if is_kebab(value.trim()) && !r.is_empty() => values.push(FeatureValue {
                        value: value.trim().to_string(),
                        responsibilities: r,
                    }),
                    _ => {
                        diags.push(Diagnostic::error(
                            Code::BadFeatureValues,
                            rec.at(c_values, "values"),
                            format!("feature `{id}`: `{item}` should be a default and the responsibilities that fit it, such as `off=customer` or `on=provider|shared`"),
                        ));
                        return;
                    }
                }
            }
            if values.is_empty() {
                diags.push(Diagnostic::error(
                    Code::BadFeatureValues,
                    rec.at(c_values, "values"),
                    format!("feature `{id}` lists no defaults"),
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

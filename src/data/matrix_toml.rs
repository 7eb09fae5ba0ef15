//! Reader for a provider matrix: `providers/<provider>/<offering>.toml`.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::data::framework_files::{span_at, toml_error};
use crate::data::DataFile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::framework::Framework;
use crate::layer::Layers;
use crate::offering::{ControlOverride, LayerDuty, Model, Offering, Source};
use crate::party::Party;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffering {
    id: Spanned<String>,
    provider: String,
    name: String,
    model: Spanned<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    layers: IndexMap<String, RawLayerDuty>,
    #[serde(default)]
    controls: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayerDuty {
    owner: Spanned<String>,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    customer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    framework: Spanned<String>,
    control: Spanned<String>,
    owner: Spanned<String>,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    source: String,
    /// The source's own wording for the owner ("Partial", "CSC-owned", ...), kept verbatim.
    #[serde(default)]
    source_value: String,
}

fn party(
    file: &DataFile,
    raw: &Spanned<String>,
    field: &str,
    diags: &mut Diagnostics,
) -> Option<Party> {
    match raw.get_ref().parse::<Party>() {
        Ok(p) => Some(p),
        Err(msg) => {
            diags.push(Diagnostic::error(
                "bad-party",
                span_at(file, raw, field),
                msg,
            ));
            None
        }
    }
}

/// Read one matrix; `frameworks` resolves per-control rows.
pub fn read(
    file: &DataFile,
    layers: &Layers,
    frameworks: &[Framework],
    diags: &mut Diagnostics,
) -> Option<Offering> {
    let raw: RawOffering = match toml::from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(file, &e));
            return None;
        }
    };
    let id = raw.id.get_ref().trim().to_string();
    let last = id.rsplit('/').next().unwrap_or(&id);
    if last != file.stem() {
        diags.push(Diagnostic::warning(
            "id-mismatch",
            span_at(file, &raw.id, "id"),
            format!("offering `{id}` is in a file named `{}`", file.stem()),
        ));
    }
    let model = Model::parse(raw.model.get_ref());
    if model.is_none() {
        diags.push(Diagnostic::error(
            "unknown-model",
            span_at(file, &raw.model, "model"),
            format!(
                "`{}` is not a service model; expected one of {}",
                raw.model.get_ref(),
                Model::ALL.map(|m| m.as_str()).join(", ")
            ),
        ));
    }
    if raw.sources.is_empty() || raw.sources.iter().any(|s| s.url.trim().is_empty()) {
        diags.push(Diagnostic::error(
            "missing-source",
            span_at(file, &raw.id, "sources"),
            format!("offering `{id}` must cite the public page(s) its matrix comes from ([[sources]] with title and url)"),
        ));
    }
    let mut duties: IndexMap<String, LayerDuty> = IndexMap::new();
    for (key, duty) in &raw.layers {
        if !layers.contains(key) {
            diags.push(Diagnostic::error(
                "unknown-layer",
                span_at(file, &duty.owner, &format!("layers.{key}")),
                format!("layer `{key}` is not defined in frameworks/layers.csv"),
            ));
            continue;
        }
        let Some(owner) = party(file, &duty.owner, &format!("layers.{key}.owner"), diags) else {
            continue;
        };
        if let (Some(always), Some(m)) = (layers.get(key).and_then(|l| l.always), model) {
            if m.is_cloud() && owner != always {
                diags.push(Diagnostic::error(
                    "always-owner",
                    span_at(file, &duty.owner, &format!("layers.{key}.owner")),
                    format!(
                        "layer `{key}` is always the {always}'s on a cloud offering, not {owner}"
                    ),
                ));
            }
        }
        if duty.provider.trim().is_empty() || duty.customer.trim().is_empty() {
            diags.push(Diagnostic::error(
                "missing-duty",
                span_at(file, &duty.owner, &format!("layers.{key}")),
                format!("layer `{key}` needs a `provider` and a `customer` sentence"),
            ));
        }
        duties.insert(
            key.clone(),
            LayerDuty {
                owner,
                provider: duty.provider.trim().to_string(),
                customer: duty.customer.trim().to_string(),
            },
        );
    }
    let missing: Vec<&str> = layers
        .ids()
        .into_iter()
        .filter(|l| !raw.layers.contains_key(*l))
        .collect();
    if !missing.is_empty() {
        diags.push(Diagnostic::error(
            "missing-layer",
            span_at(file, &raw.id, "layers"),
            format!(
                "offering `{id}` does not say who owns: {}",
                missing.join(", ")
            ),
        ));
    }
    duties.sort_by_cached_key(|k, _| layers.position(k));
    let mut overrides = Vec::new();
    for row in &raw.controls {
        let at = span_at(file, &row.control, "controls.control");
        let Some(fw) = frameworks.iter().find(|f| f.id == *row.framework.get_ref()) else {
            diags.push(Diagnostic::error(
                "unknown-framework",
                span_at(file, &row.framework, "controls.framework"),
                format!("`{}` is not a framework", row.framework.get_ref()),
            ));
            continue;
        };
        let control = match fw.resolve(row.control.get_ref()) {
            Ok(c) => c.id.clone(),
            Err(why) => {
                diags.push(Diagnostic::error(
                    "unknown-control",
                    at,
                    fw.unresolved_message(row.control.get_ref(), &why),
                ));
                continue;
            }
        };
        let Some(owner) = party(file, &row.owner, "controls.owner", diags) else {
            continue;
        };
        if row.source.trim().is_empty() {
            diags.push(Diagnostic::error(
                "missing-source",
                at.clone(),
                format!(
                    "the row for {} {control} must cite its public source",
                    fw.id
                ),
            ));
        }
        if overrides
            .iter()
            .any(|o: &ControlOverride| o.framework == fw.id && o.control == control)
        {
            diags.push(Diagnostic::error(
                "duplicate-control",
                at.clone(),
                format!("{} {control} has two rows in this matrix", fw.id),
            ));
            continue;
        }
        overrides.push(ControlOverride {
            framework: fw.id.clone(),
            control,
            owner,
            provider: row.provider.trim().to_string(),
            customer: row.customer.trim().to_string(),
            source: row.source.trim().to_string(),
            source_value: row.source_value.trim().to_string(),
            line: at.line.unwrap_or(0),
        });
    }
    Some(Offering {
        id,
        provider: raw.provider.trim().to_string(),
        name: raw.name.trim().to_string(),
        model: model?,
        summary: raw.summary.trim().to_string(),
        aliases: raw.aliases,
        sources: raw
            .sources
            .into_iter()
            .map(|s| Source {
                title: s.title,
                url: s.url,
            })
            .collect(),
        layers: duties,
        overrides,
        carried: Vec::new(),
        file: file.display(),
    })
}

//! Reader for a provider matrix: `providers/<provider>/<offering>.toml`.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::data::framework_files::{span_at, toml_error};
use crate::data::DataFile;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::feature::Features;
use crate::framework::Framework;
use crate::layer::Layers;
use crate::offering::{ControlOverride, Fact, LayerDuty, Model, Offering, Source};
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
    #[serde(default)]
    narrows: Vec<Spanned<String>>,
    #[serde(default)]
    features: Vec<RawFact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    feature: Spanned<String>,
    default: Spanned<String>,
    responsibility: Spanned<String>,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    customer_action: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    mcsb: String,
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
                Code::BadParty,
                span_at(file, raw, field),
                msg,
            ));
            None
        }
    }
}

/// Read one matrix; `framework` finds the framework of a per-control row by ID (the catalog
/// reads it then, if it has not yet).
pub fn read<'f>(
    file: &DataFile,
    layers: &Layers,
    features: &Features,
    framework: impl Fn(&str) -> Option<&'f Framework>,
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
            Code::IdMismatch,
            span_at(file, &raw.id, "id"),
            format!("offering `{id}` is in a file named `{}`", file.stem()),
        ));
    }
    let model = Model::parse(raw.model.get_ref());
    if model.is_none() {
        diags.push(Diagnostic::error(
            Code::UnknownModel,
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
            Code::MissingSource,
            span_at(file, &raw.id, "sources"),
            format!("offering `{id}` must cite the public page(s) its matrix comes from ([[sources]] with title and url)"),
        ));
    }
    let mut duties: IndexMap<String, LayerDuty> = IndexMap::new();
    for (key, duty) in &raw.layers {
        if !layers.contains(key) {
            diags.push(Diagnostic::error(
                Code::UnknownLayer,
                span_at(file, &duty.owner, &format!("layers.{key}")),
                format!("layer `{key}` is not defined in frameworks/layers.csv"),
            ));
            continue;
        }
        if layers.get(key).is_some_and(|l| l.scope) {
            diags.push(Diagnostic::error(
                Code::ScopeLayerInMatrix,
                span_at(file, &duty.owner, &format!("layers.{key}")),
                format!("layer `{key}` is decided by the scope (`premises`), not by a matrix: remove it"),
            ));
            continue;
        }
        let Some(owner) = party(file, &duty.owner, &format!("layers.{key}.owner"), diags) else {
            continue;
        };
        if let (Some(always), Some(m)) = (layers.get(key).and_then(|l| l.always), model) {
            if m.is_cloud() && owner != always {
                diags.push(Diagnostic::error(
                    Code::AlwaysOwner,
                    span_at(file, &duty.owner, &format!("layers.{key}.owner")),
                    match always {
                        Party::Shared => format!(
                            "layer `{key}` is always shared on a cloud offering (each party for its own part), not {owner}"
                        ),
                        _ => format!(
                            "layer `{key}` is always the {always}'s on a cloud offering, not {owner}"
                        ),
                    },
                ));
            }
        }
        if duty.provider.trim().is_empty() || duty.customer.trim().is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingDuty,
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
                scope: false,
            },
        );
    }
    let missing: Vec<&str> = layers
        .iter()
        .filter(|l| !l.scope && !raw.layers.contains_key(&l.id))
        .map(|l| l.id.as_str())
        .collect();
    if !missing.is_empty() {
        diags.push(Diagnostic::error(
            Code::MissingLayer,
            span_at(file, &raw.id, "layers"),
            format!(
                "offering `{id}` does not say who owns: {}",
                missing.join(", ")
            ),
        ));
    }
    for l in layers.iter().filter(|l| l.scope) {
        duties.insert(
            l.id.clone(),
            LayerDuty {
                owner: Party::Customer,
                provider: String::new(),
                customer: l.duty.clone(),
                scope: true,
            },
        );
    }
    duties.sort_by_cached_key(|k, _| layers.position(k));
    let facts = read_facts(file, &raw.features, layers, features, &duties, diags);
    for n in &raw.narrows {
        if n.get_ref().trim().eq_ignore_ascii_case(&id) {
            diags.push(Diagnostic::error(
                Code::BadNarrows,
                span_at(file, n, "narrows"),
                format!("offering `{id}` cannot narrow itself"),
            ));
        }
    }
    if raw.provider.trim() != "generic" && facts.is_empty() && raw.controls.is_empty() {
        diags.push(Diagnostic::warning(
            Code::NoFacts,
            span_at(file, &raw.id, "features"),
            format!("named offering `{id}` states no per-service facts ([[features]]) and no per-control rows: its owners come from the layers alone"),
        ));
    }
    let mut overrides = Vec::new();
    for row in &raw.controls {
        let at = span_at(file, &row.control, "controls.control");
        let Some(fw) = framework(row.framework.get_ref()) else {
            diags.push(Diagnostic::error(
                Code::UnknownFramework,
                span_at(file, &row.framework, "controls.framework"),
                format!("`{}` is not a framework", row.framework.get_ref()),
            ));
            continue;
        };
        let control = match fw.resolve(row.control.get_ref()) {
            Ok(c) => c.id.clone(),
            Err(why) => {
                diags.push(Diagnostic::error(
                    Code::UnknownControl,
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
                Code::MissingSource,
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
                Code::DuplicateControl,
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
        facts,
        narrows: raw
            .narrows
            .iter()
            .map(|n| n.get_ref().trim().to_string())
            .collect(),
        narrows_at: raw
            .narrows
            .first()
            .map(|n| file.line_col(n.span().start))
            .unwrap_or((1, 1)),
        overrides,
        carried: Vec::new(),
        file: file.display(),
    })
}

/// Read an offering's facts: each names a known feature, one of its defaults, who must act and
/// the public page that says so, and may not hand an always-owned layer to the other party.
fn read_facts(
    file: &DataFile,
    raw: &[RawFact],
    layers: &Layers,
    features: &Features,
    duties: &IndexMap<String, LayerDuty>,
    diags: &mut Diagnostics,
) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for f in raw {
        let id = f.feature.get_ref().trim();
        let at = span_at(file, &f.feature, "features.feature");
        let Some(feature) = features.get(id) else {
            diags.push(Diagnostic::error(
                Code::UnknownFeature,
                at,
                format!(
                    "`{id}` is not a feature in frameworks/features.csv (known: {})",
                    features.ids().join(", ")
                ),
            ));
            continue;
        };
        if facts.iter().any(|x| x.feature == id) {
            diags.push(Diagnostic::error(
                Code::DuplicateFeature,
                at,
                format!("feature `{id}` has two facts in this matrix"),
            ));
            continue;
        }
        let default = f.default.get_ref().trim();
        let Some(value) = feature.value(default) else {
            diags.push(Diagnostic::error(
                Code::BadFeatureDefault,
                span_at(file, &f.default, "features.default"),
                format!(
                    "`{default}` is not a default of `{id}`; expected one of {}",
                    feature.value_names().join(", ")
                ),
            ));
            continue;
        };
        let Some(responsibility) = party(file, &f.responsibility, "features.responsibility", diags)
        else {
            continue;
        };
        if !value.responsibilities.contains(&responsibility) {
            let fits: Vec<&str> = value.responsibilities.iter().map(|p| p.as_str()).collect();
            diags.push(Diagnostic::error(
                Code::FactResponsibility,
                span_at(file, &f.responsibility, "features.responsibility"),
                format!(
                    "`{id}` is `{default}` by default, so `{responsibility}` cannot be who must act; expected {} (frameworks/features.csv)",
                    fits.join(" or ")
                ),
            ));
            continue;
        }
        if f.source.trim().is_empty() {
            diags.push(Diagnostic::error(
                Code::MissingSource,
                at.clone(),
                format!("the fact about `{id}` must cite the public page it comes from (`source`)"),
            ));
        }
        if responsibility != Party::NotApplicable
            && (f.provider.trim().is_empty() || f.customer_action.trim().is_empty())
        {
            diags.push(Diagnostic::error(
                Code::MissingDuty,
                at.clone(),
                format!(
                    "the fact about `{id}` needs a `provider` and a `customer_action` sentence"
                ),
            ));
        }
        if let Some(always) = layers.get(&feature.layer).and_then(|l| l.always) {
            let against = match always {
                Party::Customer => responsibility == Party::Provider,
                Party::Provider => responsibility.customer_involved(),
                _ => false,
            };
            if against {
                diags.push(Diagnostic::error(
                    Code::FactAgainstLayer,
                    span_at(file, &f.responsibility, "features.responsibility"),
                    format!(
                        "layer `{}` is always the {always}'s; the fact about `{id}` cannot make it {responsibility}",
                        feature.layer
                    ),
                ));
                continue;
            }
        }
        if duties
            .get(&feature.layer)
            .is_some_and(|d| d.owner == Party::NotApplicable)
            && responsibility != Party::NotApplicable
        {
            diags.push(Diagnostic::warning(
                Code::FactOnAbsentLayer,
                at.clone(),
                format!(
                    "layer `{}` is not-applicable on this offering, yet the fact about `{id}` says {responsibility}",
                    feature.layer
                ),
            ));
        }
        facts.push(Fact {
            feature: id.to_string(),
            layer: feature.layer.clone(),
            default: default.to_string(),
            responsibility,
            provider: f.provider.trim().to_string(),
            customer_action: f.customer_action.trim().to_string(),
            source: f.source.trim().to_string(),
            mcsb: f.mcsb.trim().to_string(),
            line: at.line.unwrap_or(0),
        });
    }
    facts.sort_by_key(|f| features.position(&f.feature));
    facts
}

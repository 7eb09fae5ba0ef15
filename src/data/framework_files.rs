//! Reader for a framework: `frameworks/<id>.toml` (header) + `frameworks/<id>.csv` (controls).

use serde::Deserialize;
use toml::Spanned;

use crate::applicability::Applicability;
use crate::artefact::Artefacts;
use crate::attestation::AttestationKind;
use crate::cadence::Cadence;
use crate::control_id::Resolver;
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::feature::Features;
use crate::framework::{Control, Framework, Status, INFORMATIVE};
use crate::layer::{is_kebab, Layers};
use crate::weight::Weight;

/// The columns of a controls file. `applies_to` (which organisations the control applies to),
/// `weight` (the control's risk weight) and `artefact` (the evidence artefacts of the PBC list
/// that serve it) are optional; a file without them gives every control to every organisation,
/// with the `standard` weight, asked for on its own.
pub const CONTROL_COLUMNS: [&str; 15] = [
    "id",
    "title",
    "group",
    "kind",
    "parent",
    "layers",
    "features",
    "cadence",
    "evidence",
    "aliases",
    "customer_duty",
    "provider_duty",
    "applies_to",
    "weight",
    "artefact",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    name: String,
    version: String,
    /// `final` (the default) or `proposed`.
    #[serde(default)]
    status: Status,
    #[serde(default)]
    publisher: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    id_prefixes: Vec<String>,
    #[serde(default)]
    optional_prefixes: Vec<String>,
    #[serde(default)]
    attestations: Vec<Vec<Spanned<String>>>,
    #[serde(default)]
    agreements: Vec<Spanned<String>>,
    /// Whether an assessment against this framework covers the organisation's own premises
    /// unless the scope says otherwise (true for frameworks that certify the organisation).
    #[serde(default)]
    premises: bool,
    /// Kinds of row a scope may not exclude (`clause` in ISO 27001: clauses 4-10).
    #[serde(default)]
    mandatory_kinds: Vec<String>,
}

/// Report a TOML deserialisation error at its place.
pub(crate) fn toml_error(file: &DataFile, err: &toml::de::Error) -> Diagnostic {
    let (line, col) = err.span().map(|s| file.line_col(s.start)).unwrap_or((1, 1));
    let msg = err.message().trim().to_string();
    Diagnostic::error(Code::BadToml, Location::at(file.display(), line, col), msg)
}

pub(crate) fn span_at<T>(file: &DataFile, spanned: &Spanned<T>, field: &str) -> Location {
    let (line, col) = file.line_col(spanned.span().start);
    Location::at(file.display(), line, col).with_field(field)
}

/// Read one framework. `header` is the TOML, `controls` the CSV with the same stem; the
/// controls' `applies_to` conditions are checked against `applicability`.
pub fn read(
    header: &DataFile,
    controls: &DataFile,
    layers: &Layers,
    features: &Features,
    applicability: &Applicability,
    artefacts: &Artefacts,
    diags: &mut Diagnostics,
) -> Option<Framework> {
    let raw: RawHeader = match toml::from_str(&header.text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(header, &e));
            return None;
        }
    };
    let id = raw.id.get_ref().clone();
    if !is_kebab(&id.replace('.', "-")) {
        diags.push(Diagnostic::error(
            Code::BadId,
            span_at(header, &raw.id, "id"),
            format!("framework ID `{id}` must be lower-case letters, digits, dots and dashes"),
        ));
    }
    if id != header.stem() {
        diags.push(Diagnostic::error(
            Code::IdMismatch,
            span_at(header, &raw.id, "id"),
            format!(
                "framework ID `{id}` does not match the file name `{}`",
                header.stem()
            ),
        ));
    }
    let mut kind = |k: Spanned<String>| match k.get_ref().parse::<AttestationKind>() {
        Ok(kind) => Some(kind),
        Err(_) => {
            diags.push(Diagnostic::error(
                Code::UnknownAttestationKind,
                span_at(header, &k, "attestations"),
                format!(
                    "`{}` is not an attestation kind; expected one of {}",
                    k.get_ref(),
                    AttestationKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            ));
            None
        }
    };
    let attestations: Vec<Vec<AttestationKind>> = raw
        .attestations
        .into_iter()
        .map(|g| g.into_iter().filter_map(&mut kind).collect())
        .collect();
    let agreements: Vec<AttestationKind> =
        raw.agreements.into_iter().filter_map(&mut kind).collect();
    let list = read_controls(
        controls,
        &id,
        layers,
        features,
        applicability,
        artefacts,
        diags,
    );
    let mut id_prefixes = raw.id_prefixes.clone();
    id_prefixes.push(id.clone());
    let resolver = Resolver::new(
        list.iter().map(|c| (c.id.as_str(), c.aliases.as_slice())),
        &raw.optional_prefixes,
        &id_prefixes,
    );
    Some(Framework {
        id,
        name: raw.name,
        version: raw.version,
        status: raw.status,
        publisher: raw.publisher,
        source: raw.source,
        description: raw.description,
        attestations,
        agreements,
        premises: raw.premises,
        mandatory_kinds: raw.mandatory_kinds,
        controls: list,
        file: controls.display(),
        resolver,
    })
}

fn read_controls(
    file: &DataFile,
    framework: &str,
    layers: &Layers,
    features: &Features,
    applicability: &Applicability,
    artefacts: &Artefacts,
    diags: &mut Diagnostics,
) -> Vec<Control> {
    let mut out: Vec<Control> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut parents: Vec<(String, Location)> = Vec::new();
    read_csv(
        file,
        &["id", "title", "layers", "cadence"],
        CONTROL_COLUMNS,
        diags,
        |cols, rec, diags| {
            let [c_id, c_title, c_group, c_kind, c_parent, c_layers, c_features, c_cadence, c_evidence, c_aliases, c_customer, c_provider, c_applies, c_weight, c_artefact] =
                *cols;
            let id = rec.get(c_id);
            if id.is_empty() {
                diags.push(Diagnostic::error(
                    Code::MissingValue,
                    rec.at(c_id, "id"),
                    "control ID is empty",
                ));
                return;
            }
            if !seen.insert(id.to_string()) {
                diags.push(Diagnostic::error(
                    Code::DuplicateControl,
                    rec.at(c_id, "id"),
                    format!("control `{id}` is defined twice"),
                ));
                return;
            }
            let mut ok = true;
            let title = rec.get(c_title);
            if title.is_empty() {
                diags.push(Diagnostic::error(
                    Code::MissingValue,
                    rec.at(c_title, "title"),
                    format!("control `{id}` has no title"),
                ));
                ok = false;
            }
            let kind = match rec.get(c_kind) {
                "" => "control",
                k => k,
            };
            let mut layer_ids: Vec<String> = Vec::new();
            for l in rec
                .get(c_layers)
                .split(';')
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                if !layers.contains(l) {
                    diags.push(Diagnostic::error(
                        Code::UnknownLayer,
                        rec.at(c_layers, "layers"),
                        format!(
                            "control `{id}`: layer `{l}` is not defined in frameworks/layers.csv"
                        ),
                    ));
                    ok = false;
                } else if layer_ids.iter().any(|x| x == l) {
                    diags.push(Diagnostic::warning(
                        Code::DuplicateLayer,
                        rec.at(c_layers, "layers"),
                        format!("control `{id}` lists layer `{l}` twice"),
                    ));
                } else {
                    layer_ids.push(l.to_string());
                }
            }
            if layer_ids.is_empty() && kind != INFORMATIVE && ok {
                diags.push(Diagnostic::error(
                    Code::MissingLayers,
                    rec.at(c_layers, "layers"),
                    format!(
                        "control `{id}` names no layer (only `{INFORMATIVE}` rows may have none)"
                    ),
                ));
                ok = false;
            }
            let mut feature_ids: Vec<String> = Vec::new();
            for f in rec
                .get(c_features)
                .split(';')
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                match features.get(f) {
                    None => {
                        diags.push(Diagnostic::error(
                            Code::UnknownFeature,
                            rec.at(c_features, "features"),
                            format!(
                                "control `{id}`: feature `{f}` is not defined in frameworks/features.csv (known: {})",
                                features.ids().join(", ")
                            ),
                        ));
                        ok = false;
                    }
                    Some(feat) if !layer_ids.contains(&feat.layer) => {
                        diags.push(Diagnostic::error(
                            Code::FeatureOutsideLayers,
                            rec.at(c_features, "features"),
                            format!(
                                "control `{id}`: feature `{f}` refines layer `{}`, which the control does not name",
                                feat.layer
                            ),
                        ));
                        ok = false;
                    }
                    Some(_) if feature_ids.iter().any(|x| x == f) => {}
                    Some(_) => feature_ids.push(f.to_string()),
                }
            }
            let cadence = match rec.get(c_cadence).parse::<Cadence>() {
                Ok(c) => c,
                Err(msg) => {
                    diags.push(Diagnostic::error(
                        Code::UnknownCadence,
                        rec.at(c_cadence, "cadence"),
                        msg,
                    ));
                    ok = false;
                    Cadence::Annual
                }
            };
            let weight = match rec.get(c_weight).parse::<Weight>() {
                Ok(w) => w,
                Err(msg) => {
                    diags.push(Diagnostic::error(
                        Code::UnknownWeight,
                        rec.at(c_weight, "weight"),
                        format!("control `{id}`: {msg}"),
                    ));
                    ok = false;
                    Weight::Standard
                }
            };
            let mut applies_to: Vec<String> = Vec::new();
            for cond in rec
                .get(c_applies)
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                if applicability.condition(framework, cond).is_none() {
                    let known = applicability.conditions(framework);
                    diags.push(Diagnostic::error(
                        Code::UnknownApplicability,
                        rec.at(c_applies, "applies_to"),
                        format!(
                            "control `{id}`: condition `{cond}` is not defined for {framework} in frameworks/applicability.csv ({})",
                            if known.is_empty() {
                                "it defines none for this framework".to_string()
                            } else {
                                format!("known: {}", known.join(", "))
                            }
                        ),
                    ));
                    ok = false;
                } else if !applies_to.iter().any(|x| x == cond) {
                    applies_to.push(cond.to_string());
                }
            }
            let mut artefact_ids: Vec<String> = Vec::new();
            for a in rec
                .get(c_artefact)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                match artefacts.get(a) {
                    Some(found) if artefact_ids.contains(&found.id) => {}
                    Some(found) => artefact_ids.push(found.id.clone()),
                    None => {
                        diags.push(Diagnostic::error(
                            Code::UnknownArtefact,
                            rec.at(c_artefact, "artefact"),
                            format!(
                                "control `{id}`: artefact `{a}` is not defined in frameworks/pbc/artefacts.csv"
                            ),
                        ));
                        ok = false;
                    }
                }
            }
            let parent = rec.get(c_parent);
            if !parent.is_empty() {
                parents.push((parent.to_string(), rec.at(c_parent, "parent")));
            }
            if !ok {
                return;
            }
            out.push(Control {
                id: id.to_string(),
                title: title.to_string(),
                group: rec.get(c_group).to_string(),
                kind: kind.to_string(),
                parent: (!parent.is_empty()).then(|| parent.to_string()),
                layers: layer_ids,
                features: feature_ids,
                cadence,
                weight,
                evidence: rec.get(c_evidence).to_string(),
                aliases: rec
                    .get(c_aliases)
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
                customer_duty: rec.get(c_customer).to_string(),
                provider_duty: rec.get(c_provider).to_string(),
                applies_to,
                artefacts: artefact_ids,
                line: rec.line,
            });
        },
    );
    for (parent, at) in parents {
        if !seen.contains(&parent) {
            diags.push(Diagnostic::error(
                Code::UnknownParent,
                at,
                format!("parent `{parent}` is not a control of this framework"),
            ));
        }
    }
    out
}

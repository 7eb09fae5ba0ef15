//! Reader for a framework: `frameworks/<id>.toml` (header) + `frameworks/<id>.csv` (controls).

use serde::Deserialize;
use toml::Spanned;

use crate::attestation::AttestationKind;
use crate::cadence::Cadence;
use crate::control_id::Resolver;
use crate::csv_input::{self, cell, Header};
use crate::data::DataFile;
use crate::diagnostic::{line_col, Diagnostic, Diagnostics, Location};
use crate::framework::{Control, Framework, INFORMATIVE};
use crate::layer::{is_kebab, Layers};

pub const CONTROL_COLUMNS: [&str; 9] = [
    "id", "title", "group", "kind", "parent", "layers", "cadence", "evidence", "aliases",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    name: String,
    version: String,
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
}

/// Report a TOML deserialisation error at its place.
pub(crate) fn toml_error(file: &DataFile, err: &toml::de::Error) -> Diagnostic {
    let (line, col) = err
        .span()
        .map(|s| line_col(&file.text, s.start))
        .unwrap_or((1, 1));
    let msg = err.message().trim().to_string();
    Diagnostic::error("bad-toml", Location::at(file.display(), line, col), msg)
}

pub(crate) fn span_at<T>(file: &DataFile, spanned: &Spanned<T>, field: &str) -> Location {
    let (line, col) = line_col(&file.text, spanned.span().start);
    Location::at(file.display(), line, col).with_field(field)
}

/// Read one framework. `header` is the TOML, `controls` the CSV with the same stem.
pub fn read(
    header: &DataFile,
    controls: &DataFile,
    layers: &Layers,
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
            "bad-id",
            span_at(header, &raw.id, "id"),
            format!("framework ID `{id}` must be lower-case letters, digits, dots and dashes"),
        ));
    }
    if id != header.stem() {
        diags.push(Diagnostic::error(
            "id-mismatch",
            span_at(header, &raw.id, "id"),
            format!(
                "framework ID `{id}` does not match the file name `{}`",
                header.stem()
            ),
        ));
    }
    for kind in raw
        .attestations
        .iter()
        .flatten()
        .chain(raw.agreements.iter())
    {
        if kind.get_ref().parse::<AttestationKind>().is_err() {
            diags.push(Diagnostic::error(
                "unknown-attestation-kind",
                span_at(header, kind, "attestations"),
                format!(
                    "`{}` is not an attestation kind; expected one of {}",
                    kind.get_ref(),
                    AttestationKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            ));
        }
    }
    let list = read_controls(controls, layers, diags);
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
        publisher: raw.publisher,
        source: raw.source,
        description: raw.description,
        attestations: raw
            .attestations
            .into_iter()
            .map(|g| g.into_iter().map(|k| k.into_inner()).collect())
            .collect(),
        agreements: raw.agreements.into_iter().map(|k| k.into_inner()).collect(),
        controls: list,
        file: controls.display(),
        resolver,
    })
}

fn read_controls(file: &DataFile, layers: &Layers, diags: &mut Diagnostics) -> Vec<Control> {
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
            return Vec::new();
        }
    };
    let missing = header.require(
        &["id", "title", "layers", "cadence"],
        &Location::at(&name, 1, 1),
    );
    if !missing.is_empty() {
        diags.0.extend(missing);
        return Vec::new();
    }
    let col: Vec<Option<usize>> = CONTROL_COLUMNS.iter().map(|c| header.get(c)).collect();
    let [c_id, c_title, c_group, c_kind, c_parent, c_layers, c_cadence, c_evidence, c_aliases] = [
        col[0], col[1], col[2], col[3], col[4], col[5], col[6], col[7], col[8],
    ];
    let mut out: Vec<Control> = Vec::new();
    let mut parents: Vec<(String, Location)> = Vec::new();
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
        let at = |c: Option<usize>, field: &str| {
            Location::at(&name, line, c.map(|c| c as u64 + 1).unwrap_or(1)).with_field(field)
        };
        let id = cell(&rec, c_id);
        if rec.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let mut ok = true;
        if id.is_empty() {
            diags.push(Diagnostic::error(
                "missing-value",
                at(c_id, "id"),
                "control ID is empty",
            ));
            continue;
        }
        if out.iter().any(|c| c.id == id) {
            diags.push(Diagnostic::error(
                "duplicate-control",
                at(c_id, "id"),
                format!("control `{id}` is defined twice"),
            ));
            continue;
        }
        let title = cell(&rec, c_title);
        if title.is_empty() {
            diags.push(Diagnostic::error(
                "missing-value",
                at(c_title, "title"),
                format!("control `{id}` has no title"),
            ));
            ok = false;
        }
        let kind = cell(&rec, c_kind);
        let kind = if kind.is_empty() { "control" } else { kind };
        let mut layer_ids = Vec::new();
        for l in cell(&rec, c_layers)
            .split(';')
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if !layers.contains(l) {
                diags.push(Diagnostic::error(
                    "unknown-layer",
                    at(c_layers, "layers"),
                    format!("control `{id}`: layer `{l}` is not defined in frameworks/layers.csv"),
                ));
                ok = false;
            } else if layer_ids.iter().any(|x: &String| x == l) {
                diags.push(Diagnostic::warning(
                    "duplicate-layer",
                    at(c_layers, "layers"),
                    format!("control `{id}` lists layer `{l}` twice"),
                ));
            } else {
                layer_ids.push(l.to_string());
            }
        }
        if layer_ids.is_empty() && kind != INFORMATIVE && ok {
            diags.push(Diagnostic::error(
                "missing-layers",
                at(c_layers, "layers"),
                format!("control `{id}` names no layer (only `{INFORMATIVE}` rows may have none)"),
            ));
            ok = false;
        }
        let cadence = match cell(&rec, c_cadence).parse::<Cadence>() {
            Ok(c) => c,
            Err(msg) => {
                diags.push(Diagnostic::error(
                    "unknown-cadence",
                    at(c_cadence, "cadence"),
                    msg,
                ));
                ok = false;
                Cadence::Annual
            }
        };
        let parent = cell(&rec, c_parent);
        if !parent.is_empty() {
            parents.push((parent.to_string(), at(c_parent, "parent")));
        }
        if !ok {
            continue;
        }
        out.push(Control {
            id: id.to_string(),
            title: title.to_string(),
            group: cell(&rec, c_group).to_string(),
            kind: kind.to_string(),
            parent: (!parent.is_empty()).then(|| parent.to_string()),
            layers: layer_ids,
            cadence,
            evidence: cell(&rec, c_evidence).to_string(),
            aliases: cell(&rec, c_aliases)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            line,
        });
    }
    for (parent, at) in parents {
        if !out.iter().any(|c| c.id == parent) {
            diags.push(Diagnostic::error(
                "unknown-parent",
                at,
                format!("parent `{parent}` is not a control of this framework"),
            ));
        }
    }
    out
}

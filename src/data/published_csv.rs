//! Reader for `providers/attestations.csv`: the reports and agreements each provider publishes.

use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::csv_input::{self, cell, Header};
use crate::data::DataFile;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};

pub const PATH: &str = "providers/attestations.csv";

#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub provider: String,
    pub kind: AttestationKind,
    pub name: String,
    pub portal: String,
    pub note: String,
}

pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Vec<Published> {
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
        &["provider", "kind", "name", "portal"],
        &Location::at(&name, 1, 1),
    );
    if !missing.is_empty() {
        diags.0.extend(missing);
        return Vec::new();
    }
    let [c_provider, c_kind, c_name, c_portal, c_note] =
        ["provider", "kind", "name", "portal", "note"].map(|c| header.get(c));
    let mut out: Vec<Published> = Vec::new();
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
        let at = |c: Option<usize>, f: &str| {
            Location::at(&name, line, c.map(|c| c as u64 + 1).unwrap_or(1)).with_field(f)
        };
        let kind = match cell(&rec, c_kind).parse::<AttestationKind>() {
            Ok(k) => k,
            Err(msg) => {
                diags.push(Diagnostic::error(
                    "unknown-attestation-kind",
                    at(c_kind, "kind"),
                    msg,
                ));
                continue;
            }
        };
        let provider = cell(&rec, c_provider).to_ascii_lowercase();
        if out.iter().any(|p| p.provider == provider && p.kind == kind) {
            diags.push(Diagnostic::error(
                "duplicate-attestation",
                at(c_kind, "kind"),
                format!("{provider} {kind} is listed twice"),
            ));
            continue;
        }
        let portal = cell(&rec, c_portal);
        if !portal.starts_with("https://") {
            diags.push(Diagnostic::error(
                "missing-source",
                at(c_portal, "portal"),
                "the portal must be an https:// address",
            ));
        }
        out.push(Published {
            provider,
            kind,
            name: cell(&rec, c_name).to_string(),
            portal: portal.to_string(),
            note: cell(&rec, c_note).to_string(),
        });
    }
    out
}

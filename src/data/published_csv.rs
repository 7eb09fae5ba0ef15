//! Reader for `providers/attestations.csv`: the reports and agreements each provider publishes.

use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

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
    let mut out: Vec<Published> = Vec::new();
    read_csv(
        file,
        &["provider", "kind", "name", "portal"],
        ["provider", "kind", "name", "portal", "note"],
        diags,
        |cols, rec, diags| {
            let [c_provider, c_kind, c_name, c_portal, c_note] = *cols;
            let kind = match rec.get(c_kind).parse::<AttestationKind>() {
                Ok(k) => k,
                Err(msg) => {
                    diags.push(Diagnostic::error(
                        Code::UnknownAttestationKind,
                        rec.at(c_kind, "kind"),
                        msg,
                    ));
                    return;
                }
            };
            let provider = rec.get(c_provider).to_ascii_lowercase();
            if out.iter().any(|p| p.provider == provider && p.kind == kind) {
                diags.push(Diagnostic::error(
                    Code::DuplicateAttestation,
                    rec.at(c_kind, "kind"),
                    format!("{provider} {kind} is listed twice"),
                ));
                return;
            }
            let portal = rec.get(c_portal);
            if !portal.starts_with("https://") {
                diags.push(Diagnostic::error(
                    Code::MissingSource,
                    rec.at(c_portal, "portal"),
                    "the portal must be an https:// address",
                ));
            }
            out.push(Published {
                provider,
                kind,
                name: rec.get(c_name).to_string(),
                portal: portal.to_string(),
                note: rec.get(c_note).to_string(),
            });
        },
    );
    out
}

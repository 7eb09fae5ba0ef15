//! The provider attestations the customer holds (CSV or XLSX): reports, certificates, agreements.

use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::table::Records;

#[derive(Debug, Clone, Serialize)]
pub struct Attestation {
    pub row: u64,
    pub provider: String,
    pub kind: AttestationKind,
    /// Offering IDs as written; empty with `all`.
    pub offerings: Vec<String>,
    /// `*`: every offering of the provider.
    pub all: bool,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub expires: Option<Date>,
    pub reference: String,
}

pub const REQUIRED: [&str; 7] = [
    "provider",
    "kind",
    "offerings",
    "period_start",
    "period_end",
    "expires",
    "reference",
];

/// Read an attestation register. Every problem is reported at its cell; an offering of another
/// provider than the row's is an error (`foreign-offering`: an AWS report does not cover an
/// Azure service). An offering the catalog does not know is left to the gap report, which
/// lists it as a finding (`unknown-offering`).
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    catalog: &Catalog,
) -> Result<Vec<Attestation>, Diagnostics> {
    let table = Records::open(path, sheet, b',')?;
    let [c_provider, c_kind, c_offerings, c_start, c_end, c_expires, c_ref] =
        REQUIRED.map(|c| table.header.get(c));
    let mut out = Vec::new();
    table.each_row(&REQUIRED, |row, place, diags| {
        let mut bad = |col: Option<usize>, field: &str, code: Code, msg: String| {
            diags.push(Diagnostic::error(code, place.at(col, field), msg));
        };
        let provider = row.text(c_provider).to_ascii_lowercase();
        if provider.is_empty() {
            bad(
                c_provider,
                "provider",
                Code::MissingValue,
                "the provider is empty".into(),
            );
        }
        let kind = match row.text(c_kind).parse::<AttestationKind>() {
            Ok(k) => Some(k),
            Err(msg) => {
                bad(c_kind, "kind", Code::BadKind, msg);
                None
            }
        };
        let offerings_text = row.text(c_offerings);
        let all = offerings_text.trim() == "*";
        let offerings: Vec<String> = if all {
            Vec::new()
        } else {
            offerings_text
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        if !provider.is_empty() {
            for o in &offerings {
                match catalog.offering(o) {
                    Ok(off) if off.provider != provider => bad(
                        c_offerings,
                        "offerings",
                        Code::ForeignOffering,
                        format!(
                            "`{o}` is an offering of {}, not of {provider}: a provider's \
                             report covers its own offerings only; list `{o}` on a row of {}'s \
                             report",
                            off.provider, off.provider
                        ),
                    ),
                    _ => {}
                }
            }
        }
        if !all && offerings.is_empty() {
            bad(
                c_offerings,
                "offerings",
                Code::MissingValue,
                "name the offerings it covers (`;`-separated) or `*`".into(),
            );
        }
        let mut date = |col: Option<usize>, field: &str| match row.get(col).date() {
            Ok(d) => d,
            Err(msg) => {
                bad(col, field, Code::BadDate, msg);
                None
            }
        };
        let period_start = date(c_start, "period_start");
        let period_end = date(c_end, "period_end");
        let expires = date(c_expires, "expires");
        if let (Some(k), None) = (kind, period_end) {
            if !k.is_agreement() && row.get(c_end).is_empty() {
                bad(
                    c_end,
                    "period_end",
                    Code::MissingValue,
                    format!("a {k} needs the end of the period it covers"),
                );
            }
        }
        if let (Some(s), Some(e)) = (period_start, period_end) {
            if e < s {
                bad(
                    c_end,
                    "period_end",
                    Code::BadPeriod,
                    format!("the period ends ({e}) before it starts ({s})"),
                );
            }
        }
        let Some(kind) = kind else { return };
        out.push(Attestation {
            row: row.line,
            provider,
            kind,
            offerings,
            all,
            period_start,
            period_end,
            expires,
            reference: row.text(c_ref),
        });
    })?;
    Ok(out)
}

//! Reader for `providers/attestations.csv`: the reports and agreements each provider publishes,
//! with the services each covers and its dates where the data records them.

use jiff::civil::Date;
use serde::Serialize;

use crate::attestation::AttestationKind;
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::input::date::parse_date;

pub const PATH: &str = "providers/attestations.csv";

#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub provider: String,
    pub kind: AttestationKind,
    pub name: String,
    pub portal: String,
    pub note: String,
    /// The services the report names (offering IDs as written), when the data records them.
    pub services: Vec<String>,
    /// `*` in `services`: the report covers every service of the provider.
    pub all_services: bool,
    /// The period an audit report covers, when and until when it holds (optional columns).
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
}

impl Published {
    /// The report names the offering (`*`, or listed by its ID or one of `ids`); None when the
    /// data does not record the report's services.
    pub fn names(&self, ids: &[&str]) -> Option<bool> {
        if self.all_services {
            Some(true)
        } else if self.services.is_empty() {
            None
        } else {
            Some(self.services.iter().any(|s| ids.contains(&s.as_str())))
        }
    }
}

pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Vec<Published> {
    let mut out: Vec<Published> = Vec::new();
    read_csv(
        file,
        &["provider", "kind", "name", "portal"],
        [
            "provider",
            "kind",
            "name",
            "portal",
            "note",
            "services",
            "period_start",
            "period_end",
            "issued",
            "expires",
        ],
        diags,
        |cols, rec, diags| {
            let [c_provider, c_kind, c_name, c_portal, c_note, c_services, c_start, c_end, c_issued, c_expires] =
                *cols;
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
            let mut date = |col: Option<usize>, field: &str| match rec.get(col) {
                "" => None,
                text => match parse_date(text) {
                    Ok(d) => Some(d),
                    Err(msg) => {
                        diags.push(Diagnostic::error(Code::BadDate, rec.at(col, field), msg));
                        None
                    }
                },
            };
            let period_start = date(c_start, "period_start");
            let period_end = date(c_end, "period_end");
            let issued = date(c_issued, "issued");
            let expires = date(c_expires, "expires");
            if let (Some(s), Some(e)) = (period_start, period_end) {
                if e < s {
                    diags.push(Diagnostic::error(
                        Code::BadPeriod,
                        rec.at(c_end, "period_end"),
                        format!("the period ends ({e}) before it starts ({s})"),
                    ));
                }
            }
            let services_text = rec.get(c_services);
            let all_services = services_text == "*";
            let services = if all_services {
                Vec::new()
            } else {
                services_text
                    .split([';', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_ascii_lowercase)
                    .collect()
            };
            out.push(Published {
                provider,
                kind,
                name: rec.get(c_name).to_string(),
                portal: portal.to_string(),
                note: rec.get(c_note).to_string(),
                services,
                all_services,
                period_start,
                period_end,
                issued,
                expires,
            });
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Origin;

    fn read_text(text: &str) -> (Vec<Published>, Vec<String>) {
        let file = DataFile::new(PATH, Origin::Builtin, text);
        let mut diags = Diagnostics::default();
        let out = read(&file, &mut diags);
        (out, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn services_and_dates_are_optional_columns() {
        let (rows, diags) = read_text(
            "provider,kind,name,portal,note,services,period_start,period_end,issued,expires\n\
             aws,soc2-type2,SOC 2,https://x.test/,,aws/rds; aws/s3,2025-04-01,2026-03-31,2026-05-15,\n\
             aws,pci-aoc,AOC,https://x.test/,,*,,,,2026-08-31\n\
             aws,iso27001-cert,ISO,https://x.test/,,,,,,\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(rows[0].services, ["aws/rds", "aws/s3"]);
        assert_eq!(rows[0].names(&["aws/s3"]), Some(true));
        assert_eq!(rows[0].names(&["aws/ec2"]), Some(false));
        assert_eq!(rows[0].period_end, Some(jiff::civil::date(2026, 3, 31)));
        assert_eq!(rows[0].issued, Some(jiff::civil::date(2026, 5, 15)));
        assert_eq!(rows[1].names(&["aws/ec2"]), Some(true));
        assert_eq!(rows[1].expires, Some(jiff::civil::date(2026, 8, 31)));
        assert_eq!(rows[2].names(&["aws/ec2"]), None);
        // The file without the new columns reads as before.
        let (rows, diags) =
            read_text("provider,kind,name,portal\naws,soc2-type2,SOC 2,https://x.test/\n");
        assert!(diags.is_empty() && rows[0].services.is_empty() && rows[0].period_end.is_none());
    }

    #[test]
    fn a_bad_date_or_period_is_reported_with_its_place() {
        let (_, diags) = read_text(
            "provider,kind,name,portal,period_start,period_end\n\
             aws,soc2-type2,SOC 2,https://x.test/,2026-04-01,2025-03-31\n\
             aws,pci-aoc,AOC,https://x.test/,soon,\n",
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags[0].contains("bad-period") && diags[0].contains(":2:6"),
            "{}",
            diags[0]
        );
        assert!(
            diags[1].contains("bad-date") && diags[1].contains(":3:5"),
            "{}",
            diags[1]
        );
    }
}

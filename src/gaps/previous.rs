//! `gaps --previous FILE.json`: the findings of an earlier `--format json` run, and what changed
//! since (new, still open, resolved), matched by stable ID.

use std::collections::HashSet;
use std::path::Path;

use jiff::civil::Date;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::finding::{given, name, Change, Finding, GapCode};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::party::Party;

/// An earlier report's findings (those it listed as resolved left out).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// The file, as the user named it.
    pub file: String,
    pub findings: Vec<Finding>,
}

/// One finding as `--format json` writes it; keys it does not know are ignored (a newer or
/// older srmap may write more or fewer), `owner` is read as the party (before `party`).
#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    id: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    framework: String,
    #[serde(default)]
    control: String,
    #[serde(default, alias = "owner", deserialize_with = "party")]
    party: Option<Party>,
    #[serde(default)]
    assignee: String,
    #[serde(deserialize_with = "code")]
    code: GapCode,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    offering: String,
    #[serde(default)]
    evidence_id: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    action: String,
    #[serde(default, deserialize_with = "crate::input::date::deserialize_optional")]
    due: Option<Date>,
    #[serde(default)]
    source: String,
    #[serde(default, deserialize_with = "crate::input::date::deserialize_optional")]
    since: Option<Date>,
    #[serde(default)]
    reused_from: String,
    #[serde(default, deserialize_with = "change")]
    change: Option<Change>,
}

fn code<'de, D: Deserializer<'de>>(d: D) -> Result<GapCode, D::Error> {
    let s = String::deserialize(d)?;
    GapCode::parse(&s).ok_or_else(|| D::Error::custom(format!("`{s}` is not a gap code")))
}

fn party<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Party>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(D::Error::custom)
}

fn change<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Change>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    Change::parse(&s)
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("`{s}` is not new, open or resolved")))
}

impl Raw {
    fn into_finding(self) -> Finding {
        let mut f = Finding::new(self.code, self.detail, self.action);
        f.id = self.id.trim().to_string();
        f.system = name(&self.system);
        f.framework = name(&self.framework);
        f.control = name(&self.control);
        f.party = self.party;
        f.assignee = name(&self.assignee);
        f.title = name(&self.title);
        f.offering = name(&self.offering);
        f.evidence_id = given(&self.evidence_id);
        f.reference = given(&self.reference);
        f.due = self.due;
        f.source = given(&self.source);
        f.since = self.since;
        f.reused_from = given(&self.reused_from);
        f.change = self.change;
        f
    }
}

/// Read an earlier `gaps --format json` output. A file that is not one (bad JSON, not an array
/// of findings, an unknown gap code, a bad date) is an input error at its line and column.
pub fn read(path: &Path) -> Result<Previous, Diagnostics> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            Code::UnreadableFile,
            Location::file(&file),
            e.to_string(),
        )])
    })?;
    parse(&text, &file)
}

/// Parse an earlier output's text (`file` names it in diagnostics).
pub fn parse(text: &str, file: &str) -> Result<Previous, Diagnostics> {
    let raw: Vec<Raw> = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        let msg = full.strip_suffix(&place).unwrap_or(&full);
        let msg = match e.classify() {
            serde_json::error::Category::Data => format!(
                "{msg}: --previous takes the findings array `srmap gaps --format json` writes"
            ),
            _ => msg.to_string(),
        };
        Diagnostics(vec![Diagnostic::error(
            Code::BadJson,
            Location::at(file, e.line() as u64, e.column() as u64),
            msg,
        )])
    })?;
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .map(Raw::into_finding)
        .filter(|f| f.change != Some(Change::Resolved))
        .collect();
    // An output of a version without IDs: derive them as this version does.
    super::worklist::assign_ids(&mut findings);
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert(f.id.clone()));
    Ok(Previous {
        file: file.to_string(),
        findings,
    })
}

/// Mark each finding new or open, and return the previous findings that are gone (resolved),
/// in worklist order.
pub(super) fn compare(findings: &mut [Finding], previous: Previous) -> Vec<Finding> {
    let before: HashSet<&str> = previous.findings.iter().map(|f| f.id.as_str()).collect();
    for f in findings.iter_mut() {
        f.change = Some(if before.contains(f.id.as_str()) {
            Change::Open
        } else {
            Change::New
        });
    }
    let now: HashSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    let mut resolved: Vec<Finding> = previous
        .findings
        .iter()
        .filter(|f| !now.contains(f.id.as_str()))
        .cloned()
        .map(|mut f| {
            f.change = Some(Change::Resolved);
            f
        })
        .collect();
    resolved.sort_by(|a, b| {
        (
            a.severity(),
            a.code,
            &a.system,
            &a.framework,
            &a.control,
            &a.id,
        )
            .cmp(&(
                b.severity(),
                b.code,
                &b.system,
                &b.framework,
                &b.control,
                &b.id,
            ))
    });
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_findings_array_is_an_error_at_its_place() {
        let bad = |text: &str| {
            let d = parse(text, "prev.json").unwrap_err();
            let d = d.iter().next().unwrap().clone();
            (d.code, d.location.to_string(), d.message)
        };
        let (code, at, _) = bad("[{\"code\": \"missing-evidence\"},\n  {\"code\": 3}]");
        assert_eq!(code, Code::BadJson);
        assert!(at.starts_with("prev.json:2:"), "{at}");
        let (_, at, msg) = bad("[\n{\"id\": \"G-1\", \"code\": \"no-such-gap\"}]");
        assert!(at.starts_with("prev.json:2:"), "{at}");
        assert!(msg.contains("`no-such-gap` is not a gap code"), "{msg}");
        let (_, _, msg) = bad("{\"findings\": []}");
        assert!(msg.contains("--previous takes"), "{msg}");
        let (_, at, _) = bad("[{\"code\": \"missing-evidence\",");
        assert!(at.starts_with("prev.json:1:"), "{at}");
    }

    #[test]
    fn resolved_rows_of_the_previous_file_are_not_carried_again() {
        let text = r#"[
  {"id": "G-00000001", "code": "missing-evidence", "change": "open"},
  {"id": "G-00000002", "code": "stale-evidence", "change": "resolved"},
  {"code": "unused-attestation", "reference": "SOC 2 2025", "owner": "provider"}
]"#;
        let p = parse(text, "prev.json").unwrap();
        let ids: Vec<&str> = p.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0], "G-00000001");
        assert!(
            ids[1].starts_with("G-"),
            "an ID is derived for a row without one"
        );
        assert_eq!(p.findings[1].party, Some(Party::Provider));
    }
}

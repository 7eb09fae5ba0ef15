//! Prowler compliance CSV (`output/compliance/*.csv`, `;`-separated) -> evidence register rows.
//!
//! The file is streamed: rows are folded into one tally per control as they are read, so a scan
//! with millions of rows needs memory only for the controls. Each control's tally becomes one
//! evidence row: approved when every result passed, rejected when any failed, pending when
//! manual checks are left.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::PathBuf;

use indexmap::IndexMap;
use jiff::civil::Date;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::Framework;
use crate::import::{nist, ImportReport, Skipped};
use crate::input::date::parse_date;
use crate::input::evidence::{Status, COLUMNS};
use crate::output::{neutralize, write_atomic};
use crate::table::csv::{records, sniff_delimiter};
use crate::table::{failure, file_name, normalize, Cell, Header};

/// What `srmap import prowler` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// The Prowler compliance CSV (output/compliance/*.csv)
    pub file: PathBuf,
    /// Framework of the rows when the file has no FRAMEWORK column
    #[arg(long)]
    pub framework: Option<String>,
    /// System the evidence is for [default: empty, every system in scope]
    #[arg(long)]
    pub system: Option<String>,
    /// Owner column of the evidence rows [default: Prowler scan]
    #[arg(long)]
    pub owner: Option<String>,
    /// Location column of the evidence rows [default: the CSV's file name]
    #[arg(long)]
    pub location: Option<String>,
    /// Evidence register to write (CSV)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub out: PathBuf,
}

/// The srmap framework a Prowler `FRAMEWORK` (and `NAME`) value stands for.
pub fn framework_for(value: &str, name: &str) -> Option<&'static str> {
    let v = normalize(value);
    let n = normalize(name);
    let compact = v.replace(' ', "");
    if compact.starts_with("pci") {
        return (!n.contains("3 2") && !v.contains("3 2")).then_some("pci-dss-4.0.1");
    }
    if compact.starts_with("soc2") {
        return Some("soc2-2017");
    }
    if compact.starts_with("hipaa") {
        return Some("hipaa-security");
    }
    if compact.starts_with("gdpr") {
        return Some("gdpr");
    }
    if compact.starts_with("iso27001") {
        return (!n.contains("2013") && !v.contains("2013")).then_some("iso27001-2022");
    }
    if compact.starts_with("nist80053")
        && (v.contains("revision 5") || v.contains("rev 5") || compact.contains("rev5"))
    {
        return Some(nist::FRAMEWORK);
    }
    if compact.starts_with("csaccm") {
        return Some(crate::import::ccm::FRAMEWORK);
    }
    None
}

#[derive(Default)]
struct Tally {
    pass: usize,
    failure: usize,
    manual: usize,
    muted: usize,
    requirements: BTreeSet<String>,
    checks: BTreeSet<String>,
    failing: Vec<String>,
    more_failing: usize,
    accounts: BTreeSet<String>,
    date: Option<Date>,
    name: String,
}

const KEEP: usize = 5;

/// Runs of letters and digits, for trimming a requirement ID from the end.
fn pieces(s: &str) -> Vec<String> {
    crate::control_id::tokens(s)
}

/// The control a Prowler requirement is: the `Section` prefix (`1.2.5: ...` for PCI's
/// `1.2.5.1`), the ID itself (`cc_6_1`), the NIST control of a part (`ac_2_3_a`), or the
/// longest leading part of the ID that names a control.
fn resolve(fw: &Framework, id: &str, section: &str) -> Result<String, String> {
    let found = find(fw, id, section)?;
    match fw.control(&found) {
        Some(c) if c.is_informative() => Err(format!(
            "{} {} places no duty (informative): no evidence is needed",
            fw.id, c.id
        )),
        _ => Ok(found),
    }
}

fn find(fw: &Framework, id: &str, section: &str) -> Result<String, String> {
    if let Some((prefix, _)) = section.split_once(':') {
        if let Ok(c) = fw.resolve(prefix.trim()) {
            return Ok(c.id.clone());
        }
    }
    let direct = fw.resolve(id);
    if let Ok(c) = &direct {
        return Ok(c.id.clone());
    }
    if fw.id == nist::FRAMEWORK {
        if let Some(c) = nist::parse(id).and_then(|n| fw.resolve(&n.control()).ok()) {
            return Ok(c.id.clone());
        }
    }
    let toks = pieces(id);
    for n in (2..toks.len()).rev() {
        if let Ok(c) = fw.resolve(&toks[..n].join(" ")) {
            return Ok(c.id.clone());
        }
    }
    Err(fw.unresolved_message(id, &direct.expect_err("not Ok above")))
}

fn date_of(text: &str) -> Result<Date, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = t.parse().map_err(|_| format!("`{t}` is not a date"))?;
        let ts = jiff::Timestamp::from_second(secs).map_err(|e| e.to_string())?;
        return Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    parse_date(t)
}

/// Skips folded by (reason key): first place, rows, reason.
#[derive(Default)]
struct Skips {
    by_key: IndexMap<String, (u64, usize, String)>,
}

impl Skips {
    fn add(&mut self, key: String, line: u64, why: impl FnOnce() -> String) {
        self.by_key
            .entry(key)
            .and_modify(|e| e.1 += 1)
            .or_insert_with(|| (line, 1, why()));
    }
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let path = opts.file.as_path();
    let ext = opts
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("csv") {
        return Err(failure(
            &opts.out,
            Code::BadOutput,
            "the evidence register is written as CSV: name the output file .csv",
        ));
    }
    let fallback = match &opts.framework {
        Some(f) => Some(
            catalog
                .framework(f)
                .map_err(|e| failure(path, Code::UnknownFramework, e.to_string()))?,
        ),
        None => None,
    };
    let f = File::open(path).map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
    let mut input = BufReader::new(f);
    let mut first = String::new();
    input
        .read_line(&mut first)
        .map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
    let delimiter = sniff_delimiter(first.as_bytes(), true);
    input
        .seek(SeekFrom::Start(0))
        .map_err(|e| failure(path, Code::UnreadableFile, e.to_string()))?;
    let mut rows = records(input, delimiter);
    let header = match rows.next() {
        Some(Ok(h)) if h.cells.len() > 1 => Header::new(h.cells.iter().map(Cell::as_str)),
        Some(Err(bad)) => return Err(failure(path, Code::BadCsv, bad.error)),
        _ => {
            return Err(failure(
                path,
                Code::NotProwler,
                "is not a Prowler compliance CSV: its header has one column",
            ))
        }
    };
    let at_header = Location::at(path.display().to_string(), 1, 1);
    let missing = header.require(&["requirements_id", "status", "assessmentdate"], &at_header);
    if !missing.is_empty() {
        return Err(Diagnostics(missing));
    }
    let c_req = header.get("requirements_id");
    let c_status = header.get("status");
    let c_date = header.get("assessmentdate");
    let c_section = header.get("requirements_attributes_section");
    let c_fw = header.get("framework");
    let c_name = header.get("name");
    let c_resource = header.get_any(&["resourceid", "resource_uid"]);
    let c_check = header.get("checkid");
    let c_muted = header.get("muted");
    let c_account = header.get_any(&[
        "accountid",
        "subscriptionid",
        "context",
        "projectid",
        "tenantid",
    ]);
    if c_fw.is_none() && fallback.is_none() {
        return Err(failure(
            path,
            Code::UnknownFramework,
            "the file has no FRAMEWORK column: name the framework with --framework (e.g. pci-dss-4.0.1)",
        ));
    }

    let file = path.display().to_string();
    let mut report = ImportReport::default();
    let mut skips = Skips::default();
    let mut tallies: HashMap<(String, String), Tally> = HashMap::new();
    let mut frameworks: HashMap<(String, String), Option<&Framework>> = HashMap::new();
    let mut resolved: HashMap<(String, String, String), Result<String, String>> = HashMap::new();
    for row in rows {
        let row = row.map_err(|bad| {
            Diagnostics(vec![Diagnostic::error(
                Code::BadCsv,
                Location::at(&file, bad.line, 1),
                bad.error,
            )])
        })?;
        if row.is_blank() {
            continue;
        }
        report.read += 1;
        let line = row.line;
        let cell = |c: Option<usize>| row.str(c);
        let fw_value = cell(c_fw);
        let fw_name = cell(c_name);
        let fw = *frameworks
            .entry((fw_value.to_string(), fw_name.to_string()))
            .or_insert_with(|| {
                framework_for(fw_value, fw_name)
                    .and_then(|id| catalog.frameworks.iter().find(|f| f.id == id))
                    .or_else(|| {
                        catalog
                            .frameworks
                            .iter()
                            .find(|f| f.id.eq_ignore_ascii_case(fw_value))
                    })
                    .or(fallback)
            });
        let Some(fw) = fw else {
            skips.add(format!("fw:{fw_value}"), line, || {
                format!("framework `{fw_value}` is not one srmap has: import it first, or name one with --framework")
            });
            continue;
        };
        let req = cell(c_req);
        let section = cell(c_section);
        let key = (
            fw.id.clone(),
            req.to_string(),
            section
                .split_once(':')
                .map(|s| s.0)
                .unwrap_or("")
                .to_string(),
        );
        let control = resolved
            .entry(key)
            .or_insert_with(|| resolve(fw, req, section))
            .clone();
        let control = match control {
            Ok(c) => c,
            Err(why) => {
                skips.add(format!("req:{}:{req}", fw.id), line, || why);
                continue;
            }
        };
        let status = cell(c_status).to_ascii_uppercase();
        if !matches!(status.as_str(), "PASS" | "FAIL" | "MANUAL") {
            skips.add(format!("status:{status}"), line, || {
                format!("STATUS `{status}` is not PASS, FAIL or MANUAL")
            });
            continue;
        }
        let date = match date_of(cell(c_date)) {
            Ok(d) => d,
            Err(why) => {
                skips.add(format!("date:{}", cell(c_date)), line, || {
                    format!("ASSESSMENTDATE: {why}")
                });
                continue;
            }
        };
        report.imported += 1;
        let t = tallies.entry((fw.id.clone(), control)).or_default();
        match status.as_str() {
            "PASS" => t.pass += 1,
            "FAIL" => {
                t.failure += 1;
                let r = cell(c_resource);
                if t.failing.len() < KEEP {
                    if !r.is_empty() && !t.failing.iter().any(|x| x == r) {
                        t.failing.push(r.to_string());
                    }
                } else {
                    t.more_failing += 1;
                }
            }
            _ => t.manual += 1,
        }
        if cell(c_muted).eq_ignore_ascii_case("true") {
            t.muted += 1;
        }
        if !t.requirements.contains(req) {
            t.requirements.insert(req.to_string());
        }
        let check = cell(c_check);
        if !check.is_empty() && !t.checks.contains(check) {
            t.checks.insert(check.to_string());
        }
        let account = cell(c_account);
        if !account.is_empty() && t.accounts.len() < 50 && !t.accounts.contains(account) {
            t.accounts.insert(account.to_string());
        }
        if t.date.is_none_or(|d| date > d) {
            t.date = Some(date);
        }
        if t.name.is_empty() {
            t.name = if fw_name.is_empty() {
                fw.name.clone()
            } else {
                fw_name.to_string()
            };
        }
    }
    for (_, (line, rows, why)) in skips.by_key {
        report.skipped.push(Skipped {
            at: Location {
                file: file.clone(),
                line: Some(line),
                ..Location::default()
            },
            why: if rows > 1 {
                format!("{why} ({rows} rows)")
            } else {
                why
            },
            rows,
        });
    }

    // One evidence row per control, in framework order.
    let mut keys: Vec<&(String, String)> = tallies.keys().collect();
    let order = |k: &(String, String)| {
        let fw = catalog.frameworks.iter().find(|f| f.id == k.0);
        (
            k.0.clone(),
            fw.and_then(|f| f.controls.iter().position(|c| c.id == k.1))
                .unwrap_or(usize::MAX),
        )
    };
    keys.sort_by_key(|k| order(k));
    let owner = opts.owner.clone().unwrap_or_else(|| "Prowler scan".into());
    let location = opts.location.clone().unwrap_or_else(|| file_name(path));
    let system = opts.system.clone().unwrap_or_default();
    let mut rows: Vec<[String; 11]> = Vec::new();
    for key in keys {
        let t = &tallies[key];
        let status = if t.failure > 0 {
            Status::Rejected
        } else if t.manual > 0 {
            Status::Pending
        } else {
            Status::Approved
        };
        let date = t.date.expect("every tally has a date");
        let reqs: Vec<&str> = t.requirements.iter().map(String::as_str).collect();
        let title = format!(
            "Prowler {}: {} passed, {} failed, {} manual (requirement{} {}{})",
            t.name,
            t.pass,
            t.failure,
            t.manual,
            if reqs.len() == 1 { "" } else { "s" },
            reqs.iter()
                .take(KEEP)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if reqs.len() > KEEP {
                format!(" and {} more", reqs.len() - KEEP)
            } else {
                String::new()
            }
        );
        let mut notes = Vec::new();
        if !t.failing.is_empty() {
            notes.push(format!(
                "Failing: {}{}.",
                t.failing.join(", "),
                if t.more_failing > 0 {
                    format!(" and {} more", t.more_failing)
                } else {
                    String::new()
                }
            ));
        }
        if t.muted > 0 {
            notes.push(format!("{} muted results counted as they are.", t.muted));
        }
        if !t.checks.is_empty() {
            let checks: Vec<&str> = t.checks.iter().map(String::as_str).collect();
            notes.push(format!(
                "Checks: {}{}.",
                checks
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if checks.len() > 10 {
                    format!(" and {} more", checks.len() - 10)
                } else {
                    String::new()
                }
            ));
        }
        if !t.accounts.is_empty() {
            notes.push(format!(
                "Scanned: {}.",
                t.accounts.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        rows.push([
            format!("{}:{}", key.0, key.1),
            system.clone(),
            format!("PROWLER-{date}-{}-{}", key.0, key.1),
            title,
            "report".into(),
            owner.clone(),
            date.to_string(),
            String::new(),
            status.as_str().into(),
            location.clone(),
            notes.join(" "),
        ]);
    }
    report.notes.push(format!(
        "{} evidence rows (one per control) written to {}",
        rows.len(),
        opts.out.display()
    ));
    let out = opts.out.as_path();
    write_atomic(out, |w| {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(w);
        csv.write_record(COLUMNS.iter().map(|c| c.0))?;
        for r in &rows {
            csv.write_record(r.iter().map(|c| neutralize(c).into_owned()))?;
        }
        csv.flush()
    })
    .map_err(|e| failure(out, Code::CannotWrite, e.to_string()))?;
    report.written.push(out.to_path_buf());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prowler_framework_names() {
        assert_eq!(
            framework_for(
                "PCI",
                "Payment Card Industry Data Security Standard (PCI DSS) v4.0"
            ),
            Some("pci-dss-4.0.1")
        );
        assert_eq!(framework_for("PCI", "PCI DSS v3.2.1"), None);
        assert_eq!(framework_for("SOC2", ""), Some("soc2-2017"));
        assert_eq!(framework_for("HIPAA", ""), Some("hipaa-security"));
        assert_eq!(framework_for("GDPR", ""), Some("gdpr"));
        assert_eq!(
            framework_for("ISO27001", "ISO/IEC 27001 ... 2022"),
            Some("iso27001-2022")
        );
        assert_eq!(framework_for("ISO27001", "ISO/IEC 27001 2013"), None);
        assert_eq!(
            framework_for("NIST-800-53-Revision-5", ""),
            Some("nist-800-53-r5")
        );
        assert_eq!(framework_for("CSA-CCM", ""), Some("csa-ccm-4"));
        assert_eq!(framework_for("CIS", ""), None);
    }

    #[test]
    fn dates_from_iso_or_unix_seconds() {
        assert_eq!(
            date_of("2024-05-10 12:34:56.789012").unwrap().to_string(),
            "2024-05-10"
        );
        assert_eq!(date_of("1715344496").unwrap().to_string(), "2024-05-10");
        assert!(date_of("10/05/2024").is_err());
    }
}

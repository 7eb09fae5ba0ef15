//! Prowler compliance CSV (`output/compliance/*.csv`, `;`-separated) -> evidence register rows.
//!
//! The file is streamed: rows are folded into one tally per control as they are read, so a scan
//! with millions of rows needs memory only for the controls. Each control's tally becomes one
//! evidence row: approved when every result passed, failed when any failed (the gap rules report
//! it as `control-failing`), pending when manual checks are left.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use jiff::civil::Date;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostics, Location};
use crate::framework::Framework;
use crate::import::{nist, ImportReport, Skipped};
use crate::input::date::{in_range, parse_day_of};
use crate::input::evidence::{Status, COLUMNS};
use crate::output::{neutralize, Destination, Target};
use crate::table::csv::{records, sniff_delimiter, BadRecord};
use crate::table::{failure, file_name, normalize, Cell, Header, Row};

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
    /// Evidence register to write (CSV); `-` for standard output
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
        return in_range(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    parse_day_of(t)
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

    /// One skipped entry per reason, at its first row, counting its rows.
    fn into_skipped(self, file: &str) -> impl Iterator<Item = Skipped> + '_ {
        self.by_key
            .into_values()
            .map(move |(line, rows, why)| Skipped {
                at: Location {
                    file: file.to_string(),
                    line: Some(line),
                    ..Location::default()
                },
                why: if rows > 1 {
                    format!("{why} ({rows} rows)")
                } else {
                    why
                },
                rows,
            })
    }
}

/// The columns of a Prowler compliance CSV, 0-based.
struct Columns {
    requirement: Option<usize>,
    status: Option<usize>,
    date: Option<usize>,
    section: Option<usize>,
    framework: Option<usize>,
    name: Option<usize>,
    resource: Option<usize>,
    check: Option<usize>,
    muted: Option<usize>,
    account: Option<usize>,
}

impl Columns {
    /// The columns of `header`; the requirement, status and date columns must be there.
    fn find(header: &Header, path: &Path) -> Result<Columns, Diagnostics> {
        let at_header = Location::at(path.display().to_string(), 1, 1);
        let missing = header.require(&["requirements_id", "status", "assessmentdate"], &at_header);
        if !missing.is_empty() {
            return Err(Diagnostics(missing));
        }
        Ok(Columns {
            requirement: header.get("requirements_id"),
            status: header.get("status"),
            date: header.get("assessmentdate"),
            section: header.get("requirements_attributes_section"),
            framework: header.get("framework"),
            name: header.get("name"),
            resource: header.get_any(&["resourceid", "resource_uid"]),
            check: header.get("checkid"),
            muted: header.get("muted"),
            account: header.get_any(&[
                "accountid",
                "subscriptionid",
                "context",
                "projectid",
                "tenantid",
            ]),
        })
    }
}

/// What a scan says: one tally per (framework, control), and the rows read, imported and
/// skipped.
struct Scan {
    tallies: HashMap<(String, String), Tally>,
    report: ImportReport,
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let to = Destination::from_arg(Some(&opts.out));
    if let Destination::File(path) = &to {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if ext.as_deref() != Some("csv") {
            return Err(failure(
                path,
                Code::BadOutput,
                "the evidence register is written as CSV: name the output file .csv",
            ));
        }
    }
    // What is at the output, before the scan is read: a device, pipe or folder is refused.
    let target = to.check()?;
    let Scan {
        tallies,
        mut report,
    } = read(catalog, opts)?;
    if let Some(Target {
        link: Some(link),
        path,
        ..
    }) = &target
    {
        report.notes.push(format!(
            "{} is a symbolic link: the register goes to its target, {}",
            link.display(),
            path.display()
        ));
    }
    let rows = evidence_rows(catalog, opts, &tallies);
    report.notes.push(format!(
        "{} evidence rows (one per control) written to {to}",
        rows.len()
    ));
    write_register(&to, &rows)?;
    if let Some(path) = to.file() {
        report.written.push(path.to_path_buf());
    }
    Ok(report)
}

/// `--framework`, for rows whose FRAMEWORK srmap does not know (or files without the column).
fn fallback_framework<'c>(
    catalog: &'c Catalog,
    opts: &Options,
) -> Result<Option<&'c Framework>, Diagnostics> {
    opts.framework
        .as_deref()
        .map(|f| {
            catalog
                .framework(f)
                .map_err(|e| failure(&opts.file, Code::UnknownFramework, e.to_string()))
        })
        .transpose()
}

/// The header of the file (`;`- or `,`-separated, as its first line says) and its rows, streamed.
fn open(
    path: &Path,
) -> Result<(Header, impl Iterator<Item = Result<Row, BadRecord>>), Diagnostics> {
    let unreadable = |e: std::io::Error| failure(path, Code::UnreadableFile, e.to_string());
    let mut input = BufReader::new(File::open(path).map_err(unreadable)?);
    let mut first = String::new();
    input.read_line(&mut first).map_err(unreadable)?;
    let delimiter = sniff_delimiter(first.as_bytes(), true);
    input.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut rows = records(input, delimiter);
    let header = match rows.next() {
        Some(Ok(h)) if h.cells.len() > 1 => Header::new(h.cells.iter().map(Cell::as_str)),
        Some(Err(bad)) => {
            return Err(Diagnostics(vec![
                bad.diagnostic(&path.display().to_string())
            ]))
        }
        _ => {
            return Err(failure(
                path,
                Code::NotProwler,
                "is not a Prowler compliance CSV: its header has one column",
            ))
        }
    };
    Ok((header, rows))
}

/// Read a scan, folding each row into the tally of its control.
fn read(catalog: &Catalog, opts: &Options) -> Result<Scan, Diagnostics> {
    let path = opts.file.as_path();
    let fallback = fallback_framework(catalog, opts)?;
    let (header, rows) = open(path)?;
    let cols = Columns::find(&header, path)?;
    if cols.framework.is_none() && fallback.is_none() {
        return Err(failure(
            path,
            Code::UnknownFramework,
            "the file has no FRAMEWORK column: name the framework with --framework (e.g. pci-dss-4.0.1)",
        ));
    }
    let file = path.display().to_string();
    let mut fold = Fold {
        catalog,
        fallback,
        frameworks: HashMap::new(),
        resolved: HashMap::new(),
        skips: Skips::default(),
        scan: Scan {
            tallies: HashMap::new(),
            report: ImportReport::default(),
        },
    };
    let mut phase = crate::progress::Phase::begin(|| format!("reading {}", file_name(path)));
    for row in rows {
        phase.row();
        let row = row.map_err(|bad| Diagnostics(vec![bad.diagnostic(&file)]))?;
        if !row.is_blank() {
            fold.scan.report.read += 1;
            fold.row(&row, &cols);
        }
    }
    let mut scan = fold.scan;
    scan.report.skipped.extend(fold.skips.into_skipped(&file));
    Ok(scan)
}

/// The scan read so far, and what it has looked up: a row's framework by its FRAMEWORK and NAME,
/// a requirement's control by framework, ID and section.
struct Fold<'c> {
    catalog: &'c Catalog,
    fallback: Option<&'c Framework>,
    frameworks: HashMap<(String, String), Option<&'c Framework>>,
    resolved: HashMap<(String, String, String), Result<String, String>>,
    skips: Skips,
    scan: Scan,
}

impl<'c> Fold<'c> {
    /// Fold one row into its control's tally, or skip it with the reason.
    fn row(&mut self, row: &Row, cols: &Columns) {
        let line = row.line;
        let cell = |c: Option<usize>| row.str(c);
        let (fw_value, fw_name) = (cell(cols.framework), cell(cols.name));
        let Some(fw) = self.framework(fw_value, fw_name) else {
            self.skips.add(format!("fw:{fw_value}"), line, || {
                format!("framework `{fw_value}` is not one srmap has: import it first, or name one with --framework")
            });
            return;
        };
        let req = cell(cols.requirement);
        let control = match self.control(fw, req, cell(cols.section)) {
            Ok(c) => c,
            Err(why) => {
                self.skips.add(format!("req:{}:{req}", fw.id), line, || why);
                return;
            }
        };
        let status = cell(cols.status).to_ascii_uppercase();
        if !matches!(status.as_str(), "PASS" | "FAIL" | "MANUAL") {
            self.skips.add(format!("status:{status}"), line, || {
                format!("STATUS `{status}` is not PASS, FAIL or MANUAL")
            });
            return;
        }
        let date = match date_of(cell(cols.date)) {
            Ok(d) => d,
            Err(why) => {
                self.skips
                    .add(format!("date:{}", cell(cols.date)), line, || {
                        format!("ASSESSMENTDATE: {why}")
                    });
                return;
            }
        };
        self.scan.report.imported += 1;
        let name = if fw_name.is_empty() {
            &fw.name
        } else {
            fw_name
        };
        let tally = self
            .scan
            .tallies
            .entry((fw.id.clone(), control))
            .or_default();
        tally.add(row, cols, &status, date, name);
    }

    /// The framework of a FRAMEWORK (and NAME) value: the one it stands for, the one with that
    /// ID, else `--framework`.
    fn framework(&mut self, value: &str, name: &str) -> Option<&'c Framework> {
        let (catalog, fallback) = (self.catalog, self.fallback);
        *self
            .frameworks
            .entry((value.to_string(), name.to_string()))
            .or_insert_with(|| {
                framework_for(value, name)
                    .and_then(|id| catalog.framework_by_id(id))
                    .or_else(|| {
                        catalog
                            .frameworks()
                            .find(|f| f.id.eq_ignore_ascii_case(value))
                    })
                    .or(fallback)
            })
    }

    /// The control of a requirement, looked up once per framework, ID and section prefix.
    fn control(&mut self, fw: &Framework, req: &str, section: &str) -> Result<String, String> {
        let prefix = section.split_once(':').map(|s| s.0).unwrap_or("");
        let key = (fw.id.clone(), req.to_string(), prefix.to_string());
        self.resolved
            .entry(key)
            .or_insert_with(|| resolve(fw, req, section))
            .clone()
    }
}

impl Tally {
    /// Count a result of the control.
    fn add(&mut self, row: &Row, cols: &Columns, status: &str, date: Date, name: &str) {
        let cell = |c: Option<usize>| row.str(c);
        match status {
            "PASS" => self.pass += 1,
            "FAIL" => {
                self.failure += 1;
                let r = cell(cols.resource);
                if self.failing.len() < KEEP {
                    if !r.is_empty() && !self.failing.iter().any(|x| x == r) {
                        self.failing.push(r.to_string());
                    }
                } else {
                    self.more_failing += 1;
                }
            }
            _ => self.manual += 1,
        }
        if cell(cols.muted).eq_ignore_ascii_case("true") {
            self.muted += 1;
        }
        let req = cell(cols.requirement);
        if !self.requirements.contains(req) {
            self.requirements.insert(req.to_string());
        }
        let check = cell(cols.check);
        if !check.is_empty() && !self.checks.contains(check) {
            self.checks.insert(check.to_string());
        }
        let account = cell(cols.account);
        if !account.is_empty() && self.accounts.len() < 50 && !self.accounts.contains(account) {
            self.accounts.insert(account.to_string());
        }
        if self.date.is_none_or(|d| date > d) {
            self.date = Some(date);
        }
        if self.name.is_empty() {
            self.name = name.to_string();
        }
    }

    /// Approved when every result passed, failed when any failed (a result that shows the
    /// control not operating, not a document a reviewer turned down), pending when manual checks
    /// are left.
    fn status(&self) -> Status {
        if self.failure > 0 {
            Status::Failed
        } else if self.manual > 0 {
            Status::Pending
        } else {
            Status::Approved
        }
    }

    /// `Prowler <name>: 3 passed, 1 failed, 0 manual (requirements a, b)`
    fn title(&self) -> String {
        format!(
            "Prowler {}: {} passed, {} failed, {} manual (requirement{} {})",
            self.name,
            self.pass,
            self.failure,
            self.manual,
            if self.requirements.len() == 1 {
                ""
            } else {
                "s"
            },
            first(&self.requirements, KEEP),
        )
    }

    /// Failing resources, muted results, checks and accounts scanned.
    fn notes(&self) -> String {
        let mut notes = Vec::new();
        if !self.failing.is_empty() {
            notes.push(format!(
                "Failing: {}{}.",
                self.failing.join(", "),
                and_more(self.more_failing)
            ));
        }
        if self.muted > 0 {
            notes.push(format!("{} muted results counted as they are.", self.muted));
        }
        if !self.checks.is_empty() {
            notes.push(format!("Checks: {}.", first(&self.checks, 10)));
        }
        if !self.accounts.is_empty() {
            notes.push(format!(
                "Scanned: {}.",
                self.accounts.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        notes.join(" ")
    }
}

/// The first `n` items, `, `-separated, and how many more there are.
fn first(items: &BTreeSet<String>, n: usize) -> String {
    let shown: Vec<&str> = items.iter().take(n).map(String::as_str).collect();
    format!(
        "{}{}",
        shown.join(", "),
        and_more(items.len().saturating_sub(n))
    )
}

/// ` and 3 more`, or nothing.
fn and_more(n: usize) -> String {
    if n > 0 {
        format!(" and {n} more")
    } else {
        String::new()
    }
}

/// One evidence row per control, in framework order.
fn evidence_rows(
    catalog: &Catalog,
    opts: &Options,
    tallies: &HashMap<(String, String), Tally>,
) -> Vec<[String; 11]> {
    let mut keys: Vec<&(String, String)> = tallies.keys().collect();
    let order = |k: &(String, String)| {
        let fw = catalog.framework_by_id(&k.0);
        (
            k.0.clone(),
            fw.and_then(|f| f.controls.iter().position(|c| c.id == k.1))
                .unwrap_or(usize::MAX),
        )
    };
    keys.sort_by_key(|k| order(k));
    let owner = opts.owner.clone().unwrap_or_else(|| "Prowler scan".into());
    let location = opts
        .location
        .clone()
        .unwrap_or_else(|| file_name(&opts.file));
    let system = opts.system.clone().unwrap_or_default();
    keys.into_iter()
        .map(|key| {
            let t = &tallies[key];
            let date = t.date.expect("every tally has a date");
            [
                format!("{}:{}", key.0, key.1),
                system.clone(),
                format!("PROWLER-{date}-{}-{}", key.0, key.1),
                t.title(),
                "report".into(),
                owner.clone(),
                date.to_string(),
                String::new(),
                t.status().as_str().into(),
                location.clone(),
                t.notes(),
            ]
        })
        .collect()
}

/// Write the evidence register (CSV, every cell neutralised against formula injection, the
/// header too) to `to` (a file, atomically, or standard output).
fn write_register(to: &Destination, rows: &[[String; 11]]) -> Result<(), Diagnostics> {
    to.write(|w| {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(w);
        csv.write_record(COLUMNS.iter().map(|c| neutralize(c.0).into_owned()))?;
        for r in rows {
            csv.write_record(r.iter().map(|c| neutralize(c).into_owned()))?;
        }
        csv.flush()
    })
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

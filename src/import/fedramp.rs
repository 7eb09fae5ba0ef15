//! FedRAMP CIS/CRM workbooks (SSP Appendix J, Rev5; and Rev4's `CIS Worksheet` and
//! `CRM Worksheet`) -> an offering matrix with per-control rows over NIST SP 800-53 Rev. 5.
//!
//! Rows are control parts (`AC-2(a)`); they are rolled up to the control or enhancement
//! (`AC-2`, `AC-2(1)`) with [`Party::combine`]. For each part the CRM's `Can Be Inherited from
//! CSP` wins; the CIS's control origination fills the parts the CRM leaves blank.

use std::path::PathBuf;

use indexmap::IndexMap;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostics};
use crate::framework::Framework;
use crate::import::answer::{combined_owner, control_rows, Answer, Answers, Cite, Duties};
use crate::import::data_dir::{self, Drafts, OfferingDraft};
use crate::import::vocabulary;
use crate::import::{nist, parse_model, ImportReport};
use crate::offering::Model;
use crate::party::Party;
use crate::table::normalize;
use crate::table::{failure, file_name, Row, Table, Workbook};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    High,
    Moderate,
    Low,
    LiSaas,
}

impl Baseline {
    pub fn parse(s: &str) -> Option<Baseline> {
        match normalize(s).as_str() {
            "high" => Some(Baseline::High),
            "moderate" => Some(Baseline::Moderate),
            "low" => Some(Baseline::Low),
            "li saas" | "lisaas" | "tailored" => Some(Baseline::LiSaas),
            _ => None,
        }
    }

    /// The sheet-name prefix the Rev5 workbook uses.
    pub fn sheet_prefix(self) -> &'static str {
        match self {
            Baseline::High => "High",
            Baseline::Moderate => "Moderate",
            Baseline::Low => "Low",
            Baseline::LiSaas => "LI-SaaS",
        }
    }
}

/// What `srmap import fedramp-crm` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// The CIS/CRM workbook (.xlsx)
    pub workbook: PathBuf,
    /// Baseline whose CIS and CRM worksheets to read: high, moderate, low, li-saas
    #[arg(long, value_parser = parse_baseline)]
    pub baseline: Option<Baseline>,
    /// Read this sheet instead (CIS or CRM layout is detected); repeatable
    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,
    /// ID of the offering to write, provider/name (e.g. acme/cloud)
    #[arg(long, value_name = "ID")]
    pub offering: String,
    /// Display name of the offering [default: the system named in the workbook]
    #[arg(long)]
    pub name: Option<String>,
    /// Generic model whose layer owners the offering starts from [default: saas for li-saas, else paas]
    #[arg(long, value_parser = parse_model)]
    pub model: Option<Model>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub out: PathBuf,
}

/// `--baseline`: a baseline srmap knows, or why not.
fn parse_baseline(s: &str) -> Result<Baseline, String> {
    Baseline::parse(s).ok_or_else(|| {
        format!("`{s}` is not a FedRAMP baseline: use high, moderate, low or li-saas")
    })
}

/// What a sheet is.
enum Layout {
    Crm {
        header: usize,
        id: usize,
        inherited: usize,
        text: Option<usize>,
    },
    Cis {
        header: usize,
        id: usize,
        /// (column, header text, owner)
        origination: Vec<(usize, String, Party)>,
        /// Implementation-status columns that mean not applicable.
        not_applicable: Vec<usize>,
    },
}

fn detect(grid: &Table) -> Result<Layout, Diagnostics> {
    let head: Vec<&Row> = grid.rows.iter().take(20).collect();
    let is_id = |s: &str| s == "control id";
    for (i, row) in head.iter().enumerate() {
        if let Some(inherited) = row.find(|s| s.starts_with("can be inherited")) {
            let Some(id) = row.find(is_id) else {
                return Err(grid.missing_column("Control ID"));
            };
            let text = row.find(|s| s.contains("responsibilit"));
            return Ok(Layout::Crm {
                header: i,
                id,
                inherited,
                text,
            });
        }
    }
    for (i, row) in head.iter().enumerate() {
        let origination: Vec<(usize, String, Party)> = row
            .cells
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| {
                let t = cell.text();
                vocabulary::cis_origination(&t).map(|p| (c, t.trim().to_string(), p))
            })
            .collect();
        if origination.len() >= 3 {
            let Some(id) = head[..=i].iter().rev().find_map(|r| r.find(is_id)) else {
                return Err(grid.missing_column("Control ID"));
            };
            let not_applicable = row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(normalize(&c.text()).as_str(), "n a" | "not applicable"))
                .map(|(c, _)| c)
                .collect();
            return Ok(Layout::Cis {
                header: i,
                id,
                origination,
                not_applicable,
            });
        }
    }
    Err(Diagnostics(vec![crate::diagnostic::Diagnostic::error(
        Code::MissingColumn,
        grid.whole(),
        "is neither a CIS worksheet (Control ID and Control Origination columns such as `Service Provider Corporate`) nor a CRM worksheet (Control ID, Can Be Inherited from CSP)",
    )]))
}

/// One part's answer in one sheet.
#[derive(Debug, Clone)]
struct SheetAnswer {
    owner: Party,
    value: String,
    text: String,
    sheet: String,
    line: u64,
}

#[derive(Debug, Default)]
struct Part {
    label: String,
    crm: Option<SheetAnswer>,
    cis: Option<SheetAnswer>,
}

/// The parts of each control, as the sheets answer them.
type Parts = IndexMap<String, IndexMap<String, Part>>;

/// Where each control's answers stand: the workbook's file name and, per control, the rows of
/// each sheet.
pub struct Places {
    file: String,
    rows: IndexMap<String, IndexMap<String, Vec<u64>>>,
}

/// A control row cites its rows sheet by sheet: `file, sheet A, rows 3, 4; sheet B, row 9`.
impl Cite for Places {
    fn source(&self, control: &str, _: &[Answer]) -> String {
        let sheets = self.rows.get(control).into_iter().flatten();
        let cited: Vec<String> = sheets
            .map(|(sheet, lines)| {
                let list: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                let word = if lines.len() == 1 { "row" } else { "rows" };
                format!("sheet {sheet}, {word} {}", list.join(", "))
            })
            .collect();
        format!("{}, {}", self.file, cited.join("; "))
    }

    fn row_word(&self) -> &'static str {
        "row"
    }
}

/// What a CIS/CRM workbook says: each control's answers, one per part (the CRM's `Can Be
/// Inherited from CSP`, else the CIS's control origination), where they stand, and the sheets
/// read.
pub struct CrmAnswers {
    pub sheets: Vec<String>,
    pub answers: Answers,
    pub places: Places,
    /// The provider and system the workbook's Instructions sheet names (read without `--name`).
    pub system: Option<String>,
    /// Rows read, imported and skipped.
    pub report: ImportReport,
}

fn pick_sheets(wb: &Workbook, opts: &Options) -> Result<Vec<String>, Diagnostics> {
    if !opts.sheets.is_empty() {
        return opts
            .sheets
            .iter()
            .map(|s| wb.find(s).ok_or_else(|| wb.missing(s)))
            .collect();
    }
    let mut names = Vec::new();
    if let Some(b) = opts.baseline {
        for kind in ["CIS", "CRM"] {
            if let Some(n) = wb.find(&format!("{} {kind} Worksheet", b.sheet_prefix())) {
                names.push(n);
            }
        }
        if names.is_empty() {
            // Rev4 workbooks have one CIS and one CRM worksheet per baseline file.
            for kind in ["CIS", "CRM"] {
                if let Some(n) = wb.find(&format!("{kind} Worksheet")) {
                    names.push(n);
                }
            }
        }
        if names.is_empty() {
            return Err(wb.missing(&format!("{} CIS Worksheet", b.sheet_prefix())));
        }
        return Ok(names);
    }
    for kind in ["CIS", "CRM"] {
        if let Some(n) = wb.find(&format!("{kind} Worksheet")) {
            names.push(n);
        }
    }
    if names.is_empty() {
        return Err(failure(
            &opts.workbook,
            Code::MissingSheet,
            format!(
                "name the baseline with --baseline (high, moderate, low, li-saas) or a sheet with --sheet (sheets: {})",
                wb.sheet_names().join(", ")
            ),
        ));
    }
    Ok(names)
}

/// The provider and system named on the Rev5 workbook's Instructions sheet, if filled in.
fn system_name(wb: &mut Workbook) -> Option<String> {
    let grid = wb.read("Instructions").ok()?;
    for (i, row) in grid.rows.iter().enumerate().take(30) {
        let (Some(csp), Some(sys)) = (row.find(|s| s == "csp"), row.find(|s| s == "system name"))
        else {
            continue;
        };
        let values = grid.rows.get(i + 1)?;
        let (a, b) = (values.text(csp), values.text(sys));
        let filled = |s: &str| !s.is_empty() && !s.starts_with('<');
        return match (filled(&a), filled(&b)) {
            (true, true) => Some(format!("{a} {b}")),
            (false, true) => Some(b),
            _ => None,
        };
    }
    None
}

/// The NIST SP 800-53 Rev. 5 framework the rows belong to, which must be loaded.
fn nist_framework<'c>(catalog: &'c Catalog, opts: &Options) -> Result<&'c Framework, Diagnostics> {
    catalog
        .framework_by_id(nist::FRAMEWORK)
        .ok_or_else(|| failure(
            &opts.workbook,
            Code::UnknownFramework,
            format!(
                "FedRAMP rows are NIST SP 800-53 Rev. 5 controls, and framework `{}` is not loaded: import the NIST catalog first (srmap import oscal-catalog NIST_SP-800-53_rev5_catalog.json --id {} -o DIR) and pass --data DIR",
                nist::FRAMEWORK,
                nist::FRAMEWORK
            ),
        ))
}

/// Read the CIS and CRM worksheets of a workbook into what they say about each control.
pub fn read(catalog: &Catalog, opts: &Options) -> Result<CrmAnswers, Diagnostics> {
    let fw = nist_framework(catalog, opts)?;
    // Fail on a bad offering ID before reading anything.
    data_dir::check_offering_id(&opts.offering)
        .map_err(|m| failure(&opts.workbook, Code::BadOffering, m))?;
    let mut wb = Workbook::open_for_import(&opts.workbook)?;
    let sheets = pick_sheets(&wb, opts)?;
    let mut report = ImportReport::default();
    let mut parts = Parts::new();
    for name in &sheets {
        let grid = wb.read(name)?;
        let layout = detect(&grid)?;
        read_sheet(&grid, &layout, fw, &mut parts, &mut report);
    }
    let (answers, places) = part_answers(file_name(&opts.workbook), &parts);
    let system = match opts.name {
        Some(_) => None,
        None => system_name(&mut wb),
    };
    Ok(CrmAnswers {
        sheets,
        answers,
        places,
        system,
        report,
    })
}

/// Each data row's answer under the part it is about; rows that give none are skipped with
/// the reason.
fn read_sheet(
    grid: &Table,
    layout: &Layout,
    fw: &Framework,
    parts: &mut Parts,
    report: &mut ImportReport,
) {
    let (header, id_col) = match layout {
        Layout::Crm { header, id, .. } | Layout::Cis { header, id, .. } => (*header, *id),
    };
    for row in grid.rows.iter().skip(header + 1) {
        let label = row.text(id_col);
        if label.is_empty() && row.is_blank() {
            continue;
        }
        report.read += 1;
        let answer = control_of(fw, &label)
            .and_then(|control| sheet_answer(grid, row, layout).map(|answer| (control, answer)));
        let (control, answer) = match answer {
            Ok(found) => found,
            Err(why) => {
                report.skip(grid.at(row.line), why);
                continue;
            }
        };
        report.imported += 1;
        let part = parts
            .entry(control)
            .or_default()
            .entry(normalize(&label))
            .or_insert_with(|| Part {
                label: label.clone(),
                ..Part::default()
            });
        match layout {
            Layout::Crm { .. } => part.crm = Some(answer),
            Layout::Cis { .. } => part.cis = Some(answer),
        }
    }
}

/// The control or enhancement a part's ID (`AC-2(a)`) belongs to, or why none.
fn control_of(fw: &Framework, label: &str) -> Result<String, String> {
    if label.is_empty() {
        return Err("no control ID".into());
    }
    let Some(parsed) = nist::parse(label) else {
        return Err(format!("`{label}` is not a NIST SP 800-53 control ID"));
    };
    match fw.resolve(&parsed.control()) {
        Ok(c) if c.is_informative() => Err(format!("{} is withdrawn from {}", c.id, fw.id)),
        Ok(c) => Ok(c.id.clone()),
        Err(why) => Err(fw.unresolved_message(label, &why)),
    }
}

/// A row's answer: the CRM's `Can Be Inherited from CSP` value, or the CIS's origination
/// columns marked (not applicable when only an N/A status is), or why the row gives none.
fn sheet_answer(grid: &Table, row: &Row, layout: &Layout) -> Result<SheetAnswer, String> {
    let at = |owner, value, text| SheetAnswer {
        owner,
        value,
        text,
        sheet: grid.sheet.clone().unwrap_or_default(),
        line: row.line,
    };
    match layout {
        Layout::Crm {
            inherited, text, ..
        } => {
            let value = row.text(*inherited);
            if value.is_empty() {
                return Err("no Can Be Inherited from CSP value".into());
            }
            let Some(owner) = vocabulary::owner(&value) else {
                return Err(vocabulary::unknown(&value));
            };
            Ok(at(
                owner,
                value,
                text.map(|c| row.text(c)).unwrap_or_default(),
            ))
        }
        Layout::Cis {
            origination,
            not_applicable,
            ..
        } => {
            let marked: Vec<&(usize, String, Party)> = origination
                .iter()
                .filter(|(c, _, _)| !row.text(*c).is_empty())
                .collect();
            if !marked.is_empty() {
                let value: Vec<&str> = marked.iter().map(|m| m.1.as_str()).collect();
                let owner = Party::combine(marked.iter().map(|m| m.2));
                Ok(at(owner, value.join(" + "), String::new()))
            } else if not_applicable.iter().any(|c| !row.text(*c).is_empty()) {
                Ok(at(Party::NotApplicable, "N/A".into(), String::new()))
            } else {
                Err("no origination marked".into())
            }
        }
    }
}

/// One answer per part: the CRM's owner (with the CIS's value beside it when they differ),
/// else the CIS's; the CRM's responsibility text is the customer's part. The places are every
/// row either sheet answers the part on.
fn part_answers(file: String, parts: &Parts) -> (Answers, Places) {
    let mut answers = Answers::new();
    let mut places = Places {
        file,
        rows: IndexMap::new(),
    };
    for (control, parts) in parts {
        for part in parts.values() {
            let (first, owner, value) = match (&part.crm, &part.cis) {
                (Some(crm), Some(cis)) if crm.value != cis.value => (
                    crm,
                    crm.owner,
                    format!("{} (CIS: {})", crm.value, cis.value),
                ),
                (Some(crm), _) => (crm, crm.owner, crm.value.clone()),
                (None, Some(cis)) => (cis, cis.owner, cis.value.clone()),
                (None, None) => continue,
            };
            let rows = places.rows.entry(control.clone()).or_default();
            for a in part.crm.iter().chain(part.cis.iter()) {
                rows.entry(a.sheet.clone()).or_default().push(a.line);
            }
            answers.entry(control.clone()).or_default().push(Answer {
                line: first.line,
                owner,
                value,
                label: part.label.clone(),
                provider: String::new(),
                customer: part
                    .crm
                    .as_ref()
                    .map(|c| c.text.clone())
                    .unwrap_or_default(),
            });
        }
    }
    (answers, places)
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let (drafts, report) = drafts(catalog, opts)?;
    drafts.write(&opts.out, catalog, report)
}

/// What [`import`] would write, assembled but not yet checked with the loaders or written.
pub fn drafts(catalog: &Catalog, opts: &Options) -> Result<(Drafts, ImportReport), Diagnostics> {
    let CrmAnswers {
        sheets,
        answers,
        places,
        system,
        mut report,
    } = read(catalog, opts)?;
    let model = opts.model.unwrap_or(match opts.baseline {
        Some(Baseline::LiSaas) => Model::Saas,
        _ => Model::Paas,
    });
    let file = file_name(&opts.workbook);
    let name = opts
        .name
        .clone()
        .or(system)
        .unwrap_or_else(|| format!("{} (FedRAMP CIS/CRM import)", opts.offering));
    let summary = format!(
        "Imported from {file} ({}) by srmap import fedramp-crm: {} NIST SP 800-53 Rev. 5 controls with the owner the provider's CIS/CRM gives. Layer owners are copied from srmap's generic {} model, not from the workbook: review them.",
        sheets.join(", "),
        answers.len(),
        model.as_str()
    );
    let mut offering = OfferingDraft::from_model(
        catalog,
        &opts.offering,
        &name,
        model,
        &summary,
        (
            format!("FedRAMP CIS/CRM workbook {file} (imported)"),
            file.clone(),
        ),
    )
    .map_err(|m| failure(&opts.workbook, Code::BadOffering, m))?;
    offering.rows = control_rows(nist::FRAMEWORK, &places, &answers, |_, parts| {
        part_duties(parts)
    });
    report.notes.push(format!(
        "{} controls of {} on offering {}; layers from the generic {} model (choose another with --model)",
        answers.len(),
        nist::FRAMEWORK,
        opts.offering,
        model.as_str()
    ));
    if answers.is_empty() {
        report.notes.push(
            "no row had an answer: the offering has layer owners only (is this the blank template?)"
                .into(),
        );
    }
    Ok((Drafts::offerings(vec![offering]), report))
}

/// A control's owner from its parts, the customer's part in the CRM's words (each part's text,
/// labelled when they differ), the provider's in srmap's.
fn part_duties(parts: &[Answer]) -> Duties {
    let owner = combined_owner(parts);
    let texts: Vec<&Answer> = parts.iter().filter(|a| !a.customer.is_empty()).collect();
    let mut distinct: Vec<&str> = Vec::new();
    for a in &texts {
        if !distinct.contains(&a.customer.as_str()) {
            distinct.push(&a.customer);
        }
    }
    let mut customer = match distinct.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        _ => texts
            .iter()
            .map(|a| format!("{}: {}", a.label, a.customer))
            .collect::<Vec<_>>()
            .join(" "),
    };
    customer = customer.split_whitespace().collect::<Vec<_>>().join(" ");
    if customer.is_empty() && owner.customer_involved() {
        customer = "The provider's workbook leaves this to the customer without saying more: work out the customer's part from the control.".into();
    }
    let provider = if owner.provider_involved() {
        "Per the provider's FedRAMP CIS/CRM, the provider implements this control or the part the customer can inherit.".to_string()
    } else {
        String::new()
    };
    Duties {
        owner,
        provider,
        customer,
    }
}

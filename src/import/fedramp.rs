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
use crate::import::data_dir::{self, ControlRow, OfferingDraft};
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
                return Err(missing(grid, "Control ID"));
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
                return Err(missing(grid, "Control ID"));
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

fn missing(grid: &Table, column: &str) -> Diagnostics {
    Diagnostics(vec![crate::diagnostic::Diagnostic::error(
        Code::MissingColumn,
        grid.whole(),
        format!("has no `{column}` column in its header"),
    )])
}

/// One part's answer in one sheet.
#[derive(Debug, Clone)]
struct Answer {
    owner: Party,
    value: String,
    text: String,
    sheet: String,
    line: u64,
}

#[derive(Debug, Default)]
struct Part {
    label: String,
    crm: Option<Answer>,
    cis: Option<Answer>,
}

type Controls = IndexMap<String, IndexMap<String, Part>>;

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

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let Some(fw) = catalog.frameworks.iter().find(|f| f.id == nist::FRAMEWORK) else {
        return Err(failure(
            &opts.workbook,
            Code::UnknownFramework,
            format!(
                "FedRAMP rows are NIST SP 800-53 Rev. 5 controls, and framework `{}` is not loaded: import the NIST catalog first (srmap import oscal-catalog NIST_SP-800-53_rev5_catalog.json --id {} -o DIR) and pass --data DIR",
                nist::FRAMEWORK,
                nist::FRAMEWORK
            ),
        ));
    };
    let model = opts.model.unwrap_or(match opts.baseline {
        Some(Baseline::LiSaas) => Model::Saas,
        _ => Model::Paas,
    });
    // Fail on a bad offering ID before reading anything.
    data_dir::check_offering_id(&opts.offering)
        .map_err(|m| failure(&opts.workbook, Code::BadOffering, m))?;
    let mut wb = Workbook::open_for_import(&opts.workbook)?;
    let sheets = pick_sheets(&wb, opts)?;
    let mut report = ImportReport::default();
    let mut controls: Controls = IndexMap::new();
    for name in &sheets {
        let grid = wb.read(name)?;
        let layout = detect(&grid)?;
        let (header, id_col) = match &layout {
            Layout::Crm { header, id, .. } | Layout::Cis { header, id, .. } => (*header, *id),
        };
        for row in grid.rows.iter().skip(header + 1) {
            let label = row.text(id_col);
            if label.is_empty() {
                if !row.is_blank() {
                    report.read += 1;
                    report.skip(grid.at(row.line), "no control ID");
                }
                continue;
            }
            report.read += 1;
            let Some(parsed) = nist::parse(&label) else {
                report.skip(
                    grid.at(row.line),
                    format!("`{label}` is not a NIST SP 800-53 control ID"),
                );
                continue;
            };
            let control = match fw.resolve(&parsed.control()) {
                Ok(c) if c.is_informative() => {
                    report.skip(
                        grid.at(row.line),
                        format!("{} is withdrawn from {}", c.id, fw.id),
                    );
                    continue;
                }
                Ok(c) => c.id.clone(),
                Err(why) => {
                    report.skip(grid.at(row.line), fw.unresolved_message(&label, &why));
                    continue;
                }
            };
            let answer = match &layout {
                Layout::Crm {
                    inherited, text, ..
                } => {
                    let value = row.text(*inherited);
                    if value.is_empty() {
                        report.skip(grid.at(row.line), "no Can Be Inherited from CSP value");
                        continue;
                    }
                    let Some(owner) = vocabulary::owner(&value) else {
                        report.skip(grid.at(row.line), vocabulary::unknown(&value));
                        continue;
                    };
                    Answer {
                        owner,
                        value,
                        text: text.map(|c| row.text(c)).unwrap_or_default(),
                        sheet: grid.sheet.clone().unwrap_or_default(),
                        line: row.line,
                    }
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
                    if marked.is_empty() {
                        if not_applicable.iter().any(|c| !row.text(*c).is_empty()) {
                            Answer {
                                owner: Party::NotApplicable,
                                value: "N/A".into(),
                                text: String::new(),
                                sheet: grid.sheet.clone().unwrap_or_default(),
                                line: row.line,
                            }
                        } else {
                            report.skip(grid.at(row.line), "no origination marked");
                            continue;
                        }
                    } else {
                        Answer {
                            owner: Party::combine(marked.iter().map(|m| m.2)),
                            value: marked
                                .iter()
                                .map(|m| m.1.as_str())
                                .collect::<Vec<_>>()
                                .join(" + "),
                            text: String::new(),
                            sheet: grid.sheet.clone().unwrap_or_default(),
                            line: row.line,
                        }
                    }
                }
            };
            report.imported += 1;
            let part = controls
                .entry(control)
                .or_default()
                .entry(normalize(&label))
                .or_insert_with(|| Part {
                    label: label.clone(),
                    ..Part::default()
                });
            match &layout {
                Layout::Crm { .. } => part.crm = Some(answer),
                Layout::Cis { .. } => part.cis = Some(answer),
            }
        }
    }

    let file = file_name(&opts.workbook);
    let name = opts
        .name
        .clone()
        .or_else(|| system_name(&mut wb))
        .unwrap_or_else(|| format!("{} (FedRAMP CIS/CRM import)", opts.offering));
    let summary = format!(
        "Imported from {file} ({}) by srmap import fedramp-crm: {} NIST SP 800-53 Rev. 5 controls with the owner the provider's CIS/CRM gives. Layer owners are copied from srmap's generic {} model, not from the workbook: review them.",
        sheets.join(", "),
        controls.len(),
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
    for (control, parts) in &controls {
        offering.rows.push(row_for(&file, control, parts));
    }
    report.notes.push(format!(
        "{} controls of {} on offering {}; layers from the generic {} model (choose another with --model)",
        controls.len(),
        nist::FRAMEWORK,
        opts.offering,
        model.as_str()
    ));
    if controls.is_empty() {
        report.notes.push(
            "no row had an answer: the offering has layer owners only (is this the blank template?)"
                .into(),
        );
    }
    data_dir::write(&opts.out, catalog, &[], &[offering], &mut report)?;
    Ok(report)
}

fn row_for(file: &str, control: &str, parts: &IndexMap<String, Part>) -> ControlRow {
    let mut owners = Vec::new();
    let mut values = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut places: IndexMap<String, Vec<u64>> = IndexMap::new();
    for part in parts.values() {
        let (owner, value) = match (&part.crm, &part.cis) {
            (Some(crm), Some(cis)) if crm.value != cis.value => {
                (crm.owner, format!("{} (CIS: {})", crm.value, cis.value))
            }
            (Some(crm), _) => (crm.owner, crm.value.clone()),
            (None, Some(cis)) => (cis.owner, cis.value.clone()),
            (None, None) => continue,
        };
        owners.push(owner);
        values.push(format!("{}: {value}", part.label));
        for a in part.crm.iter().chain(part.cis.iter()) {
            places.entry(a.sheet.clone()).or_default().push(a.line);
        }
        if let Some(crm) = &part.crm {
            if !crm.text.is_empty() {
                texts.push((part.label.clone(), crm.text.clone()));
            }
        }
    }
    let owner = Party::combine(owners);
    let mut distinct: Vec<&str> = Vec::new();
    for (_, t) in &texts {
        if !distinct.contains(&t.as_str()) {
            distinct.push(t);
        }
    }
    let mut customer = match distinct.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        _ => texts
            .iter()
            .map(|(l, t)| format!("{l}: {t}"))
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
    let source = format!(
        "{file}, {}",
        places
            .iter()
            .map(|(sheet, lines)| {
                let list: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                format!(
                    "sheet {sheet}, {} {}",
                    if lines.len() == 1 { "row" } else { "rows" },
                    list.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    ControlRow {
        framework: nist::FRAMEWORK.to_string(),
        control: control.to_string(),
        owner,
        provider,
        customer,
        source,
        source_value: values.join("; "),
    }
}

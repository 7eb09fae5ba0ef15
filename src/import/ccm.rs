//! CSA Cloud Controls Matrix v4 (sheet `CCM`: IaaS / PaaS / SaaS ownership columns) and CAIQ v4
//! (`SSRM Control Ownership` per question) -> framework `csa-ccm-4` and offering matrices.
//!
//! srmap ships none of the CCM's text: IDs, titles and ownership come from the user's own copy
//! and are written to the user's own folder. Layers come from srmap's domain table below.
//! The sheet `Scope Applicability (Mappings)`, when present, becomes crosswalks from
//! `csa-ccm-4` to the built-in frameworks it maps to (see the `mappings` module).
//!
//! The release the workbook names in its title (`CLOUD CONTROLS MATRIX v4.0.12`) is recorded in
//! the framework's version and the offerings' names; a release srmap does not know, or none, is
//! read with the same column rules and a warning (see the `version` module).

use std::path::{Path, PathBuf};

mod mappings;
mod version;

pub use mappings::Mappings;
pub use version::{Product, Release};

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::diagnostic::{column_letters, Code, Diagnostic, Diagnostics};
use crate::import::answer::{combined_owner, control_rows, Answer, Answers, Duties};
use crate::import::data_dir::{slug, ControlDraft, Drafts, FrameworkDraft, OfferingDraft};
use crate::import::vocabulary;
use crate::import::{parse_model, ImportReport};
use crate::offering::Model;
use crate::party::Party;
use crate::table::{failure, file_name, Row, Table, Workbook};
use crate::text::join_sentences;

pub const FRAMEWORK: &str = "csa-ccm-4";

/// The 17 CCM v4 domains: ID prefix, name, the layers its controls touch (srmap's choice), and
/// what evidence of one looks like (srmap's words).
pub const DOMAINS: [(&str, &str, &[&str], &str); 17] = [
    ("A&A", "Audit & Assurance", &["governance-training"], "Audit plans, independent assessment reports and the follow-up of their findings."),
    ("AIS", "Application & Interface Security", &["application"], "Secure development standards, test results and records of fixed application flaws."),
    ("BCR", "Business Continuity Management and Operational Resilience", &["backup-recovery"], "Continuity and recovery plans, backup records and the results of the last exercise."),
    ("CCC", "Change Control and Configuration Management", &["application", "operating-system"], "Change tickets with approvals and tests, and the configuration baselines they are checked against."),
    ("CEK", "Cryptography, Encryption & Key Management", &["encryption-keys"], "Encryption settings and the key inventory, with rotation and access records."),
    ("DCS", "Datacenter Security", &["physical-facilities", "physical-hosts"], "Data centre access records, equipment and media handling records, or the provider's attestation of them."),
    ("DSP", "Data Security and Privacy Lifecycle Management", &["data"], "Data inventory and classification, retention and disposal records, privacy notices and request handling."),
    ("GRC", "Governance, Risk and Compliance", &["governance-training"], "Approved policies, the risk register and records of management review."),
    ("HRS", "Human Resources", &["governance-training"], "Screening, terms of employment, training and leaver records for sampled staff."),
    ("IAM", "Identity & Access Management", &["accounts-identities", "identity-infrastructure"], "Account lists, access reviews, MFA settings and privileged access records."),
    ("IPY", "Interoperability & Portability", &["data", "application"], "Documented interfaces and data export formats, and the contract terms for leaving the service."),
    ("IVS", "Infrastructure & Virtualization Security", &["virtualization", "network-controls"], "Network and segmentation design, hardening standards and capacity records."),
    ("LOG", "Logging and Monitoring", &["logging-monitoring"], "Logging configuration, alert rules and records of log review."),
    ("SEF", "Security Incident Management, E-Discovery, & Cloud Forensics", &["incident-response"], "The incident response plan, incident tickets and the last exercise."),
    ("STA", "Supply Chain Management, Transparency, and Accountability", &["governance-training"], "Supplier inventory, contracts with security terms and supplier assessments."),
    ("TVM", "Threat & Vulnerability Management", &["operating-system", "application"], "Vulnerability scan results, patch records and the tracking of findings to closure."),
    ("UEM", "Universal Endpoint Management", &["endpoints-devices"], "Endpoint inventory, device management settings and compliance reports."),
];

fn domain(
    prefix: &str,
) -> Option<&'static (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
)> {
    DOMAINS.iter().find(|d| d.0.eq_ignore_ascii_case(prefix))
}

/// A CCM control ID (`IAM-01`, `iam-1`) in its canonical form, and its domain prefix; `None`
/// for anything else. A CAIQ question ID (`IAM-01.2`) gives its control.
pub fn parse_id(s: &str) -> Option<(String, &'static str)> {
    let s = s.trim();
    let (prefix, rest) = s.split_once('-')?;
    let d = domain(prefix.trim())?;
    let digits: String = rest
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let after = &rest.trim()[digits.len()..];
    if digits.is_empty() || !(after.is_empty() || after.starts_with('.')) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    Some((format!("{}-{n:02}", d.0), d.0))
}

/// What `srmap import ccm` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// The CCM v4 or CAIQ v4 workbook (.xlsx)
    pub file: PathBuf,
    /// Sheet to read [default: CCM, else the first sheet with an SSRM Control Ownership column]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// CAIQ only: ID of the offering the answers describe [default: caiq/<file name>]
    #[arg(long, value_name = "ID")]
    pub offering: Option<String>,
    /// CAIQ only: display name of the offering
    #[arg(long)]
    pub name: Option<String>,
    /// CAIQ only: generic model the offering's layers start from [default: saas]
    #[arg(long, value_parser = parse_model)]
    pub model: Option<Model>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub out: PathBuf,
}

/// Where a CCM sheet's columns are (0-based), and the index of its header row.
struct CcmColumns {
    header: usize,
    id: usize,
    title: Option<usize>,
    domain: Option<usize>,
    /// (column, model)
    models: Vec<(usize, Model)>,
}

/// Where a CAIQ sheet's columns are (0-based), and the index of its header row.
struct CaiqColumns {
    header: usize,
    id: usize,
    ownership: usize,
    title: Option<usize>,
    provider: Option<usize>,
    customer: Option<usize>,
}

enum Layout {
    Ccm(CcmColumns),
    Caiq(CaiqColumns),
}

fn detect(grid: &Table) -> Option<Layout> {
    for (i, row) in grid.rows.iter().take(15).enumerate() {
        if let Some(ownership) = row.find(|s| s.starts_with("ssrm control ownership")) {
            let id = row
                .find(|s| s == "question id")
                .or_else(|| row.find(|s| s == "control id"))?;
            return Some(Layout::Caiq(CaiqColumns {
                header: i,
                id,
                ownership,
                title: row.find(|s| s == "control title" || s == "ccm control title"),
                provider: row.find(|s| s.starts_with("csp implementation description")),
                customer: row.find(|s| s.starts_with("csc responsibilit")),
            }));
        }
        if let Some(id) = row.find(|s| s == "control id") {
            // The IaaS / PaaS / SaaS labels may sit on the header row or on the row below it
            // (under a merged ownership heading).
            let models_of = |r: &Row| -> Vec<(usize, Model)> {
                [
                    ("iaas", Model::Iaas),
                    ("paas", Model::Paas),
                    ("saas", Model::Saas),
                ]
                .into_iter()
                .filter_map(|(h, m)| r.find(|s| s == h).map(|c| (c, m)))
                .collect()
            };
            let mut header = i;
            let mut models = models_of(row);
            if models.is_empty() {
                if let Some(next) = grid.rows.get(i + 1) {
                    models = models_of(next);
                    header = i + 1;
                }
            }
            if !models.is_empty() {
                return Some(Layout::Ccm(CcmColumns {
                    header,
                    id,
                    title: row.find(|s| s == "control title"),
                    domain: row.find(|s| s == "control domain"),
                    models,
                }));
            }
        }
    }
    None
}

fn not_ccm(grid: &Table) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Code::MissingColumn,
        grid.whole(),
        "has no CCM header (Control ID with IaaS, PaaS, SaaS columns) nor a CAIQ header (Question ID, SSRM Control Ownership) in its first 15 rows",
    )])
}

/// The sheet to read: `--sheet`, else `CCM`, else the first sheet with a CAIQ header.
fn pick(wb: &mut Workbook, opts: &Options) -> Result<(Table, Layout), Diagnostics> {
    if let Some(s) = &opts.sheet {
        let grid = wb.read(s)?;
        let layout = detect(&grid).ok_or_else(|| not_ccm(&grid))?;
        return Ok((grid, layout));
    }
    if wb.find("CCM").is_some() {
        let grid = wb.read("CCM")?;
        let layout = detect(&grid).ok_or_else(|| not_ccm(&grid))?;
        return Ok((grid, layout));
    }
    for name in wb.sheet_names().to_vec() {
        let grid = wb.read(&name)?;
        if let Some(layout @ Layout::Caiq(_)) = detect(&grid) {
            return Ok((grid, layout));
        }
    }
    Err(failure(
        &opts.file,
        Code::MissingSheet,
        format!(
            "has no `CCM` sheet and no sheet with an `SSRM Control Ownership` column (sheets: {}); name one with --sheet",
            wb.sheet_names().join(", ")
        ),
    ))
}

/// What a CCM or CAIQ workbook says: the controls its sheet lists, who owns each (per service
/// model in the CCM, per question in a CAIQ) and how the mappings sheet maps them to other
/// frameworks.
pub struct CcmAnswers {
    /// The sheet the ownership was read from; the control rows cite its rows.
    pub table: Table,
    /// The CCM controls the sheet lists, in its order, each once (its first row gives its title).
    pub controls: Vec<ControlDraft>,
    pub ownership: Ownership,
    /// The `Scope Applicability (Mappings)` sheet, when the workbook has one besides the sheet
    /// read.
    pub mappings: Option<Mappings>,
    /// The release the workbook names (in its title or sheet name), if any.
    pub release: Option<Release>,
    /// What the sheet's header says it is: a CCM or a CAIQ.
    pub product: Product,
    /// Rows of the ownership sheet read, imported and skipped; the warning about the release,
    /// when it is unknown or not stated.
    pub report: ImportReport,
}

/// Who owns each control, as the workbook answers.
pub enum Ownership {
    /// The CCM's IaaS, PaaS and SaaS columns: each model's answers, in the sheet's column order.
    Models(Vec<(Model, Answers)>),
    /// A provider's CAIQ answers (SSRM Control Ownership), one per question.
    Caiq(Answers),
}

/// Read a CCM or CAIQ workbook into what it says.
pub fn read(opts: &Options) -> Result<CcmAnswers, Diagnostics> {
    let mut wb = Workbook::open_for_import(&opts.file)?;
    let (table, layout) = pick(&mut wb, opts)?;
    let mut report = ImportReport::default();
    let (product, header) = match &layout {
        Layout::Ccm(cols) => (Product::Ccm, cols.header),
        Layout::Caiq(cols) => (Product::Caiq, cols.header),
    };
    let release = version::find(&table, header, product);
    match &release {
        Some(r) if r.is_known() => report.notes.push(format!(
            "{}, the release named by {} (`{}`)",
            r.label(),
            r.at,
            r.text
        )),
        _ => report
            .warnings
            .extend(version::warning(&table, release.as_ref(), product)),
    }
    let (controls, ownership) = match &layout {
        Layout::Ccm(cols) => read_ccm(&table, cols, &mut report),
        Layout::Caiq(cols) => read_caiq(&table, cols, &mut report)?,
    };
    let mappings = match wb.find(mappings::SHEET) {
        Some(name) if table.sheet.as_deref() != Some(name.as_str()) => {
            Some(mappings::read(&wb.read(&name)?))
        }
        _ => None,
    };
    Ok(CcmAnswers {
        table,
        controls,
        ownership,
        mappings,
        release,
        product,
        report,
    })
}

/// Is this row a domain banner (`Audit & Assurance - A&A`) or blank, rather than a data row?
fn is_banner(row: &Row, id_col: usize) -> bool {
    row.text(id_col).is_empty()
}

/// Is control `id` among `controls` already?
fn is_listed(controls: &[ControlDraft], id: &str) -> bool {
    controls.iter().any(|c| c.id == id)
}

/// Call `each` with every data row below the header (index `header`) whose `id_col` holds a
/// CCM ID, with that ID as written, its control and the control's domain prefix; each data row
/// counts as read. Domain banners and blank rows are passed over; rows whose ID is not `what`
/// (a CCM v4 ID) are skipped.
fn each_control_row<'t>(
    table: &'t Table,
    (header, id_col): (usize, usize),
    what: &str,
    report: &mut ImportReport,
    mut each: impl FnMut(&'t Row, String, String, &'static str, &mut ImportReport),
) {
    for row in table.rows.iter().skip(header + 1) {
        if is_banner(row, id_col) {
            continue;
        }
        report.read += 1;
        let raw = row.text(id_col);
        match parse_id(&raw) {
            Some((id, prefix)) => each(row, raw, id, prefix, report),
            None => report.skip(table.at(row.line), format!("`{raw}` is not {what}")),
        }
    }
}

/// A CCM sheet: each control once (a second row of it is skipped) and its owner in each model
/// column; rows with an unknown owner word, or none, are skipped with the reason.
fn read_ccm(
    table: &Table,
    cols: &CcmColumns,
    report: &mut ImportReport,
) -> (Vec<ControlDraft>, Ownership) {
    let mut controls: Vec<ControlDraft> = Vec::new();
    let mut per_model: Vec<(Model, Answers)> = cols
        .models
        .iter()
        .map(|(_, model)| (*model, Answers::new()))
        .collect();
    each_control_row(
        table,
        (cols.header, cols.id),
        "a CCM v4 control ID",
        report,
        |row, _, id, prefix, report| {
            if is_listed(&controls, &id) {
                let why = format!("{id} is listed twice; the first row is kept");
                report.skip(table.at(row.line), why);
                return;
            }
            let text = |c: Option<usize>| c.map(|c| row.text(c)).unwrap_or_default();
            let title = text(cols.title);
            controls.push(control_draft(&id, prefix, &title, &text(cols.domain)));
            match model_answers(row, &cols.models) {
                Ok(answers) => {
                    report.imported += 1;
                    for (i, answer) in answers {
                        per_model[i].1.entry(id.clone()).or_default().push(answer);
                    }
                }
                Err(why) => report.skip(table.at(row.line), why),
            }
        },
    );
    (controls, Ownership::Models(per_model))
}

/// A CCM row's answer in each model column it fills in (with the column's place among the
/// models), or why it gives none: an unknown owner word, or no value at all.
fn model_answers(row: &Row, models: &[(usize, Model)]) -> Result<Vec<(usize, Answer)>, String> {
    let mut answers = Vec::new();
    let mut bad = Vec::new();
    for (i, (col, model)) in models.iter().enumerate() {
        let value = row.text(*col);
        if value.is_empty() {
            continue;
        }
        match vocabulary::owner(&value) {
            Some(owner) => answers.push((
                i,
                Answer {
                    line: row.line,
                    owner,
                    value,
                    label: String::new(),
                    provider: String::new(),
                    customer: String::new(),
                },
            )),
            None => bad.push(format!(
                "{}: {}",
                label(*model),
                vocabulary::unknown(&value)
            )),
        }
    }
    if !bad.is_empty() {
        return Err(bad.join("; "));
    }
    if answers.is_empty() {
        return Err("no IaaS, PaaS or SaaS ownership value".into());
    }
    Ok(answers)
}

/// A CAIQ sheet: the control of each question (its first question gives its title) and the
/// question's SSRM Control Ownership answer with the provider's and customer's descriptions;
/// rows with an unknown owner word, or none, are skipped with the reason. A sheet that answers
/// no question at all is an error.
fn read_caiq(
    table: &Table,
    cols: &CaiqColumns,
    report: &mut ImportReport,
) -> Result<(Vec<ControlDraft>, Ownership), Diagnostics> {
    let mut controls: Vec<ControlDraft> = Vec::new();
    let mut answers = Answers::new();
    // Ownership values given, known or not.
    let mut given = 0;
    let what = "a CCM v4 control or CAIQ question ID";
    each_control_row(
        table,
        (cols.header, cols.id),
        what,
        report,
        |row, raw, id, prefix, report| {
            if !is_listed(&controls, &id) {
                let title = cols.title.map(|c| row.text(c)).unwrap_or_default();
                controls.push(control_draft(&id, prefix, &title, ""));
            }
            given += usize::from(!row.text(cols.ownership).is_empty());
            match question_answer(row, raw, cols) {
                Ok(answer) => {
                    report.imported += 1;
                    answers.entry(id).or_default().push(answer);
                }
                Err(why) => report.skip(table.at(row.line), why),
            }
        },
    );
    if given == 0 {
        return Err(no_answers(table, cols));
    }
    Ok((controls, Ownership::Caiq(answers)))
}

/// A CAIQ question's answer (labelled with the question ID as written, `raw`), or why it gives
/// none: no ownership value, or an unknown one.
fn question_answer(row: &Row, raw: String, cols: &CaiqColumns) -> Result<Answer, String> {
    let value = row.text(cols.ownership);
    if value.is_empty() {
        return Err("no SSRM Control Ownership value".into());
    }
    let owner = vocabulary::owner(&value).ok_or_else(|| vocabulary::unknown(&value))?;
    let text = |c: Option<usize>| c.map(|c| row.text(c)).unwrap_or_default();
    Ok(Answer {
        line: row.line,
        owner,
        value,
        label: raw,
        provider: text(cols.provider),
        customer: text(cols.customer),
    })
}

/// A blank questionnaire: one error, not a skipped line per question and an empty offering.
fn no_answers(table: &Table, cols: &CaiqColumns) -> Diagnostics {
    let heading = table
        .rows
        .get(cols.header)
        .map(|r| r.text(cols.ownership))
        .unwrap_or_default();
    let column = column_letters(cols.ownership as u64 + 1);
    Diagnostics(vec![Diagnostic::error(
        Code::NoOwnershipAnswers,
        table.whole().with_field(heading.clone()),
        format!(
            "no row answers who owns the control; fill in column {column} ({heading}) with CSP-owned, CSC-owned, Shared CSP and CSC, 3rd-party outsourced or Shared CSP and 3rd-party"
        ),
    )])
}

/// The CCM release an import records: the framework's version (`4.0.12`) and the label in the
/// offerings' names (`v4.0.12`). A CAIQ names its own release, not the CCM's; a workbook that
/// names none says so.
struct Stated {
    version: String,
    label: String,
}

impl Stated {
    fn new(release: Option<&Release>, file: &str) -> Stated {
        match release {
            Some(r) if r.product == Product::Ccm => Stated {
                version: r.version.clone(),
                label: format!("v{}", r.version),
            },
            Some(r) => Stated {
                version: format!("4 (from {} answers)", r.label()),
                label: format!("v4 ({})", r.label()),
            },
            None => Stated {
                version: format!("4 (release not stated in {file})"),
                label: "v4 (release not stated)".into(),
            },
        }
    }
}

/// The framework `csa-ccm-4` as srmap describes it, with `controls` (read from `file`, which
/// names the release `stated`).
fn new_framework(file: &str, stated: &Stated, controls: Vec<ControlDraft>) -> FrameworkDraft {
    FrameworkDraft {
        id: FRAMEWORK.into(),
        name: "CSA Cloud Controls Matrix".into(),
        version: stated.version.clone(),
        publisher: "Cloud Security Alliance".into(),
        source: "https://cloudsecurityalliance.org/research/cloud-controls-matrix".into(),
        description: format!(
            "Imported by srmap import ccm from the user's own copy ({file}, release {}): IDs and titles are that file's. Layers come from srmap's domain table: review them.",
            stated.label
        ),
        id_prefixes: vec!["CCM".into(), "CSA CCM".into(), "CSA-CCM".into()],
        attestations: vec![vec![AttestationKind::Soc2Type2, AttestationKind::Iso27001Cert]],
        agreements: vec![],
        controls,
    }
}

fn control_draft(id: &str, prefix: &str, title: &str, group: &str) -> ControlDraft {
    let d = domain(prefix).expect("parse_id gives known prefixes");
    ControlDraft {
        id: id.to_string(),
        title: if title.is_empty() {
            format!("CCM control {id}")
        } else {
            title.split_whitespace().collect::<Vec<_>>().join(" ")
        },
        group: if group.is_empty() {
            d.1.to_string()
        } else {
            group.to_string()
        },
        kind: "control".into(),
        parent: String::new(),
        layers: d.2.iter().map(|l| l.to_string()).collect(),
        cadence: "annual".into(),
        evidence: d.3.to_string(),
    }
}

/// `IaaS`, `PaaS`, `SaaS` as the CCM writes them.
fn label(model: Model) -> &'static str {
    match model {
        Model::Iaas => "IaaS",
        Model::Paas => "PaaS",
        Model::Saas => "SaaS",
        other => other.as_str(),
    }
}

/// What the provider and the customer do on `model` when `owner` owns a control, in srmap's
/// words.
fn duties(owner: Party, model: &str) -> (String, String) {
    let provider = match owner {
        Party::Provider => {
            format!("The provider owns this control on {model} (CCM shared-responsibility model).")
        }
        Party::Shared => format!("The provider carries its part of this control on {model}."),
        _ => String::new(),
    };
    let customer = match owner {
        Party::Customer => format!("The customer owns this control on {model} (CCM shared-responsibility model)."),
        Party::Shared => format!("The customer carries its part of this control on {model}: see the CCM implementation guidelines."),
        _ => String::new(),
    };
    (provider, customer)
}

/// Import a CCM or CAIQ workbook into `--output`: the framework `csa-ccm-4`, one offering per
/// model column (CCM) or the provider's offering (CAIQ), and crosswalks from the mappings sheet.
pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let (drafts, report) = drafts(catalog, opts)?;
    drafts.write(&opts.out, catalog, report)
}

/// What [`import`] would write, assembled but not yet checked with the loaders or written.
pub fn drafts(catalog: &Catalog, opts: &Options) -> Result<(Drafts, ImportReport), Diagnostics> {
    let CcmAnswers {
        table,
        controls,
        ownership,
        mappings,
        release,
        product: _,
        mut report,
    } = read(opts)?;
    let stated = Stated::new(release.as_ref(), &table.name);
    let offerings = match &ownership {
        Ownership::Models(models) => {
            model_offerings(catalog, &table, &stated, models, &mut report)?
        }
        Ownership::Caiq(answers) => vec![caiq_offering(
            catalog,
            opts,
            &table,
            release.as_ref(),
            answers,
            &mut report,
        )?],
    };
    let framework = framework(
        &file_name(&opts.file),
        &stated,
        controls,
        &opts.out,
        &mut report,
    );
    let crosswalks = match &mappings {
        Some(sheet) => mappings::crosswalks(sheet, catalog, &framework, &mut report),
        None => Vec::new(),
    };
    let drafts = Drafts {
        frameworks: vec![framework],
        crosswalks,
        offerings,
    };
    Ok((drafts, report))
}

/// The framework `csa-ccm-4` with the controls read from `file`, and those the earlier import
/// in the output folder `out` has besides; noted.
fn framework(
    file: &str,
    stated: &Stated,
    controls: Vec<ControlDraft>,
    out: &Path,
    report: &mut ImportReport,
) -> FrameworkDraft {
    let mut fw = new_framework(file, stated, controls);
    let new = fw.controls.len();
    let kept = fw.merge_existing(out);
    report.notes.push(format!(
        "framework {FRAMEWORK}: {new} controls from {file}{}",
        match kept {
            0 => String::new(),
            n => format!(" (and {n} kept from the earlier import in the output folder)"),
        }
    ));
    fw
}

/// An offering whose layer owners are copied from a generic model, citing that model first: map
/// rows the layer rule decides take the offering's first source, and the CCM file did not decide
/// them. The CCM file stays among the sources; its own rows cite their sheet and row.
fn layers_cited_first(mut draft: OfferingDraft) -> OfferingDraft {
    draft.sources.rotate_left(1);
    draft
}

/// One offering per model column of a CCM sheet (`csa/iaas`, ...): layer owners from srmap's
/// generic model, a row per control the column answers; noted.
fn model_offerings(
    catalog: &Catalog,
    table: &Table,
    stated: &Stated,
    models: &[(Model, Answers)],
    report: &mut ImportReport,
) -> Result<Vec<OfferingDraft>, Diagnostics> {
    let mut offerings = Vec::new();
    for (model, answers) in models {
        let mut offering = model_offering(catalog, table, stated, *model)?;
        offering.rows = control_rows(FRAMEWORK, table, answers, |_, list| {
            let owner = combined_owner(list);
            let (provider, customer) = duties(owner, label(*model));
            Duties {
                owner,
                provider,
                customer,
            }
        });
        offerings.push(offering);
    }
    for o in &offerings {
        report
            .notes
            .push(format!("offering {}: {} controls", o.id, o.rows.len()));
    }
    Ok(offerings)
}

/// The offering of one model column of a CCM sheet, with its layers and no rows yet.
fn model_offering(
    catalog: &Catalog,
    table: &Table,
    stated: &Stated,
    model: Model,
) -> Result<OfferingDraft, Diagnostics> {
    let file = &table.name;
    let id = format!("csa/{}", model.as_str());
    let summary = format!(
        "The CSA Cloud Controls Matrix's {} ownership column, imported from {file} by srmap import ccm. Layer owners are copied from srmap's generic {} model: the per-control rows are the CCM's.",
        label(model),
        model.as_str()
    );
    let draft = OfferingDraft::from_model(
        catalog,
        &id,
        &format!(
            "CSA CCM {} shared-responsibility model: {}",
            stated.label,
            label(model)
        ),
        model,
        &summary,
        (
            format!(
                "CSA Cloud Controls Matrix {} ({file}, imported)",
                stated.label
            ),
            file.clone(),
        ),
    )
    .map_err(|m| failure(Path::new(&table.file), Code::BadOffering, m))?;
    Ok(layers_cited_first(draft))
}

/// The offering a CAIQ describes (`--offering`, else `caiq/<file name>`): layer owners from
/// srmap's generic `--model` (SaaS), a row per control answered; noted.
fn caiq_offering(
    catalog: &Catalog,
    opts: &Options,
    table: &Table,
    release: Option<&Release>,
    answers: &Answers,
    report: &mut ImportReport,
) -> Result<OfferingDraft, Diagnostics> {
    let caiq = match release {
        Some(r) => r.label(),
        None => "CAIQ v4 (release not stated)".to_string(),
    };
    let file = &table.name;
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let offering_id = opts
        .offering
        .clone()
        .unwrap_or_else(|| format!("caiq/{}", slug(&stem)));
    let model = opts.model.unwrap_or(Model::Saas);
    let name = opts
        .name
        .clone()
        .unwrap_or_else(|| format!("{stem} (CAIQ answers)"));
    let summary = format!(
        "A provider's {caiq} answers (SSRM control ownership), imported from {file} by srmap import ccm: {} CCM controls. Layer owners are copied from srmap's generic {} model, not from the questionnaire: review them.",
        answers.len(),
        model.as_str()
    );
    let mut offering = layers_cited_first(
        OfferingDraft::from_model(
            catalog,
            &offering_id,
            &name,
            model,
            &summary,
            (format!("{caiq} answers {file} (imported)"), file.clone()),
        )
        .map_err(|m| failure(&opts.file, Code::BadOffering, m))?,
    );
    offering.rows = control_rows(FRAMEWORK, table, answers, |_, list| caiq_duties(list));
    let imported: usize = answers.values().map(Vec::len).sum();
    report.notes.push(format!(
        "offering {offering_id}: {} controls from {imported} answers; layers from the generic {} model (choose another with --model)",
        answers.len(),
        model.as_str()
    ));
    Ok(offering)
}

/// A control's owner from its questions' answers, and each party's part in the provider's
/// words (the questions' descriptions joined), else in srmap's.
fn caiq_duties(answers: &[Answer]) -> Duties {
    let owner = combined_owner(answers);
    let join = |pick: fn(&Answer) -> &str| {
        join_sentences(answers.iter().map(pick))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (mut provider, mut customer) = (join(|a| &a.provider), join(|a| &a.customer));
    let (p, c) = duties(owner, "this service");
    if provider.is_empty() {
        provider = p;
    }
    if customer.is_empty() {
        customer = c;
    }
    Duties {
        owner,
        provider,
        customer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_canonical_and_questions_give_their_control() {
        assert_eq!(parse_id("IAM-01"), Some(("IAM-01".into(), "IAM")));
        assert_eq!(parse_id("iam-1"), Some(("IAM-01".into(), "IAM")));
        assert_eq!(parse_id("A&A-02.3"), Some(("A&A-02".into(), "A&A")));
        assert_eq!(parse_id("XYZ-01"), None);
        assert_eq!(parse_id("IAM-"), None);
        assert_eq!(parse_id("IAM-01a"), None);
        assert_eq!(parse_id("Audit & Assurance - A&A"), None);
    }

    #[test]
    fn domain_layers_are_real_layers() {
        let layers = [
            "physical-facilities",
            "physical-network",
            "physical-hosts",
            "virtualization",
            "operating-system",
            "container-orchestration",
            "runtime-middleware",
            "network-controls",
            "application",
            "identity-infrastructure",
            "accounts-identities",
            "endpoints-devices",
            "data",
            "encryption-keys",
            "logging-monitoring",
            "backup-recovery",
            "incident-response",
            "governance-training",
        ];
        for d in DOMAINS {
            assert!(!d.2.is_empty());
            for l in d.2 {
                assert!(layers.contains(l), "{l}");
            }
        }
    }
}

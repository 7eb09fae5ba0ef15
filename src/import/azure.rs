//! Azure security baselines (`<service>-security-baseline.xlsx`, from MicrosoftDocs/
//! SecurityBenchmarks, CC-BY-4.0) -> framework `mcsb-v1` and one offering per baseline
//! (`azure/<service>-baseline`, or `--offering`), whose per-control rows combine the
//! responsibility of every feature listed for a benchmark control and whose facts
//! (`[[features]]`) come from the Feature Summary and the Security Profile. The built-in Azure
//! offerings are written with it (scripts/gen_azure_offerings.sh).

use std::path::{Path, PathBuf};

use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::answer::{combined_owner, control_rows, Answer, Answers, Duties};
use crate::import::data_dir::{
    self, slug, ControlDraft, ControlRow, Drafts, FrameworkDraft, OfferingDraft,
};
use crate::import::vocabulary;
use crate::import::{parse_model, ImportReport};
use crate::offering::{LayerDuty, Model};
use crate::party::Party;
use crate::table::normalize;
use crate::table::{failure, file_name, Row, Table, Workbook};

pub const FRAMEWORK: &str = "mcsb-v1";

pub const ATTRIBUTION: &str =
    "Microsoft cloud security benchmark service baselines, MicrosoftDocs/SecurityBenchmarks";

/// Microsoft cloud security benchmark domains: ID prefix, name, layers (srmap's choice) and
/// what evidence of one looks like (srmap's words).
pub const DOMAINS: [(&str, &str, &[&str], &str); 12] = [
    ("NS", "Network Security", &["network-controls"], "Network design, security group and firewall rules, and private access settings."),
    ("IM", "Identity Management", &["identity-infrastructure", "accounts-identities"], "Identity provider settings, authentication methods allowed and managed identity use."),
    ("PA", "Privileged Access", &["accounts-identities"], "Privileged role assignments, their reviews and just-in-time access records."),
    ("DP", "Data Protection", &["data", "encryption-keys"], "Data classification, encryption settings in transit and at rest, and key management records."),
    ("AM", "Asset Management", &["governance-training"], "The asset inventory and the policy assignments that restrict which services may be used."),
    ("LT", "Logging and Threat Detection", &["logging-monitoring"], "Diagnostic and audit log settings, threat detection plans and alert handling records."),
    ("IR", "Incident Response", &["incident-response"], "The incident response plan, contacts and records of incidents handled."),
    ("PV", "Posture and Vulnerability Management", &["operating-system", "application"], "Secure configuration baselines, compliance reports, vulnerability scans and patch records."),
    ("ES", "Endpoint Security", &["operating-system"], "Anti-malware and endpoint detection settings and their health reports for the servers."),
    ("BR", "Backup and Recovery", &["backup-recovery"], "Backup policies, backup job history and restore test results."),
    ("DS", "DevOps Security", &["application"], "Pipeline security settings, code scanning results and deployment approvals."),
    ("GS", "Governance and Strategy", &["governance-training"], "Approved security strategy, roles and policies with their review dates."),
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

/// `NS-1`, `ns-01` -> `NS-1`, if the prefix is a benchmark domain.
pub fn parse_id(s: &str) -> Option<String> {
    let (p, n) = s.trim().split_once('-')?;
    let d = domain(p.trim())?;
    let n: u32 = n.trim().parse().ok()?;
    Some(format!("{}-{n}", d.0))
}

/// Layers of the benchmark controls the service baselines name where the domain's layers are
/// broader than the control (srmap's choice): a control keeps only the layers it is about, so
/// that Microsoft's rows for, say, encryption at rest are not read as touching the customer's
/// data records.
pub const CONTROL_LAYERS: [(&str, &[&str]); 19] = [
    ("IM-1", &["identity-infrastructure"]),
    ("IM-3", &["identity-infrastructure", "accounts-identities"]),
    ("IM-5", &["identity-infrastructure"]),
    ("IM-7", &["identity-infrastructure"]),
    ("IM-8", &["accounts-identities", "application"]),
    ("PA-1", &["identity-infrastructure", "accounts-identities"]),
    ("PA-7", &["identity-infrastructure", "accounts-identities"]),
    ("PA-8", &["accounts-identities", "personnel"]),
    ("DP-1", &["data"]),
    ("DP-2", &["data", "logging-monitoring"]),
    ("DP-3", &["encryption-keys"]),
    ("DP-4", &["encryption-keys"]),
    ("DP-5", &["encryption-keys"]),
    ("DP-6", &["encryption-keys"]),
    ("DP-7", &["encryption-keys"]),
    ("DP-8", &["encryption-keys"]),
    ("AM-5", &["operating-system", "application"]),
    ("PV-3", &["operating-system"]),
    ("PV-7", &["application"]),
];

/// The layers srmap gives a benchmark control: its own entry in [`CONTROL_LAYERS`], else its
/// domain's.
pub fn control_layers(id: &str) -> Vec<String> {
    if let Some((_, l)) = CONTROL_LAYERS.iter().find(|(c, _)| *c == id) {
        return l.iter().map(|s| s.to_string()).collect();
    }
    let prefix = id.split('-').next().unwrap_or("");
    domain(prefix)
        .map(|d| d.2.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

/// The Microsoft Learn page of a service's baseline: `storage` ->
/// `https://learn.microsoft.com/en-us/security/benchmark/azure/baselines/storage-security-baseline`.
pub fn baseline_page(service: &str) -> String {
    format!("https://learn.microsoft.com/en-us/security/benchmark/azure/baselines/{service}-security-baseline")
}

pub const REPOSITORY: &str = "https://github.com/MicrosoftDocs/SecurityBenchmarks";

/// What `srmap import azure-baseline` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// One or more service baselines (<service>-security-baseline.xlsx)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Generic model the offerings' layers start from [default: from the security profile, or the --base offering's]
    #[arg(long, value_parser = parse_model)]
    pub model: Option<Model>,
    /// ID of the offering to write, provider/name (one baseline only) [default: azure/<service>-baseline]
    #[arg(long, visible_alias = "id", value_name = "ID")]
    pub offering: Option<String>,
    /// Display name of the offering (one baseline only)
    #[arg(long)]
    pub name: Option<String>,
    /// Existing offering whose layer table to start from instead of a generic model (one baseline only); with the same ID as --offering, the offering is regenerated in place
    #[arg(long, value_name = "ID")]
    pub base: Option<String>,
    /// Another ID the offering answers to (one baseline only); repeatable
    #[arg(long = "alias", value_name = "ID")]
    pub aliases: Vec<String>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub out: PathBuf,
}

/// `Feature Supported`: True, False, or Not Applicable (and anything else).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Support {
    Yes,
    No,
    NotApplicable,
}

/// A feature row as the facts read it (rows without a benchmark ID included).
struct FeatureRow {
    control: Option<String>,
    key: String,
    owner: Party,
    support: Support,
    on_by_default: bool,
    url: Option<String>,
    notes: String,
}

struct Profile {
    host_os: Option<String>,
    category: Option<String>,
}

fn profile(wb: &mut Workbook) -> Option<Profile> {
    let grid = wb.read("Security Profile").ok()?;
    let mut p = Profile {
        host_os: None,
        category: None,
    };
    let header = grid.rows.first()?;
    let value_col = header.find(|s| s == "value").unwrap_or(2);
    for row in &grid.rows {
        let key = normalize(&row.text(0));
        if key.starts_with("customer can access host") {
            p.host_os = Some(row.text(value_col)).filter(|v| !v.is_empty());
        } else if key == "product category" {
            p.category = Some(row.text(value_col));
        }
    }
    Some(p)
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first web address in a cell (`Title: https://...` or a Markdown link).
pub fn first_url(cell: &str) -> Option<String> {
    let i = cell.find("https://").or_else(|| cell.find("http://"))?;
    let rest = &cell[i..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '<' | '"' | '\''))
        .unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
    (url.len() > "https://x".len()).then(|| url.to_string())
}

fn bad_option(msg: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        Code::BadOption,
        crate::diagnostic::Location::file("srmap import azure-baseline"),
        msg,
    )])
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    import_each(catalog, &opts.out, std::slice::from_ref(opts))
}

/// What [`import`] would write, assembled but not yet checked with the loaders or written.
pub fn drafts(catalog: &Catalog, opts: &Options) -> Result<(Drafts, ImportReport), Diagnostics> {
    drafts_each(catalog, &opts.out, std::slice::from_ref(opts))
}

/// Import several baselines, each with its own options (their `out` is ignored), into `out`
/// in one write: what importing them one after the other into the same folder gives, checked
/// once (scripts/gen_azure_offerings.sh runs them one by one; tests/azure_builtin.rs uses this).
pub fn import_each(
    catalog: &Catalog,
    out: &Path,
    each: &[Options],
) -> Result<ImportReport, Diagnostics> {
    let (drafts, report) = drafts_each(catalog, out, each)?;
    drafts.write(out, catalog, report)
}

/// What [`import_each`] would write, assembled but not yet checked with the loaders or written
/// (`out` is read for the benchmark controls an earlier import wrote there).
fn drafts_each(
    catalog: &Catalog,
    out: &Path,
    each: &[Options],
) -> Result<(Drafts, ImportReport), Diagnostics> {
    for opts in each {
        let one_only = opts.offering.is_some()
            || opts.name.is_some()
            || opts.base.is_some()
            || !opts.aliases.is_empty();
        if one_only && opts.files.len() != 1 {
            return Err(bad_option(format!(
                "--offering, --name, --base and --alias describe one offering: give one baseline, not {}",
                opts.files.len()
            )));
        }
    }
    let mut report = ImportReport::default();
    let mut fw = benchmark();
    let mut offerings: Vec<OfferingDraft> = Vec::new();
    let mut files = 0;
    for opts in each {
        for path in &opts.files {
            files += 1;
            let o = one(catalog, path, opts, &mut fw, &mut report)?;
            // A later baseline written to the same offering replaces the earlier one.
            offerings.retain(|x| x.id != o.id);
            offerings.push(o);
        }
    }
    complete_benchmark(&mut fw, catalog, out, files, &mut report);
    let drafts = Drafts {
        frameworks: vec![fw],
        crosswalks: Vec::new(),
        offerings,
    };
    Ok((drafts, report))
}

/// The framework `mcsb-v1`, before any baseline adds its controls.
fn benchmark() -> FrameworkDraft {
    FrameworkDraft {
        id: FRAMEWORK.into(),
        name: "Microsoft cloud security benchmark".into(),
        version: "1".into(),
        publisher: "Microsoft".into(),
        source: REPOSITORY.into(),
        description: format!(
            "Control IDs and titles from the {ATTRIBUTION} (CC-BY-4.0), imported by srmap import azure-baseline. Layers come from srmap's domain and control tables: review them."
        ),
        id_prefixes: vec!["MCSB".into(), "ASB".into()],
        attestations: vec![vec![AttestationKind::Soc2Type2, AttestationKind::Iso27001Cert]],
        agreements: vec![],
        controls: Vec::new(),
    }
}

/// Keep the benchmark controls an earlier import into `out` and the catalog have that the
/// baselines did not name, put them in domain order, and note where they came from.
fn complete_benchmark(
    fw: &mut FrameworkDraft,
    catalog: &Catalog,
    out: &Path,
    files: usize,
    report: &mut ImportReport,
) {
    let new = fw.controls.len();
    let kept = fw.merge_existing(out);
    let known = fw.merge_catalog(catalog);
    let rank = |id: &str| {
        let (p, n) = id.split_once('-').unwrap_or((id, ""));
        (
            DOMAINS.iter().position(|d| d.0 == p).unwrap_or(usize::MAX),
            n.parse::<u32>().unwrap_or(u32::MAX),
        )
    };
    fw.controls.sort_by_key(|c| rank(&c.id));
    let mut also = Vec::new();
    if kept > 0 {
        also.push(format!(
            "{kept} kept from the earlier import in the output folder"
        ));
    }
    if known > 0 {
        also.push(format!(
            "{known} kept from the {FRAMEWORK} srmap already has"
        ));
    }
    report.notes.push(format!(
        "framework {FRAMEWORK}: {new} benchmark controls from {files} baseline{}{}",
        if files == 1 { "" } else { "s" },
        if also.is_empty() {
            String::new()
        } else {
            format!(" (and {})", also.join(", "))
        }
    ));
}

/// What the offering is built on: a generic model or an existing offering.
#[derive(Clone, Copy)]
enum Start<'a> {
    Model(Model),
    Offering(&'a crate::offering::Offering),
}

/// The columns of a Feature Summary sheet, 0-based, and the index of its header row.
struct SummaryColumns {
    header: usize,
    id: usize,
    responsibility: usize,
    title: Option<usize>,
    domain: Option<usize>,
    feature: Option<usize>,
    supported: Option<usize>,
    on_by_default: Option<usize>,
    reference: Option<usize>,
    notes: Option<usize>,
}

impl SummaryColumns {
    /// The header row (the first of ten naming `ASB Control ID`) and the columns under it.
    fn find(table: &Table) -> Result<SummaryColumns, Diagnostics> {
        let Some((h, header)) = table
            .rows
            .iter()
            .enumerate()
            .take(10)
            .find(|(_, r)| r.find(|s| s == "asb control id").is_some())
        else {
            return Err(table.missing_column("ASB Control ID"));
        };
        let col = |name: &str| header.find(|s| s == name);
        let Some(responsibility) = col("responsibility") else {
            return Err(table.missing_column("Responsibility"));
        };
        Ok(SummaryColumns {
            header: h,
            id: col("asb control id").expect("found above"),
            responsibility,
            title: col("asb control title"),
            domain: col("control domain"),
            feature: col("feature name"),
            supported: col("feature supported"),
            on_by_default: col("feature enabled by default"),
            reference: col("feature reference"),
            notes: col("feature notes"),
        })
    }

    /// `Feature Enabled by Default` is `True`.
    fn on_by_default(&self, row: &Row) -> bool {
        self.on_by_default
            .is_some_and(|c| normalize(&row.text(c)) == "true")
    }
}

/// What one service baseline says: its Feature Summary as answers per benchmark control, the
/// benchmark controls it names, its feature rows and its security profile.
struct Baseline {
    /// The Feature Summary sheet, whose rows the per-control rows cite.
    table: Table,
    /// The workbook's file name.
    file: String,
    /// The service, from the file name (`app-service`).
    service: String,
    controls: Vec<ControlDraft>,
    answers: Answers,
    features: Vec<FeatureRow>,
    /// Security profile: `Customer can access host / OS`, if given.
    host: Option<String>,
    /// Security profile: `Product Category`.
    category: String,
}

/// Read a service baseline into what it says (rows read, imported and skipped go to `report`).
fn read(path: &Path, report: &mut ImportReport) -> Result<Baseline, Diagnostics> {
    let mut wb = Workbook::open_for_import(path)?;
    let table = wb.read("Feature Summary")?;
    let cols = SummaryColumns::find(&table)?;
    let mut controls = Vec::new();
    let mut answers = Answers::new();
    let mut features = Vec::new();
    for row in table.rows.iter().skip(cols.header + 1) {
        if row.is_blank() {
            continue;
        }
        report.read += 1;
        features.extend(FeatureRow::read(row, &cols));
        match benchmark_answer(row, &cols) {
            Ok((control, answer)) => {
                report.imported += 1;
                if !controls.iter().any(|c: &ControlDraft| c.id == control.id) {
                    controls.push(control.clone());
                }
                answers.entry(control.id).or_default().push(answer);
            }
            Err(why) => report.skip(table.at(row.line), why),
        }
    }
    let file = file_name(path);
    let stem = Path::new(&file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prof = profile(&mut wb);
    Ok(Baseline {
        service: slug(stem.trim_end_matches("-security-baseline")),
        file,
        table,
        controls,
        answers,
        features,
        host: prof.as_ref().and_then(|p| p.host_os.clone()),
        category: prof.and_then(|p| p.category).unwrap_or_default(),
    })
}

impl FeatureRow {
    /// A Feature Summary row as the facts read it: one that names a feature and gives a known
    /// responsibility.
    fn read(row: &Row, cols: &SummaryColumns) -> Option<FeatureRow> {
        let feature = cols.feature.map(|c| row.text(c)).unwrap_or_default();
        let owner = vocabulary::owner(&row.text(cols.responsibility))?;
        if feature.is_empty() {
            return None;
        }
        Some(FeatureRow {
            control: parse_id(&row.text(cols.id)),
            key: normalize(&feature),
            owner,
            support: match cols.supported.map(|c| normalize(&row.text(c))).as_deref() {
                Some("true") => Support::Yes,
                Some("false") => Support::No,
                _ => Support::NotApplicable,
            },
            on_by_default: cols.on_by_default(row),
            url: cols.reference.and_then(|c| first_url(&row.text(c))),
            notes: cols.notes.map(|c| row.text(c)).unwrap_or_default(),
        })
    }
}

/// The benchmark control a Feature Summary row is about and its answer for that control, or why
/// the row gives none.
fn benchmark_answer(row: &Row, cols: &SummaryColumns) -> Result<(ControlDraft, Answer), String> {
    let raw = row.text(cols.id);
    let feature = cols.feature.map(|c| row.text(c)).unwrap_or_default();
    if raw.is_empty() {
        return Err(format!("no ASB control ID (feature `{feature}`)"));
    }
    let Some(id) = parse_id(&raw) else {
        return Err(format!(
            "`{raw}` is not a Microsoft cloud security benchmark control ID"
        ));
    };
    let value = row.text(cols.responsibility);
    if value.is_empty() {
        return Err("no Responsibility value".into());
    }
    let Some(owner) = vocabulary::owner(&value) else {
        return Err(vocabulary::unknown(&value));
    };
    let text = |c: Option<usize>| c.map(|c| row.text(c)).unwrap_or_default();
    let control = benchmark_control(&id, text(cols.title), text(cols.domain));
    let name = if feature.is_empty() || normalize(&feature) == "no related feature" {
        "(no related feature)".to_string()
    } else {
        feature
    };
    // Both parties' sentences name the feature, and say when the provider turns it on.
    let words = if cols.on_by_default(row) && owner.provider_involved() {
        format!("{name} (on by default)")
    } else {
        name.clone()
    };
    let answer = Answer {
        line: row.line,
        owner,
        value,
        label: name,
        provider: words.clone(),
        customer: words,
    };
    Ok((control, answer))
}

/// A benchmark control a baseline names: its title and domain as the baseline gives them (else
/// srmap's), srmap's layers and evidence.
fn benchmark_control(id: &str, title: String, group: String) -> ControlDraft {
    let prefix = id.split('-').next().unwrap_or("");
    let d = domain(prefix).expect("parse_id gives known prefixes");
    ControlDraft {
        id: id.to_string(),
        title: if title.is_empty() {
            format!("Benchmark control {id}")
        } else {
            title
        },
        group: if group.is_empty() {
            d.1.to_string()
        } else {
            group
        },
        kind: "control".into(),
        parent: String::new(),
        layers: control_layers(id),
        cadence: "annual".into(),
        evidence: d.3.to_string(),
    }
}

impl Start<'_> {
    /// Where the layer owners come from, for the summary and the notes.
    fn origin(&self) -> String {
        match self {
            Start::Model(m) => format!("srmap's generic {} model", m.as_str()),
            Start::Offering(o) => o.id.clone(),
        }
    }
}

/// Import one baseline: read it, add the benchmark controls it names to `fw`, and assemble its
/// offering.
fn one(
    catalog: &Catalog,
    path: &Path,
    opts: &Options,
    fw: &mut FrameworkDraft,
    report: &mut ImportReport,
) -> Result<OfferingDraft, Diagnostics> {
    let baseline = read(path, report)?;
    for c in &baseline.controls {
        fw.add(c.clone());
    }
    offering(catalog, path, opts, &baseline, report)
}

/// The offering a baseline describes: layers from its start, then the baseline's sources,
/// layers, facts and per-control rows.
fn offering(
    catalog: &Catalog,
    path: &Path,
    opts: &Options,
    baseline: &Baseline,
    report: &mut ImportReport,
) -> Result<OfferingDraft, Diagnostics> {
    let id = opts
        .offering
        .as_deref()
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| format!("azure/{}-baseline", baseline.service));
    let start = start(catalog, path, opts, baseline)?;
    let in_place = matches!(start, Start::Offering(o) if o.id.eq_ignore_ascii_case(&id));
    let mut offering = match start {
        Start::Model(model) => {
            OfferingDraft::from_model(catalog, &id, "", model, "", (String::new(), String::new()))
        }
        Start::Offering(o) => OfferingDraft::from_offering(o, &id, FRAMEWORK),
    }
    .map_err(|m| failure(path, Code::BadOffering, m))?;
    if let Some(m) = opts.model {
        offering.model = m;
    }
    offering.name = match &opts.name {
        Some(n) => n.trim().to_string(),
        None if in_place => offering.name.clone(),
        None => format!(
            "{} (Azure security baseline)",
            title_case(&baseline.service)
        ),
    };
    // Aliases come from the options alone, so that regenerating in place never keeps one the
    // table no longer gives.
    offering.aliases.clear();
    for a in &opts.aliases {
        let a = a.trim().to_string();
        if !a.is_empty() && !offering.aliases.contains(&a) {
            offering.aliases.push(a);
        }
    }
    cite_sources(&mut offering, start, in_place, baseline);
    if let (Some(host), Start::Model(_)) = (&baseline.host, start) {
        host_layer(&mut offering, host, report);
    }
    personnel_layer(catalog, &mut offering, start);
    add_facts(catalog, &mut offering, baseline, report);
    offering.rows = benchmark_rows(catalog, &id, baseline, report);
    describe(&mut offering, start, in_place, baseline);
    report.notes.push(format!(
        "offering {id}: {} facts, {} controls, layers from {}",
        offering.facts.len(),
        baseline.answers.len(),
        start.origin()
    ));
    Ok(offering)
}

/// `--base`, else `--model`, else the model the security profile suggests.
fn start<'c>(
    catalog: &'c Catalog,
    path: &Path,
    opts: &Options,
    baseline: &Baseline,
) -> Result<Start<'c>, Diagnostics> {
    if let Some(b) = &opts.base {
        return catalog
            .offering(b)
            .map(Start::Offering)
            .map_err(|e| failure(path, Code::UnknownOffering, format!("--base: {e}")));
    }
    Ok(Start::Model(opts.model.unwrap_or_else(|| {
        match baseline.host.as_deref().map(normalize).as_deref() {
            Some("full access") => Model::Iaas,
            _ if normalize(&baseline.category).contains("containers") => Model::Containers,
            _ => Model::Paas,
        }
    })))
}

/// Sources: the baseline's page and the attributed repository, then what the start cites
/// (regenerating in place: what the offering cited before, then the page and the repository
/// written afresh).
fn cite_sources(offering: &mut OfferingDraft, start: Start, in_place: bool, baseline: &Baseline) {
    let page = baseline_page(&baseline.service);
    let inherited: Vec<(String, String)> = match start {
        _ if in_place => std::mem::take(&mut offering.sources),
        Start::Model(_) => offering
            .sources
            .drain(..)
            .filter(|(t, u)| !t.is_empty() && u.contains("learn.microsoft.com"))
            .collect(),
        Start::Offering(o) => o
            .sources
            .iter()
            .filter(|s| {
                s.url.contains("learn.microsoft.com") && !s.url.contains("/security/benchmark/")
            })
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect(),
    };
    let own = [
        (
            format!(
                "Microsoft Learn: Azure security baseline for {}",
                offering.name
            ),
            page.clone(),
        ),
        (
            format!("{ATTRIBUTION} (CC-BY-4.0): {}", baseline.file),
            REPOSITORY.to_string(),
        ),
    ];
    let (kept, after) = if in_place {
        let kept = inherited
            .into_iter()
            .filter(|(_, u)| *u != page && u != REPOSITORY)
            .collect();
        (kept, Vec::new())
    } else {
        (Vec::new(), inherited)
    };
    offering.sources = kept;
    for (t, u) in own.iter().chain(&after) {
        offering.add_source(t, u);
    }
}

/// The operating-system layer as the security profile's `Customer can access host / OS` gives
/// it (on a generic start only: a hand-written layer table is kept as it is).
fn host_layer(offering: &mut OfferingDraft, host: &str, report: &mut ImportReport) {
    let (owner, provider, customer) = match normalize(host).as_str() {
        "no access" => (
            Party::Provider,
            "Microsoft runs and patches the hosts and operating systems under the service.",
            "Nothing to patch: the service gives no access to the host or its operating system.",
        ),
        "full access" => (
            Party::Customer,
            "Microsoft supplies the images and platform updates.",
            "Harden, patch and protect the operating system you have full access to.",
        ),
        _ => (
            Party::Shared,
            "Microsoft runs the hosts and most of the operating system under the service.",
            "Secure the parts of the host or operating system the service lets you reach.",
        ),
    };
    offering.layers.insert(
        "operating-system".into(),
        LayerDuty {
            owner,
            provider: provider.into(),
            customer: customer.into(),
            scope: false,
        },
    );
    report.notes.push(format!(
        "{}: operating-system layer is {owner} (security profile: customer can access host / OS = {host})",
        offering.id
    ));
}

/// Personnel: Microsoft's staff and the customer's own, always shared on a cloud offering
/// (unless the start offering has its own personnel layer).
fn personnel_layer(catalog: &Catalog, offering: &mut OfferingDraft, start: Start) {
    let keep_personnel = matches!(start, Start::Offering(_))
        && offering.layers.get("personnel").is_some_and(|d| !d.scope);
    if !catalog.layers.contains("personnel") || keep_personnel {
        return;
    }
    let name = &offering.name;
    let duty = LayerDuty {
        owner: Party::Shared,
        provider: format!(
            "Microsoft screens and trains the staff who run the data centres and {name}."
        ),
        customer: format!(
            "Screen and train your own administrators and developers who manage {name}, and remove their access when they leave."
        ),
        scope: false,
    };
    offering.layers.insert("personnel".into(), duty);
}

/// The facts the baseline gives, checked against frameworks/features.csv: a responsibility the
/// feature's default does not allow moves to the nearest that fits (noted), a fact that cannot
/// stand is left out (noted). A fact replaces what the start said about the same feature.
fn add_facts(
    catalog: &Catalog,
    offering: &mut OfferingDraft,
    baseline: &Baseline,
    report: &mut ImportReport,
) {
    let id = offering.id.clone();
    let page = baseline_page(&baseline.service);
    let mut skipped_facts = Vec::new();
    for mut fact in facts(&baseline.features, baseline.host.as_deref(), &page) {
        let Some(feature) = catalog.features.get(&fact.feature) else {
            skipped_facts.push(format!("{} (not in features.csv)", fact.feature));
            continue;
        };
        let Some(value) = feature.value(&fact.default) else {
            skipped_facts.push(format!(
                "{} {} (not an allowed default)",
                fact.feature, fact.default
            ));
            continue;
        };
        if !value.responsibilities.contains(&fact.responsibility) {
            // frameworks/features.csv says who can be responsible with this default (`off`: the
            // customer must act); the baseline's word moves to the nearest that fits, shared first.
            let fits = &value.responsibilities;
            let nearest = if fits.contains(&Party::Shared) {
                Party::Shared
            } else {
                fits[0]
            };
            report.notes.push(format!(
                "{id}: {} is `{}`: the baseline's {} becomes {nearest} (frameworks/features.csv)",
                fact.feature, fact.default, fact.responsibility
            ));
            fact.responsibility = nearest;
        }
        let absent = offering
            .layers
            .get(&feature.layer)
            .is_some_and(|d| d.owner == Party::NotApplicable);
        if absent && fact.responsibility != Party::NotApplicable {
            skipped_facts.push(format!(
                "{} (layer {} is not applicable on this offering)",
                fact.feature, feature.layer
            ));
            continue;
        }
        offering.facts.retain(|f| f.feature != fact.feature);
        offering.facts.push(fact);
    }
    offering
        .facts
        .sort_by_key(|f| catalog.features.position(&f.feature));
    if !skipped_facts.is_empty() {
        report.notes.push(format!(
            "{id}: facts left out: {}",
            skipped_facts.join("; ")
        ));
    }
}

/// Per-control rows over the benchmark, under srmap's owner model (rows it changes are noted).
fn benchmark_rows(
    catalog: &Catalog,
    id: &str,
    baseline: &Baseline,
    report: &mut ImportReport,
) -> Vec<ControlRow> {
    let mut adjusted = 0;
    let rows = control_rows(
        FRAMEWORK,
        &baseline.table,
        &baseline.answers,
        |control, features| {
            let duties = benchmark_duties(catalog, control, features);
            if duties.owner != combined_owner(features) {
                adjusted += 1;
            }
            duties
        },
    );
    if adjusted > 0 {
        report.notes.push(format!(
            "{id}: {adjusted} benchmark {} srmap's owner model instead of the baseline's word (a control on the customer's accounts, data or governance is never Microsoft's alone); the baseline's word is kept in source_value",
            if adjusted == 1 { "row follows" } else { "rows follow" }
        ));
    }
    rows
}

/// A benchmark control's owner under srmap's owner model and what each party does: the features
/// each is involved in, and the customer's own layers the control covers when the model moved
/// the owner towards the customer.
fn benchmark_duties(catalog: &Catalog, control: &str, features: &[Answer]) -> Duties {
    let said = combined_owner(features);
    let layers = control_layers(control);
    let owner = owner_model(catalog, &layers, said);
    let list = |pick: fn(Party) -> bool, words: fn(&Answer) -> &String| {
        features
            .iter()
            .filter(|f| pick(f.owner))
            .map(|f| words(f).clone())
            .collect::<Vec<_>>()
    };
    let provider = match list(Party::provider_involved, |f| &f.provider).as_slice() {
        [] => String::new(),
        l => format!("Microsoft provides: {}.", l.join("; ")),
    };
    let mut customer = match list(Party::customer_involved, |f| &f.customer).as_slice() {
        [] => String::new(),
        l => format!(
            "Configure and operate: {} (see the baseline's guidance).",
            l.join("; ")
        ),
    };
    if owner != said && owner.customer_involved() {
        let yours = always_customer(catalog, &layers);
        customer = if customer.is_empty() {
            yours
        } else {
            format!("{customer} {yours}")
        };
    }
    Duties {
        owner,
        provider,
        customer,
    }
}

/// `The data this control covers stay yours ...`: the layers among `layers` that are always the
/// customer's.
fn always_customer(catalog: &Catalog, layers: &[String]) -> String {
    let names: Vec<String> = layers
        .iter()
        .filter(|l| catalog.layers.get(l).and_then(|x| x.always) == Some(Party::Customer))
        .map(|l| {
            catalog
                .layers
                .get(l)
                .map(|x| x.name.to_lowercase())
                .unwrap_or_else(|| l.clone())
        })
        .collect();
    format!(
        "The {} this control covers stay yours whatever the features do: manage and review them.",
        names.join(" and ")
    )
}

/// The summary (unless regenerating in place, which keeps the offering's own) and the header.
fn describe(offering: &mut OfferingDraft, start: Start, in_place: bool, baseline: &Baseline) {
    let file = &baseline.file;
    if !in_place {
        offering.summary = format!(
            "{} as its Microsoft cloud security benchmark baseline describes it ({ATTRIBUTION}, CC-BY-4.0), imported from {file} by srmap import azure-baseline: {} facts and {} benchmark controls. Layer owners are copied from {}{}: review them.",
            offering.name,
            offering.facts.len(),
            baseline.answers.len(),
            start.origin(),
            if baseline.host.is_some() && matches!(start, Start::Model(_)) {
                ", except the operating system, which follows the baseline's security profile"
            } else {
                ""
            }
        );
    }
    offering.header = vec![
        if in_place {
            format!("Written by `srmap import azure-baseline` from {file}, over the layers, summary and other sources this offering had before.")
        } else {
            format!("Written by `srmap import azure-baseline` from {file}: check the layer owners and the summary before relying on them.")
        },
        format!("Facts and per-control rows: {ATTRIBUTION} (CC-BY-4.0); the sentences are srmap's own words."),
    ];
}

/// A row's owner under srmap's owner model: a control whose layers are all always the
/// customer's (data, accounts, governance) is the customer's; one that touches such a layer is
/// never the provider's alone (and the same the other way round for always-provider layers).
fn owner_model(catalog: &Catalog, layers: &[String], said: Party) -> Party {
    let always = |p: Party| {
        layers
            .iter()
            .filter(|l| catalog.layers.get(l).and_then(|x| x.always) == Some(p))
            .count()
    };
    let (cust, prov) = (always(Party::Customer), always(Party::Provider));
    if !layers.is_empty() && cust == layers.len() {
        return Party::Customer;
    }
    if !layers.is_empty() && prov == layers.len() {
        return Party::Provider;
    }
    match said {
        Party::Provider if cust > 0 => Party::Shared,
        Party::Customer if prov > 0 => Party::Shared,
        p => p,
    }
}

/// The feature rows of one baseline feature (a feature may be listed twice).
struct Group<'a> {
    rows: Vec<&'a FeatureRow>,
}

impl<'a> Group<'a> {
    fn of(rows: &'a [FeatureRow], names: &[&str]) -> Group<'a> {
        Group {
            rows: rows
                .iter()
                .filter(|r| names.iter().any(|n| r.key == *n))
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn supported(&self) -> bool {
        self.rows.iter().any(|r| r.support == Support::Yes)
    }

    fn on(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.support == Support::Yes && r.on_by_default)
    }

    /// Every row says `Not Applicable` (rather than `False`) under Feature Supported.
    fn not_applicable(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.support == Support::NotApplicable)
    }

    fn owner(&self) -> Party {
        Party::combine(self.rows.iter().map(|r| r.owner))
    }

    fn mcsb(&self, usual: &str) -> String {
        self.rows
            .iter()
            .find_map(|r| r.control.clone())
            .unwrap_or_else(|| usual.to_string())
    }

    /// The reference of the rows that decided the default (enabled, then supported), else of
    /// any row, else the baseline's page.
    fn source(&self, page: &str) -> String {
        let pick = |f: &dyn Fn(&FeatureRow) -> bool| {
            self.rows
                .iter()
                .filter(|r| f(r))
                .find_map(|r| r.url.clone())
        };
        pick(&|r| r.support == Support::Yes && r.on_by_default)
            .or_else(|| pick(&|r| r.support == Support::Yes))
            .or_else(|| pick(&|_| true))
            .unwrap_or_else(|| page.to_string())
    }

    /// The fact of this feature: its `default`, the rows' owner, the sentences, the reference
    /// that decided it and the benchmark control it answers (`usual_mcsb` if the rows name none).
    fn fact(
        &self,
        feature: &str,
        default: &str,
        words: (String, String),
        page: &str,
        usual_mcsb: &str,
    ) -> data_dir::FactRow {
        fact(
            feature,
            default,
            self.owner(),
            words,
            self.source(page),
            self.mcsb(usual_mcsb),
        )
    }

    fn notes(&self) -> String {
        self.rows
            .iter()
            .map(|r| r.notes.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Feature names as the baselines spell them (normalised).
const PLATFORM_KEYS: &str = "data at rest encryption using platform keys";
const CMK: &str = "data at rest encryption using cmk";
const IN_TRANSIT: &str = "data in transit encryption";
const DISABLE_PUBLIC: &str = "disable public network access";
const PRIVATE_LINK: &str = "azure private link";
const VNET: &str = "virtual network integration";
const RESOURCE_LOGS: &str = "azure resource logs";
const NATIVE_BACKUP: &str = "service native backup capability";
const AZURE_BACKUP: &str = "azure backup";
const ENTRA_AUTH: &str = "azure ad authentication required for data plane access";

/// Notes that say encryption cannot be switched off.
fn cannot_disable(notes: &str) -> bool {
    [
        "cannot be disabled",
        "can't be disabled",
        "cannot be turned off",
        "can't be turned off",
        "cannot configure the feature",
    ]
    .iter()
    .any(|p| notes.contains(p))
}

fn fact(
    feature: &str,
    default: &str,
    responsibility: Party,
    (provider, customer_action): (String, String),
    source: String,
    mcsb: String,
) -> data_dir::FactRow {
    data_dir::FactRow {
        feature: feature.into(),
        default: default.into(),
        responsibility,
        provider,
        customer_action,
        source,
        mcsb,
    }
}

fn words(p: &str, c: &str) -> (String, String) {
    (p.to_string(), c.to_string())
}

/// Sentences for a feature the baseline lists as not supported (`False`) or not applicable.
fn absent(g: &Group, what: &str, instead: &str) -> (String, String) {
    if g.not_applicable() {
        (
            format!("The baseline marks {what} as not applicable to this service."),
            format!("Nothing to do for {what} on this service."),
        )
    } else {
        (
            format!("The service does not offer {what}."),
            instead.to_string(),
        )
    }
}

/// The sentences of a feature that is on by default, can be turned on, or is not offered
/// (`absent`: what it is, and what to do instead).
struct OnOff {
    on: (&'static str, &'static str),
    off: (&'static str, &'static str),
    absent: (&'static str, &'static str),
}

/// The fact of a feature the baseline lists as on by default (`on`), supported (`off`) or
/// neither (`not-supported`), if it lists it at all.
fn on_off_fact(
    g: &Group,
    feature: &str,
    usual_mcsb: &str,
    page: &str,
    sentences: OnOff,
) -> Option<data_dir::FactRow> {
    if g.is_empty() {
        return None;
    }
    let (default, words) = if g.on() {
        ("on", words(sentences.on.0, sentences.on.1))
    } else if g.supported() {
        ("off", words(sentences.off.0, sentences.off.1))
    } else {
        let (what, instead) = sentences.absent;
        ("not-supported", absent(g, what, instead))
    };
    Some(g.fact(feature, default, words, page, usual_mcsb))
}

/// The facts a baseline gives: feature rows and the security profile, mapped as
/// docs/importers.md describes.
fn facts(rows: &[FeatureRow], host: Option<&str>, page: &str) -> Vec<data_dir::FactRow> {
    let from_rows = [
        encryption_at_rest,
        customer_managed_keys,
        encryption_in_transit,
        public_access,
        audit_logging,
        backups,
    ];
    let mut out: Vec<data_dir::FactRow> = from_rows.iter().filter_map(|f| f(rows, page)).collect();
    if let Some(h) = host {
        out.extend(host_facts(h, page));
    }
    out.extend(identity_integration(rows, page));
    out
}

/// `encryption-at-rest`: platform-managed keys for stored data.
fn encryption_at_rest(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let g = Group::of(rows, &[PLATFORM_KEYS]);
    if g.is_empty() {
        return None;
    }
    let (default, words) = if g.on() && cannot_disable(&g.notes()) {
        ("always-on", words(
            "Microsoft encrypts stored data with platform-managed keys, and the encryption cannot be turned off.",
            "Nothing to enable; add customer-managed keys only where a rule asks for them.",
        ))
    } else if g.on() {
        (
            "on",
            words(
                "Microsoft encrypts stored data with platform-managed keys by default.",
                "Keep it on; nothing to enable.",
            ),
        )
    } else if g.supported() {
        ("off", words(
            "The service can encrypt stored data with platform-managed keys once it is turned on.",
            "Turn on encryption at rest when you create or configure the resource, and check that it stays on.",
        ))
    } else {
        ("not-supported", absent(
            &g,
            "encryption of stored data with platform-managed keys",
            "Protect stored data by other means, such as encrypting it before it reaches the service.",
        ))
    };
    Some(g.fact("encryption-at-rest", default, words, page, "DP-4"))
}

/// `customer-managed-keys`: encryption with the customer's own key.
fn customer_managed_keys(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let g = Group::of(rows, &[CMK]);
    if g.is_empty() {
        return None;
    }
    let (default, words) = if g.supported() {
        ("supported", words(
            "Microsoft lets you encrypt the service's data with your own key from Azure Key Vault.",
            "Decide whether a rule requires your own keys; if it does, configure them and control their rotation and access.",
        ))
    } else {
        ("not-supported", absent(
            &g,
            "customer-managed keys",
            "Where a rule requires your own keys, encrypt the data before it reaches the service or choose another service.",
        ))
    };
    Some(g.fact("customer-managed-keys", default, words, page, "DP-5"))
}

/// `encryption-in-transit`: TLS on connections to the service.
fn encryption_in_transit(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let sentences = OnOff {
        on: (
            "Microsoft encrypts connections to the service with TLS by default.",
            "Keep encrypted connections required and set the minimum TLS version where the service lets you.",
        ),
        off: (
            "The service supports encrypted connections but does not require them by default.",
            "Require TLS on the resource (HTTPS only, a minimum TLS version) and on its clients.",
        ),
        absent: (
            "encryption of its connections",
            "Protect the traffic by other means, such as a VPN or encryption in the application.",
        ),
    };
    on_off_fact(
        &Group::of(rows, &[IN_TRANSIT]),
        "encryption-in-transit",
        "DP-3",
        page,
        sentences,
    )
}

/// `public-access`: `Feature Enabled by Default` of "Disable Public Network Access" says that
/// public access is already disabled. A service that cannot disable it gets no fact: the
/// baseline does not say whether it is reachable at all.
fn public_access(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let g = Group::of(rows, &[DISABLE_PUBLIC]);
    if !g.supported() {
        return None;
    }
    let private_link = Group::of(rows, &[PRIVATE_LINK]).supported();
    let vnet = Group::of(rows, &[VNET]).supported();
    let reach = match (private_link, vnet) {
        (true, true) => " and reach the service through private endpoints (Private Link) or your virtual network",
        (true, false) => " and reach the service through private endpoints (Private Link)",
        (false, true) => " and reach the service from your virtual network",
        (false, false) => "",
    };
    let (default, words) = if g.on() {
        ("blocked", (
            "Microsoft keeps public network access to the service disabled until the customer enables it.".to_string(),
            format!("Keep public network access off; if you must open it, allow only the addresses you need{reach}."),
        ))
    } else {
        ("open", (
            "The service accepts connections from public networks by default; it can be closed to them.".to_string(),
            format!("Disable public network access or limit it with firewall rules{reach}."),
        ))
    };
    Some(g.fact("public-access", default, words, page, "NS-2"))
}

/// `audit-logging`: the service's resource logs.
fn audit_logging(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let sentences = OnOff {
        on: (
            "The service records its resource logs by default.",
            "Send the logs where you review them and keep them as long as your rules require.",
        ),
        off: (
            "The service can produce resource logs, but only once a diagnostic setting sends them somewhere.",
            "Create a diagnostic setting that sends the resource logs to a Log Analytics workspace, storage account or event hub, and review them.",
        ),
        absent: (
            "resource logs",
            "Rely on the Azure Activity Log for management operations and log in your application where you need more.",
        ),
    };
    on_off_fact(
        &Group::of(rows, &[RESOURCE_LOGS]),
        "audit-logging",
        "LT-4",
        page,
        sentences,
    )
}

/// `backups`: the service's own backups or Azure Backup.
fn backups(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let g = Group::of(rows, &[NATIVE_BACKUP, AZURE_BACKUP]);
    if g.is_empty() {
        return None;
    }
    let (default, words) = if g.on() {
        (
            "automatic",
            words(
                "The service backs up the customer's data automatically.",
                "Check that the retention meets your rules, and test restores.",
            ),
        )
    } else if g.supported() {
        ("off", words(
            "The service can be backed up (with its own backup feature or Azure Backup), but nothing is backed up until the customer sets it up.",
            "Set up backups with a schedule and retention that meet your rules, and test restores.",
        ))
    } else {
        (
            "not-supported",
            if g.not_applicable() {
                words(
                    "The baseline marks backups as not applicable to this service.",
                    "Nothing to back up on this service.",
                )
            } else {
                words(
                "The service has no backup feature of its own and Azure Backup does not cover it.",
                "Keep the data and configuration recoverable by other means, such as exports or redeploying from code.",
            )
            },
        )
    };
    Some(g.fact("backups", default, words, page, "BR-1"))
}

/// `os-patching` and `host-access`: what the security profile's `Customer can access host / OS`
/// (`host`) means for each.
fn host_facts(host: &str, page: &str) -> Vec<data_dir::FactRow> {
    let (access, patching, owner, a_words, p_words) = match normalize(host).as_str() {
        "no access" => ("none", "provider", Party::Provider, words(
            "Microsoft runs the hosts and operating systems under the service; customers cannot sign in to them.",
            "Nothing to control: the service gives no access to the host or its operating system.",
        ), words(
            "Microsoft patches the operating system under the service.",
            "Nothing to patch: the operating system is out of your reach.",
        )),
        "full access" => ("full", "customer", Party::Customer, words(
            "Microsoft runs the physical hosts and the hypervisor; the customer gets full administrative access to the operating system.",
            "Control, log and review administrative access to the operating system.",
        ), words(
            "Microsoft supplies patched images and the platform under the operating system.",
            "Patch and harden the operating system on a schedule, for example with Azure Update Manager.",
        )),
        _ => ("limited", "shared", Party::Shared, words(
            "Microsoft runs the hosts and gives customers only limited access to them (for example read-only).",
            "Decide who may use the host access the service gives, and review it.",
        ), words(
            "Microsoft patches the hosts and the operating system under the service.",
            "Keep up to date whatever the service lets you install or change on the host.",
        )),
    };
    vec![
        fact(
            "os-patching",
            patching,
            owner,
            p_words,
            page.to_string(),
            String::new(),
        ),
        fact(
            "host-access",
            access,
            owner,
            a_words,
            page.to_string(),
            String::new(),
        ),
    ]
}

/// `identity-integration`: Microsoft Entra ID for data-plane access.
fn identity_integration(rows: &[FeatureRow], page: &str) -> Option<data_dir::FactRow> {
    let sentences = OnOff {
        on: (
            "Data-plane access goes through Microsoft Entra ID by default.",
            "Manage the Entra accounts, roles and Conditional Access policies that reach the data plane.",
        ),
        off: (
            "The service supports Microsoft Entra ID for data-plane access but does not require it by default.",
            "Set up Entra authentication and turn off local or key-based access where the service lets you.",
        ),
        absent: (
            "Microsoft Entra ID sign-in for data-plane access",
            "Protect and rotate the service's own keys or local accounts, and limit who holds them.",
        ),
    };
    on_off_fact(
        &Group::of(rows, &[ENTRA_AUTH]),
        "identity-integration",
        "IM-1",
        page,
        sentences,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_ids() {
        assert_eq!(parse_id("NS-1"), Some("NS-1".into()));
        assert_eq!(parse_id("im-08"), Some("IM-8".into()));
        assert_eq!(parse_id("None"), None);
        assert_eq!(parse_id("XX-1"), None);
        assert_eq!(title_case("app-service"), "App Service");
    }
}

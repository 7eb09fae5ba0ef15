//! `srmap import FORMAT ...`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Subcommand;
use srmap::diagnostic::Diagnostics;
use srmap::import::fedramp::Baseline;
use srmap::import::{azure, ccm, fedramp, matrix, oscal, prowler, ImportReport};
use srmap::offering::Model;
use srmap::Catalog;

use super::report_problems;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

fn parse_model(s: &str) -> Result<Model, String> {
    Model::parse(s).ok_or_else(|| {
        format!(
            "`{s}` is not a service model: use {}",
            Model::ALL.map(|m| m.as_str()).join(", ")
        )
    })
}

fn parse_baseline(s: &str) -> Result<Baseline, String> {
    Baseline::parse(s).ok_or_else(|| {
        format!("`{s}` is not a FedRAMP baseline: use high, moderate, low or li-saas")
    })
}

#[derive(Debug, Subcommand)]
enum Format {
    /// A FedRAMP CIS/CRM workbook (SSP Appendix J, Rev5 or Rev4) -> an offering matrix over NIST SP 800-53 r5
    FedrampCrm(FedrampArgs),
    /// CSA CCM v4 (IaaS/PaaS/SaaS ownership) or CAIQ v4 answers -> framework csa-ccm-4 and offerings
    Ccm(CcmArgs),
    /// Azure security baselines (*-security-baseline.xlsx) -> framework mcsb-v1 and azure/<service>-baseline offerings
    AzureBaseline(AzureArgs),
    /// An OSCAL catalog (JSON), optionally narrowed by a profile -> a framework
    OscalCatalog(OscalArgs),
    /// Prowler compliance CSV (scan results) -> evidence register rows, one per control
    Prowler(ProwlerArgs),
    /// Any responsibility matrix (CSV or XLSX) with a control column and an owner column -> an offering matrix
    Matrix(MatrixArgs),
}

#[derive(Debug, clap::Args)]
struct FedrampArgs {
    /// The CIS/CRM workbook (.xlsx)
    workbook: PathBuf,
    /// Baseline whose CIS and CRM worksheets to read: high, moderate, low, li-saas
    #[arg(long, value_parser = parse_baseline)]
    baseline: Option<Baseline>,
    /// Read this sheet instead (CIS or CRM layout is detected); repeatable
    #[arg(long, value_name = "NAME")]
    sheet: Vec<String>,
    /// ID of the offering to write, provider/name (e.g. acme/cloud)
    #[arg(long, value_name = "ID")]
    offering: String,
    /// Display name of the offering [default: the system named in the workbook]
    #[arg(long)]
    name: Option<String>,
    /// Generic model whose layer owners the offering starts from [default: saas for li-saas, else paas]
    #[arg(long, value_parser = parse_model)]
    model: Option<Model>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CcmArgs {
    /// The CCM v4 or CAIQ v4 workbook (.xlsx)
    file: PathBuf,
    /// Sheet to read [default: CCM, else the first sheet with an SSRM Control Ownership column]
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// CAIQ only: ID of the offering the answers describe [default: caiq/<file name>]
    #[arg(long, value_name = "ID")]
    offering: Option<String>,
    /// CAIQ only: display name of the offering
    #[arg(long)]
    name: Option<String>,
    /// CAIQ only: generic model the offering's layers start from [default: saas]
    #[arg(long, value_parser = parse_model)]
    model: Option<Model>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct AzureArgs {
    /// One or more service baselines (<service>-security-baseline.xlsx)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Generic model the offerings' layers start from [default: from the security profile, or the --base offering's]
    #[arg(long, value_parser = parse_model)]
    model: Option<Model>,
    /// ID of the offering to write, provider/name (one baseline only) [default: azure/<service>-baseline]
    #[arg(long, visible_alias = "id", value_name = "ID")]
    offering: Option<String>,
    /// Display name of the offering (one baseline only)
    #[arg(long)]
    name: Option<String>,
    /// Existing offering whose layer table to start from instead of a generic model (one baseline only); with the same ID as --offering, the offering is regenerated in place
    #[arg(long, value_name = "ID")]
    base: Option<String>,
    /// Another ID the offering answers to (one baseline only); repeatable
    #[arg(long, value_name = "ID")]
    alias: Vec<String>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct OscalArgs {
    /// The OSCAL catalog (JSON)
    catalog: PathBuf,
    /// An OSCAL profile (JSON) selecting the controls to keep
    #[arg(long, value_name = "PROFILE")]
    profile: Option<PathBuf>,
    /// Framework ID to write [default: from the catalog's (or profile's) title and version]
    #[arg(long)]
    id: Option<String>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ProwlerArgs {
    /// The Prowler compliance CSV (output/compliance/*.csv)
    file: PathBuf,
    /// Framework of the rows when the file has no FRAMEWORK column
    #[arg(long)]
    framework: Option<String>,
    /// System the evidence is for [default: empty, every system in scope]
    #[arg(long)]
    system: Option<String>,
    /// Owner column of the evidence rows [default: Prowler scan]
    #[arg(long)]
    owner: Option<String>,
    /// Location column of the evidence rows [default: the CSV's file name]
    #[arg(long)]
    location: Option<String>,
    /// Evidence register to write (CSV)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct MatrixArgs {
    /// The matrix (CSV or XLSX)
    file: PathBuf,
    /// Column holding the control IDs: a letter (B) or a header name
    #[arg(long, value_name = "COLUMN")]
    control_column: String,
    /// Column holding the owner (Customer, CSP-owned, Shared, Yes/Partial/No, ...)
    #[arg(long, value_name = "COLUMN")]
    owner_column: String,
    /// Column with what the provider does (optional)
    #[arg(long, value_name = "COLUMN")]
    provider_column: Option<String>,
    /// Column with what the customer does (optional)
    #[arg(long, value_name = "COLUMN")]
    customer_column: Option<String>,
    /// Framework of the controls (e.g. pci-dss-4.0.1) [default: the one most of the IDs belong to]
    #[arg(long)]
    framework: Option<String>,
    /// ID of the offering to write, provider/name (e.g. acme/crm) [default: imported/<file name>]
    #[arg(long, value_name = "ID")]
    offering: Option<String>,
    /// Display name of the offering
    #[arg(long)]
    name: Option<String>,
    /// Generic model whose layer owners the offering starts from [default: paas]
    #[arg(long, value_parser = parse_model)]
    model: Option<Model>,
    /// Sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Row number of the header [default: 1]
    #[arg(long, value_name = "N")]
    header_row: Option<u64>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    out: PathBuf,
}

fn finish(
    what: &str,
    input: &std::path::Path,
    result: Result<ImportReport, Diagnostics>,
) -> Result<ExitCode> {
    let report = match result {
        Ok(r) => r,
        Err(problems) => {
            report_problems(&problems);
            bail!(
                "cannot import {} ({problems}); nothing was written",
                input.display()
            );
        }
    };
    for s in &report.skipped {
        eprintln!("skipped: {}: {}", s.at, s.why);
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    for w in &report.written {
        eprintln!("wrote {}", w.display());
    }
    eprintln!("{}", report.summary(what));
    Ok(ExitCode::SUCCESS)
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.format {
        Format::FedrampCrm(a) => {
            if a.baseline.is_none() && a.sheet.is_empty() {
                eprintln!("note: no --baseline or --sheet: reading a Rev4 workbook's `CIS Worksheet` and `CRM Worksheet`");
            }
            let opts = fedramp::Options {
                workbook: &a.workbook,
                baseline: a.baseline,
                sheets: a.sheet.clone(),
                offering: a.offering.clone(),
                name: a.name.clone(),
                model: a.model,
                out: &a.out,
            };
            finish("fedramp-crm", &a.workbook, fedramp::import(catalog, &opts))
        }
        Format::Ccm(a) => {
            let opts = ccm::Options {
                file: &a.file,
                sheet: a.sheet.clone(),
                offering: a.offering.clone(),
                name: a.name.clone(),
                model: a.model,
                out: &a.out,
            };
            finish("ccm", &a.file, ccm::import(catalog, &opts))
        }
        Format::AzureBaseline(a) => {
            let opts = azure::Options {
                files: &a.files,
                model: a.model,
                offering: a.offering.clone(),
                name: a.name.clone(),
                base: a.base.clone(),
                aliases: a.alias.clone(),
                out: &a.out,
            };
            let first = a.files[0].clone();
            finish("azure-baseline", &first, azure::import(catalog, &opts))
        }
        Format::OscalCatalog(a) => {
            let opts = oscal::Options {
                catalog: &a.catalog,
                profile: a.profile.as_deref(),
                id: a.id.clone(),
                out: &a.out,
            };
            finish("oscal-catalog", &a.catalog, oscal::import(catalog, &opts))
        }
        Format::Prowler(a) => {
            let opts = prowler::Options {
                file: &a.file,
                framework: a.framework.clone(),
                system: a.system.clone(),
                owner: a.owner.clone(),
                location: a.location.clone(),
                out: &a.out,
            };
            finish("prowler", &a.file, prowler::import(catalog, &opts))
        }
        Format::Matrix(a) => {
            let opts = matrix::Options {
                file: &a.file,
                control_column: a.control_column.clone(),
                owner_column: a.owner_column.clone(),
                provider_column: a.provider_column.clone(),
                customer_column: a.customer_column.clone(),
                framework: a.framework.clone(),
                offering: a.offering.clone(),
                name: a.name.clone(),
                model: a.model,
                sheet: a.sheet.clone(),
                header_row: a.header_row,
                out: &a.out,
            };
            finish("matrix", &a.file, matrix::import(catalog, &opts))
        }
    }
}

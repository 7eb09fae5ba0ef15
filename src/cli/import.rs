//! `srmap import FORMAT ...`

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Subcommand;
use srmap::diagnostic::Diagnostics;
use srmap::import::{azure, ccm, fedramp, matrix, oscal, prowler, ImportReport};
use srmap::progress::Phase;
use srmap::table::file_name;
use srmap::Catalog;

use super::report_problems;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap import fedramp-crm WORKBOOK.xlsx --baseline moderate --offering acme/cloud -o DIR
  srmap import ccm CCM.xlsx -o DIR                 # CSA CCM v4 / CAIQ v4 ownership columns
  srmap import azure-baseline BASELINE.xlsx -o DIR # Microsoft cloud security benchmark baselines
  srmap import oscal-catalog CATALOG.json [--profile PROFILE.json] -o DIR
  srmap import prowler OUTPUT.csv -o evidence.csv  # scan results become evidence rows
  srmap import matrix ANY.xlsx --control-column B --owner-column E -o DIR   # anything else
  srmap --data DIR map --offering acme/cloud --framework nist-800-53-r5      # then use it";

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum Format {
    /// A FedRAMP CIS/CRM workbook (SSP Appendix J, Rev5 or Rev4) -> an offering matrix over NIST SP 800-53 r5
    #[command(after_help = example(0))]
    FedrampCrm(fedramp::Options),
    /// CSA CCM v4 (IaaS/PaaS/SaaS ownership) or CAIQ v4 answers -> framework csa-ccm-4 and offerings
    #[command(after_help = example(1))]
    Ccm(ccm::Options),
    /// Azure security baselines (*-security-baseline.xlsx) -> framework mcsb-v1 and azure/<service>-baseline offerings
    #[command(after_help = example(2))]
    AzureBaseline(azure::Options),
    /// An OSCAL catalog (JSON), optionally narrowed by a profile -> a framework
    #[command(after_help = example(3))]
    OscalCatalog(oscal::Options),
    /// Prowler compliance CSV (scan results) -> evidence register rows, one per control
    #[command(after_help = example(4))]
    Prowler(prowler::Options),
    /// Any responsibility matrix (CSV or XLSX) with a control column and an owner column -> an offering matrix
    #[command(after_help = example(5))]
    Matrix(matrix::Options),
}

/// The `Example:` of the `i`th importer: its line of [`EXAMPLES`].
const fn example(i: usize) -> &'static str {
    const LINES: [&str; 6] = [
        "Example:\n  srmap import fedramp-crm WORKBOOK.xlsx --baseline moderate --offering acme/cloud -o DIR",
        "Example:\n  srmap import ccm CCM.xlsx -o DIR                 # CSA CCM v4 / CAIQ v4 ownership columns",
        "Example:\n  srmap import azure-baseline BASELINE.xlsx -o DIR # Microsoft cloud security benchmark baselines",
        "Example:\n  srmap import oscal-catalog CATALOG.json [--profile PROFILE.json] -o DIR",
        "Example:\n  srmap import prowler OUTPUT.csv -o evidence.csv  # scan results become evidence rows",
        "Example:\n  srmap import matrix ANY.xlsx --control-column B --owner-column E -o DIR   # anything else",
    ];
    LINES[i]
}

/// Run an importer of `input` (with a progress bar on a terminal when it takes a while) and
/// report what it did.
fn finish(
    what: &str,
    input: &std::path::Path,
    import: impl FnOnce() -> Result<ImportReport, Diagnostics>,
) -> Result<ExitCode> {
    let result = {
        let _phase = Phase::begin(|| format!("importing {}", file_name(input)));
        import()
    };
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
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for s in &report.skipped {
        say!("skipped: {}: {}", s.at, s.why);
    }
    for n in &report.notes {
        say!("note: {n}");
    }
    if !super::quiet() {
        for w in &report.written {
            say!("wrote {}", w.display());
        }
        say!("{}", report.summary(what));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.format {
        Format::FedrampCrm(opts) => {
            if opts.baseline.is_none() && opts.sheets.is_empty() {
                say!("note: no --baseline or --sheet: reading a Rev4 workbook's `CIS Worksheet` and `CRM Worksheet`");
            }
            finish("fedramp-crm", &opts.workbook, || {
                fedramp::import(catalog, &opts)
            })
        }
        Format::Ccm(opts) => finish("ccm", &opts.file, || ccm::import(catalog, &opts)),
        Format::AzureBaseline(opts) => finish("azure-baseline", &opts.files[0], || {
            azure::import(catalog, &opts)
        }),
        Format::OscalCatalog(opts) => finish("oscal-catalog", &opts.catalog, || {
            oscal::import(catalog, &opts)
        }),
        Format::Prowler(opts) => finish("prowler", &opts.file, || prowler::import(catalog, &opts)),
        Format::Matrix(opts) => finish("matrix", &opts.file, || matrix::import(catalog, &opts)),
    }
}

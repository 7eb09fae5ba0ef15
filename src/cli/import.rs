//! `srmap import FORMAT ...`

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Subcommand;
use srmap::diagnostic::Diagnostics;
use srmap::import::{azure, ccm, fedramp, matrix, oscal, prowler, ImportReport};
use srmap::Catalog;

use super::report_problems;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum Format {
    /// A FedRAMP CIS/CRM workbook (SSP Appendix J, Rev5 or Rev4) -> an offering matrix over NIST SP 800-53 r5
    FedrampCrm(fedramp::Options),
    /// CSA CCM v4 (IaaS/PaaS/SaaS ownership) or CAIQ v4 answers -> framework csa-ccm-4 and offerings
    Ccm(ccm::Options),
    /// Azure security baselines (*-security-baseline.xlsx) -> framework mcsb-v1 and azure/<service>-baseline offerings
    AzureBaseline(azure::Options),
    /// An OSCAL catalog (JSON), optionally narrowed by a profile -> a framework
    OscalCatalog(oscal::Options),
    /// Prowler compliance CSV (scan results) -> evidence register rows, one per control
    Prowler(prowler::Options),
    /// Any responsibility matrix (CSV or XLSX) with a control column and an owner column -> an offering matrix
    Matrix(matrix::Options),
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
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for s in &report.skipped {
        say!("skipped: {}: {}", s.at, s.why);
    }
    for n in &report.notes {
        say!("note: {n}");
    }
    for w in &report.written {
        say!("wrote {}", w.display());
    }
    say!("{}", report.summary(what));
    Ok(ExitCode::SUCCESS)
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.format {
        Format::FedrampCrm(opts) => {
            if opts.baseline.is_none() && opts.sheets.is_empty() {
                say!("note: no --baseline or --sheet: reading a Rev4 workbook's `CIS Worksheet` and `CRM Worksheet`");
            }
            finish(
                "fedramp-crm",
                &opts.workbook,
                fedramp::import(catalog, &opts),
            )
        }
        Format::Ccm(opts) => finish("ccm", &opts.file, ccm::import(catalog, &opts)),
        Format::AzureBaseline(opts) => finish(
            "azure-baseline",
            &opts.files[0],
            azure::import(catalog, &opts),
        ),
        Format::OscalCatalog(opts) => finish(
            "oscal-catalog",
            &opts.catalog,
            oscal::import(catalog, &opts),
        ),
        Format::Prowler(opts) => finish("prowler", &opts.file, prowler::import(catalog, &opts)),
        Format::Matrix(opts) => finish("matrix", &opts.file, matrix::import(catalog, &opts)),
    }
}

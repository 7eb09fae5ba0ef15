//! `srmap template pbc|evidence|scope`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Subcommand;
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::pbc::PbcList;
use srmap::render::{Dated, EvidenceTemplate, Report};
use srmap::Catalog;

use super::{check_destination, read_scope, report_problems, write_to, OutputArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap template pbc --scope scope.toml -o pbc.xlsx    # the \"provided by client\" request list
  srmap template evidence -o evidence.xlsx             # an empty, documented register to fill in
  srmap template scope -o scope.toml                   # a documented scope: every setting";

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    which: Which,
}

#[derive(Debug, Subcommand)]
enum Which {
    /// The "provided by client" request list: each piece of evidence once, for every control you
    /// own or share that it serves, with populations and samples of recurring controls and the
    /// provider reports the scope relies on
    #[command(
        after_help = "Example:\n  srmap template pbc --scope samples/northwind/scope.toml \\\n    --attestations samples/northwind/attestations.csv --as-of 2026-09-30 -o pbc.xlsx"
    )]
    Pbc {
        /// Scope file (TOML)
        #[arg(long, value_name = "FILE")]
        scope: PathBuf,
        /// Provider attestations on file (CSV or XLSX, as for `gaps`): their requests name the
        /// copy held, and a report whose period ends before the audit period's end gets a
        /// bridge-letter request
        #[arg(long, value_name = "FILE")]
        attestations: Option<PathBuf>,
        /// The day the list is written (YYYY-MM-DD): due dates count from it, and the workbook's
        /// properties are stamped with it [default: today]
        #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
        as_of: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// An empty, documented evidence register to fill in (XLSX, or CSV with just the header)
    #[command(
        after_help = "Example:\n  srmap template evidence -o evidence.xlsx             # an empty, documented register to fill in"
    )]
    Evidence {
        /// Date stamped in the workbook's properties (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
        as_of: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// A documented scope file: every key, and every framework's applicability settings, in
    /// comments
    #[command(
        after_help = "Example:\n  srmap template scope -o scope.toml                   # a documented scope: every setting"
    )]
    Scope {
        /// Write to FILE instead of standard output (written whole or not at all)
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.which {
        Which::Pbc {
            scope: path,
            attestations,
            as_of,
            out,
        } => {
            let out = out.choose(<Dated<PbcList> as Report>::FORMATS)?;
            let scope = read_scope(&path, catalog)?;
            let register = match &attestations {
                Some(p) => srmap::input::attestations::read(p, None, catalog).or_else(|d| {
                    report_problems(&d);
                    bail!("{} has problems ({d}); nothing was written", p.display())
                })?,
                None => Vec::new(),
            };
            let date = as_of.unwrap_or_else(today);
            let file = attestations
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let list = PbcList::build(catalog, &scope, &register, &file, date);
            out.emit(&Dated {
                report: &list,
                date,
            })?;
            if let Some(p) = out.file() {
                say!(
                    "srmap: {} requests written to {}",
                    list.requests.len(),
                    p.display()
                );
            }
        }
        Which::Scope { output } => {
            let text = srmap::input::scope_template::scope_template(catalog);
            let to = srmap::output::Destination::from_arg(output.as_deref());
            check_destination(&to)?;
            write_to(&to, |w| w.write_all(text.as_bytes()))?;
        }
        Which::Evidence { as_of, out } => {
            out.emit(&EvidenceTemplate {
                date: as_of.unwrap_or_else(today),
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

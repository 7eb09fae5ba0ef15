//! `srmap template pbc|evidence`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::pbc::PbcList;
use srmap::render::{Dated, EvidenceTemplate, Report};
use srmap::Catalog;

use super::{read_scope, OutputArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    which: Which,
}

#[derive(Debug, Subcommand)]
enum Which {
    /// The "provided by client" request list: every control you own or share, and what to collect
    Pbc {
        /// Scope file (TOML)
        #[arg(long, value_name = "FILE")]
        scope: PathBuf,
        /// Date stamped in the workbook's properties (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
        as_of: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// An empty, documented evidence register to fill in (XLSX, or CSV with just the header)
    Evidence {
        /// Date stamped in the workbook's properties (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
        as_of: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.which {
        Which::Pbc {
            scope: path,
            as_of,
            out,
        } => {
            let out = out.choose(<Dated<PbcList> as Report>::FORMATS)?;
            let scope = read_scope(&path, catalog)?;
            let list = PbcList::build(&scope);
            out.emit(&Dated {
                report: &list,
                date: as_of.unwrap_or_else(today),
            })?;
            if let Some(p) = out.file() {
                eprintln!(
                    "srmap: {} requests written to {}",
                    list.requests.len(),
                    p.display()
                );
            }
        }
        Which::Evidence { as_of, out } => {
            out.emit(&EvidenceTemplate {
                date: as_of.unwrap_or_else(today),
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `srmap template pbc|evidence|scope`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
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
    /// A documented scope file: every key, and every framework's applicability settings, in
    /// comments
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
        Which::Scope { output } => {
            let text = srmap::input::scope_template::scope_template(catalog);
            let to = srmap::output::Destination::from_arg(output.as_deref());
            to.write(|w| w.write_all(text.as_bytes()))
                .with_context(|| match to.file() {
                    Some(p) => format!("cannot write {}", p.display()),
                    None => "cannot write to standard output".to_string(),
                })?;
        }
        Which::Evidence { as_of, out } => {
            out.emit(&EvidenceTemplate {
                date: as_of.unwrap_or_else(today),
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

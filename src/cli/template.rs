//! `srmap template pbc|evidence`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::input::evidence::COLUMNS;
use srmap::output::{emit, write_atomic, Format};
use srmap::pbc::pbc_rows;
use srmap::render::{write_rows, xlsx};
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
            let format = out.format(&[
                Format::Xlsx,
                Format::Csv,
                Format::Json,
                Format::Md,
                Format::Table,
            ])?;
            let scope = read_scope(&path, catalog)?;
            let rows = pbc_rows(&scope);
            match (format, out.output.as_deref()) {
                (Format::Xlsx, Some(p)) => {
                    let bytes = xlsx::pbc_workbook(&scope, &rows, as_of.unwrap_or_else(today))
                        .map_err(xlsx::to_io)?;
                    write_atomic(p, |w| w.write_all(&bytes))
                }
                (text, p) => emit(p, |w| write_rows(&rows, text, w)),
            }
            .with_context(|| out.target())?;
            if let Some(p) = &out.output {
                eprintln!("srmap: {} requests written to {}", rows.len(), p.display());
            }
        }
        Which::Evidence { as_of, out } => {
            let format = out.format(&[Format::Xlsx, Format::Csv])?;
            match (format, out.output.as_deref()) {
                (Format::Xlsx, Some(p)) => {
                    let bytes = xlsx::evidence_template_workbook(as_of.unwrap_or_else(today))
                        .map_err(xlsx::to_io)?;
                    write_atomic(p, |w| w.write_all(&bytes))
                }
                (_, p) => emit(p, |w| {
                    let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
                    writeln!(w, "{}", names.join(","))
                }),
            }
            .with_context(|| out.target())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

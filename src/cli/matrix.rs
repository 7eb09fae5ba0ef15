//! `srmap matrix OFFERING`

use std::process::ExitCode;

use anyhow::{Context, Result};
use srmap::listing::{FactRow, MatrixDoc, MatrixRow};
use srmap::output::{emit, Format};
use srmap::render::write_rows;
use srmap::Catalog;

use super::{OutputArgs, ROW_FORMATS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Offering ID (e.g. aws/rds, paas); repeatable
    #[arg(required = true, value_name = "OFFERING")]
    offerings: Vec<String>,

    /// Only the per-service facts (encryption, public access, logging, backups, patching, ...),
    /// one row each; CSV needs this to list them, the other formats show them after the layers
    #[arg(long)]
    facts: bool,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let offerings = args
        .offerings
        .iter()
        .map(|id| catalog.offering(id))
        .collect::<Result<Vec<_>, _>>()?;
    let format = args.out.format(&ROW_FORMATS)?;
    let layers: Vec<MatrixRow> = offerings
        .iter()
        .flat_map(|o| MatrixRow::for_offering(o))
        .collect();
    let facts: Vec<FactRow> = offerings
        .iter()
        .flat_map(|o| FactRow::for_offering(o))
        .collect();
    emit(args.out.output.as_deref(), |w| match format {
        Format::Json if args.facts => write_rows(&facts, format, w),
        Format::Json => {
            let docs: Vec<MatrixDoc> = offerings.iter().map(|o| MatrixDoc::new(o)).collect();
            serde_json::to_writer_pretty(&mut *w, &docs)?;
            writeln!(w)
        }
        _ if args.facts => write_rows(&facts, format, w),
        Format::Csv => write_rows(&layers, format, w),
        Format::Md => {
            write_rows(&layers, format, w)?;
            if !facts.is_empty() {
                writeln!(w, "\n**Per-service facts**\n")?;
                write_rows(&facts, format, w)?;
            }
            Ok(())
        }
        _ => {
            write_rows(&layers, format, w)?;
            if !facts.is_empty() {
                writeln!(w, "\nPer-service facts:")?;
                write_rows(&facts, format, w)?;
            }
            Ok(())
        }
    })
    .with_context(|| args.out.target())?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap matrix OFFERING`

use std::process::ExitCode;

use anyhow::Result;
use srmap::listing::{FactRow, Matrices};
use srmap::Catalog;

use super::OutputArgs;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap matrix aws/rds                     # one offering's matrix: owners and duties per layer
  srmap matrix aws/rds --facts --format csv  # only the per-service facts, with their sources
  srmap matrix gcp/cloud-sql --format json # layers, and `features`: each fact with its source";

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
        .collect::<Result<Vec<_>, _>>()
        .map_err(super::at("OFFERING"))?;
    if args.facts {
        let facts: Vec<FactRow> = offerings
            .iter()
            .flat_map(|o| FactRow::for_offering(o))
            .collect();
        args.out.emit(facts.as_slice())?;
    } else {
        args.out.emit(&Matrices::new(&offerings))?;
    }
    Ok(ExitCode::SUCCESS)
}

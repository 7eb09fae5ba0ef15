//! `srmap matrix OFFERING`

use std::process::ExitCode;

use anyhow::Result;
use srmap::listing::MatrixRow;
use srmap::Catalog;

use super::OutputArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Offering ID (e.g. aws/rds, paas); repeatable
    #[arg(required = true, value_name = "OFFERING")]
    offerings: Vec<String>,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for id in &args.offerings {
        rows.extend(MatrixRow::for_offering(catalog.offering(id)?));
    }
    args.out.write_rows(&rows)?;
    Ok(ExitCode::SUCCESS)
}

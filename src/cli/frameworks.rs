//! `srmap frameworks`

use std::process::ExitCode;

use anyhow::Result;
use srmap::listing::FrameworkRow;
use srmap::Catalog;

use super::OutputArgs;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap frameworks                         # the built-in frameworks, versions, control counts";

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let rows: Vec<FrameworkRow> = catalog.frameworks().map(FrameworkRow::from).collect();
    args.out.emit(rows.as_slice())?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap import FORMAT ...`

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use srmap::Catalog;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum Format {}

pub fn run(_catalog: &Catalog, args: Args) -> Result<ExitCode> {
    match args.format {}
}

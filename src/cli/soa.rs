//! `srmap soa --scope S`: the Statement of Applicability.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::render::{Dated, Report};
use srmap::soa::StatementOfApplicability;
use srmap::Catalog;

use super::{read_scope, OutputArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap soa --scope scope.toml -o soa.xlsx             # the Statement of Applicability (or pdf, md)";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scope file (TOML), with its `[applicability."<framework>"]` settings and `[[exclude]]`
    /// entries
    #[arg(long, value_name = "FILE")]
    scope: PathBuf,

    /// Date stamped in the workbook's and PDF's properties (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
    as_of: Option<Date>,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let out = args
        .out
        .choose(<Dated<StatementOfApplicability> as Report>::FORMATS)?;
    let scope = read_scope(&args.scope, catalog)?;
    let statement = StatementOfApplicability::build(&scope);
    out.emit(&Dated {
        report: &statement,
        date: args
            .as_of
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
    })?;
    if let Some(p) = out.file() {
        let left_out = statement.left_out().count();
        say!(
            "srmap: {} controls, {} applicable and {left_out} not, written to {}",
            statement.rows.len(),
            statement.rows.len() - left_out,
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

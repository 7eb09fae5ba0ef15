//! `srmap diff --from O --to O [--framework F]` or `--from-scope S --to-scope S`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::migration::{diff_offerings, Migration};
use srmap::render::{Dated, Report};
use srmap::Catalog;

use super::{read_scope, OutputArgs, PremisesArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the workload runs now (e.g. onprem, aws/ec2); repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "OFFERING", conflicts_with_all = ["from_scope", "to_scope"])]
    from: Vec<String>,

    /// Where it will run (e.g. aws/ec2, aws/rds); repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "OFFERING")]
    to: Vec<String>,

    /// Frameworks to review [default: all]; repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "FRAMEWORK", conflicts_with_all = ["from_scope", "to_scope"])]
    framework: Vec<String>,

    /// Today's scope (TOML): systems are matched by name with --to-scope
    #[arg(long, value_name = "FILE", requires = "to_scope")]
    from_scope: Option<PathBuf>,

    /// The target scope (TOML)
    #[arg(long, value_name = "FILE", requires = "from_scope")]
    to_scope: Option<PathBuf>,

    /// Date stamped in PDF and XLSX properties (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
    as_of: Option<Date>,

    #[command(flatten)]
    premises: PremisesArgs,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn build(catalog: &Catalog, args: &Args) -> Result<Migration> {
    if let (Some(f), Some(t)) = (&args.from_scope, &args.to_scope) {
        return Ok(Migration::of_scopes(
            catalog,
            &read_scope(f, catalog)?,
            &read_scope(t, catalog)?,
            args.premises.given(),
        ));
    }
    if args.from.is_empty() || args.to.is_empty() {
        bail!("name where the workload runs now and where it will run: --from OFFERING --to OFFERING (or --from-scope and --to-scope)");
    }
    let from = args
        .from
        .iter()
        .map(|o| catalog.offering(o))
        .collect::<Result<Vec<_>, _>>()?;
    let to = args
        .to
        .iter()
        .map(|o| catalog.offering(o))
        .collect::<Result<Vec<_>, _>>()?;
    let frameworks = catalog.frameworks_named(&args.framework)?;
    let label = |list: &[&srmap::offering::Offering]| {
        list.iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let mut m = Migration::new(label(&from), label(&to));
    diff_offerings(
        catalog,
        "",
        &from,
        &to,
        &frameworks,
        (args.premises.assumptions(), args.premises.assumptions()),
        &mut m,
    );
    Ok(m)
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let out = args.out.choose(<Dated<Migration> as Report>::FORMATS)?;
    let m = build(catalog, &args)?;
    let date = args
        .as_of
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    out.emit(&Dated { report: &m, date })?;
    Ok(ExitCode::SUCCESS)
}

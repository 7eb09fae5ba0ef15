//! `srmap compare --offering A --offering B [--framework F]` or `--scope S`, with
//! `--attestations A` for the reports on file

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use jiff::civil::Date;
use srmap::comparison::{Candidate, Comparison};
use srmap::input::date::parse_date;
use srmap::render::{Dated, Report};
use srmap::Catalog;

use super::{read_scope, report_problems, OutputArgs, PremisesArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap compare --offering aws/rds --offering azure/sql-database --offering gcp/cloud-sql \\
                --framework soc2-2017 --framework iso27001-2022 -o databases.xlsx
  srmap compare --offering aws/ec2,aws/lambda --framework pci-dss-4.0.1 --differences --format md
  srmap compare --scope samples/northwind/scope.toml -o systems.xlsx   # each system a column";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A candidate offering (a column); repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "OFFERING")]
    offering: Vec<String>,

    /// Compare the systems of a scope instead (each system a column, its offerings combined)
    #[arg(long, value_name = "FILE", conflicts_with = "offering")]
    scope: Option<PathBuf>,

    /// Frameworks to compare [default: all, or the scope's]; repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "FRAMEWORK")]
    framework: Vec<String>,

    /// Provider attestations on file (CSV or XLSX, as for `gaps`): listed with their periods
    /// and the services they cover in place of what the providers publish
    #[arg(long, value_name = "FILE")]
    attestations: Option<PathBuf>,

    /// Only controls where the candidates differ
    #[arg(long)]
    differences: bool,

    /// Date stamped in the XLSX properties (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
    as_of: Option<Date>,

    #[command(flatten)]
    premises: PremisesArgs,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let out = args.out.choose(<Dated<Comparison> as Report>::FORMATS)?;
    let mut scope_frameworks = None;
    let candidates: Vec<Candidate> = match &args.scope {
        Some(path) => {
            let scope = read_scope(path, catalog)?;
            scope_frameworks = Some(scope.frameworks());
            scope
                .systems
                .iter()
                .map(|s| Candidate {
                    id: s.name.clone(),
                    offerings: s.offerings.clone(),
                    // --premises, when given, overrides every system's setting.
                    assume: match args.premises.given() {
                        Some(_) => args.premises.assumptions(),
                        None => s.assumptions(),
                    },
                })
                .collect()
        }
        None => args
            .offering
            .iter()
            .map(|o| {
                catalog.offering(o).map(|off| Candidate {
                    id: off.id.clone(),
                    offerings: vec![off],
                    assume: args.premises.assumptions(),
                })
            })
            .collect::<Result<_, _>>()
            .map_err(super::at("--offering"))?,
    };
    for (i, c) in candidates.iter().enumerate() {
        if candidates[..i].iter().any(|x| x.id == c.id) {
            bail!("`{}` is named twice: name each candidate once", c.id);
        }
    }
    if candidates.len() < 2 {
        bail!("name at least two candidates: --offering A --offering B (or --scope with two systems or more)");
    }
    let frameworks = match scope_frameworks {
        Some(in_scope) if args.framework.is_empty() => in_scope,
        _ => catalog
            .frameworks_named(&args.framework)
            .map_err(super::at("--framework"))?,
    };
    let register = match &args.attestations {
        Some(path) => srmap::input::attestations::read(path, None, catalog).or_else(|d| {
            report_problems(&d);
            bail!("{} has problems ({d}); nothing was written", path.display())
        })?,
        None => Vec::new(),
    };
    let mut cmp = Comparison::build(catalog, &candidates, &frameworks);
    if args.attestations.is_some() {
        cmp = cmp.with_on_file(catalog, &candidates, &register);
    }
    if args.differences {
        cmp.rows.retain(|r| r.differs);
    }
    let date = args
        .as_of
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    out.emit(&Dated { report: &cmp, date })?;
    if let Some(p) = out.file() {
        let differ = cmp.rows.iter().filter(|r| r.differs).count();
        say!(
            "srmap: {} controls compared across {} candidates ({differ} differ), written to {}",
            cmp.rows.len(),
            cmp.candidates.len(),
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

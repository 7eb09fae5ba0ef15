//! `srmap map --offering O --framework F`

use std::process::ExitCode;

use anyhow::{bail, Result};
use srmap::diagnostic::Code;
use srmap::output::Format;
use srmap::owner_map::{owner_map, system_plan, MapRow};
use srmap::party::Party;
use srmap::render::{Dated, ROW_FORMATS};
use srmap::suggest::did_you_mean;
use srmap::Catalog;

use super::{OutputArgs, PremisesArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap map --offering aws/ec2 --offering aws/rds --framework pci-dss-4.0.1 -o owners.csv
  srmap map --offering saas --framework soc2-2017 --format md
  srmap map --offering iaas --framework hipaa-security --control 164.312(a)(2)(iv) --format json
  srmap map --offering microsoft/m365 --framework iso27001-2022 --premises no  # system only
  srmap map --offering aws/ec2,aws/rds --framework pci-dss-4.0.1 --format oscal -o ssp.json";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Offering to map (e.g. aws/ec2, iaas); repeatable or comma-separated
    #[arg(long, required = true, value_delimiter = ',', value_name = "OFFERING")]
    offering: Vec<String>,

    /// Framework to map (e.g. pci-dss-4.0.1) [default: all]; repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "FRAMEWORK")]
    framework: Vec<String>,

    /// Only these controls (`8.3.1`, or `pci-dss-4.0.1:8.3.1` with several frameworks); repeatable
    #[arg(long, value_name = "CONTROL")]
    control: Vec<String>,

    /// Only rows with this owner (provider, customer, shared); repeatable. With `--format oscal`:
    /// controls whose owner across the offerings is this
    #[arg(long, value_name = "OWNER", value_parser = |s: &str| s.parse::<Party>())]
    owner: Vec<Party>,

    /// Date stamped in OSCAL output's last-modified (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| srmap::input::date::parse_date(s))]
    as_of: Option<jiff::civil::Date>,

    #[command(flatten)]
    premises: PremisesArgs,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let offerings = args
        .offering
        .iter()
        .map(|o| catalog.offering(o))
        .collect::<Result<Vec<_>, _>>()
        .map_err(super::at("--offering"))?;
    let frameworks = catalog
        .frameworks_named(&args.framework)
        .map_err(super::at("--framework"))?;
    let mut only = Vec::new();
    let mut problems = Vec::new();
    for spelling in &args.control {
        let found = if spelling.contains(':') {
            catalog.qualified_control(spelling)
        } else {
            catalog.control_in(&frameworks, spelling)
        };
        match found {
            Ok(pair) => only.push(pair),
            Err(e) => {
                let near = catalog.suggest_controls(&frameworks, spelling);
                problems.push(match did_you_mean(&near) {
                    Some(hint) => format!("{e}: {hint}"),
                    None => e.to_string(),
                });
            }
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error[{}]: --control: {p}", Code::UnknownControl);
        }
        bail!(
            "{} --control value(s) name no single control; nothing was written",
            problems.len()
        );
    }
    let mut formats = ROW_FORMATS.to_vec();
    formats.push(Format::Oscal);
    let out = args.out.choose(&formats)?;
    // OSCAL is another report than the rows: one framework's system plan, written as an SSP.
    if out.format() == Format::Oscal {
        let [fw] = frameworks.as_slice() else {
            bail!("OSCAL output is one SSP per framework: name exactly one --framework");
        };
        let date = args
            .as_of
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        let plan = system_plan(
            fw,
            &offerings,
            &only,
            &args.owner,
            args.premises.assumptions(),
        );
        if plan.controls.is_empty() {
            bail!(
                "no {} control is left after --control and --owner, and an OSCAL SSP needs at least one implemented requirement",
                fw.id
            );
        }
        out.emit(&Dated {
            report: &plan,
            date,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<MapRow> = owner_map(&frameworks, &offerings, &only, args.premises.assumptions())
        .into_iter()
        .filter(|r| args.owner.is_empty() || args.owner.contains(&r.owner))
        .collect();
    out.emit(rows.as_slice())?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap map --offering O --framework F`

use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::{anyhow, bail, Result};
use srmap::diagnostic::Code;
use srmap::input::scope::{Scope, System};
use srmap::output::Format;
use srmap::owner_map::{owner_map, system_plan, MapRow};
use srmap::ownership::Assumptions;
use srmap::party::Party;
use srmap::render::oscal::{folder_of, write_companions, Companion, Ssp, SystemIdentity};
use srmap::render::ROW_FORMATS;
use srmap::security_category::SecurityCategory;
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
  srmap map --scope scope.toml --system payments --framework pci-dss-4.0.1 --format oscal";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Offering to map (e.g. aws/ec2, iaas); repeatable or comma-separated
    #[arg(
        long,
        required_unless_present = "scope",
        value_delimiter = ',',
        value_name = "OFFERING"
    )]
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

    /// Map a system of this scope (TOML): its offerings, premises and frameworks, and for
    /// `--format oscal` its name, description and `fips-199` levels
    #[arg(long, value_name = "FILE", conflicts_with = "offering")]
    scope: Option<PathBuf>,

    /// The system of --scope [default: the scope's only system]
    #[arg(long, value_name = "NAME", requires = "scope")]
    system: Option<String>,

    /// OSCAL: the system's name in the SSP [default: the --scope system's name]
    #[arg(long, value_name = "NAME")]
    system_name: Option<String>,

    /// OSCAL: FIPS 199 impact levels, one for all three objectives (low, moderate, high) or
    /// each (c=high,i=moderate,a=low) [default: the --scope system's `fips-199`]
    #[arg(long, value_name = "LEVELS", value_parser = |s: &str| s.parse::<SecurityCategory>())]
    fips199: Option<SecurityCategory>,

    /// OSCAL: the profile the SSP imports [default: FRAMEWORK.profile.json, which srmap writes
    /// beside the SSP with the catalog it selects from]
    #[arg(long, value_name = "URL")]
    profile_href: Option<String>,

    #[command(flatten)]
    premises: PremisesArgs,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let scope = match &args.scope {
        Some(path) => Some(super::read_scope(path, catalog)?),
        None => None,
    };
    let system = match &scope {
        Some(scope) => Some(scope_system(scope, args.system.as_deref())?),
        None => None,
    };
    let offerings = match system {
        Some(sys) => sys.offerings.clone(),
        None => args
            .offering
            .iter()
            .map(|o| catalog.offering(o))
            .collect::<Result<Vec<_>, _>>()
            .map_err(super::at("--offering"))?,
    };
    let frameworks = match system {
        Some(sys) if args.framework.is_empty() => sys.frameworks.clone(),
        _ => catalog
            .frameworks_named(&args.framework)
            .map_err(super::at("--framework"))?,
    };
    let assume = Assumptions::premises(args.premises.given().or(system.and_then(|s| s.premises)));
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
        let identity = identity(&args, scope.as_ref().zip(system))?;
        let date = args
            .as_of
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        let plan = system_plan(fw, &offerings, &only, &args.owner, assume);
        if plan.controls.is_empty() {
            bail!(
                "no {} control is left after --control and --owner, and an OSCAL SSP needs at least one implemented requirement",
                fw.id
            );
        }
        let ssp = Ssp {
            plan: &plan,
            system: identity,
            profile_href: args.profile_href.clone(),
            date,
        };
        let companions = ssp.companions();
        match out.file() {
            Some(file) => {
                let written = write_companions(folder_of(file), &companions)?;
                out.emit(&ssp)?;
                if !written.is_empty() {
                    eprintln!(
                        "srmap: SSP written to {}, with {} beside it",
                        file.display(),
                        names_of(&companions)
                    );
                }
            }
            None => {
                out.emit(&ssp)?;
                if !companions.is_empty() {
                    eprintln!(
                        "srmap: note: the SSP imports {}; srmap writes it and the catalog ({}) beside the SSP when given -o FILE, or name a profile with --profile-href",
                        ssp.profile_href(),
                        names_of(&companions[1..])
                    );
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.system_name.is_some() || args.fips199.is_some() || args.profile_href.is_some() {
        bail!("--system-name, --fips199 and --profile-href describe the OSCAL SSP: add --format oscal");
    }
    let rows: Vec<MapRow> = owner_map(&frameworks, &offerings, &only, assume)
        .into_iter()
        .filter(|r| args.owner.is_empty() || args.owner.contains(&r.owner))
        .collect();
    out.emit(rows.as_slice())?;
    Ok(ExitCode::SUCCESS)
}

/// The system of `scope` named by --system, or its only one.
fn scope_system<'s, 'c>(scope: &'s Scope<'c>, name: Option<&str>) -> Result<&'s System<'c>> {
    let names = || {
        scope
            .systems
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => scope.system(name).ok_or_else(|| {
            anyhow!(
                "system `{name}` is not in {} (its systems: {})",
                scope.file,
                names()
            )
        }),
        None => match scope.systems.as_slice() {
            [only] => Ok(only),
            _ => bail!(
                "{} has {} systems: name one with --system ({})",
                scope.file,
                scope.systems.len(),
                names()
            ),
        },
    }
}

/// What the SSP says of the system: --system-name and --fips199 over the scope's system. A
/// value neither gives is an error: srmap does not make one up.
fn identity(args: &Args, scope: Option<(&Scope<'_>, &System<'_>)>) -> Result<SystemIdentity> {
    let from_scope = scope.map(|(scope, sys)| format!("{} (system `{}`)", scope.file, sys.name));
    let Some(name) = args
        .system_name
        .clone()
        .or_else(|| scope.map(|(_, sys)| sys.name.clone()))
    else {
        bail!(
            "an OSCAL SSP names the system: give --system-name NAME (or --scope FILE --system NAME to take it from a scope)"
        );
    };
    if name.trim().is_empty() {
        bail!("--system-name is empty: give the system's name");
    }
    let Some(category) = args
        .fips199
        .or_else(|| scope.and_then(|(_, sys)| sys.fips_199))
    else {
        let where_ = match &from_scope {
            Some(s) => format!(", or set `fips-199` on the system in {s}"),
            None => String::new(),
        };
        bail!(
            "an OSCAL SSP states the system's FIPS 199 impact levels, and srmap does not guess them: give --fips199 low|moderate|high (or each objective: c=high,i=moderate,a=low){where_}"
        );
    };
    let flags = args.system_name.is_some() || args.fips199.is_some();
    let given_by = match (&from_scope, flags) {
        (Some(s), true) => format!("{s} and the command line"),
        (Some(s), false) => s.clone(),
        (None, _) => "the command line".to_string(),
    };
    Ok(SystemIdentity {
        name: name.trim().to_string(),
        description: scope
            .map(|(_, sys)| sys.description.clone())
            .unwrap_or_default(),
        category,
        given_by,
    })
}

/// `a.json and b.json`.
fn names_of(companions: &[Companion]) -> String {
    let names: Vec<&str> = companions.iter().map(|c| c.file_name.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

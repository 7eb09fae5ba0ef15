//! `srmap diff --from O --to O [--framework F]` or `--from-scope S --to-scope S`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use jiff::civil::Date;
use srmap::input::date::parse_date;
use srmap::input::scope::{Scope, System};
use srmap::migration::{diff_offerings, Migration, Side};
use srmap::render::{Dated, Report};
use srmap::Catalog;

use super::{read_scope, OutputArgs, PremisesArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap diff --from onprem --to aws/ec2 --to aws/rds --framework pci-dss-4.0.1 -o move.pdf
  srmap diff --from aws/ec2 --to azure/app-service --framework hipaa-security --format md
  srmap diff --from-scope samples/northwind/scope.toml \\
             --to-scope samples/northwind/target.toml -o move.xlsx
  srmap diff --from onprem --to aws/ec2,aws/rds --framework pci-dss-4.0.1 \\
             --scope samples/northwind/scope.toml -o move.pdf   # only what applies to Northwind";

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

    /// Take applicability from this scope (its settings and [[exclude]] entries): controls that
    /// do not apply are left out. Without it every control is judged, and the report says so
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from_scope", "to_scope"])]
    scope: Option<PathBuf>,

    /// The system of --scope whose applicability to take [default: for each framework, the
    /// systems assessed against it, which must agree]
    #[arg(long, value_name = "NAME", requires = "scope")]
    system: Option<String>,

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
        .collect::<Result<Vec<_>, _>>()
        .map_err(super::at("--from"))?;
    let to = args
        .to
        .iter()
        .map(|o| catalog.offering(o))
        .collect::<Result<Vec<_>, _>>()
        .map_err(super::at("--to"))?;
    let frameworks = catalog
        .frameworks_named(&args.framework)
        .map_err(super::at("--framework"))?;
    let label = |list: &[&srmap::offering::Offering]| {
        list.iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let scope = match &args.scope {
        Some(path) => Some(read_scope(path, catalog)?),
        None => None,
    };
    let systems = match &scope {
        Some(scope) => applicability_systems(scope, args.system.as_deref(), &frameworks)?,
        None => Vec::new(),
    };
    let mut m = Migration::new(label(&from), label(&to));
    let side = |offerings| Side {
        offerings,
        assume: args.premises.assumptions(),
        applicability: &systems,
    };
    diff_offerings(catalog, "", side(&from), side(&to), &frameworks, &mut m);
    m.state_applicability(
        scope
            .as_ref()
            .map(|s| (s.file.as_str(), systems.as_slice())),
    );
    Ok(m)
}

/// The systems of `scope` whose applicability decides each framework: `system` when named,
/// otherwise the systems assessed against the framework, which must agree (same settings and
/// exclusions); a framework no system is assessed against is judged in full.
fn applicability_systems<'s, 'c>(
    scope: &'s Scope<'c>,
    system: Option<&str>,
    frameworks: &[&srmap::framework::Framework],
) -> Result<Vec<&'s System<'c>>> {
    if let Some(name) = system {
        let Some(sys) = scope.system(name) else {
            bail!(
                "system `{name}` is not in {} (systems: {})",
                scope.file,
                scope
                    .systems
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        return Ok(vec![sys]);
    }
    let mut out: Vec<&System<'c>> = Vec::new();
    for fw in frameworks {
        let judging: Vec<&System<'c>> = scope
            .systems
            .iter()
            .filter(|s| s.has_framework(&fw.id))
            .collect();
        let Some(first) = judging.first() else {
            continue;
        };
        let same = |s: &System<'_>| {
            let (a, b) = (first.applicability_of(&fw.id), s.applicability_of(&fw.id));
            a.map(|a| (a.profile(), a.excluded.keys().cloned().collect::<Vec<_>>()))
                == b.map(|b| (b.profile(), b.excluded.keys().cloned().collect::<Vec<_>>()))
        };
        if let Some(other) = judging.iter().find(|s| !same(s)) {
            bail!(
                "systems `{}` and `{}` of {} take {} differently: name one with --system",
                first.name,
                other.name,
                scope.file,
                fw.id
            );
        }
        if !out.iter().any(|s| s.name == first.name) {
            out.push(first);
        }
    }
    Ok(out)
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let out = args.out.choose(<Dated<Migration> as Report>::FORMATS)?;
    let m = build(catalog, &args)?;
    let date = args
        .as_of
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    out.emit(&Dated { report: &m, date })?;
    if let Some(p) = out.file() {
        let n = m.rows.len();
        say!(
            "srmap: {n} control{} whose duties move, written to {}",
            if n == 1 { "" } else { "s" },
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

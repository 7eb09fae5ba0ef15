//! `srmap offerings`

use std::process::ExitCode;

use anyhow::{bail, Result};
use srmap::listing::OfferingRow;
use srmap::offering::Model;
use srmap::Catalog;

use super::OutputArgs;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap offerings --provider aws           # the built-in offerings (service models and services)";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this provider's offerings (aws, azure, gcp, microsoft, google, salesforce, generic)
    #[arg(long)]
    provider: Option<String>,

    /// Only this service model (onprem, iaas, containers, paas, faas, saas)
    #[arg(long)]
    model: Option<String>,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let model = match &args.model {
        None => None,
        Some(m) => match Model::parse(m) {
            Some(m) => Some(m),
            None => bail!(
                "unknown model `{m}`; the models are: {}",
                Model::ALL.map(|m| m.as_str()).join(", ")
            ),
        },
    };
    if let Some(p) = &args.provider {
        if !catalog
            .offerings()
            .any(|o| o.provider.eq_ignore_ascii_case(p))
        {
            let mut known: Vec<&str> = catalog.offerings().map(|o| o.provider.as_str()).collect();
            known.sort_unstable();
            known.dedup();
            return Err(super::not_one_of("--provider", p, "a provider", &known).into());
        }
    }
    let rows: Vec<OfferingRow> = catalog
        .offerings()
        .filter(|o| {
            args.provider
                .as_ref()
                .is_none_or(|p| o.provider.eq_ignore_ascii_case(p))
        })
        .filter(|o| model.is_none_or(|m| o.model == m))
        .map(OfferingRow::from)
        .collect();
    args.out.emit(rows.as_slice())?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap controls FRAMEWORK`

use std::process::ExitCode;

use anyhow::Result;
use srmap::listing::ControlRow;
use srmap::Catalog;

use super::OutputArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Framework ID (e.g. iso27001-2022), or a prefix that names one
    framework: String,

    /// Also list informative entries that place no duty (e.g. GDPR definitions)
    #[arg(long)]
    all: bool,

    /// Only controls that touch this layer (e.g. encryption-keys); repeatable
    #[arg(long, value_name = "LAYER")]
    layer: Vec<String>,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let fw = catalog.framework(&args.framework)?;
    for l in &args.layer {
        if !catalog.layers.contains(l) {
            anyhow::bail!(
                "unknown layer `{l}`; the layers are: {}",
                catalog.layers.ids().join(", ")
            );
        }
    }
    let rows: Vec<ControlRow> = fw
        .controls
        .iter()
        .filter(|c| args.all || !c.is_informative())
        .filter(|c| args.layer.is_empty() || c.layers.iter().any(|l| args.layer.contains(l)))
        .map(ControlRow::from)
        .collect();
    args.out.write_rows(&rows)?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap controls FRAMEWORK`

use std::process::ExitCode;

use anyhow::Result;
use srmap::crosswalk::mapped;
use srmap::listing::{ControlRow, MappingRow};
use srmap::Catalog;

use super::OutputArgs;

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap controls iso27001-2022             # one framework's controls, with their layers
  srmap controls gdpr --all                # all 99 articles, informative ones included
  srmap controls hipaa-security --mapped-to nist-800-53-r5     # each HIPAA standard's NIST controls
  srmap controls nist-800-53-r5 --mapped-to iso27001-2022      # either direction";

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

    /// Show each control's mappings to this framework's controls (crosswalks, both directions)
    #[arg(long, value_name = "FRAMEWORK")]
    mapped_to: Option<String>,

    #[command(flatten)]
    out: OutputArgs,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let fw = catalog
        .framework(&args.framework)
        .map_err(super::at("FRAMEWORK"))?;
    for l in &args.layer {
        if !catalog.layers.contains(l) {
            let layers = catalog.layers.ids();
            return Err(super::not_one_of("--layer", l, "a layer", &layers).into());
        }
    }
    if let Some(other) = &args.mapped_to {
        let other = catalog.framework(other).map_err(super::at("--mapped-to"))?;
        if !catalog
            .crosswalks
            .iter()
            .any(|c| (c.from == fw.id && c.to == other.id) || (c.from == other.id && c.to == fw.id))
        {
            anyhow::bail!(
                "no crosswalk between {} and {} (see frameworks/crosswalks/)",
                fw.id,
                other.id
            );
        }
        let mut rows = Vec::new();
        for c in fw
            .controls
            .iter()
            .filter(|c| args.all || !c.is_informative())
        {
            if !args.layer.is_empty() && !c.layers.iter().any(|l| args.layer.contains(l)) {
                continue;
            }
            let maps = mapped(&catalog.crosswalks, &fw.id, &c.id, Some(&other.id));
            let blank = MappingRow {
                id: c.id.clone(),
                title: c.title.clone(),
                mapped_framework: other.id.clone(),
                mapped_control: String::new(),
                mapped_title: String::new(),
                relationship: String::new(),
            };
            if maps.is_empty() {
                rows.push(blank.clone());
            }
            for m in maps {
                rows.push(MappingRow {
                    mapped_title: other
                        .control(&m.control)
                        .map(|x| x.title.clone())
                        .unwrap_or_default(),
                    mapped_control: m.control,
                    relationship: m.relationship.to_string(),
                    ..blank.clone()
                });
            }
        }
        args.out.emit(rows.as_slice())?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<ControlRow> = fw
        .controls
        .iter()
        .filter(|c| args.all || !c.is_informative())
        .filter(|c| args.layer.is_empty() || c.layers.iter().any(|l| args.layer.contains(l)))
        .map(ControlRow::from)
        .collect();
    args.out.emit(rows.as_slice())?;
    Ok(ExitCode::SUCCESS)
}

//! `srmap controls FRAMEWORK`

use std::process::ExitCode;

use anyhow::Result;
use srmap::crosswalk::mapped;
use srmap::listing::{ControlMapping, ControlRow, MappingRow};
use srmap::output::Format;
use srmap::render::{oscal, Dated, Report};
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

    /// Date stamped in OSCAL output's last-modified (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| srmap::input::date::parse_date(s))]
    as_of: Option<jiff::civil::Date>,

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
        let mut narrowed = Vec::new();
        if args.all {
            narrowed.push("informative entries included".to_string());
        }
        if !args.layer.is_empty() {
            narrowed.push(format!("layers {}", args.layer.join(", ")));
        }
        let mapping = ControlMapping {
            from: fw,
            to: other,
            files: catalog
                .crosswalks
                .iter()
                .filter(|c| {
                    [&c.from, &c.to].contains(&&fw.id) && [&c.from, &c.to].contains(&&other.id)
                })
                .map(|c| c.file.clone())
                .collect(),
            selection: (!narrowed.is_empty()).then(|| narrowed.join("; ")),
            rows,
        };
        let date = args
            .as_of
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        let report = Dated {
            report: &mapping,
            date,
        };
        let out = args
            .out
            .choose(<Dated<ControlMapping> as Report>::FORMATS)?;
        if out.format() == Format::Oscal {
            if mapping.pairs().is_empty() {
                anyhow::bail!(
                    "no control of {} listed here maps to {}, and an OSCAL mapping needs at least one map",
                    fw.id,
                    other.id
                );
            }
            let catalogs = oscal::mapping::companions(&mapping, date);
            if let Some(file) = out.file() {
                oscal::write_companions(oscal::folder_of(file), &catalogs)?;
                out.emit(&report)?;
                eprintln!(
                    "srmap: mapping written to {}, with {} and {} beside it",
                    file.display(),
                    catalogs[0].file_name,
                    catalogs[1].file_name
                );
            } else {
                out.emit(&report)?;
                eprintln!(
                    "srmap: note: the mapping names the catalogs {} and {}; srmap writes them beside the mapping when given -o FILE",
                    catalogs[0].file_name, catalogs[1].file_name
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        out.emit(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let with_oscal = <Dated<ControlMapping> as Report>::FORMATS;
    if args.out.choose(with_oscal)?.format() == Format::Oscal {
        anyhow::bail!(
            "OSCAL output of `controls` is a control mapping collection: add --mapped-to FRAMEWORK"
        );
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

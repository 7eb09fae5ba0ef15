//! `srmap gaps --scope S --evidence E --attestations A --as-of D`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use jiff::civil::Date;
use srmap::gaps::{self, GapCode, GapReport, InputFiles, Reuse, RuleOptions, Severity};
use srmap::input::date::parse_date;
use srmap::output::Format;
use srmap::render::Report;
use srmap::Catalog;

use srmap::diagnostic::Code;
use srmap::suggest::{did_you_mean, suggest, Known};

use super::{report_problems, OptionError, OutputArgs};

/// Examples in `--help`, as the README gives them (a test keeps them to it).
pub const EXAMPLES: &str = "\
Examples:
  srmap gaps --scope scope.toml --evidence evidence.xlsx --attestations attestations.csv \\
             --as-of 2026-09-30 -o gaps.pdf
  srmap gaps ... -o gaps.xlsx          # summary and chart, worklist (status, notes), owner map
  srmap gaps ... --format json         # or csv, md, table: one finding per line
  srmap gaps ... --fail-on any         # exit 1 when there is a gap (or: high, medium, a gap code)
  srmap gaps ... --due-within 30       # evidence that stops counting within 30 days (default 90)
  srmap gaps ... --previous last-quarter.json   # mark each finding new or open, list the resolved
  srmap gaps ... --reuse-mapped                # evidence for Y counts for X equal to or within Y";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scope file (TOML): organization, audit period, systems with offerings and frameworks
    #[arg(long, value_name = "FILE")]
    scope: PathBuf,

    /// Evidence register (CSV or XLSX)
    #[arg(long, value_name = "FILE")]
    evidence: Option<PathBuf>,

    /// Sheet of the evidence workbook to read [default: the first]
    #[arg(long, value_name = "NAME", requires = "evidence")]
    sheet: Option<String>,

    /// Provider attestations on file (CSV or XLSX)
    #[arg(long, value_name = "FILE")]
    attestations: Option<PathBuf>,

    /// The date the gaps are judged at (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_date(s))]
    as_of: Option<Date>,

    /// Let evidence for a control count for the controls mapped to it by a crosswalk: equal or
    /// subset mappings, or with `=intersect` any mapping
    #[arg(long, value_name = "HOW", num_args = 0..=1, default_missing_value = "subset", value_parser = ["subset", "intersect"])]
    reuse_mapped: Option<String>,

    /// Also report (as information) evidence that stops counting within DAYS of the as-of date
    /// (0 to 3650)
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = super::parse_days)]
    due_within: u32,

    /// An earlier `--format json` output of this command: mark each finding new or open, and
    /// list the ones resolved since
    #[arg(long, value_name = "FILE.json")]
    previous: Option<PathBuf>,

    /// Exit 1 when there are gaps: `any`, a severity (`high`, `medium`, `low`: that or worse), or gap codes (comma-separated)
    #[arg(long, value_name = "WHAT", value_delimiter = ',')]
    fail_on: Vec<String>,

    #[command(flatten)]
    out: OutputArgs,
}

enum FailOn {
    Any,
    Severity(Severity),
    Code(GapCode),
}

fn parse_fail_on(list: &[String]) -> Result<Vec<FailOn>> {
    list.iter()
        .map(|s| {
            Ok(match s.trim() {
                "any" => FailOn::Any,
                "high" => FailOn::Severity(Severity::High),
                "medium" => FailOn::Severity(Severity::Medium),
                "low" => FailOn::Severity(Severity::Low),
                other => match GapCode::parse(other) {
                    Some(code) => FailOn::Code(code),
                    None => {
                        let mut known = vec!["any", "high", "medium", "low"];
                        known.extend(GapCode::ALL.map(|c| c.as_str()));
                        let near = suggest(other, known.iter().map(|k| Known::id(k)));
                        let why = match did_you_mean(&near) {
                            Some(hint) => {
                                format!("`{other}` is not a severity or a gap code: {hint}")
                            }
                            None => format!("`{other}` is not a severity or a gap code"),
                        };
                        return Err(OptionError {
                            code: Code::BadOption,
                            option: "--fail-on",
                            why: format!(
                                "{why} (give any, high, medium, low or gap codes: {})",
                                GapCode::ALL.map(|c| c.as_str()).join(", ")
                            ),
                        }
                        .into());
                    }
                },
            })
        })
        .collect()
}

fn fails(report: &GapReport, rules: &[FailOn]) -> bool {
    report.gaps().any(|f| {
        rules.iter().any(|r| match r {
            FailOn::Any => true,
            FailOn::Severity(s) => f.severity() <= *s,
            FailOn::Code(c) => f.code == *c,
        })
    })
}

/// Read the inputs (every problem of every file reported at once) and run the rules.
/// `rows`: the report is a workbook or a PDF (they list what became of every register row and
/// the basis of each owner; the text formats are findings only).
pub fn build(catalog: &Catalog, args: &Args, as_of: Date, rows: bool) -> Result<GapReport> {
    let files = InputFiles {
        scope: &args.scope,
        evidence: args.evidence.as_deref(),
        sheet: args.sheet.as_deref(),
        attestations: args.attestations.as_deref(),
        previous: args.previous.as_deref(),
    };
    let reuse = match args.reuse_mapped.as_deref() {
        None => Reuse::None,
        Some("intersect") => Reuse::Intersect,
        Some(_) => Reuse::Contained,
    };
    match gaps::read_inputs(catalog, &files, as_of).and_then(|input| {
        input.run(RuleOptions {
            reuse,
            due_within: args.due_within,
            findings_only: !rows,
            parallel_from: parallel_from(),
        })
    }) {
        Ok(report) => Ok(report),
        Err(problems) => {
            report_problems(&problems);
            bail!("the inputs have problems ({problems}); nothing was written");
        }
    }
}

/// The register size from which it is read in two parts at once: `SRMAP_PARALLEL_FROM`
/// (bytes; `never`), for tests and measurements, or the default.
fn parallel_from() -> u64 {
    match std::env::var("SRMAP_PARALLEL_FROM") {
        Ok(v) if v == "never" => u64::MAX,
        Ok(v) => v.parse().unwrap_or(RuleOptions::PARALLEL_FROM),
        Err(_) => RuleOptions::PARALLEL_FROM,
    }
}

pub fn run(catalog: &Catalog, args: Args) -> Result<ExitCode> {
    let rules = parse_fail_on(&args.fail_on)?;
    let out = args.out.choose(GapReport::FORMATS)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let rows = matches!(out.format(), Format::Xlsx | Format::Pdf);
    let report = build(catalog, &args, as_of, rows)?;
    {
        // A workbook or PDF of a large run takes a while: say so (a file only: the bar would
        // garble a report written to the terminal).
        let _writing = out.file().map(|p| {
            srmap::progress::Phase::begin(|| format!("writing {}", srmap::table::file_name(p)))
        });
        out.emit(&report)?;
    }
    let gaps = report.gaps().count();
    if let (Some(p), false) = (out.file(), super::quiet()) {
        say!(
            "srmap: {gaps} gap{} written to {}",
            if gaps == 1 { "" } else { "s" },
            p.display()
        );
    }
    Ok(if fails(&report, &rules) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

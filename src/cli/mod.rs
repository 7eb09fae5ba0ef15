//! Command-line arguments and the shared plumbing of the subcommands.

/// `eprintln!` that never panics: a message to a standard error that has gone away (a closed
/// pipe) is dropped, and the run ends as it would have.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod compare;
mod completions;
mod controls;
mod diff;
mod frameworks;
mod gaps;
mod import;
mod man;
mod map;
mod matrix;
mod offerings;
mod progress;
mod soa;
mod template;
mod validate;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Result};
use clap::{Args, Parser, Subcommand};
use srmap::catalog::LookupError;
use srmap::diagnostic::{Code, Diagnostics};
use srmap::output::{Destination, Format};
use srmap::render::Report;
use srmap::suggest::{did_you_mean, suggest, Known};
use srmap::Catalog;

/// Who owns each compliance control on each cloud offering (provider, customer or shared,
/// and why), and which evidence and attestations are missing.
#[derive(Debug, Parser)]
#[command(
    name = "srmap",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Add or override data files from DIR (its frameworks/ and providers/ folders); repeatable
    #[arg(long, global = true, value_name = "DIR")]
    data: Vec<PathBuf>,

    /// No progress bar and no summary lines on standard error (problems are still reported)
    #[arg(short, long, global = true, display_order = 900)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the frameworks, their versions and control counts
    #[command(after_help = frameworks::EXAMPLES)]
    Frameworks(frameworks::Args),
    /// List one framework's controls with their layers
    #[command(after_help = controls::EXAMPLES)]
    Controls(controls::Args),
    /// List the offerings: service models and named cloud services
    #[command(after_help = offerings::EXAMPLES)]
    Offerings(offerings::Args),
    /// Show one offering's responsibility matrix, layer by layer
    #[command(after_help = matrix::EXAMPLES)]
    Matrix(matrix::Args),
    /// Map framework controls to owners on one or more offerings
    #[command(after_help = map::EXAMPLES)]
    Map(map::Args),
    /// Find the gaps: missing, stale or unapproved evidence and provider attestations
    #[command(after_help = gaps::EXAMPLES)]
    Gaps(gaps::Args),
    /// Write the Statement of Applicability: every control, applicable or not, and why not
    #[command(after_help = soa::EXAMPLES)]
    Soa(soa::Args),
    /// Write a PBC request list, an empty evidence register or a documented scope to fill in
    #[command(after_help = template::EXAMPLES)]
    Template(template::Args),
    /// Review a migration: which control duties move to the provider, come back, or become shared
    #[command(after_help = diff::EXAMPLES)]
    Diff(diff::Args),
    /// Compare candidate offerings control by control (a spreadsheet for choosing a vendor)
    #[command(after_help = compare::EXAMPLES)]
    Compare(compare::Args),
    /// Turn matrices, catalogs and scanner results you already have into srmap data or evidence
    #[command(after_help = import::EXAMPLES)]
    Import(import::Args),
    /// Check the data files (built-in and --data) and report every problem
    #[command(after_help = validate::EXAMPLES)]
    Validate(validate::Args),
    /// Write the shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = completions::EXAMPLES)]
    Completions(completions::Args),
    /// Write the manual pages (roff) for `man`: srmap's own, or one command's
    #[command(after_help = man::EXAMPLES)]
    Man(man::Args),
}

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet` was given: say nothing on standard error but problems.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A value given to an option that srmap cannot use, in the shape of every other input problem
/// (`error[unknown-offering]: --offering: unknown offering `aws/ec3`: did you mean ...`); `main`
/// prints it as it is, exit 2.
#[derive(Debug)]
pub struct OptionError {
    pub code: Code,
    pub option: &'static str,
    pub why: String,
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error[{}]: {}: {}", self.code, self.option, self.why)
    }
}

impl std::error::Error for OptionError {}

/// A failed catalog look-up of what `option` names, as that option's problem.
pub fn at(option: &'static str) -> impl Fn(LookupError) -> OptionError {
    move |e| OptionError {
        code: e.code(),
        option,
        why: e.to_string(),
    }
}

/// `` `given` is not one of known`` with the nearest ones ([`srmap::suggest`]), for an option
/// whose values are a short list: `what` names them (`a provider`).
pub fn not_one_of(option: &'static str, given: &str, what: &str, known: &[&str]) -> OptionError {
    let near = suggest(given, known.iter().map(|k| Known::id(k)));
    let why = match did_you_mean(&near) {
        Some(hint) => format!(
            "`{given}` is not {what}: {hint} (the choices are {})",
            known.join(", ")
        ),
        None => format!(
            "`{given}` is not {what}; the choices are {}",
            known.join(", ")
        ),
    };
    OptionError {
        code: Code::BadOption,
        option,
        why,
    }
}

/// `--premises`, shared by the commands that decide owners without a scope.
#[derive(Debug, Args)]
pub struct PremisesArgs {
    /// Are the organisation's own offices, workstations and paper records in scope? `yes`: facility
    /// and media controls are shared on cloud; `no` (a system-only assessment): the provider's
    /// [default: yes for ISO 27001, SOC 2, PCI DSS, HIPAA and GDPR; no for NIST 800-53 and FedRAMP]
    #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
    premises: Option<bool>,
}

impl PremisesArgs {
    pub fn assumptions(&self) -> srmap::ownership::Assumptions {
        srmap::ownership::Assumptions::premises(self.premises)
    }

    /// The value given on the command line, if any.
    pub fn given(&self) -> Option<bool> {
        self.premises
    }
}

/// The most days a days option (`--due-within`) takes: ten years. Dates beyond what the date
/// library holds would follow from more.
pub const MAX_DAYS: u32 = 3650;

/// A number of days from 0 to [`MAX_DAYS`].
fn parse_days(s: &str) -> Result<u32, String> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{t}` is not a number of days: give a whole number from 0 to {MAX_DAYS}"
        ));
    }
    match t.parse::<u32>() {
        Ok(n) if n <= MAX_DAYS => Ok(n),
        _ => Err(format!(
            "`{t}` days is more than ten years: give a number of days from 0 to {MAX_DAYS}"
        )),
    }
}

/// The command line could not be parsed. A value an option cannot take is a `bad-option`
/// diagnostic naming the option (`error[bad-option]: --due-within: ...`), in the shape of every
/// other input problem, exit 2; anything else (help, version, an unknown argument) is printed
/// as clap prints it.
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.split(' ').next().unwrap_or(arg),
        _ => e.exit(),
    };
    let value = match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(v)) => v.as_str(),
        _ => "",
    };
    let why = match e.kind() {
        ErrorKind::ValueValidation => match std::error::Error::source(&e) {
            Some(inner) => inner.to_string(),
            None => format!("`{value}` cannot be used"),
        },
        ErrorKind::InvalidValue => match e.get(ContextKind::ValidValue) {
            Some(ContextValue::Strings(valid)) => {
                format!("`{value}` is not one of {}", valid.join(", "))
            }
            _ => format!("`{value}` cannot be used"),
        },
        _ => e.exit(),
    };
    eprintln!(
        "error[{}]: {arg}: {why}\n\nFor more information, try '--help'.",
        srmap::diagnostic::Code::BadOption
    );
    ExitCode::from(2)
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" => Ok(true),
        "no" | "n" | "false" | "off" => Ok(false),
        other => Err(format!("`{other}`: expected yes or no")),
    }
}

/// `--format` and `-o`, shared by every command that writes a report.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format [default: from the -o extension, else table on a terminal, csv in a pipe]
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// Write to FILE instead of standard output (written whole or not at all); `-` for standard
    /// output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The format `--format` names, if the command writes it; otherwise a `bad-option` that lists
/// every format the command writes, with the nearest (`jsno`: `json`; `excel`: `xlsx`).
fn parse_format(given: &str, allowed: &[Format]) -> Result<Format, OptionError> {
    let writes = Format::list(allowed);
    let why = match Format::parse(given) {
        Some(f) if allowed.contains(&f) => return Ok(f),
        Some(f) => format!("this command cannot write {f}; it writes {writes}"),
        None => {
            // What people call the formats, for suggestions only.
            let also = |f: Format| -> &'static [&'static str] {
                match f {
                    Format::Table => &["text", "txt"],
                    Format::Md => &["markdown"],
                    Format::Xlsx => &["excel", "xls", "spreadsheet", "workbook"],
                    Format::Oscal => &["ssp", "oscal-json"],
                    Format::Csv | Format::Json | Format::Pdf => &[],
                }
            };
            let known = allowed.iter().map(|f| Known {
                id: f.as_str(),
                aliases: also(*f).to_vec(),
                name: "",
            });
            match did_you_mean(&suggest(given, known)) {
                Some(hint) => {
                    format!("`{given}` is not a format: {hint} (this command writes {writes})")
                }
                None => format!("`{given}` is not a format; this command writes {writes}"),
            }
        }
    };
    Err(OptionError {
        code: Code::BadOption,
        option: "--format",
        why,
    })
}

impl OutputArgs {
    /// Choose the format among `allowed`, and the destination, before any work is done: a
    /// destination srmap will not replace (a device, a pipe, a folder) is refused here, and a
    /// symbolic link followed to its target is said.
    pub fn choose(&self, allowed: &[Format]) -> Result<Output> {
        let to = Destination::from_arg(self.output.as_deref());
        check_destination(&to)?;
        let explicit = match &self.format {
            Some(given) => Some(parse_format(given, allowed)?),
            None => None,
        };
        let format = Format::choose(explicit, &to, std::io::stdout().is_terminal(), allowed)
            .map_err(anyhow::Error::msg)?;
        Ok(Output { format, to })
    }

    /// Choose the format for `report` and write it.
    pub fn emit<R: Report + ?Sized>(&self, report: &R) -> Result<()> {
        self.choose(R::FORMATS)?.emit(report)
    }
}

/// Check what is at a destination before any work: print why it cannot be used and fail, or
/// say where a symbolic link takes the output.
pub fn check_destination(to: &Destination) -> Result<()> {
    match to.check() {
        Ok(Some(target)) => {
            if let Some(link) = &target.link {
                say!(
                    "note: {} is a symbolic link: the output goes to its target, {}",
                    link.display(),
                    target.path.display()
                );
            }
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(problems) => {
            report_problems(&problems);
            bail!("cannot write to {to}; nothing was done")
        }
    }
}

/// Write through `to`; on failure print the diagnostic and fail.
pub fn write_to(
    to: &Destination,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    to.write(write).or_else(|problems| {
        report_problems(&problems);
        match to.file() {
            Some(p) => bail!("nothing was written to {}", p.display()),
            None => bail!("the output to standard output is incomplete"),
        }
    })
}

/// Where and how a run writes its report: the chosen format and destination.
#[derive(Debug)]
pub struct Output {
    format: Format,
    to: Destination,
}

impl Output {
    pub fn format(&self) -> Format {
        self.format
    }

    /// The file written, if output goes to one (not to standard output).
    pub fn file(&self) -> Option<&Path> {
        self.to.file()
    }

    /// Write `report` in the chosen format to the destination: a file whole or not at all, or
    /// standard output.
    pub fn emit<R: Report + ?Sized>(&self, report: &R) -> Result<()> {
        write_to(&self.to, |w| report.write(self.format, w))
    }
}

/// Print each problem on its own line, on standard error.
pub fn report_problems(problems: &Diagnostics) {
    for d in problems.iter() {
        say!("{d}");
    }
}

/// Read a scope file; on problems print each one and fail.
pub fn read_scope<'c>(
    path: &std::path::Path,
    catalog: &'c Catalog,
) -> Result<srmap::input::scope::Scope<'c>> {
    srmap::input::scope::read(path, catalog).or_else(|d| {
        report_problems(&d);
        bail!("{} has problems ({d}); nothing was written", path.display())
    })
}

/// Open the catalog (built-in data plus --data; the built-in data alone is read as the command
/// asks for it); on errors print each one and fail.
pub fn load_catalog(data: &[PathBuf]) -> Result<Catalog> {
    match Catalog::open(data) {
        Ok(c) => Ok(c),
        Err(diags) => {
            report_problems(&diags);
            bail!("the data files have problems ({diags}); run `srmap validate` to see them all")
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    QUIET.store(cli.quiet, Ordering::Relaxed);
    progress::install(cli.quiet);
    match cli.command {
        Command::Validate(args) => validate::run(&cli.data, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        command => {
            let catalog = load_catalog(&cli.data)?;
            // The catalog lives until the process ends: freeing it piece by piece is wasted time.
            let catalog: &'static Catalog = Box::leak(Box::new(catalog));
            match command {
                Command::Frameworks(args) => frameworks::run(catalog, args),
                Command::Controls(args) => controls::run(catalog, args),
                Command::Offerings(args) => offerings::run(catalog, args),
                Command::Matrix(args) => matrix::run(catalog, args),
                Command::Map(args) => map::run(catalog, args),
                Command::Gaps(args) => gaps::run(catalog, args),
                Command::Soa(args) => soa::run(catalog, args),
                Command::Template(args) => template::run(catalog, args),
                Command::Diff(args) => diff::run(catalog, args),
                Command::Compare(args) => compare::run(catalog, args),
                Command::Import(args) => import::run(catalog, args),
                Command::Validate(_) | Command::Completions(_) | Command::Man(_) => {
                    unreachable!("handled above")
                }
            }
        }
    }
}

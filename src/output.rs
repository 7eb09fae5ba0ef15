//! Output formats, format choice and safe writing: temp file then rename, never half a file;
//! never a device, pipe or folder replaced (`target`); temporaries removed on a signal and
//! after a killed run (`atomic`); every spreadsheet text cell neutralised ([`neutralize`]).

pub mod atomic;
pub mod target;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use atomic::{write_atomic, write_folder};
pub use target::Target;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    Xlsx,
    Pdf,
    Oscal,
}

impl Format {
    /// Every format, in the order `--help` and messages list them.
    pub const ALL: [Format; 7] = [
        Format::Table,
        Format::Csv,
        Format::Json,
        Format::Md,
        Format::Xlsx,
        Format::Pdf,
        Format::Oscal,
    ];

    /// The formats named, comma-separated: `table, csv, json`.
    pub fn list(formats: &[Format]) -> String {
        formats
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
            Format::Oscal => "oscal",
        }
    }

    /// The format a name or common alias stands for (`markdown`, `txt`, ...).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" | "txt" | "text" => Some(Format::Table),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            "oscal" => Some(Format::Oscal),
            _ => None,
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }

    /// Binary formats cannot go to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Pdf)
    }

    /// Pick the format: `--format` wins, then the output file's extension, then a table on a
    /// terminal and CSV into a pipe (also for `-o -`, which has no extension). `allowed` is what
    /// the command can write. Binary formats go to a file, or to standard output only when it
    /// is asked for with `-o -` and is not a terminal.
    pub fn choose(
        explicit: Option<Format>,
        to: &Destination,
        stdout_is_terminal: bool,
        allowed: &[Format],
    ) -> Result<Format, String> {
        let names = || Format::list(allowed);
        let chosen = match (explicit, to) {
            (Some(f), _) => f,
            (None, Destination::File(path)) => Format::from_path(path).ok_or_else(|| {
                format!(
                    "cannot tell the format of `{}` from its extension; add --format ({})",
                    path.display(),
                    names()
                )
            })?,
            (None, _) if stdout_is_terminal => Format::Table,
            (None, _) => Format::Csv,
        };
        if !allowed.contains(&chosen) {
            return Err(format!(
                "this command cannot write {}; it writes {}",
                chosen.as_str(),
                names()
            ));
        }
        if chosen.is_binary() {
            match to {
                Destination::File(_) => {}
                Destination::Stdout if !stdout_is_terminal => {}
                Destination::Stdout => {
                    return Err(format!(
                    "{} output would garble the terminal: redirect it (-o - > FILE) or add -o FILE",
                    chosen.as_str()
                ))
                }
                Destination::Default => {
                    return Err(format!(
                        "{} output needs a file: add -o FILE (or -o - for standard output)",
                        chosen.as_str()
                    ))
                }
            }
        }
        Ok(chosen)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where output goes, as `-o` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// No `-o`: standard output.
    Default,
    /// `-o -`: standard output, asked for by name (binary formats may go into a pipe).
    Stdout,
    /// `-o FILE`: the file, written whole or not at all.
    File(PathBuf),
}

/// The paths that name standard output itself (written to, never replaced).
const STDOUT_PATHS: [&str; 3] = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

impl Destination {
    /// The destination `-o` names: `-` (or `/dev/stdout`) is standard output, anything else a
    /// file.
    pub fn from_arg(arg: Option<&Path>) -> Destination {
        match arg {
            None => Destination::Default,
            Some(p) if p.as_os_str() == "-" => Destination::Stdout,
            Some(p) if STDOUT_PATHS.iter().any(|s| p.as_os_str() == *s) => Destination::Stdout,
            Some(p) => Destination::File(p.to_path_buf()),
        }
    }

    /// The file written, if output goes to one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Destination::File(p) => Some(p),
            Destination::Default | Destination::Stdout => None,
        }
    }

    /// What the file is, checked before any work: where the write really goes (a symbolic
    /// link's target), or why srmap will not replace what is there. `None` for standard output.
    pub fn check(&self) -> Result<Option<Target>, Diagnostics> {
        match self {
            Destination::File(p) => target::resolve(p, target::Want::File).map(Some),
            Destination::Default | Destination::Stdout => Ok(None),
        }
    }

    /// Run `write` into the destination: a file through [`write_atomic`] (checked again, as it
    /// may have changed since [`Destination::check`]), or standard output (a reader that stops
    /// early, as `head` does, is not an error: the output just ends). An error names the path
    /// given, never a temporary file, and a report's own error (a workbook limit) keeps its code
    /// and place.
    pub fn write(
        &self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Diagnostics> {
        match self {
            Destination::File(p) => {
                let place = p.display().to_string();
                let target = target::resolve(p, target::Want::File)?;
                write_atomic(&target.path, write).map_err(|e| failure(e, &place))
            }
            Destination::Default | Destination::Stdout => {
                let stdout = io::stdout();
                let mut lock = stdout.lock();
                match write(&mut lock).and_then(|_| lock.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(|e| failure(e, "standard output")),
                }
            }
        }
    }
}

/// A write error as a diagnostic at `place`: the report's own diagnostic when it gave one.
fn failure(e: io::Error, place: &str) -> Diagnostics {
    if let Some(d) = e.get_ref().and_then(|r| r.downcast_ref::<Diagnostic>()) {
        let mut d = d.clone();
        d.location.file = place.to_string();
        return Diagnostics(vec![d]);
    }
    Diagnostics(vec![Diagnostic::error(
        Code::CannotWrite,
        Location::file(place),
        target::describe(&e),
    )])
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::File(p) => write!(f, "{}", p.display()),
            Destination::Default | Destination::Stdout => f.write_str("standard output"),
        }
    }
}

/// Whether a spreadsheet would run a cell starting like this as a formula: `=`, `+`, `-`, `@`,
/// tab or carriage return first.
pub fn looks_like_formula(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// The one neutraliser of spreadsheet text: a cell that [`looks_like_formula`] gets a leading
/// quote so it stays text. Every text cell of every CSV and XLSX output, headers included,
/// goes through it.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A worksheet name Excel accepts: none of `[]:*?/\`, no control character, no apostrophe at
/// either end, at most 31 characters, never empty; and, as a name cannot start with the
/// neutraliser's quote, a name that [`looks_like_formula`] starts with `_` instead.
pub fn sheet_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .collect();
    let kept = kept.trim_matches('\'');
    let mut out = if looks_like_formula(kept) || kept.is_empty() {
        format!("_{kept}")
    } else {
        kept.to_string()
    };
    if let Some((i, _)) = out.char_indices().nth(31) {
        out.truncate(i);
    }
    out.trim_end_matches('\'').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_formula_starts() {
        for s in ["=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralize("8.3.1"), "8.3.1");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize(" =1"), " =1");
    }

    #[test]
    fn sheet_names_are_valid_and_never_start_like_a_formula() {
        assert_eq!(sheet_name("soc2-2017"), "soc2-2017");
        assert_eq!(sheet_name("=cmd|' /C calc'!A0"), "_=cmd|' C calc'!A0");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "_");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("a\tb[c]"), "abc");
    }

    #[test]
    fn a_reports_own_error_keeps_its_code_and_place_at_the_path_given() {
        let dir = tempfile::tempdir().unwrap();
        let given = dir.path().join("gaps.xlsx");
        let to = Destination::File(given.clone());
        let mut at = Location::at("", 1_048_577, 2).with_field("row");
        at.sheet = Some("Evidence rows".into());
        let d = to
            .write(|_| {
                Err(io::Error::other(Diagnostic::error(
                    Code::XlsxLimit,
                    at,
                    "too many rows",
                )))
            })
            .unwrap_err();
        assert_eq!(
            d.0[0].to_string(),
            format!(
                "error[xlsx-limit]: {}: sheet Evidence rows, cell B1048577 (row): too many rows",
                given.display()
            )
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn standard_output_by_name() {
        for p in ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            assert_eq!(
                Destination::from_arg(Some(Path::new(p))),
                Destination::Stdout,
                "{p}"
            );
        }
        assert_eq!(
            Destination::from_arg(Some(Path::new("/dev/stderr"))).file(),
            Some(Path::new("/dev/stderr"))
        );
    }

    #[test]
    fn all_lists_every_format_once_and_names_parse_back() {
        for f in Format::ALL {
            // A new variant breaks this match until it is added to ALL too.
            match f {
                Format::Table
                | Format::Csv
                | Format::Json
                | Format::Md
                | Format::Xlsx
                | Format::Pdf
                | Format::Oscal => {}
            }
            assert_eq!(Format::parse(f.as_str()), Some(f));
            assert_eq!(Format::ALL.iter().filter(|x| **x == f).count(), 1);
        }
        assert_eq!(
            Format::list(&Format::ALL),
            "table, csv, json, md, xlsx, pdf, oscal"
        );
    }

    #[test]
    fn format_from_extension_then_terminal() {
        let all = [Format::Table, Format::Csv, Format::Json, Format::Md];
        let file = |p: &str| Destination::File(PathBuf::from(p));
        assert_eq!(
            Format::choose(None, &file("a.json"), true, &all),
            Ok(Format::Json)
        );
        assert_eq!(
            Format::choose(Some(Format::Md), &file("a.json"), true, &all),
            Ok(Format::Md)
        );
        assert_eq!(
            Format::choose(None, &Destination::Default, true, &all),
            Ok(Format::Table)
        );
        assert_eq!(
            Format::choose(None, &Destination::Default, false, &all),
            Ok(Format::Csv)
        );
        assert!(Format::choose(None, &file("a.docx"), true, &all).is_err());
        assert!(Format::choose(
            Some(Format::Pdf),
            &Destination::Default,
            true,
            &[Format::Pdf]
        )
        .is_err());
    }

    #[test]
    fn dash_is_standard_output_and_has_no_extension() {
        let all = [Format::Table, Format::Csv, Format::Xlsx];
        let dash = Destination::from_arg(Some(Path::new("-")));
        assert_eq!(dash, Destination::Stdout);
        assert_eq!(dash.file(), None);
        assert_eq!(Format::choose(None, &dash, true, &all), Ok(Format::Table));
        assert_eq!(Format::choose(None, &dash, false, &all), Ok(Format::Csv));
        // Binary into a pipe when asked for by name; never onto a terminal, never without -o.
        assert_eq!(
            Format::choose(Some(Format::Xlsx), &dash, false, &all),
            Ok(Format::Xlsx)
        );
        assert!(Format::choose(Some(Format::Xlsx), &dash, true, &all).is_err());
        assert!(Format::choose(Some(Format::Xlsx), &Destination::Default, false, &all).is_err());
        assert_eq!(
            Destination::from_arg(Some(Path::new("./-"))).file(),
            Some(Path::new("./-"))
        );
    }
}

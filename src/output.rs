//! Output formats, format choice and safe writing: temp file then rename, never half a file.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// Write `path` through a temporary file in the same folder, renamed into place only when
/// `write` succeeded: a failure leaves no file (and an old file untouched).
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".srmap-").suffix(".tmp");
    #[cfg(unix)]
    {
        // A report is an ordinary file (tempfile's default 0600 would hide it from colleagues).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut buf = io::BufWriter::new(tmp.as_file_mut());
        write(&mut buf)?;
        buf.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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

impl Destination {
    /// The destination `-o` names: `-` is standard output, anything else a file.
    pub fn from_arg(arg: Option<&Path>) -> Destination {
        match arg {
            None => Destination::Default,
            Some(p) if p.as_os_str() == "-" => Destination::Stdout,
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

    /// Run `write` into the destination: a file through [`write_atomic`], or standard output
    /// (a reader that stops early, as `head` does, is not an error).
    pub fn write(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        match self {
            Destination::File(p) => write_atomic(p, write),
            Destination::Default | Destination::Stdout => {
                let stdout = io::stdout();
                let mut lock = stdout.lock();
                match write(&mut lock).and_then(|_| lock.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other,
                }
            }
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::File(p) => write!(f, "{}", p.display()),
            Destination::Default | Destination::Stdout => f.write_str("standard output"),
        }
    }
}

/// A spreadsheet would run a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return
/// as a formula: prefix it with a quote so it stays text.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
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

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let r = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

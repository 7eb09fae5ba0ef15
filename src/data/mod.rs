//! The data files srmap reads: built in (embedded at build time) and overlaid by `--data DIR`.
//!
//! Each file kind has its own reader module; [`crate::catalog::Catalog::load`] turns a
//! [`DataSet`] into validated types in one step, reporting every problem at once.

pub mod applicability_csv;
pub mod artefacts_csv;
pub mod builtin;
pub mod crosswalk_csv;
pub mod features_csv;
pub mod framework_files;
pub mod layers_csv;
pub mod matrix_toml;
pub mod published_csv;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostic::{line_col, Code, Diagnostic, Diagnostics, Location};
use crate::table::{Records, Row};

static FRAMEWORKS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/frameworks");
static PROVIDERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/providers");

/// Where a data file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Dir(PathBuf),
}

/// One data file: its path relative to the data root (`frameworks/gdpr.csv`), and its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub rel: String,
    pub origin: Origin,
    pub text: String,
    /// Byte offsets where each line starts, built on the first lookup of a place.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl DataFile {
    pub fn new(rel: impl Into<String>, origin: Origin, text: impl Into<String>) -> DataFile {
        DataFile {
            rel: rel.into(),
            origin,
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and character column of a byte offset, without rescanning the file.
    pub fn line_col(&self, offset: usize) -> (u64, u64) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(self.text.len());
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let column = self.text[start..offset].chars().count() as u64 + 1;
        (line as u64, column)
    }

    /// The name shown in diagnostics: the repository path for built-in files, the real path
    /// for files under `--data`.
    pub fn display(&self) -> String {
        match &self.origin {
            Origin::Builtin => self.rel.clone(),
            Origin::Dir(dir) => dir.join(&self.rel).display().to_string(),
        }
    }

    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
    }

    pub fn extension(&self) -> &str {
        self.rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("")
    }
}

/// All data files by relative path; a later overlay replaces a file with the same path.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub files: BTreeMap<String, DataFile>,
}

fn wanted(rel: &str) -> bool {
    let hidden = rel.split('/').any(|part| part.starts_with('.'));
    !hidden && (rel.ends_with(".csv") || rel.ends_with(".toml"))
}

fn collect_embedded(dir: &Dir<'static>, root: &str, out: &mut BTreeMap<String, DataFile>) {
    for file in dir.files() {
        let rel = format!(
            "{root}/{}",
            file.path().to_string_lossy().replace('\\', "/")
        );
        if !wanted(&rel) {
            continue;
        }
        if let Some(text) = file.contents_utf8() {
            out.insert(rel.clone(), DataFile::new(rel, Origin::Builtin, text));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, root, out);
    }
}

impl DataSet {
    /// The data embedded in the binary.
    pub fn builtin() -> Self {
        let mut files = BTreeMap::new();
        collect_embedded(&FRAMEWORKS, "frameworks", &mut files);
        collect_embedded(&PROVIDERS, "providers", &mut files);
        DataSet { files }
    }

    /// One built-in file by its path (`frameworks/gdpr.csv`), read when asked for; None when
    /// there is no such file or it is not UTF-8 text.
    pub fn builtin_file(rel: &str) -> Option<DataFile> {
        let (dir, path) = match rel.split_once('/')? {
            ("frameworks", path) => (&FRAMEWORKS, path),
            ("providers", path) => (&PROVIDERS, path),
            _ => return None,
        };
        let text = dir.get_file(path)?.contents_utf8()?;
        Some(DataFile::new(rel, Origin::Builtin, text))
    }

    /// Overlay the `frameworks/` and `providers/` folders of `dir`.
    pub fn overlay_dir(&mut self, dir: &Path) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        if !dir.is_dir() {
            diags.push(Diagnostic::error(
                Code::DataDirMissing,
                Location::file(dir.display().to_string()),
                "not a directory",
            ));
            return Err(diags);
        }
        let mut found = 0;
        for top in ["frameworks", "providers"] {
            let root = dir.join(top);
            if root.is_dir() {
                found += 1;
                walk(dir, &root, &mut self.files, &mut diags);
            }
        }
        if found == 0 {
            diags.push(Diagnostic::error(
                Code::DataDirEmpty,
                Location::file(dir.display().to_string()),
                "has neither a frameworks/ nor a providers/ folder",
            ));
        }
        if diags.is_empty() {
            Ok(())
        } else {
            Err(diags)
        }
    }

    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a DataFile> + 'a {
        self.files
            .values()
            .filter(move |f| f.rel.starts_with(prefix))
    }
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, DataFile>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::DataUnreadable,
                Location::file(dir.display().to_string()),
                e.to_string(),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(base, &path, out, diags);
            continue;
        }
        let Ok(rel) = path.strip_prefix(base) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !wanted(&rel) {
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    out.insert(
                        rel.clone(),
                        DataFile::new(rel, Origin::Dir(base.to_path_buf()), text),
                    );
                }
                Err(e) => diags.push(not_utf8(&path.display().to_string(), &e)),
            },
            Err(e) => diags.push(Diagnostic::error(
                Code::DataUnreadable,
                Location::file(path.display().to_string()),
                e.to_string(),
            )),
        }
    }
}

/// `not-utf8` at the line and column of the first byte that is not UTF-8, naming it (a
/// spreadsheet saved as plain CSV writes `é` as the Latin-1 byte E9).
fn not_utf8(file: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let bytes = e.as_bytes();
    let at = e.utf8_error().valid_up_to();
    let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let csv = file.ends_with(".csv");
    // A CSV file's place is its record's line and field number, as for its other problems; a
    // TOML file's is the line and character column.
    let (line, column) = csv
        .then(|| {
            crate::table::csv::records(bytes, b',')
                .find_map(|r| r.err().filter(|bad| bad.not_utf8))
                .map(|bad| (bad.line, bad.column.unwrap_or(1)))
        })
        .flatten()
        .unwrap_or_else(|| line_col(before, at));
    let save = if csv {
        "save it as CSV UTF-8"
    } else {
        "save it as UTF-8"
    };
    Diagnostic::error(
        Code::NotUtf8,
        Location::at(file, line, column),
        format!(
            "byte {:#04X} is not UTF-8 text (a Latin-1 or Windows-1252 character?): {save}",
            bytes[at]
        ),
    )
}

/// One record of a data CSV, able to point at its cells.
pub struct Rec<'r> {
    pub row: &'r Row,
    pub line: u64,
    file: &'r str,
}

impl Rec<'_> {
    /// A cell, trimmed (empty when absent).
    pub fn get(&self, col: Option<usize>) -> &str {
        self.row.str(col)
    }

    /// The place of a cell: file, line, 1-based column and the column's name.
    pub fn at(&self, col: Option<usize>, field: &str) -> Location {
        Location::at(self.file, self.line, col.map(|c| c as u64 + 1).unwrap_or(1)).with_field(field)
    }
}

/// Open a data CSV: its header read, its records still to come. An unreadable header is
/// reported and gives None.
pub fn open_csv(file: &DataFile, diags: &mut Diagnostics) -> Option<Records> {
    match Records::from_text(&file.display(), &file.text) {
        Ok(r) => Some(r),
        Err(e) => {
            diags.extend(e);
            None
        }
    }
}

/// Read a data CSV: the header must have the `required` columns (every missing one is
/// reported), unreadable records are reported, and each non-blank record goes to `each` with
/// the positions of `columns` (looked up once). Returns None when the file cannot be used.
pub fn read_csv<const N: usize>(
    file: &DataFile,
    required: &[&str],
    columns: [&str; N],
    diags: &mut Diagnostics,
    each: impl FnMut(&[Option<usize>; N], Rec<'_>, &mut Diagnostics),
) -> Option<()> {
    read_records(open_csv(file, diags)?, required, columns, diags, each)
}

/// [`read_csv`] on a data CSV already opened with [`open_csv`] (for a reader that looks at
/// the header itself first).
pub fn read_records<const N: usize>(
    records: Records,
    required: &[&str],
    columns: [&str; N],
    diags: &mut Diagnostics,
    mut each: impl FnMut(&[Option<usize>; N], Rec<'_>, &mut Diagnostics),
) -> Option<()> {
    let name = records.file;
    let missing = records.header.require(required, &Location::at(&name, 1, 1));
    if !missing.is_empty() {
        diags.0.extend(missing);
        return None;
    }
    let cols = columns.map(|c| records.header.get(c));
    for rec in records.rows {
        match rec {
            Ok(row) if row.is_blank() => {}
            Ok(row) => each(
                &cols,
                Rec {
                    row: &row,
                    line: row.line,
                    file: &name,
                },
                diags,
            ),
            Err(bad) => diags.push(bad.diagnostic(&name)),
        }
    }
    Some(())
}

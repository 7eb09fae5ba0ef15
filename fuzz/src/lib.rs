//! What the fuzz targets share: the built-in catalog (opened once), a scratch folder for the
//! files srmap reads by path, the `#### PATH` section format that turns one fuzz input into
//! several files, and the workbook builder that turns sections into an XLSX package.
//!
//! # The section format
//!
//! An input that starts with a line `#### PATH` is a list of sections: each `#### PATH` line
//! starts one, and the bytes up to the next such line (without the newline before it) are its
//! content. Bytes before the first marker form a section with no path. The data-folder target
//! writes each section as a file of the folder; the workbook targets make each section a part
//! of the XLSX package (`xl/worksheets/sheet1.xml`, `xl/sharedStrings.xml`, ...), adding the
//! parts a workbook needs that the input leaves out, so that mutations reach the XML readers
//! instead of breaking the zip's checksums. An input that starts with `PK` is used as the
//! workbook file itself (zip-level mutations: bad headers, bombs, truncation).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use srmap::Catalog;

/// The marker that starts a section.
pub const MARKER: &[u8] = b"#### ";

/// The built-in data, opened once per process as the commands open it (`Catalog::open`: read
/// as it is asked for).
pub fn catalog() -> &'static Catalog {
    static CATALOG: LazyLock<Catalog> =
        LazyLock::new(|| Catalog::open(&[] as &[&str]).expect("the built-in data opens"));
    &CATALOG
}

/// A folder of this process for the files the targets write, removed when the process exits
/// normally (libFuzzer ends with `exit`; a crash leaves it in the temporary folder). With
/// `SRMAP_FUZZ_KEEP=DIR`, the files are written to DIR and kept: running a crashing input that
/// way leaves the very files srmap read (`scope.toml`, `evidence.xlsx`, `data/`, ...), ready
/// to become a fixture.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(keep) = std::env::var_os("SRMAP_FUZZ_KEEP") {
            let dir = PathBuf::from(keep);
            std::fs::create_dir_all(&dir).expect("the SRMAP_FUZZ_KEEP folder is made");
            return dir;
        }
        let dir = tempfile::Builder::new()
            .prefix("srmap-fuzz-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        extern "C" fn remove() {
            if let Some(dir) = DIR.get() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        // SAFETY: `remove` is a plain function that only touches the folder's path.
        unsafe {
            libc::atexit(remove);
        }
        dir
    })
}

/// Write `bytes` to the file `name` in the scratch folder (replacing the last input's).
pub fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("the scratch file is written");
    path
}

/// An empty folder `name` in the scratch folder (the last input's removed).
pub fn empty_dir(name: &str) -> PathBuf {
    let path = scratch().join(name);
    if path.exists() {
        std::fs::remove_dir_all(&path).expect("the last input's folder is removed");
    }
    std::fs::create_dir_all(&path).expect("the scratch folder is made");
    path
}

/// The sections of an input: (path, content); the first has no path when the input does not
/// start with a marker.
pub fn sections(data: &[u8]) -> Vec<(Option<String>, &[u8])> {
    let mut out: Vec<(Option<String>, &[u8])> = Vec::new();
    let mut path: Option<String> = None;
    let mut start = 0;
    let mut line = 0;
    while line <= data.len() {
        let end = data[line..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| line + i);
        if data[line..end].starts_with(MARKER) {
            if line > 0 || path.is_some() {
                let content_end = line.saturating_sub(1).max(start);
                out.push((path.take(), &data[start..content_end]));
            }
            let name = String::from_utf8_lossy(&data[line + MARKER.len()..end]);
            path = Some(name.trim().to_string());
            start = (end + 1).min(data.len());
        }
        line = end + 1;
    }
    if start < data.len() || path.is_some() || out.is_empty() {
        out.push((path, &data[start..]));
    }
    out
}

/// A relative path inside a folder made safe: `/`-separated parts of letters, digits, `-`, `_`
/// and `.`, none of them empty, `.` or `..`; None when nothing is left.
pub fn safe_path(path: &str) -> Option<String> {
    let parts: Vec<String> = path
        .split('/')
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect::<String>()
        })
        .filter(|p| !p.is_empty() && p != "." && p != "..")
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The workbook an input stands for: the input itself when it starts with `PK` (a zip file),
/// else an XLSX package made of its sections (a section without a path is
/// `xl/worksheets/sheet1.xml`), with the parts it leaves out filled in: the content types, the
/// package and workbook relationships, and a workbook listing every worksheet part as
/// `Sheet1`, `Sheet2`, ... (or as `names` gives them).
pub fn workbook(data: &[u8], names: &[&str]) -> Vec<u8> {
    if data.starts_with(b"PK") {
        return data.to_vec();
    }
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, content) in sections(data) {
        let path = path
            .and_then(|p| safe_path(&p))
            .unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_string());
        if path.len() > 1024 {
            continue;
        }
        if let Some(i) = parts.iter().position(|(p, _)| *p == path) {
            parts[i].1 = content.to_vec();
        } else {
            parts.push((path, content.to_vec()));
        }
    }
    let has = |parts: &[(String, Vec<u8>)], p: &str| parts.iter().any(|(q, _)| q == p);
    let sheets: Vec<String> = parts
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| p.starts_with("xl/worksheets/") && p.ends_with(".xml"))
        .collect();
    if !has(&parts, "[Content_Types].xml") {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        );
        for s in &sheets {
            xml.push_str(&format!(r#"<Override PartName="/{s}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        }
        xml.push_str("</Types>");
        parts.push(("[Content_Types].xml".into(), xml.into_bytes()));
    }
    if !has(&parts, "_rels/.rels") {
        parts.push((
            "_rels/.rels".into(),
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ));
    }
    if !has(&parts, "xl/_rels/workbook.xml.rels") {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (i, s) in sheets.iter().enumerate() {
            let target = s.trim_start_matches("xl/");
            xml.push_str(&format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>"#, i + 1));
        }
        for (kind, target) in [
            ("sharedStrings", "sharedStrings.xml"),
            ("styles", "styles.xml"),
        ] {
            if has(&parts, &format!("xl/{target}")) {
                xml.push_str(&format!(r#"<Relationship Id="r{kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#));
            }
        }
        xml.push_str("</Relationships>");
        parts.push(("xl/_rels/workbook.xml.rels".into(), xml.into_bytes()));
    }
    if !has(&parts, "xl/workbook.xml") {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
        );
        for i in 0..sheets.len() {
            let name = names
                .get(i)
                .map_or_else(|| format!("Sheet{}", i + 1), |n| n.to_string());
            xml.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
                i + 1,
                i + 1
            ));
        }
        xml.push_str("</sheets></workbook>");
        parts.push(("xl/workbook.xml".into(), xml.into_bytes()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (path, content) in &parts {
        zip.start_file(path.as_str(), options)
            .expect("a zip entry starts");
        zip.write_all(content).expect("a zip entry is written");
    }
    zip.finish().expect("the zip is finished").into_inner()
}

/// The ODS workbook an input stands for: the input itself when it starts with `PK`, else an
/// ODS package whose `content.xml` is the input (with the `mimetype` part calamine checks),
/// so that mutations reach the sheets' XML.
pub fn opendocument(data: &[u8]) -> Vec<u8> {
    if data.starts_with(b"PK") {
        return data.to_vec();
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("mimetype", options).expect("a zip entry starts");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("a zip entry is written");
    zip.start_file("content.xml", options)
        .expect("a zip entry starts");
    zip.write_all(data).expect("a zip entry is written");
    zip.finish().expect("the zip is finished").into_inner()
}

/// The compound file's signature, which starts an XLS file.
const COMPOUND_FILE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The XLS workbook an input stands for: the input itself when it starts with the compound
/// file's signature, else a compound file whose `Workbook` stream (the BIFF records) is the
/// input, so that mutations reach the records.
pub fn xls(data: &[u8]) -> Vec<u8> {
    if data.starts_with(COMPOUND_FILE) {
        return data.to_vec();
    }
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))
        .expect("a compound file is made");
    file.create_stream("/Workbook")
        .and_then(|mut s| s.write_all(data))
        .expect("the workbook stream is written");
    // A small stream beside it, as Excel writes (its summary): calamine's compound-file reader
    // wants the root's mini stream, which only streams under 4 KB are kept in.
    file.create_stream("/\u{5}SummaryInformation")
        .and_then(|mut s| s.write_all(&[0u8; 64]))
        .expect("the summary stream is written");
    file.flush().expect("the compound file is written");
    file.into_inner().into_inner()
}

/// Read an evidence register as `gaps --evidence` does, checking what the reader promises of
/// every row it hands on.
pub fn read_evidence(path: &Path) {
    let mut given = 0;
    let read = srmap::input::evidence::read(path, None, |row| {
        given += 1;
        assert!(!row.control.is_empty(), "a row without a control was given");
        assert!(
            !row.evidence_id.is_empty(),
            "a row without an evidence ID was given"
        );
    });
    if let Ok(n) = read {
        assert!(given <= n, "{given} rows given of {n} read");
    }
}

/// Check what an importer assembled (its drafts) as files it would write: every TOML file
/// parses as TOML and every CSV file as CSV with as many fields on each line as its header
/// (hostile cells must come out escaped). With `SRMAP_FUZZ_FULL=1` the drafts are then checked
/// with the loaders and written, as `srmap import` does (about ten inputs a second: the check
/// loads all the built-in data; the data_folder target fuzzes the loaders on their own).
pub fn check_drafts(
    drafts: &srmap::import::data_dir::Drafts,
    report: srmap::import::ImportReport,
    out: &Path,
) {
    for (rel, text) in drafts.files() {
        if rel.ends_with(".toml") {
            if let Err(e) = toml::from_str::<toml::Table>(&text) {
                panic!("the import writes {rel}, which is not TOML: {e}\n{text}");
            }
        } else if rel.ends_with(".csv") {
            let mut rows = csv::Reader::from_reader(text.as_bytes());
            for row in rows.records() {
                if let Err(e) = row {
                    panic!("the import writes {rel}, which is not CSV: {e}\n{text}");
                }
            }
        }
    }
    if std::env::var_os("SRMAP_FUZZ_FULL").is_some_and(|v| v == "1") {
        let _ = drafts.write(out, catalog(), report);
    }
}

/// Write a data folder from an input's sections (a section without a path, or with a path
/// outside `frameworks/` and `providers/`, goes under `providers/fuzz/`); the folder's path.
pub fn data_folder(data: &[u8]) -> PathBuf {
    let dir = empty_dir("data");
    for (i, (path, content)) in sections(data).into_iter().enumerate() {
        let rel = match path.and_then(|p| safe_path(&p)) {
            Some(p) if p.starts_with("frameworks/") || p.starts_with("providers/") => p,
            Some(p) => format!("providers/fuzz/{}", p.replace('/', "-")),
            None => format!("providers/fuzz/input{i}.toml"),
        };
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            // A section named like a folder another section made a file of is left out.
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        if path.is_dir() {
            continue;
        }
        let _ = std::fs::write(&path, content);
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_markers() {
        let s = sections(b"lead\n#### a.csv\nx,y\n1,2\n#### b.toml\nid = 1\n");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], (None, &b"lead"[..]));
        assert_eq!(s[1], (Some("a.csv".into()), &b"x,y\n1,2"[..]));
        assert_eq!(s[2], (Some("b.toml".into()), &b"id = 1\n"[..]));
        assert_eq!(sections(b"plain"), vec![(None, &b"plain"[..])]);
        assert_eq!(sections(b""), vec![(None, &b""[..])]);
        assert_eq!(sections(b"#### x"), vec![(Some("x".into()), &b""[..])]);
    }

    #[test]
    fn unsafe_paths_stay_inside() {
        assert_eq!(safe_path("../../etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(safe_path("/a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(safe_path("../.."), None);
    }

    #[test]
    fn a_sheet_alone_makes_a_workbook_calamine_reads() {
        use srmap::table::Workbook;
        let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>control</t></is></c></row></sheetData></worksheet>"#;
        let path = file("t.xlsx", &workbook(sheet, &["Evidence"]));
        let mut wb = Workbook::open(&path).unwrap();
        assert_eq!(wb.sheet_names(), ["Evidence"]);
        let t = wb.read("Evidence").unwrap();
        assert_eq!(t.rows[0].text(0), "control");
    }
}

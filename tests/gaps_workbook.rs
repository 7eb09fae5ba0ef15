//! The gap workbook as its readers get it: one table per sheet, typed cells, the team's
//! worklist columns, links on every web location and provider portal, and print setup. Cells
//! are read back with calamine; what calamine does not show (filters, validation, print setup,
//! hyperlinks) from the sheets' XML in the xlsx zip.

#[path = "cli_support/mod.rs"]
mod cli_support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use cli_support::{findings, run, sample};

const SHEETS: [&str; 9] = [
    "Summary",
    "Systems",
    "Gap codes",
    "Worklist",
    "Owner map",
    "Attestations",
    "Statement of Applicability",
    "Evidence rows",
    "Attestation rows",
];

/// The arguments of a run over a copy of the sample's register (its SharePoint, Confluence and
/// Jira locations are web links; its `s3://` ones are not), with `--previous` so resolved rows
/// are listed too; without `-o`.
fn args(dir: &Path) -> Vec<String> {
    [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        dir.join("evidence.csv").to_str().unwrap(),
        "--attestations",
        &sample("attestations.csv"),
        "--previous",
        &sample("previous.json"),
        "--as-of",
        "2026-09-30",
    ]
    .map(String::from)
    .to_vec()
}

fn workbook(dir: &Path) -> PathBuf {
    let register = std::fs::read_to_string(sample("evidence.csv")).unwrap();
    std::fs::write(dir.join("evidence.csv"), register).unwrap();
    let out = dir.join("gaps.xlsx");
    let mut all = args(dir);
    all.extend(["-o".to_string(), out.display().to_string()]);
    let o = run(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Every part of the xlsx zip, by name.
fn parts(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        if f.read_to_string(&mut text).is_ok() {
            out.insert(name, text);
        }
    }
    out
}

/// The worksheet part of each sheet name (`xl/worksheets/sheetN.xml`), through the workbook's
/// relationships.
fn sheet_parts(parts: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let attr = |tag: &str, name: &str| -> String {
        let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[start..start + tag[start..].find('"').unwrap()].to_string()
    };
    let rels = &parts["xl/_rels/workbook.xml.rels"];
    let target = |id: &str| -> String {
        let tag = rels
            .split("<Relationship ")
            .find(|t| t.contains(&format!("Id=\"{id}\"")))
            .unwrap();
        format!("xl/{}", attr(&format!(" {tag}"), "Target"))
    };
    parts["xl/workbook.xml"]
        .split("<sheet ")
        .skip(1)
        .map(|t| {
            let t = format!(" {t}");
            (attr(&t, "name"), target(&attr(&t, "r:id")))
        })
        .collect()
}

/// How many times `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The header row of a sheet.
fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// An Excel date serial as a date.
fn serial_date(x: f64) -> jiff::civil::Date {
    jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(x as i64))
        .unwrap()
}

#[test]
fn cells_are_typed_and_the_worklist_has_the_team_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path());
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS);

    // Summary: label and value; counts are numbers, dates are dates, the readiness a share.
    let summary = wb.worksheet_range("Summary").unwrap();
    let value = |label: &str| -> Data {
        summary
            .rows()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {label} row"))
    };
    for label in [
        "Gaps",
        "High-severity gaps",
        "Customer and shared controls",
        "Controls met",
        "Unassigned gaps",
        "Overdue gaps",
        "New gaps",
        "Still open",
        "Resolved",
    ] {
        assert!(
            matches!(value(label), Data::Float(_)),
            "{label}: {:?}",
            value(label)
        );
    }
    let Data::Float(share) = value("Readiness") else {
        panic!("readiness is not a number")
    };
    assert!((0.0..=1.0).contains(&share));
    for (label, day) in [
        ("Audit period start", "2025-10-01"),
        ("Audit period end", "2026-09-30"),
        ("As of", "2026-09-30"),
    ] {
        let Data::DateTime(d) = value(label) else {
            panic!("{label} is not a date: {:?}", value(label))
        };
        assert_eq!(serial_date(d.as_f64()).to_string(), day, "{label}");
    }
    assert!(
        summary
            .rows()
            .all(|r| r.first().is_none_or(|c| *c != "system")),
        "the per-system table has its own sheet"
    );

    // The tables of their own sheets: counts are numbers.
    let systems = wb.worksheet_range("Systems").unwrap();
    assert_eq!(&header(&systems)[..3], ["system", "framework", "controls"]);
    assert!(systems.height() > 1);
    for r in systems.rows().skip(1) {
        assert!(r[2..].iter().all(|c| matches!(c, Data::Float(_))), "{r:?}");
    }
    let codes = wb.worksheet_range("Gap codes").unwrap();
    assert_eq!(&header(&codes)[..2], ["gap code", "findings"]);
    assert!(codes.rows().skip(1).all(|r| matches!(r[1], Data::Float(_))));

    // The worklist: ID, person, due date, then the team's status and notes, empty.
    let work = wb.worksheet_range("Worklist").unwrap();
    let head = header(&work);
    let col = |name: &str| {
        head.iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    assert_eq!(
        [
            col("id"),
            col("assignee"),
            col("due"),
            col("status"),
            col("notes")
        ],
        [1, 9, 10, 11, 12]
    );
    let rows: Vec<_> = work.rows().skip(1).collect();
    let listed = findings(
        &args(dir.path())
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(rows.len(), listed.len(), "every finding, resolved ones too");
    for r in &rows {
        assert!(matches!(r[0], Data::Float(_)), "# is a number");
        assert!(matches!(r[col("status")], Data::Empty));
        assert!(matches!(r[col("notes")], Data::Empty));
        assert!(matches!(r[col("due")], Data::DateTime(_) | Data::Empty));
        assert!(matches!(r[col("since")], Data::DateTime(_) | Data::Empty));
    }
    assert!(rows
        .iter()
        .any(|r| matches!(r[col("due")], Data::DateTime(_))));
    assert!(
        rows.iter()
            .any(|r| r[col("location")].to_string().starts_with("https://")),
        "findings about a register row carry its location"
    );

    let evidence = wb.worksheet_range("Evidence rows").unwrap();
    assert_eq!(
        header(&evidence),
        ["file", "row", "id", "points at", "outcome", "location"]
    );
    assert!(evidence
        .rows()
        .skip(1)
        .all(|r| matches!(r[1], Data::Float(_))));
}

#[test]
fn one_filter_per_sheet_links_validation_and_print_setup() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path());
    let parts = parts(&path);
    let sheets = sheet_parts(&parts);
    assert_eq!(sheets.len(), SHEETS.len());
    let xml = |name: &str| parts[&sheets[name]].as_str();
    let rels = |name: &str| {
        let part = &sheets[name];
        let (folder, file) = part.rsplit_once('/').unwrap();
        parts
            .get(&format!("{folder}/_rels/{file}.rels"))
            .cloned()
            .unwrap_or_default()
    };

    // One table per sheet: the Summary has no filter; every list sheet has exactly one.
    assert_eq!(count(xml("Summary"), "<autoFilter"), 0);
    for name in &SHEETS[1..] {
        assert_eq!(count(xml(name), "<autoFilter"), 1, "{name}");
        assert!(xml(name).contains("orientation=\"landscape\""), "{name}");
        assert!(
            xml(name).contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{name} fits to the page width"
        );
        assert!(xml(name).contains("fitToHeight=\"0\""), "{name}");
    }

    // Repeated header rows on the list sheets only, never on the Summary with its chart.
    let book = &parts["xl/workbook.xml"];
    let titles: Vec<&str> = book
        .split("<definedName name=\"_xlnm.Print_Titles\"")
        .skip(1)
        .collect();
    assert_eq!(titles.len(), SHEETS.len() - 1);
    assert!(!titles.iter().any(|t| t.contains("localSheetId=\"0\"")));

    // The Summary: landscape, not fitted (fitting ignores page breaks), a break before the chart.
    let summary = xml("Summary");
    assert!(summary.contains("orientation=\"landscape\""));
    assert!(!summary.contains("fitToPage"));
    assert_eq!(count(summary, "<rowBreaks"), 1);
    assert_eq!(count(summary, "<drawing "), 1, "the chart");
    let breaks = summary
        .split("<brk id=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap();
    let drawing = parts
        .iter()
        .find(|(k, _)| k.starts_with("xl/drawings/drawing") && k.ends_with(".xml"))
        .unwrap()
        .1;
    let chart_row = drawing
        .split("<xdr:row>")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap();
    // <brk id="n"> breaks before 0-based row n; the chart's anchor row is 0-based too.
    assert_eq!(
        breaks, chart_row,
        "the chart starts the page after the break"
    );
    assert!(
        parts
            .values()
            .any(|p| p.contains("<c:f>'Gap codes'!$B$2:$B$")),
        "the chart reads the Gap codes sheet"
    );

    // The status dropdown over every worklist row.
    let work = xml("Worklist");
    let rows = count(work, "<row ") - 1;
    assert!(work.contains(
        "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"Status\""
    ));
    assert!(work.contains(&format!("sqref=\"L2:L{}\"", rows + 1)));
    assert!(work.contains("<formula1>\"open,in progress,done,accepted risk\"</formula1>"));

    // Links: every web location of the register, on the worklist too; provider portals.
    let web = std::fs::read_to_string(dir.path().join("evidence.csv"))
        .unwrap()
        .matches(",https://")
        .count();
    assert!(web > 50, "the register has web links");
    let ev = xml("Evidence rows");
    assert_eq!(count(ev, "<hyperlink ref=\"F"), web);
    assert_eq!(count(ev, "<hyperlink "), web);
    assert!(rels("Evidence rows").contains("Target=\"https://northwind.sharepoint.com/"));
    assert!(
        !rels("Evidence rows").contains("Target=\"s3://"),
        "only web links"
    );
    assert!(count(work, "<hyperlink ref=\"S") > 0, "worklist locations");
    let atts = xml("Attestations");
    assert!(count(atts, "<hyperlink ref=\"J") > 0, "provider portals");
    assert!(rels("Attestations").contains("Target=\"https://aws.amazon.com/artifact/\""));
    // The Summary links to the sheets it names.
    assert!(summary.contains("location=\"'Worklist'!A1\""));
}

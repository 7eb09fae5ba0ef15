//! The gap report PDF read back as its reader gets it: the outline (bookmarks) from the PDF's
//! own structure, the table of contents against it, the links, and the text (every control ID
//! and gap code of the sample whole, never cut across lines).

#[path = "cli_support/mod.rs"]
pub mod support;

use std::collections::BTreeSet;
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};
use support::{json, run, sample};

fn sample_args(out: &str) -> Vec<String> {
    let mut args = support::sample_gaps();
    args.extend(["-o".to_string(), out.to_string()]);
    args
}

fn report(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("gaps.pdf");
    let args = sample_args(path.to_str().unwrap());
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    path
}

/// A PDF text string: UTF-16BE with its byte order mark, else PDFDocEncoding (Latin-1 here).
fn text(o: &Object) -> String {
    let bytes = match o {
        Object::String(b, _) => b.as_slice(),
        _ => return String::new(),
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).expect("a dictionary"),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// A bookmark: its title, the page it opens (1-based), the height it opens at (points from
/// the page's foot), and its children.
#[derive(Debug)]
struct Bookmark {
    title: String,
    page: u32,
    y: f32,
    children: Vec<Bookmark>,
}

/// The page (1-based) and height of an explicit destination `[page /XYZ x y zoom]`.
fn destination(doc: &Document, pages: &[ObjectId], dest: &Object) -> (u32, f32) {
    let arr = match dest {
        Object::Array(a) => a.clone(),
        Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap().clone(),
        other => panic!("not an explicit destination: {other:?}"),
    };
    let page = arr[0].as_reference().expect("a page reference");
    let n = pages
        .iter()
        .position(|p| *p == page)
        .expect("the destination is a page of the document");
    let y = match &arr[3] {
        Object::Real(r) => *r as f32,
        Object::Integer(i) => *i as f32,
        _ => f32::NAN,
    };
    (n as u32 + 1, y)
}

fn bookmarks(doc: &Document, pages: &[ObjectId], first: Option<&Object>) -> Vec<Bookmark> {
    let mut out = Vec::new();
    let mut next = first.cloned();
    while let Some(o) = next {
        let d = dict(doc, &o);
        let dest = d
            .get(b"Dest")
            .ok()
            .or_else(|| d.get(b"A").ok().and_then(|a| dict(doc, a).get(b"D").ok()))
            .expect("every bookmark opens a place");
        let (page, y) = destination(doc, pages, dest);
        out.push(Bookmark {
            title: text(d.get(b"Title").unwrap()),
            page,
            y,
            children: bookmarks(doc, pages, d.get(b"First").ok()),
        });
        next = d.get(b"Next").ok().cloned();
    }
    out
}

fn outline(doc: &Document) -> Vec<Bookmark> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let root = doc.catalog().unwrap();
    let outlines = dict(doc, root.get(b"Outlines").expect("the PDF has an outline"));
    bookmarks(doc, &pages, outlines.get(b"First").ok())
}

/// Every link annotation: (page, web address or None, internal destination page or None).
fn links(doc: &Document) -> Vec<(u32, Option<String>, Option<u32>)> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut out = Vec::new();
    for (n, id) in pages.iter().enumerate() {
        let page = doc.get_dictionary(*id).unwrap();
        let Ok(annots) = page.get(b"Annots") else {
            continue;
        };
        let annots = match annots {
            Object::Array(a) => a.clone(),
            Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap().clone(),
            _ => continue,
        };
        for a in &annots {
            let d = dict(doc, a);
            if d.get(b"Subtype").unwrap().as_name().unwrap() != b"Link" {
                continue;
            }
            let uri = d
                .get(b"A")
                .ok()
                .and_then(|a| dict(doc, a).get(b"URI").ok())
                .map(text);
            let goto = d
                .get(b"Dest")
                .ok()
                .or_else(|| d.get(b"A").ok().and_then(|a| dict(doc, a).get(b"D").ok()))
                .map(|dest| destination(doc, &pages, dest).0);
            out.push((n as u32 + 1, uri, goto));
        }
    }
    out
}

fn pdftotext(path: &Path, pages: Option<(u32, u32)>) -> Option<String> {
    let mut cmd = std::process::Command::new("pdftotext");
    cmd.arg("-layout");
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    match cmd.arg(path).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            eprintln!("skipped: pdftotext (poppler-utils) is not installed; .ci/run installs it");
            None
        }
    }
}

#[test]
fn the_outline_goes_down_to_system_and_framework() {
    let dir = tempfile::tempdir().unwrap();
    let doc = Document::load(report(dir.path())).unwrap();
    let outline = outline(&doc);
    let top: Vec<&str> = outline.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        top,
        [
            "Contents",
            "1. Scope and methodology",
            "2. Summary",
            "3. Worklist",
            "4. Owner maps",
            "5. Evidence index",
            "Appendices"
        ]
    );
    let maps = &outline[4];
    let systems: Vec<&str> = maps.children.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        systems,
        [
            "4.1 patient-portal",
            "4.2 payments",
            "4.3 analytics",
            "4.4 workplace"
        ]
    );
    let portal: Vec<&str> = maps.children[0]
        .children
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(
        portal,
        [
            "4.1.1 patient-portal · HIPAA Security Rule 45 CFR 164.308-164.316",
            "4.1.2 patient-portal · SOC 2 Trust Services Criteria 2017 (points of focus revised 2022)"
        ]
    );
    assert_eq!(
        outline[1].children[0].title,
        "1.1 Statement of Applicability"
    );
    let appendices: Vec<&str> = outline[6].children.iter().map(|b| &b.title[..11]).collect();
    assert_eq!(
        appendices,
        ["Appendix A.", "Appendix B.", "Appendix C.", "Appendix D."]
    );
    // In reading order, and no section opens at the foot of a page (the body ends 34 pt above
    // the page's foot; a heading with nothing after it would sit within a line or two of it).
    let mut all = Vec::new();
    fn walk<'a>(b: &'a [Bookmark], all: &mut Vec<&'a Bookmark>) {
        for x in b {
            all.push(x);
            walk(&x.children, all);
        }
    }
    walk(&outline, &mut all);
    assert!(all.len() > 20);
    for w in all.windows(2) {
        assert!(
            w[0].page <= w[1].page,
            "{} after {}",
            w[1].title,
            w[0].title
        );
    }
    for b in &all {
        assert!(
            b.y > 34.0 + 60.0,
            "`{}` opens at the page's foot ({} pt)",
            b.title,
            b.y
        );
    }
}

#[test]
fn the_table_of_contents_matches_the_outline_and_links_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = report(dir.path());
    let doc = Document::load(&path).unwrap();
    let outline = outline(&doc);
    let links = links(&doc);
    // Every line of the contents (page 2) is a link into the document.
    let contents_links: BTreeSet<u32> = links
        .iter()
        .filter(|(page, _, _)| *page == 2)
        .filter_map(|(_, _, goto)| *goto)
        .collect();
    let mut listed = BTreeSet::new();
    fn walk(b: &[Bookmark], listed: &mut BTreeSet<u32>) {
        for x in b {
            if x.title != "Contents" {
                listed.insert(x.page);
            }
            walk(&x.children, listed);
        }
    }
    walk(&outline, &mut listed);
    assert_eq!(contents_links, listed, "the contents link to every section");
    let Some(toc) = pdftotext(&path, Some((2, 2))) else {
        return;
    };
    // Each line: the title, dot leaders, the page number the bookmark opens.
    fn check(b: &[Bookmark], toc: &str) {
        for x in b {
            if x.title != "Contents" {
                let short: String = x.title.chars().take(40).collect();
                let line = toc
                    .lines()
                    .find(|l| l.trim_start().starts_with(&short))
                    .unwrap_or_else(|| panic!("`{short}` is not in the contents:\n{toc}"));
                let number: u32 = line
                    .split_whitespace()
                    .last()
                    .unwrap()
                    .parse()
                    .unwrap_or_else(|_| panic!("no page number: {line}"));
                assert_eq!(number, x.page, "{line}");
            }
            check(&x.children, toc);
        }
    }
    check(&outline, &toc);
}

#[test]
fn evidence_locations_and_provider_pages_are_links() {
    let dir = tempfile::tempdir().unwrap();
    let doc = Document::load(report(dir.path())).unwrap();
    let uris: Vec<String> = links(&doc).into_iter().filter_map(|l| l.1).collect();
    // The register's web locations (SharePoint, Confluence, Jira) are each a link in the
    // evidence index; its s3:// ones are storage paths no reader opens.
    let register = std::fs::read_to_string(sample("evidence.csv")).unwrap();
    let web: BTreeSet<&str> = register
        .lines()
        .filter_map(|l| l.split(',').find(|c| c.starts_with("https://")))
        .collect();
    assert!(web.len() > 80, "{}", web.len());
    for w in &web {
        assert!(uris.iter().any(|u| u == w), "{w} is not a link");
    }
    assert!(!uris.iter().any(|u| u.starts_with("s3://")));
    // Provider pages named in actions and in the frameworks' sources.
    for page in [
        "https://servicetrust.microsoft.com/",
        "https://www.aicpa-cima.com/",
    ] {
        assert!(
            uris.iter().any(|u| u.starts_with(page)),
            "no link to {page}: {:?}",
            uris.iter()
                .filter(|u| !u.contains("northwind"))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_control_id_and_gap_code_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = report(dir.path());
    let Some(text) = pdftotext(&path, None) else {
        return;
    };
    // A control ID keeps its inner space from breaking with a no-break space.
    let text = text.replace('\u{A0}', " ");
    let words: BTreeSet<&str> = text.split_whitespace().collect();
    // Found with white space (or a comma) on both sides, on one line.
    let whole = |id: &str| {
        text.match_indices(id).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + id.len()..].chars().next();
            before.is_none_or(char::is_whitespace)
                && after.is_none_or(|c| c.is_whitespace() || c == ',')
        })
    };
    let soa = json(&["soa", "--scope", &sample("scope.toml")]);
    let ids: BTreeSet<&str> = soa["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["control"].as_str().unwrap())
        .collect();
    assert!(ids.len() > 400, "{}", ids.len());
    let cut: Vec<&&str> = ids.iter().filter(|id| !whole(id)).collect();
    assert!(cut.is_empty(), "control IDs not found whole: {cut:?}");
    let args = support::sample_gaps();
    let findings = support::findings(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let codes: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in &codes {
        assert!(words.contains(code), "gap code `{code}` is not found whole");
    }
    let finding_ids: Vec<&str> = findings
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in &finding_ids {
        assert!(words.contains(id), "finding {id} is not in the worklist");
    }
}

#[test]
fn the_sample_report_stays_a_readable_length() {
    let dir = tempfile::tempdir().unwrap();
    let doc = Document::load(report(dir.path())).unwrap();
    let pages = doc.get_pages().len();
    assert!((100..=190).contains(&pages), "{pages} pages");
}

/// A large estate (the benchmark workload's generator, smaller): the PDF summarises past its
/// thresholds, says so and where the complete lists are, and stays within 400 pages.
#[test]
fn a_large_estate_gives_a_summarised_report_of_bounded_length() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 is not installed (scripts/gen_workload.py needs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gen = std::process::Command::new("python3")
        .arg(support::root().join("scripts/gen_workload.py"))
        .arg(dir.path())
        .args(["--systems", "60", "--rows", "20000"])
        .output()
        .unwrap();
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let file = |n: &str| dir.path().join(n).display().to_string();
    let pdf = dir.path().join("gaps.pdf");
    let args = [
        "gaps",
        "--scope",
        &file("scope.toml"),
        "--evidence",
        &file("evidence.csv"),
        "--attestations",
        &file("attestations.csv"),
        "--as-of",
        "2026-09-30",
        "-o",
        pdf.to_str().unwrap(),
    ];
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let findings = support::findings(&args[..args.len() - 2]);
    let gaps = findings.iter().filter(|f| f["severity"] != "info").count();
    assert!(gaps > 1_500, "enough gaps to group: {gaps}");
    let doc = Document::load(&pdf).unwrap();
    let pages = doc.get_pages().len();
    assert!(pages <= 400, "{pages} pages");
    let outline = outline(&doc);
    assert_eq!(outline.len(), 7, "every section is there");
    // Owner maps per framework (a column per set of offerings), not per system.
    assert!(outline[4].children.len() <= 5);
    let Some(text) = pdftotext(&pdf, None) else {
        return;
    };
    let text = text.replace('\u{A0}', " ");
    assert!(
        text.contains(&format!("{gaps} gaps on 60 systems, summarised as")),
        "the worklist says what it summarised"
    );
    for says in [
        "is in the workbook (Worklist sheet)",
        "The register has 20000 rows",
        "distinct sets of offerings",
        "one line per control and reason",
    ] {
        assert!(text.contains(says), "`{says}` is not in the PDF");
    }
    // Nothing silently dropped: every framework control with a gap is on a worklist line.
    let words: BTreeSet<&str> = text.split_whitespace().collect();
    for f in findings.iter().filter(|f| f["severity"] != "info") {
        if let Some(c) = f["control"].as_str().filter(|c| !c.is_empty()) {
            assert!(
                c.contains(' ') || words.contains(c),
                "{c} has a gap but no line"
            );
        }
    }
}

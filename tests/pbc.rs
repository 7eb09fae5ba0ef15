//! The PBC request list of the sample as an auditor gets it: one request per piece of evidence
//! (at most a third as many as the one-per-control list it replaces), nothing lost, IDs that do
//! not move when the scope changes elsewhere, populations and samples of recurring controls,
//! provider reports and bridge letters, assignees and due dates from the scope, cells short
//! enough to print, and a workbook set up for printing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use jiff::civil::date;
use srmap::input::attestations::Attestation;
use srmap::input::scope::{self, Scope};
use srmap::ownership::decide_across;
use srmap::pbc::{PbcList, RequestKind, MAX_CELL, SAMPLE_SIZES};
use srmap::Catalog;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples/northwind")
        .join(name)
}

fn catalog() -> Catalog {
    Catalog::load_with(&[] as &[&str]).expect("the built-in data loads")
}

fn register(catalog: &Catalog) -> Vec<Attestation> {
    srmap::input::attestations::read(&sample("attestations.csv"), None, catalog).unwrap()
}

fn scope_text() -> String {
    std::fs::read_to_string(sample("scope.toml")).unwrap()
}

fn parse<'c>(text: &str, catalog: &'c Catalog) -> Scope<'c> {
    scope::parse(text, "scope.toml", catalog).unwrap()
}

fn list(catalog: &Catalog, scope: &Scope<'_>) -> PbcList {
    PbcList::build(
        catalog,
        scope,
        &register(catalog),
        "attestations.csv",
        date(2026, 9, 30),
    )
}

#[test]
fn a_third_as_many_requests_and_every_owned_control_in_one() {
    let catalog = catalog();
    let scope = parse(&scope_text(), &catalog);
    let list = list(&catalog, &scope);
    // Before: one request per control the customer owns or shares (`list.controls`), 496 for
    // the sample. Now at most a third of that, populations, samples and providers included.
    assert_eq!(list.controls.len(), 496);
    assert!(
        list.requests.len() * 3 <= list.controls.len(),
        "{} requests for {} controls",
        list.requests.len(),
        list.controls.len()
    );
    // Every applicable control the customer owns or shares on a system, worked out here
    // without the list, is served by an evidence request for that system.
    let mut expected: BTreeSet<(String, String, String)> = BTreeSet::new();
    for sys in &scope.systems {
        for fw in &sys.frameworks {
            for control in fw.obligations() {
                if !sys.applies(fw, control).applies() {
                    continue;
                }
                let owner = decide_across(&sys.offerings, fw, control, sys.assumptions()).owner;
                if owner.customer_involved() {
                    expected.insert((fw.id.clone(), control.id.clone(), sys.name.clone()));
                }
            }
        }
    }
    assert!(expected.len() >= list.controls.len(), "{}", expected.len());
    let mut served: BTreeSet<(String, String, String)> = BTreeSet::new();
    for r in list
        .requests
        .iter()
        .filter(|r| r.kind == RequestKind::Evidence)
    {
        for c in &r.controls {
            let (fw, id) = c.split_once(' ').unwrap();
            for s in &r.systems {
                let name = s.split(" (").next().unwrap();
                served.insert((fw.to_string(), id.to_string(), name.to_string()));
            }
        }
    }
    let lost: Vec<_> = expected.difference(&served).collect();
    assert!(lost.is_empty(), "not requested: {lost:?}");
    // And the cross-reference agrees: each control names requests that exist and list it.
    let by_id: BTreeMap<&str, _> = list.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    for c in &list.controls {
        assert!(!c.requests.is_empty(), "{} {}", c.framework, c.control);
        for id in &c.requests {
            let r = by_id[id.as_str()];
            assert!(r
                .controls
                .contains(&format!("{} {}", c.framework, c.control)));
        }
    }
    // A control excluded on one system is not asked for there (A.8.28 on workplace).
    let sdlc = list
        .controls
        .iter()
        .find(|c| c.framework == "iso27001-2022" && c.control == "A.8.28")
        .unwrap();
    assert!(!sdlc.systems.iter().any(|s| s.starts_with("workplace")));
}

#[test]
fn ids_stay_put_when_the_scope_changes_elsewhere() {
    let catalog = catalog();
    let base = list(&catalog, &parse(&scope_text(), &catalog));
    // Same inputs, same IDs.
    let again = list(&catalog, &parse(&scope_text(), &catalog));
    let ids = |l: &PbcList| l.requests.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&base), ids(&again));
    // IDs are unique.
    assert_eq!(
        ids(&base).len(),
        ids(&base).iter().collect::<BTreeSet<_>>().len()
    );

    // One more system, under a framework with no artefact catalog (NIST SP 800-53): new
    // requests join, and every request of the sample keeps its ID, for the same evidence.
    let more = format!(
        "{}\n{}",
        scope_text().replace("\n[owners]", "\n[[systems]]\nname = \"crm\"\nofferings = [\"aws/lambda\"]\nframeworks = [\"soc2-2017\", \"nist-800-53-r5\"]\n\n[owners]"),
        ""
    );
    let bigger = list(&catalog, &parse(&more, &catalog));
    assert!(bigger.requests.len() > base.requests.len());
    let after: BTreeMap<&str, _> = bigger.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    for r in &base.requests {
        let same = after
            .get(r.id.as_str())
            .unwrap_or_else(|| panic!("{} disappeared", r.id));
        assert_eq!(same.title, r.title, "{}", r.id);
        for c in &r.controls {
            assert!(
                same.controls.contains(c) || r.kind == RequestKind::Attestation,
                "{}: {c}",
                r.id
            );
        }
    }
    // NIST controls have no artefact: they are asked for under their topic, `X` and a hash.
    let loose: Vec<&str> = bigger
        .requests
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| id.split('-').nth(2).is_some_and(|p| p.starts_with('X')))
        .collect();
    assert!(!loose.is_empty());
    for id in &loose {
        let tail = id.split('-').nth(2).unwrap();
        assert!(
            tail.len() == 5 && tail[1..].chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
    }

    // One framework fewer (no GDPR for analytics): what is left keeps its IDs too.
    let fewer_text = scope_text().replace(
        "frameworks = [\"iso27001-2022\", \"gdpr\"]",
        "frameworks = [\"iso27001-2022\"]",
    );
    let fewer = list(&catalog, &parse(&fewer_text, &catalog));
    assert!(fewer.requests.len() < base.requests.len());
    let before: BTreeMap<&str, _> = base.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    for r in &fewer.requests {
        assert_eq!(before[r.id.as_str()].title, r.title, "{}", r.id);
    }
}

#[test]
fn recurring_controls_get_a_population_and_a_sample_over_the_period() {
    let catalog = catalog();
    let list = list(&catalog, &parse(&scope_text(), &catalog));
    let by_id: BTreeMap<&str, _> = list.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut recurring = 0;
    for r in list
        .requests
        .iter()
        .filter(|r| r.kind == RequestKind::Evidence)
    {
        let cadence = r.cadence.unwrap();
        let pop = by_id.get(format!("{}-P", r.id).as_str());
        let smp = by_id.get(format!("{}-S", r.id).as_str());
        if !cadence.recurs() {
            assert!(pop.is_none() && smp.is_none(), "{}", r.id);
            continue;
        }
        recurring += 1;
        let (pop, smp) = (pop.unwrap(), smp.unwrap());
        assert_eq!(pop.kind, RequestKind::Population);
        assert_eq!(smp.kind, RequestKind::Sample);
        for x in [pop, smp] {
            assert_eq!(x.period_start, Some(list.period_start));
            assert_eq!(x.period_end, Some(list.period_end));
            assert_eq!(x.controls, r.controls);
        }
        assert!(
            pop.request.contains("2025-10-01 to 2026-09-30"),
            "{}",
            pop.request
        );
        let n = smp.sample_size.unwrap();
        let sizes = SAMPLE_SIZES.iter().find(|(c, _)| *c == cadence).unwrap().1;
        assert!(sizes.contains(&n), "{}: {n}", r.id);
    }
    assert!(recurring >= 10, "{recurring}");
    // The daily log review of key controls: the table's largest daily sample.
    assert_eq!(by_id["PBC-LOG-003-S"].sample_size, Some(40));
    assert_eq!(by_id["PBC-IAM-004-S"].sample_size, Some(2));
}

#[test]
fn provider_reports_agreements_and_bridge_letters_go_to_vendor_management() {
    let catalog = catalog();
    let list = list(&catalog, &parse(&scope_text(), &catalog));
    let by_id: BTreeMap<&str, _> = list.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    for id in [
        "PBC-VEN-AWS-SOC2",
        "PBC-VEN-AWS-BAA",
        "PBC-VEN-AZURE-AOC",
        "PBC-VEN-GCP-DPA",
        "PBC-VEN-MICROSOFT-ISO",
    ] {
        let r = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not requested"));
        assert_eq!(r.kind, RequestKind::Attestation);
        assert_eq!(r.assignee, "F. Ibrahim (Vendor Risk Manager)");
        assert_eq!(
            r.due,
            date(2026, 10, 14),
            "a list dated at the period's end: 14 days to answer"
        );
    }
    // The AWS SOC 2 report on file ends 2026-03-31: a bridge letter for the rest.
    let bl = by_id["PBC-VEN-AWS-SOC2-BL"];
    assert_eq!(bl.kind, RequestKind::BridgeLetter);
    assert_eq!(
        (bl.period_start, bl.period_end),
        (Some(date(2026, 4, 1)), Some(date(2026, 9, 30)))
    );
    assert_eq!(
        by_id["PBC-VEN-AZURE-AOC-BL"].period_start,
        Some(date(2026, 6, 1))
    );
    // Agreements have no period to bridge; a report reaching the period's end needs none.
    assert!(!by_id.contains_key("PBC-VEN-AWS-BAA-BL"));
    assert!(!by_id.contains_key("PBC-VEN-AZURE-SOC2-BL"));
    assert!(by_id["PBC-VEN-AZURE-SOC2"]
        .on_file
        .as_deref()
        .is_some_and(|r| r.contains("FY26")));
    // Without a register, the reports are still asked for; nothing is known to bridge.
    let scope = parse(&scope_text(), &catalog);
    let bare = PbcList::build(&catalog, &scope, &[], "", date(2026, 9, 30));
    assert!(bare.requests.iter().any(|r| r.id == "PBC-VEN-AWS-SOC2"));
    assert!(!bare
        .requests
        .iter()
        .any(|r| r.kind == RequestKind::BridgeLetter));
}

#[test]
fn every_request_has_an_assignee_and_a_due_date_from_the_scope() {
    let catalog = catalog();
    let list = list(&catalog, &parse(&scope_text(), &catalog));
    // Dated at the period's end, after every worklist deadline: each request gets the scope's
    // `row-fixes-due-in-days` (14) to answer, never a day already past.
    for r in &list.requests {
        assert_ne!(r.assignee, "unassigned", "{}", r.id);
        assert_eq!(r.due, date(2026, 10, 14), "{}", r.id);
    }
    // Dated mid-period: provider reports 30 days before the period ends, evidence one cadence
    // after the list's date when that is sooner.
    let scope = parse(&scope_text(), &catalog);
    let mid = PbcList::build(&catalog, &scope, &[], "", date(2026, 6, 30));
    for r in &mid.requests {
        assert!(
            r.due > date(2026, 6, 30) && r.due <= date(2026, 8, 31),
            "{}: {}",
            r.id,
            r.due
        );
    }
    assert!(mid
        .requests
        .iter()
        .any(|r| r.id == "PBC-VEN-AWS-SOC2" && r.due == date(2026, 8, 31)));
    let by_id: BTreeMap<&str, _> = list.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    // GDPR's records of processing: the DPO, whom `[owners] frameworks` names for gdpr.
    assert_eq!(by_id["PBC-PRV-001"].assignee, "E. Lindqvist (DPO)");
    // Screening: the `personnel` layer's owner.
    assert_eq!(by_id["PBC-HR-001"].assignee, "S. Novak (HR Director)");
    // MFA: `pci-dss-4.0.1:8` and `soc2-2017:CC6` go to identity and access.
    assert_eq!(
        by_id["PBC-IAM-008"].assignee,
        "K. Mensah (Identity and Access)"
    );
    // A list written mid-period: a monthly control's evidence is due a month later.
    let scope = parse(&scope_text(), &catalog);
    let early = PbcList::build(&catalog, &scope, &register(&catalog), "", date(2026, 3, 15));
    let scans = early
        .requests
        .iter()
        .find(|r| r.id == "PBC-VUL-001")
        .unwrap();
    assert_eq!(scans.due, date(2026, 4, 15));
}

fn srmap(args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(sample(""))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

const PBC: [&str; 8] = [
    "template",
    "pbc",
    "--scope",
    "scope.toml",
    "--attestations",
    "attestations.csv",
    "--as-of",
    "2026-09-30",
];

#[test]
fn no_cell_is_too_long_to_read() {
    for format in ["csv", "md"] {
        let mut args = PBC.to_vec();
        args.extend(["--format", format]);
        let text = String::from_utf8(srmap(&args)).unwrap();
        if format == "csv" {
            let mut rdr = csv::Reader::from_reader(text.as_bytes());
            assert_eq!(
                rdr.headers().unwrap().iter().collect::<Vec<_>>(),
                [
                    "id",
                    "topic",
                    "kind",
                    "title",
                    "request",
                    "controls",
                    "systems",
                    "cadence",
                    "period",
                    "dated_from",
                    "sample_size",
                    "assignee",
                    "due"
                ]
            );
            for rec in rdr.records() {
                for cell in rec.unwrap().iter() {
                    assert!(cell.chars().count() <= MAX_CELL, "{cell}");
                }
            }
        } else {
            for line in text.lines() {
                for cell in line.split(" | ") {
                    assert!(cell.chars().count() <= MAX_CELL + 20, "{cell}");
                }
            }
        }
    }
}

#[test]
fn the_workbook_reads_back_and_prints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pbc.xlsx");
    let mut args = PBC.to_vec();
    let target = path.display().to_string();
    args.extend(["-o", &target]);
    srmap(&args);
    let mut json_args = PBC.to_vec();
    json_args.extend(["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&srmap(&json_args)).unwrap();

    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Requests", "Controls", "About"]);
    let req = wb.worksheet_range("Requests").unwrap();
    let rows: Vec<&[Data]> = req.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..3], ["ID", "kind", "request"]);
    assert!(header.contains(&"assignee".to_string()) && header.contains(&"due".to_string()));
    let requests = doc["requests"].as_array().unwrap();
    assert_eq!(rows.len() - 1, requests.len());
    for (row, r) in rows[1..].iter().zip(requests) {
        assert_eq!(row[0].to_string(), r["id"].as_str().unwrap());
        assert_eq!(row[1].to_string(), r["kind"].as_str().unwrap());
        // The request cell: the title, then what to provide.
        let cell = row[2].to_string();
        assert!(cell.starts_with(r["title"].as_str().unwrap()), "{cell}");
        assert!(cell.ends_with(r["request"].as_str().unwrap()), "{cell}");
        assert!(matches!(row[9], Data::DateTime(_)), "due is a date");
        for c in row.iter() {
            assert!(c.to_string().chars().count() <= MAX_CELL + 100);
        }
    }
    let sample = rows[1..].iter().find(|r| r[1] == "sample").unwrap();
    assert!(
        matches!(sample[7], Data::Float(_)),
        "the sample size is a number"
    );
    let controls = wb.worksheet_range("Controls").unwrap();
    assert_eq!(
        controls.height() - 1,
        doc["controls"].as_array().unwrap().len()
    );

    // Print setup and the list's conveniences, from the sheets' XML.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let book = part("xl/workbook.xml");
    assert_eq!(book.matches("_xlnm.Print_Titles").count(), 2);
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let xml = part(sheet);
        assert!(xml.contains("orientation=\"landscape\""), "{sheet}");
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{sheet}");
        assert!(xml.contains("fitToHeight=\"0\""), "{sheet}");
        assert!(xml.contains("state=\"frozen\""), "{sheet}");
        assert_eq!(xml.matches("<autoFilter").count(), 1, "{sheet}");
        assert!(xml.contains("<col "), "{sheet} sets column widths");
    }
    let requests_xml = part("xl/worksheets/sheet1.xml");
    assert!(requests_xml
        .contains("<formula1>\"open,requested,received,approved,not applicable\"</formula1>"));
    assert!(part("xl/styles.xml").contains("wrapText=\"1\""));
}

//! `srmap gaps` and `srmap template` end to end, over tests/fixtures/<scenario>/ and the sample.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use calamine::{Reader, Xlsx};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

fn sample(rel: &str) -> String {
    root()
        .join("samples/northwind")
        .join(rel)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn findings(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn scenario(name: &str, as_of: &str) -> Vec<serde_json::Value> {
    let (s, e, a) = (
        fixture(&format!("{name}/scope.toml")),
        fixture(&format!("{name}/evidence.csv")),
        fixture(&format!("{name}/attestations.csv")),
    );
    findings(&[
        "gaps",
        "--scope",
        &s,
        "--evidence",
        &e,
        "--attestations",
        &a,
        "--as-of",
        as_of,
    ])
}

/// The gap codes (information left out) found for a control on a system.
fn codes_for<'a>(f: &'a [serde_json::Value], system: &str, control: &str) -> Vec<&'a str> {
    f.iter()
        .filter(|x| x["system"] == system && x["control"] == control && x["severity"] != "info")
        .map(|x| x["code"].as_str().unwrap())
        .collect()
}

const EVERY_CODE: [&str; 15] = [
    "missing-evidence",
    "stale-evidence",
    "missing-occurrence",
    "evidence-not-approved",
    "evidence-expired",
    "missing-attestation",
    "attestation-expired",
    "attestation-not-covering-offering",
    "attestation-period-gap",
    "missing-agreement",
    "unknown-control",
    "unknown-system",
    "unknown-offering",
    "unused-evidence",
    "unused-attestation",
];

#[test]
fn every_gap_code_is_found() {
    let f = scenario("gaps-all-codes", "2026-06-30");
    for code in EVERY_CODE {
        assert!(f.iter().any(|x| x["code"] == code), "no {code}");
    }
    for x in &f {
        for key in [
            "id",
            "system",
            "framework",
            "control",
            "party",
            "assignee",
            "code",
            "detail",
            "due",
        ] {
            assert!(x[key].is_string(), "{key} in {x}");
        }
    }
    assert_eq!(
        codes_for(&f, "app", "CC1.1"),
        Vec::<&str>::new(),
        "fresh approved evidence counts"
    );
    assert_eq!(codes_for(&f, "app", "CC1.2"), ["stale-evidence"]);
    assert_eq!(codes_for(&f, "app", "CC1.3"), ["evidence-expired"]);
    assert_eq!(codes_for(&f, "app", "CC1.4"), ["evidence-not-approved"]);
    assert_eq!(codes_for(&f, "app", "CC6.2"), ["missing-occurrence"]);
    assert_eq!(
        codes_for(&f, "app", "CC2.2"),
        Vec::<&str>::new(),
        "an unqualified control ID resolves in the one framework that has it"
    );
    assert_eq!(
        codes_for(&f, "app", "164.308(a)(1)(ii)(A)"),
        Vec::<&str>::new()
    );
    let one = |code: &str| f.iter().find(|x| x["code"] == code).unwrap();
    assert_eq!(one("attestation-expired")["system"], "cards");
    assert_eq!(one("attestation-not-covering-offering")["system"], "docs");
    assert_eq!(one("missing-attestation")["system"], "mail");
    assert_eq!(one("missing-agreement")["framework"], "hipaa-security");
    assert_eq!(one("unknown-system")["evidence_id"], "E-07");
    assert_eq!(one("unknown-control")["evidence_id"], "E-06");
    assert_eq!(
        one("unused-evidence")["evidence_id"],
        "E-08",
        "a visitor log for a provider-owned control is not needed"
    );
    assert!(one("attestation-period-gap")["detail"]
        .as_str()
        .unwrap()
        .contains("2026-03-31"));
    assert!(one("evidence-not-approved")["action"]
        .as_str()
        .unwrap()
        .contains("approved"));
}

#[test]
fn dates_at_the_edges() {
    let f = scenario("gaps-edges", "2026-06-30");
    // Point in time, counted from the period: a year-long period judged at its end needs an
    // annual control's evidence from within the period.
    assert!(
        codes_for(&f, "app", "CC1.1").is_empty(),
        "dated on the period's first day is fresh for an annual control"
    );
    assert_eq!(
        codes_for(&f, "app", "CC1.2"),
        ["stale-evidence"],
        "dated the day before the period is stale"
    );
    assert!(f.iter().any(|x| x["evidence_id"] == "X-02"
        && x["detail"]
            .as_str()
            .unwrap()
            .contains("needs evidence from 2025-07-01 or later")));
    assert!(
        codes_for(&f, "app", "CC1.3").is_empty(),
        "evidence is valid on its expiry date"
    );
    assert_eq!(codes_for(&f, "app", "CC1.4"), ["evidence-expired"]);
    let future = f.iter().find(|x| x["control"] == "CC1.5").unwrap();
    assert_eq!(future["code"], "stale-evidence");
    assert!(future["detail"]
        .as_str()
        .unwrap()
        .contains("after the as-of date"));
    assert!(
        codes_for(&f, "app", "CC2.1").is_empty(),
        "a newer row satisfies the control"
    );
    assert!(
        codes_for(&f, "app", "CC6.2").is_empty(),
        "a row on a quarter's last day covers that quarter"
    );
    assert_eq!(
        codes_for(&f, "app", "CC6.3"),
        ["missing-occurrence"],
        "a row on the day before the period covers no quarter of it"
    );
    assert!(
        !f.iter().any(|x| x["party"] == "provider"),
        "an attestation expiring on the as-of date, covering to the last day of the period, counts"
    );
    // A day later, the same attestation has expired.
    let later = scenario("gaps-edges", "2026-07-01");
    assert!(later.iter().any(|x| x["code"] == "attestation-expired"));
}

/// The findings of one code for a control on a system.
fn of_code<'a>(
    f: &'a [serde_json::Value],
    control: &str,
    code: &str,
) -> Vec<&'a serde_json::Value> {
    f.iter()
        .filter(|x| x["control"] == control && x["code"] == code)
        .collect()
}

#[test]
fn recurring_controls_need_evidence_in_every_occurrence_of_the_period() {
    // Period 2025-10-01 to 2026-09-30, judged at its end: four calendar quarters are due.
    let f = scenario("occurrences", "2026-09-30");
    let asv = of_code(&f, "11.3.2", "missing-occurrence");
    assert_eq!(asv.len(), 1, "one finding per control: {asv:?}");
    assert_eq!(
        asv[0]["detail"],
        "Q2 2026 (2026-04-01 to 2026-06-30): no approved evidence; 3 of 4 quarters from 2025-10-01 to 2026-09-30 covered"
    );
    assert_eq!(
        asv[0]["since"], "2026-04-01",
        "the missing quarter's first day"
    );
    // ASV scans are a key control: a missed quarter is high.
    assert_eq!(asv[0]["severity"], "high");
    assert_eq!(asv[0]["evidence_id"], "");
    assert_eq!(codes_for(&f, "cards", "11.3.2"), ["missing-occurrence"]);
    assert!(
        codes_for(&f, "cards", "11.3.1").is_empty(),
        "all four quarters covered, on their first and last days; the row from before the period is not needed"
    );
    assert_eq!(
        codes_for(&f, "cards", "11.2.1"),
        ["missing-occurrence"],
        "Q3 has ended at the period end"
    );
    // A pending row in the missing quarter is reported too: it says why the quarter is missing.
    let mut idle = codes_for(&f, "cards", "8.2.6");
    idle.sort();
    assert_eq!(idle, ["evidence-not-approved", "missing-occurrence"]);
    assert!(of_code(&f, "8.2.6", "missing-occurrence")[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("Q2 2026 (2026-04-01 to 2026-06-30)"));
    // Consecutive missing months are named as one run.
    assert!(of_code(&f, "6.3.3", "missing-occurrence")[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("January 2026 to February 2026 (2026-01-01 to 2026-02-28): no approved evidence; 10 of 12 months"));
    // A half-year counted from an October period start is no calendar half.
    assert!(of_code(&f, "7.2.4", "missing-occurrence")[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("half-year 2 of the period (2026-04-01 to 2026-09-30)"));
    assert!(
        codes_for(&f, "cards", "10.4.1").is_empty(),
        "a daily control is checked month by month: one export per month covers it"
    );
    // Point in time, counted from the period: the day before the period start is stale.
    assert_eq!(codes_for(&f, "cards", "1.1.1"), ["stale-evidence"]);
    assert!(codes_for(&f, "cards", "1.1.2").is_empty());
    // Every row is used or reported.
    let ids: Vec<&str> = f.iter().filter_map(|x| x["evidence_id"].as_str()).collect();
    assert!(!ids.contains(&"INT-OLD"), "superseded, not a finding");
}

#[test]
fn an_occurrence_in_progress_at_the_as_of_date_is_not_missing_yet() {
    let f = scenario("occurrences", "2026-08-15");
    assert!(
        codes_for(&f, "cards", "11.2.1").is_empty(),
        "Q3 2026 has not ended on 2026-08-15"
    );
    let due = of_code(&f, "11.2.1", "evidence-due-soon");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["since"], "2026-09-30");
    assert!(due[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("Q3 2026 (2026-07-01 to 2026-09-30) needs its own evidence by 2026-09-30"));
    assert_eq!(
        of_code(&f, "11.3.2", "missing-occurrence")[0]["detail"],
        "Q2 2026 (2026-04-01 to 2026-06-30): no approved evidence; 2 of 3 quarters from 2025-10-01 to 2026-06-30 covered"
    );
    assert!(
        codes_for(&f, "cards", "7.2.4").is_empty(),
        "the second half-year is still in progress"
    );
    // Mid-period, a point-in-time control needs evidence current at the as-of date.
    assert!(codes_for(&f, "cards", "1.1.1").is_empty());
    assert_eq!(
        of_code(&f, "1.1.1", "evidence-due-soon")[0]["since"],
        "2026-09-29"
    );
}

#[test]
fn evidence_that_stops_counting_soon_is_reported_as_information() {
    let f = scenario("gaps-edges", "2026-06-30");
    let due: Vec<&serde_json::Value> = f
        .iter()
        .filter(|x| x["code"] == "evidence-due-soon")
        .collect();
    let of = |control: &str| due.iter().find(|x| x["control"] == control).copied();
    // Dated on the period's first day, a year ago: it counts today and stops counting after today.
    let cc11 = of("CC1.1").expect("CC1.1 is due");
    assert_eq!(cc11["since"], "2026-06-30");
    assert_eq!(cc11["severity"], "info");
    assert!(
        cc11["detail"]
            .as_str()
            .unwrap()
            .contains("2026-06-30, the as-of date itself"),
        "{cc11}"
    );
    assert!(of("CC1.3").unwrap()["detail"]
        .as_str()
        .unwrap()
        .contains("expires on 2026-06-30"));
    // Every quarter of CC6.2 is covered; the next (Q3 2026) starts tomorrow and is due by its
    // last day. CC2.1's current copy (2026-05-01, annual) lasts until 2027-04-30, beyond the
    // 90-day window.
    assert_eq!(of("CC6.2").unwrap()["since"], "2026-09-30");
    assert!(of("CC2.1").is_none());
    // Not a gap: --fail-on any ignores it; --due-within 0 turns it off.
    let (s, e, a) = (
        fixture("gaps-edges/scope.toml"),
        fixture("gaps-edges/evidence.csv"),
        fixture("gaps-edges/attestations.csv"),
    );
    let off = findings(&[
        "gaps",
        "--scope",
        &s,
        "--evidence",
        &e,
        "--attestations",
        &a,
        "--as-of",
        "2026-06-30",
        "--due-within",
        "0",
    ]);
    assert!(!off.iter().any(|x| x["code"] == "evidence-due-soon"));
    let wide = findings(&[
        "gaps",
        "--scope",
        &s,
        "--evidence",
        &e,
        "--attestations",
        &a,
        "--as-of",
        "2026-06-30",
        "--due-within",
        "400",
    ]);
    assert!(wide
        .iter()
        .any(|x| x["code"] == "evidence-due-soon" && x["control"] == "CC2.1"));
}

#[test]
fn nothing_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("gaps.xlsx");
    let (s, e, a) = (
        fixture("gaps-all-codes/scope.toml"),
        fixture("gaps-all-codes/evidence.csv"),
        fixture("gaps-all-codes/attestations.csv"),
    );
    let out = run(&[
        "gaps",
        "--scope",
        &s,
        "--evidence",
        &e,
        "--attestations",
        &a,
        "--as-of",
        "2026-06-30",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let rows = wb.worksheet_range("Evidence rows").unwrap();
    assert_eq!(rows.height() - 1, 11, "one line per evidence row");
    for r in rows.rows().skip(1) {
        let outcome = r[4].to_string();
        assert!(
            outcome.starts_with("counts for")
                || outcome.starts_with("reported: ")
                || outcome.starts_with("not needed"),
            "{outcome}"
        );
    }
    let atts = wb.worksheet_range("Attestation rows").unwrap();
    assert_eq!(atts.height() - 1, 5);
}

#[test]
fn xlsx_report_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.xlsx");
    let args = [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &sample("evidence.xlsx"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["-o", path.to_str().unwrap()]);
    assert!(run(&with_out).status.success());
    let json = findings(&args);
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Systems",
            "Gap codes",
            "Worklist",
            "Owner map",
            "Attestations",
            "Statement of Applicability",
            "Evidence rows",
            "Attestation rows"
        ]
    );
    // The Statement of Applicability: every control on every system, filterable by status.
    let soa = wb.worksheet_range("Statement of Applicability").unwrap();
    let soa_header: Vec<String> = soa
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        soa_header,
        [
            "system",
            "framework",
            "control",
            "title",
            "group",
            "status",
            "reason"
        ]
    );
    let excluded: Vec<String> = soa
        .rows()
        .filter(|r| r[5] == "excluded")
        .map(|r| format!("{} {}", r[0], r[2]))
        .collect();
    assert_eq!(
        excluded,
        ["analytics A.8.30", "workplace A.8.28", "workplace A.8.30"]
    );
    assert!(soa
        .rows()
        .skip(1)
        .all(|r| r[5] == "applicable" || !r[6].to_string().is_empty()));
    let work = wb.worksheet_range("Worklist").unwrap();
    assert_eq!(
        work.height() - 1,
        json.len(),
        "the worklist holds every finding"
    );
    let header: Vec<String> = work
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&header[..5], ["#", "id", "severity", "code", "system"]);
    let first: Vec<String> = work
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first[1], json[0]["id"].as_str().unwrap());
    assert_eq!(first[2], "high");
    assert_eq!(
        first[3],
        json[0]["code"].as_str().unwrap(),
        "same order as the JSON worklist"
    );
    let owners = wb.worksheet_range("Owner map").unwrap();
    let left_out = soa.rows().skip(1).filter(|r| r[5] != "applicable").count();
    assert_eq!(
        soa.height() - 1,
        757,
        "every control of every system and framework"
    );
    assert_eq!(
        owners.height() - 1 + left_out,
        757,
        "the owner map holds every control that applies; the statement says why the others do not"
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(run(&with_out).status.success());
    assert_eq!(
        bytes,
        std::fs::read(&path).unwrap(),
        "byte-identical on a second run"
    );
}

#[test]
fn csv_and_xlsx_registers_read_the_same() {
    let common = [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
    ];
    let csv = {
        let mut a = common.to_vec();
        let e = sample("evidence.csv");
        a.extend(["--evidence", &e]);
        findings(&a)
    };
    let xlsx = {
        let mut a = common.to_vec();
        let e = sample("evidence.xlsx");
        a.extend(["--evidence", &e]);
        findings(&a)
    };
    let strip = |v: &[serde_json::Value]| {
        v.iter()
            .map(|x| {
                let mut x = x.clone();
                x["source"] = serde_json::Value::Null;
                x
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&csv), strip(&xlsx));
}

#[test]
fn the_sample_shows_every_kind_of_gap() {
    let f = findings(&[
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &sample("evidence.csv"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
    ]);
    for code in EVERY_CODE.iter().filter(|c| **c != "unknown-offering") {
        assert!(
            f.iter().any(|x| x["code"] == *code),
            "the sample shows no {code}"
        );
    }
    let rows = std::fs::read_to_string(sample("evidence.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(rows >= 100, "a register of realistic size: {rows}");
    let mut by_system: BTreeMap<String, usize> = BTreeMap::new();
    for x in &f {
        *by_system
            .entry(x["system"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for s in ["patient-portal", "payments", "analytics", "workplace"] {
        assert!(by_system.get(s).copied().unwrap_or(0) > 0, "{s}");
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    let (s, e, a) = (
        fixture("gaps-edges/scope.toml"),
        fixture("gaps-edges/evidence.csv"),
        fixture("gaps-edges/attestations.csv"),
    );
    let base = [
        "gaps",
        "--scope",
        s.as_str(),
        "--evidence",
        e.as_str(),
        "--attestations",
        a.as_str(),
        "--as-of",
        "2026-06-30",
        "--format",
        "csv",
    ];
    assert_eq!(
        run(&base).status.code(),
        Some(0),
        "gaps are reported, not failed, without --fail-on"
    );
    let with = |what: &str| {
        let mut v = base.to_vec();
        v.extend(["--fail-on", what]);
        run(&v).status.code()
    };
    assert_eq!(with("any"), Some(1));
    assert_eq!(with("high"), Some(1));
    assert_eq!(
        with("attestation-expired"),
        Some(0),
        "no attestation has expired on 2026-06-30"
    );
    assert_eq!(with("evidence-expired,stale-evidence"), Some(1));
    assert_eq!(with("sometimes"), Some(2));
}

fn assert_input_error(args: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("gaps.pdf");
    let mut all = args.to_vec();
    all.extend(["-o", out_path.to_str().unwrap()]);
    let out = run(&all);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    assert!(!out_path.exists(), "nothing is written on an input error");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file is left"
    );
}

#[test]
fn bad_inputs_give_exit_2_with_file_row_and_column_and_write_nothing() {
    let scope = fixture("gaps-edges/scope.toml");
    let bad = |f: &str| fixture(&format!("bad-inputs/{f}"));
    let missing = bad("missing-column.csv");
    assert_input_error(
        &[
            "gaps",
            "--scope",
            &scope,
            "--evidence",
            &missing,
            "--as-of",
            "2026-06-30",
        ],
        &[
            "error[missing-column]",
            "missing-column.csv:1",
            "`effective_date`",
        ],
    );
    let cells = bad("bad-cells.csv");
    assert_input_error(
        &[
            "gaps",
            "--scope",
            &scope,
            "--evidence",
            &cells,
            "--as-of",
            "2026-06-30",
        ],
        &[
            "bad-cells.csv:3:6 (effective_date): `03/04/2026` is not an ISO date",
            "cannot be told apart",
            "bad-cells.csv:4:8 (status): `maybe` is not a review status",
            "bad-cells.csv:5:6 (effective_date): `2026-02-30` is not a real calendar date",
            "bad-cells.csv:5:7 (expires)",
        ],
    );
    let atts = bad("bad-attestations.csv");
    assert_input_error(
        &[
            "gaps",
            "--scope",
            &scope,
            "--attestations",
            &atts,
            "--as-of",
            "2026-06-30",
        ],
        &[
            "bad-attestations.csv:2:2 (kind): `soc2-type3` is not an attestation kind",
            "bad-attestations.csv:3:5 (period_end): a soc2-type2 needs the end of the period",
        ],
    );
    let bad_scope = bad("bad-scope.toml");
    assert_input_error(
        &[
            "gaps",
            "--scope",
            &bad_scope,
            "--evidence",
            &cells,
            "--as-of",
            "2026-06-30",
        ],
        &[
            "bad-scope.toml:2:40 (period.end): `31/12/2026` is not an ISO date",
            "bad-scope.toml:6:14 (systems.offerings): unknown offering `aws/ec3`",
            "bad-scope.toml:7:15 (systems.frameworks): unknown framework `soc3`",
            "bad-cells.csv:3:6",
        ],
    );
}

#[test]
fn bad_xlsx_cells_name_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Register").unwrap();
    for (i, h) in [
        "control",
        "evidence_id",
        "title",
        "owner",
        "effective_date",
        "status",
        "location",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (i, v) in [
        "soc2-2017:CC1.1",
        "E-1",
        "t",
        "o",
        "03/04/2026",
        "approved",
        "l",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, i as u16, *v).unwrap();
    }
    ws.write_string(2, 0, "soc2-2017:CC1.2").unwrap();
    ws.write_string(2, 1, "E-2").unwrap();
    ws.write_number(2, 4, 46000.0).unwrap();
    ws.write_string(2, 5, "approved").unwrap();
    wb.save(&path).unwrap();
    let scope = fixture("gaps-edges/scope.toml");
    assert_input_error(&["gaps", "--scope", &scope, "--evidence", path.to_str().unwrap(), "--as-of", "2026-06-30"], &[
        "register.xlsx: sheet Register, cell E2 (effective_date): `03/04/2026` is not an ISO date",
        "register.xlsx: sheet Register, cell E3 (effective_date): `46000` is a number, not a date",
    ]);
}

fn pdftotext(path: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            eprintln!("skipped: pdftotext (poppler-utils) is not installed; .ci/run installs it");
            None
        }
    }
}

#[test]
fn pdf_report_has_its_sections_and_extractable_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaps.pdf");
    let args = [
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &sample("evidence.csv"),
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
        "-o",
        path.to_str().unwrap(),
    ];
    assert!(run(&args).status.success());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() < 1_200_000,
        "small enough to e-mail: {} bytes",
        bytes.len()
    );
    assert!(run(&args).status.success());
    assert_eq!(
        bytes,
        std::fs::read(&path).unwrap(),
        "byte-identical on a second run"
    );
    let Some(text) = pdftotext(&path) else { return };
    for needle in [
        "Compliance gap report",
        "Northwind Health & Commerce, Inc.",
        "Audit period: 2025-10-01 to 2026-09-30",
        "Contents",
        "1. Scope and methodology",
        "Frameworks and editions",
        "Sign-off",
        "Prepared by",
        "M. Chen (GRC Lead)",
        "2. Summary",
        "Gaps by kind",
        "patient-portal · HIPAA Security Rule",
        "payments · PCI DSS 4.0.1",
        "Provider attestations",
        "3. Worklist",
        "Owner map",
        "5. Evidence index",
        "Appendix A. Input rows that matched nothing",
        "legacy-crm",
        "attestation-period-gap",
        "missing-occurrence",
        "Q2 2026 (2026-04-01 to 2026-06-30)",
        "Page 2 of",
    ] {
        assert!(text.contains(needle), "`{needle}` is not in the PDF text");
    }
}

#[test]
fn templates_write_a_pbc_list_and_a_register_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let pbc = dir.path().join("pbc.xlsx");
    let out = run(&[
        "template",
        "pbc",
        "--scope",
        &sample("scope.toml"),
        "--as-of",
        "2026-09-30",
        "-o",
        pbc.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&pbc).unwrap();
    let req = wb.worksheet_range("Requests").unwrap();
    let json: serde_json::Value = serde_json::from_slice(
        &run(&[
            "template",
            "pbc",
            "--scope",
            &sample("scope.toml"),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(req.height() - 1, json["requests"].as_array().unwrap().len());
    assert!(json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["systems"].as_array().is_some_and(|s| !s.is_empty())));
    // Physical entry: the organisation's own offices are in scope for `workplace` (ISO's
    // default), not for `analytics` (`premises = false`): only the former is asked for it.
    let entry = json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["framework"] == "iso27001-2022" && r["control"] == "A.7.1")
        .expect("A.7.1 is requested for the offices");
    assert_eq!(entry["systems"], serde_json::json!(["workplace (shared)"]));

    let reg = dir.path().join("register.xlsx");
    assert!(run(&[
        "template",
        "evidence",
        "--as-of",
        "2026-09-30",
        "-o",
        reg.to_str().unwrap()
    ])
    .status
    .success());
    let wb: Xlsx<_> = calamine::open_workbook(&reg).unwrap();
    assert_eq!(wb.sheet_names(), ["Register", "Instructions"]);
    let scope = sample("scope.toml");
    let f = findings(&[
        "gaps",
        "--scope",
        &scope,
        "--evidence",
        reg.to_str().unwrap(),
        "--as-of",
        "2026-09-30",
    ]);
    assert!(
        f.iter().all(|x| x["code"] != "unknown-control"),
        "an empty register reads cleanly"
    );
    assert!(f.iter().any(|x| x["code"] == "missing-evidence"));
}

/// One evidence ID on rows with another title or date names two documents: each later row is a
/// `conflicting-evidence-id` finding pointing at the first; the same document counted for
/// several controls (same ID, title and date) is not.
#[test]
fn an_evidence_id_used_for_two_documents_is_reported_against_its_first_row() {
    let all = findings(&[
        "gaps",
        "--scope",
        &sample("scope.toml"),
        "--evidence",
        &fixture("evidence-ids/evidence.csv"),
        "--as-of",
        "2026-09-30",
    ]);
    let conflicts: Vec<(String, String)> = all
        .iter()
        .filter(|f| f["code"] == "conflicting-evidence-id")
        .map(|f| {
            (
                f["source"]
                    .as_str()
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_string(),
                f["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert_eq!(conflicts[0].0, "4");
    assert!(
        conflicts[0].1.contains("EV-10 is also the ID of row 2"),
        "{conflicts:?}"
    );
    assert_eq!(conflicts[1].0, "6");
    assert!(
        conflicts[1].1.contains("EV-11 is also the ID of row 5"),
        "{conflicts:?}"
    );
    let one = all
        .iter()
        .find(|f| f["code"] == "conflicting-evidence-id")
        .unwrap();
    assert_eq!(one["severity"], "low");
}

/// A register saved by a spreadsheet program as ODS and as XLS (formats calamine reads whole,
/// checked first for what they would hold) gives the findings of the same register as CSV:
/// the checks refuse what is too large, not what spreadsheet programs write.
#[test]
fn a_register_saved_as_ods_or_xls_gives_the_findings_of_its_csv() {
    let dir = root().join("tests/fixtures/register-formats");
    let gaps = |file: &str| {
        let out = run(&[
            "gaps",
            "--scope",
            root()
                .join("samples/northwind/scope.toml")
                .to_str()
                .unwrap(),
            "--evidence",
            dir.join(file).to_str().unwrap(),
            "--as-of",
            "2026-09-30",
            "--format",
            "csv",
        ]);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(file, "REGISTER")
    };
    let csv = gaps("evidence.csv");
    assert!(csv.lines().count() > 400, "{csv}");
    assert_eq!(gaps("evidence.ods"), csv);
    assert_eq!(gaps("evidence.xls"), csv);
}

//! scripts/gen_workload.py (the audit workload of docs/benchmarks.md) writes inputs `srmap gaps`
//! accepts: a small run (5 systems, 500 rows) is deterministic, mirrors the sample's formats,
//! and gives no input error, only the findings it plants. Skipped, saying so, without python3.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// python3, or `None` after saying the test is skipped without it.
fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 is not installed, so scripts/gen_workload.py cannot run");
    }
    ok.then_some("python3")
}

/// Run the generator into `out` (`args`: its systems, rows and seed).
fn generate(python: &str, out: &Path, args: &[&str]) {
    let run = Command::new(python)
        .arg(root().join("scripts/gen_workload.py"))
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the generator failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A workload generated with `args` in a temporary folder (kept while the `TempDir` lives), and
/// its path.
fn workload(python: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let workload = dir.path().join("workload");
    generate(python, &workload, args);
    (dir, workload)
}

/// `srmap gaps` on the workload (or fixture) in `dir`: its scope and evidence register.
fn gaps_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_srmap"));
    cmd.current_dir(dir).args([
        "gaps",
        "--scope",
        "scope.toml",
        "--evidence",
        "evidence.csv",
    ]);
    cmd
}

fn header(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[test]
fn the_generated_workload_is_accepted_by_gaps() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let small = ["--systems", "5", "--rows", "500", "--seed", "7"];
    generate(python, &a, &small);
    generate(python, &b, &small);

    // Same arguments, same bytes.
    for file in ["scope.toml", "evidence.csv", "attestations.csv"] {
        assert_eq!(
            read(&a.join(file)),
            read(&b.join(file)),
            "{file} differs between two runs with the same seed"
        );
    }

    // The sample's columns, and exactly the rows asked for.
    let sample = root().join("samples/northwind");
    let evidence = read(&a.join("evidence.csv"));
    assert_eq!(
        header(&evidence),
        header(&read(&sample.join("evidence.csv")))
    );
    assert_eq!(evidence.lines().count(), 1 + 500);
    assert_eq!(
        header(&read(&a.join("attestations.csv"))),
        header(&read(&sample.join("attestations.csv")))
    );
    let scope = read(&a.join("scope.toml"));
    assert_eq!(scope.matches("[[systems]]").count(), 5);

    // gaps reads all three with no input error and reports what was planted.
    let out = assert_cmd::Command::cargo_bin("srmap")
        .unwrap()
        .arg("gaps")
        .arg("--scope")
        .arg(a.join("scope.toml"))
        .arg("--evidence")
        .arg(a.join("evidence.csv"))
        .arg("--attestations")
        .arg(a.join("attestations.csv"))
        .args(["--as-of", "2026-09-30", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gaps refused the workload: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &findings {
        *codes.entry(f["code"].as_str().unwrap()).or_default() += 1;
    }
    for code in [
        "missing-evidence",
        "unknown-control",
        "unknown-system",
        "unknown-offering",
        "unused-attestation",
    ] {
        assert!(codes.contains_key(code), "no {code} finding: {codes:?}");
    }
    // Three rows in five of the planted ones name unknown controls: 3 of the 5 here.
    assert_eq!(codes["unknown-control"], 3, "{codes:?}");
}

/// The findings of a generated workload, byte for byte in every text format: the pin that
/// performance work on the gap engine (issue 12) must leave unchanged. Regenerate on purpose
/// with `INSTA_UPDATE=always cargo test --test workload_generator`.
#[test]
fn the_findings_of_a_generated_workload_do_not_change() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(python)
        .arg(root().join("scripts/gen_workload.py"))
        .arg(dir.path())
        .args(["--systems", "12", "--rows", "6000", "--seed", "3"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = |format: &str| {
        let o = gaps_in(dir.path())
            .args([
                "--attestations",
                "attestations.csv",
                "--as-of",
                "2026-09-30",
            ])
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let csv = out("csv");
    assert!(csv.lines().count() > 1_000, "a workload with findings");
    insta::assert_snapshot!("workload_findings_csv", csv);
    let json = out("json");
    let digest = |s: &str| {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in s.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x} {} bytes", s.len())
    };
    insta::assert_snapshot!(
        "workload_findings_digests",
        format!("json {}\nmd {}\n", digest(&json), digest(&out("md")))
    );
}

/// The gap engine on a register made to stress reuse (`--reuse-mapped`), rows for every system,
/// failed checks, expiries and every status (`scripts/gen_reuse_register.py 2 DIR 600`): its
/// findings (JSON) and its workbook (every row's outcome, the evidence each control counted),
/// by digest, for each reuse rule and three as-of dates. First pinned from the engine that kept
/// every row in memory, before the two-pass rework (issue 12), which left all 18 unchanged;
/// changed since only by the `conflicting-evidence-id` findings (issue 13: the generator reuses
/// IDs across titles), and the workbooks' bytes by their row sheets written in constant memory
/// (text inline rather than shared; every cell, width, height, link and note the same, by an
/// openpyxl dump of each before and after). `scripts/engine_identity.sh OLD NEW` compares two builds more widely.
#[test]
fn reused_and_shared_evidence_reach_the_same_findings_and_outcomes() {
    let dir = root().join("tests/fixtures/reuse-stress");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let mut pinned = String::new();
    for reuse in [
        None,
        Some("--reuse-mapped"),
        Some("--reuse-mapped=intersect"),
    ] {
        for as_of in ["2026-03-31", "2026-09-30", "2026-12-31"] {
            for format in ["json", "xlsx"] {
                let mut cmd = gaps_in(&dir);
                cmd.args(["--as-of", as_of, "--due-within", "90", "--format", format])
                    .arg("-o")
                    .arg(&out);
                if let Some(r) = reuse {
                    cmd.arg(r);
                }
                let o = cmd.output().unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                let bytes = std::fs::read(&out).unwrap();
                let mut h: u64 = 0xcbf29ce484222325;
                for b in &bytes {
                    h ^= u64::from(*b);
                    h = h.wrapping_mul(0x100000001b3);
                }
                pinned.push_str(&format!(
                    "{:<26} {as_of} {format:<4} {h:016x} {} bytes\n",
                    reuse.unwrap_or("(no reuse)"),
                    bytes.len()
                ));
            }
        }
    }
    insta::assert_snapshot!("reuse_stress_digests", pinned);
}

/// A register read in two parts at once (on two threads: `table::parts`, from 32 MiB by
/// default; `SRMAP_PARALLEL_FROM=0` makes any register of more than a few lines two parts) gives
/// the same bytes as one read: the findings (the second part's rows that name nothing, the IDs
/// used twice across the parts, the newest and failed rows of a key in both), the workbook's
/// row outcomes, with and without reuse.
#[test]
fn a_register_read_in_two_parts_gives_what_one_read_gives() {
    let Some(python) = python() else { return };
    let (dir, workload) = workload(
        python,
        &["--systems", "12", "--rows", "6000", "--seed", "3"],
    );
    let out = dir.path().join("out");
    let mut compared = 0;
    let fixtures = root().join("tests/fixtures");
    for inputs in [
        workload,
        fixtures.join("reuse-stress"),
        fixtures.join("control-failing"),
        fixtures.join("gaps-all-codes"),
        fixtures.join("occurrences"),
    ] {
        let attestations = inputs.join("attestations.csv").exists();
        for reuse in [None, Some("--reuse-mapped")] {
            for format in ["json", "xlsx"] {
                let run = |parallel_from: &str| {
                    let mut cmd = gaps_in(&inputs);
                    cmd.env("SRMAP_PARALLEL_FROM", parallel_from)
                        .args(["--as-of", "2026-09-30", "--due-within", "90"])
                        .args(["--format", format, "-o"])
                        .arg(&out);
                    if attestations {
                        cmd.args(["--attestations", "attestations.csv"]);
                    }
                    cmd.args(reuse);
                    let o = cmd.output().unwrap();
                    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                    std::fs::read(&out).unwrap()
                };
                let (once, parts) = (run("never"), run("0"));
                assert!(
                    once == parts,
                    "{} {reuse:?} {format}: two parts differ from one read",
                    inputs.display()
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 20);
}

/// A register of more rows than the report holds in memory (`gaps::RowOutcomes` keeps the
/// first 16,384 and writes the rest to a temporary file): the workbook's `Evidence rows` sheet
/// still lists every row, in register order, each with its outcome.
#[test]
fn every_row_of_a_large_register_is_listed_in_the_workbook() {
    use calamine::{Data, Reader, Xlsx};
    let Some(python) = python() else { return };
    let (dir, workload) = workload(
        python,
        &["--systems", "6", "--rows", "20000", "--seed", "5"],
    );
    let out = dir.path().join("gaps.xlsx");
    let run = gaps_in(&workload)
        .args([
            "--attestations",
            "attestations.csv",
            "--as-of",
            "2026-09-30",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let mut register = csv::Reader::from_path(workload.join("evidence.csv")).unwrap();
    let id_col = register
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "evidence_id")
        .unwrap();
    let ids: Vec<String> = register
        .records()
        .map(|r| r.unwrap()[id_col].to_string())
        .collect();
    assert_eq!(ids.len(), 20_000);

    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range("Evidence rows").unwrap();
    let text = |c: &Data| match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    };
    let mut rows = sheet
        .rows()
        .skip_while(|r| r.get(2).map(text).as_deref() != Some("id"));
    rows.next().expect("the sheet has its header");
    let listed: Vec<(String, String)> = rows.map(|r| (text(&r[2]), text(&r[4]))).collect();
    assert_eq!(listed.len(), ids.len(), "every register row is listed");
    for (i, ((id, outcome), want)) in listed.iter().zip(&ids).enumerate() {
        assert_eq!(id, want, "row {} of the sheet", i + 1);
        assert!(!outcome.is_empty(), "row {} has an outcome", i + 1);
    }
}

//! What the outputs hold when the inputs are hostile. Every command that writes CSV or XLSX runs
//! on inputs whose names start like spreadsheet formulas (system, organisation and owner names;
//! evidence ID, title, owner, location and notes; attestation references; a `--data` folder's
//! framework, control and offering names and duties), and every cell is read back (CSV with the
//! csv crate, XLSX with calamine): none starts with `=`, `+`, `-`, `@`, tab or carriage return
//! unless neutralised with a leading quote, headers and sheet names included. Markdown shows the
//! same text, never markup. A cell over Excel's limit and a date Excel cannot hold are written,
//! not refused.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};

/// The characters a spreadsheet reads as the start of a formula (this test's own list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const CMD: &str = "=cmd|' /C calc'!A0";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The hostile inputs, written into `dir`: a scope and a target scope, an evidence register,
/// attestations, a data folder (`data/`) and a Prowler export.
fn hostile_inputs(dir: &Path) {
    let scope = |offerings_a: &str| {
        format!(
            r#"organization = "=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script>"
period = {{ start = "2025-10-01", end = "2026-09-30" }}

[[systems]]
name = "{}"
description = "+1 <img src=x onerror=alert(1)>"
offerings = [{offerings_a}]
frameworks = ["soc2-2017", "pci-dss-4.0.1"]

[[systems]]
name = "+1"
offerings = ["azure/app-service"]
frameworks = ["soc2-2017"]

[[systems]]
name = "@SUM(1)"
offerings = ["gcp/cloud-run"]
frameworks = ["soc2-2017"]

[[systems]]
name = "-1+1 | <b>pipe</b>"
offerings = ["aws/s3"]
frameworks = ["soc2-2017"]

[owners]
default = "=owner()"
systems = {{ "@SUM(1)" = "-assignee" }}
"#,
            CMD
        )
    };
    fs::write(dir.join("scope.toml"), scope(r#""aws/ec2", "aws/rds""#)).unwrap();
    fs::write(
        dir.join("target.toml"),
        scope(r#""aws/lambda", "aws/dynamodb""#),
    )
    .unwrap();
    let mut w = csv::Writer::from_path(dir.join("evidence.csv")).unwrap();
    w.write_record([
        "control",
        "system",
        "evidence_id",
        "title",
        "kind",
        "owner",
        "effective_date",
        "expires",
        "status",
        "location",
        "notes",
    ])
    .unwrap();
    for (i, control) in ["soc2-2017:CC1.1", "soc2-2017:CC6.1", "pci-dss-4.0.1:8.3.1"]
        .iter()
        .enumerate()
    {
        let id = format!("=EV{i}");
        w.write_record([
            *control,
            CMD,
            &id,
            "=HYPERLINK(\"http://evil\",\"x\") <script>x</script>",
            "report",
            "@SUM(1)",
            "2026-01-15",
            "",
            if i == 0 { "approved" } else { "pending" },
            "+1",
            "-1+1 | cell",
        ])
        .unwrap();
    }
    w.write_record([
        "soc2-2017:CC7.1",
        "",
        "-EV9",
        "\t=tab",
        "report",
        "\r=cr",
        "2024-01-15",
        "",
        "approved",
        "=location",
        "@notes",
    ])
    .unwrap();
    w.flush().unwrap();
    fs::write(
        dir.join("attestations.csv"),
        "provider,kind,offerings,period_start,period_end,expires,reference,notes\n\
         aws,soc2-type2,*,2025-04-01,2026-03-31,2027-03-31,=ref(1),+note\n\
         azure,soc2-type2,*,2025-04-01,2026-03-31,2027-03-31,@SUM(2),-note\n",
    )
    .unwrap();

    let data = dir.join("data");
    fs::create_dir_all(data.join("frameworks")).unwrap();
    fs::create_dir_all(data.join("providers/acme")).unwrap();
    fs::write(
        data.join("frameworks/hostile-1.toml"),
        format!(
            "id = \"hostile-1\"\nname = \"{}\"\nversion = \"+1\"\npublisher = \"@SUM(1)\"\n\
             source = \"https://example.org/hostile\"\ndescription = \"-1+1 <script>x</script>\"\n",
            CMD
        ),
    )
    .unwrap();
    fs::write(
        data.join("frameworks/hostile-1.csv"),
        "id,title,group,kind,parent,layers,features,cadence,evidence,customer_duty,provider_duty,weight,artefact\n\
         H-1,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",@SUM(1),control,,data,,annual,-1+1 evidence,=customer duty,+provider duty,,\n\
         H-2,@<img src=x onerror=alert(1)>,-group,control,,physical-facilities,,annual,@evidence,=cd,+pd,,\n",
    )
    .unwrap();
    let offering = fs::read_to_string(
        root().join("tests/fixtures/new-offering/providers/acme/managed-vm.toml"),
    )
    .unwrap()
    .lines()
    .map(|l| {
        if l.starts_with("name = ") {
            format!("name = \"{CMD}\"")
        } else if l.starts_with("summary = ") {
            "summary = \"+1 <b>bold</b>\"".to_string()
        } else {
            l.replace("ACME does its part.", "=ACME does its part.")
                .replace(
                    "The customer does its part.",
                    "@The customer does its part.",
                )
        }
    })
    .collect::<Vec<_>>()
    .join("\n");
    fs::write(data.join("providers/acme/managed-vm.toml"), offering).unwrap();
}

fn srmap(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("srmap")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Every command that writes CSV or XLSX, with the hostile inputs, and whether the hostile
/// text reaches its output (the empty register template has no input).
fn commands() -> Vec<(Vec<&'static str>, &'static [&'static str], bool)> {
    let both: &[&str] = &["csv", "xlsx"];
    let csv: &[&str] = &["csv"];
    vec![
        (
            vec![
                "gaps",
                "--scope",
                "scope.toml",
                "--evidence",
                "evidence.csv",
                "--attestations",
                "attestations.csv",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec!["soa", "--scope", "scope.toml", "--as-of", "2026-09-30"],
            both,
            true,
        ),
        (
            vec![
                "compare",
                "--scope",
                "scope.toml",
                "--attestations",
                "attestations.csv",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec![
                "--data",
                "data",
                "compare",
                "--offering",
                "acme/managed-vm,aws/ec2",
                "--framework",
                "hostile-1",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec![
                "diff",
                "--from-scope",
                "scope.toml",
                "--to-scope",
                "target.toml",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec![
                "--data",
                "data",
                "diff",
                "--from",
                "onprem",
                "--to",
                "acme/managed-vm",
                "--framework",
                "hostile-1",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec![
                "template",
                "pbc",
                "--scope",
                "scope.toml",
                "--attestations",
                "attestations.csv",
                "--as-of",
                "2026-09-30",
            ],
            both,
            true,
        ),
        (
            vec!["template", "evidence", "--as-of", "2026-09-30"],
            both,
            false,
        ),
        (
            vec![
                "--data",
                "data",
                "map",
                "--offering",
                "acme/managed-vm",
                "--framework",
                "hostile-1",
            ],
            csv,
            true,
        ),
        (vec!["--data", "data", "controls", "hostile-1"], csv, true),
        (vec!["--data", "data", "frameworks"], csv, true),
        (vec!["--data", "data", "offerings"], csv, true),
        (
            vec!["--data", "data", "matrix", "acme/managed-vm"],
            csv,
            true,
        ),
        // Built-in data only: no hostile text, but every cell still checked.
        (vec!["matrix", "aws/rds", "--facts"], csv, false),
        (
            vec![
                "controls",
                "hipaa-security",
                "--mapped-to",
                "nist-800-53-r5",
            ],
            csv,
            false,
        ),
    ]
}

/// Every text cell of a CSV file, header included.
fn csv_cells(path: &Path) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    r.records()
        .flat_map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Every sheet name and every text cell of a workbook, with its sheet.
fn xlsx_cells(path: &Path) -> Vec<(String, String)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        out.push((name.clone(), name.clone()));
        let range = wb.worksheet_range(&name).unwrap();
        for (_, _, cell) in range.used_cells() {
            if let Data::String(s) = cell {
                out.push((name.clone(), s.clone()));
            }
        }
    }
    out
}

fn live(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
}

#[test]
fn every_csv_and_xlsx_cell_is_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path());
    let mut failures = Vec::new();
    for (args, formats, reaches) in commands() {
        for format in formats {
            let file = format!("out.{format}");
            let mut all = args.clone();
            all.extend(["-o", &file]);
            let out = srmap(dir.path(), &all);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{all:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let path = dir.path().join(&file);
            let cells: Vec<(String, String)> = match *format {
                "csv" => csv_cells(&path)
                    .into_iter()
                    .map(|c| ("".to_string(), c))
                    .collect(),
                _ => xlsx_cells(&path),
            };
            for (sheet, cell) in &cells {
                if live(cell) {
                    failures.push(format!("{all:?} {sheet}: {cell:?}"));
                }
            }
            let neutralised = cells.iter().filter(|(_, c)| c.starts_with('\'')).count();
            if reaches && neutralised == 0 {
                failures.push(format!("{all:?}: no hostile text reached the output"));
            }
            fs::remove_file(&path).unwrap();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn system_names_in_comparison_headers_are_neutralised() {
    // The case the issue found: `compare --scope` put system names into header cells as they were.
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path());
    for file in ["cmp.csv", "cmp.xlsx"] {
        let out = srmap(
            dir.path(),
            &[
                "compare",
                "--scope",
                "scope.toml",
                "--as-of",
                "2026-09-30",
                "-o",
                file,
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut header = csv_cells(&dir.path().join("cmp.csv"));
    header.truncate(17);
    assert!(header.contains(&format!("'{CMD}")), "{header:?}");
    assert!(header.contains(&"'+1".to_string()), "{header:?}");
    let cells = xlsx_cells(&dir.path().join("cmp.xlsx"));
    let headers = cells
        .iter()
        .filter(|(_, c)| *c == format!("'{CMD}"))
        .count();
    assert!(headers >= 2, "{cells:?}");
}

#[test]
fn import_prowler_neutralises_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let export = root().join("tests/fixtures/import-prowler/iso_kubernetes.csv");
    let out = srmap(
        dir.path(),
        &[
            "import",
            "prowler",
            export.to_str().unwrap(),
            "--owner",
            CMD,
            "--location",
            "@SUM(1)",
            "--system=-1+1",
            "--framework",
            "iso27001-2022",
            "-o",
            "register.csv",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cells = csv_cells(&dir.path().join("register.csv"));
    assert!(cells.iter().all(|c| !live(c)), "{cells:?}");
    assert!(cells.contains(&format!("'{CMD}")), "{cells:?}");
}

/// The rows of each Markdown table: their count of cell separators (unescaped pipes).
fn pipes(line: &str) -> usize {
    let b = line.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
        .count()
}

#[test]
fn markdown_shows_input_text_never_markup() {
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path());
    let runs: Vec<Vec<&str>> = vec![
        commands()[0].0.clone(),
        commands()[1].0.clone(),
        commands()[2].0.clone(),
        commands()[4].0.clone(),
        commands()[5].0.clone(),
        commands()[6].0.clone(),
        commands()[8].0.clone(),
        commands()[9].0.clone(),
    ];
    for args in runs {
        let mut all = args.clone();
        all.extend(["--format", "md"]);
        let out = srmap(dir.path(), &all);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{all:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for tag in ["<script", "<img", "<b>"] {
            assert!(!text.contains(tag), "{all:?} passed {tag} through:\n{text}");
        }
        // Every row of a table has its header's count of cells.
        let mut want = None;
        for line in text.lines() {
            if !line.starts_with('|') {
                want = None;
                continue;
            }
            let n = pipes(line);
            match want {
                None => want = Some(n),
                Some(w) => assert_eq!(n, w, "{all:?}: {line}"),
            }
        }
    }
}

#[test]
fn a_cell_over_excels_limit_is_cut_and_year_0000_never_reaches_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("Long title {}", "x".repeat(40_000));
    fs::write(
        dir.path().join("evidence.csv"),
        format!(
            "control,system,evidence_id,title,kind,owner,effective_date,expires,status,location,notes\n\
             soc2-2017:CC1.1,,EV-1,{long},report,M. Chen,2026-01-15,,pending,https://x.example/a,\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("attestations.csv"),
        "provider,kind,offerings,period_start,period_end,expires,reference,notes\n\
         aws,soc2-type2,*,2025-10-01,2026-09-30,2027-09-30,A report,\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("year-zero.csv"),
        "provider,kind,offerings,period_start,period_end,expires,reference,notes\n\
         aws,soc2-type2,*,0000-01-01,0000-12-31,0001-01-01,An old report,\n",
    )
    .unwrap();
    let scope = root().join("samples/northwind/scope.toml");
    let scope = scope.to_str().unwrap();
    let gaps = |file: &'static str| {
        vec![
            "gaps",
            "--scope",
            scope,
            "--evidence",
            "evidence.csv",
            "--attestations",
            "attestations.csv",
            "--as-of",
            "2026-09-30",
            "-o",
            file,
        ]
    };
    let compare = vec![
        "compare",
        "--offering",
        "aws/ec2,aws/rds",
        "--framework",
        "soc2-2017",
        "--attestations",
        "attestations.csv",
        "--as-of",
        "2026-09-30",
        "-o",
        "compare.xlsx",
    ];
    for args in [gaps("gaps.xlsx"), gaps("gaps.json"), compare.clone()] {
        let out = srmap(dir.path(), &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let json = fs::read_to_string(dir.path().join("gaps.json")).unwrap();
    assert!(json.contains(&long), "JSON keeps the whole text");
    let cells = xlsx_cells(&dir.path().join("gaps.xlsx"));
    let cut: Vec<&(String, String)> = cells
        .iter()
        .filter(|(_, c)| c.starts_with("Long title") && c.contains("[cut: "))
        .collect();
    assert!(!cut.is_empty(), "no cut cell");
    for (sheet, c) in &cut {
        assert!(c.encode_utf16().count() <= 32_767, "{sheet}");
        assert!(
            cells
                .iter()
                .any(|(s, line)| s == sheet
                    && line.contains("held more than Excel's 32767 characters")),
            "{sheet} does not say cells were cut"
        );
    }
    assert!(
        !cells
            .iter()
            .any(|(_, c)| c.starts_with("Long title") && !c.contains("[cut: ")),
        "a long cell was not cut"
    );
    // Dates Excel cannot hold never get that far: the reader refuses them, and no workbook is
    // written (the workbook writer would write them as text).
    let mut refused = compare.clone();
    refused[6] = "year-zero.csv";
    refused[10] = "refused.xlsx";
    let out = srmap(dir.path(), &refused);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[bad-date]: year-zero.csv:2:"));
    assert!(!dir.path().join("refused.xlsx").exists());
}

//! `srmap diff` and `srmap compare` end to end, on built-in offerings and the sample scopes.

use std::path::PathBuf;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};

fn sample(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples/northwind")
        .join(rel)
        .display()
        .to_string()
}

fn ok(args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("srmap")
        .unwrap()
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

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&ok(&all)).unwrap()
}

#[test]
fn diff_json_contract_and_directions() {
    let rows = json(&[
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
    ]);
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        for k in ["framework", "control", "from_owner", "to_owner", "change"] {
            assert!(r[k].is_string(), "{k} in {r}");
        }
        assert_ne!(
            r["from_owner"], r["to_owner"],
            "only controls whose owner changes"
        );
        assert_ne!(
            r["change"], "taken-back-by-customer",
            "moving off premises hands duties over, never takes them back: {r}"
        );
    }
    // Facility entry: with the organisation's own premises in scope (PCI's default) the customer
    // keeps its offices and the data centre moves to AWS; for a system-only review it all moves.
    let physical = rows
        .iter()
        .find(|r| r["control"] == "9.2.1")
        .expect("9.2.1 moves");
    assert_eq!(physical["change"], "newly-shared");
    assert!(
        !physical["customer_may_stop"].as_str().unwrap().is_empty(),
        "says what the customer may stop doing"
    );
    let system_only = json(&[
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
        "--premises",
        "no",
    ]);
    let physical = system_only
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["control"] == "9.2.1")
        .expect("9.2.1 moves");
    assert_eq!(physical["change"], "handed-to-provider");
    let shared = rows.iter().find(|r| r["change"] == "newly-shared").unwrap();
    assert!(
        !shared["customer_must"].as_str().unwrap().is_empty(),
        "says what the customer must now do"
    );
    // The reverse move takes duties back.
    let back = json(&[
        "diff",
        "--from",
        "aws/rds",
        "--to",
        "onprem",
        "--framework",
        "pci-dss-4.0.1",
    ]);
    assert!(back
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["change"] == "taken-back-by-customer"));
}

#[test]
fn diff_names_the_attestations_and_agreements_the_target_needs() {
    let md = String::from_utf8(ok(&[
        "diff",
        "--from",
        "aws/ec2",
        "--to",
        "azure/app-service",
        "--framework",
        "hipaa-security",
        "--format",
        "md",
    ]))
    .unwrap();
    assert!(md.contains("## Summary"));
    assert!(
        md.contains("| azure | HIPAA Business Associate Agreement | agreement |"),
        "{md}"
    );
    assert!(md.contains("Microsoft HIPAA Business Associate Agreement"));
    let md = String::from_utf8(ok(&[
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--framework",
        "pci-dss-4.0.1",
        "--format",
        "md",
    ]))
    .unwrap();
    assert!(
        md.contains("| aws | PCI DSS Attestation of Compliance | report |"),
        "{md}"
    );
}

#[test]
fn diff_of_the_sample_scopes() {
    let rows = json(&[
        "diff",
        "--from-scope",
        &sample("scope.toml"),
        "--to-scope",
        &sample("target.toml"),
    ]);
    let rows = rows.as_array().unwrap();
    let systems: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["system"].as_str().unwrap()).collect();
    assert!(
        systems.contains("patient-portal"),
        "EC2 to Fargate moves OS duties"
    );
    // App Service + Azure SQL and Lambda + DynamoDB split the layers alike; what moves there
    // is decided by the services' facts (encryption, keys, logging), and each row says which.
    // Microsoft 365 and Google Workspace split the layers the same way too, but not their
    // defaults (MFA for new tenants).
    for r in rows
        .iter()
        .filter(|r| r["system"] == "payments" || r["system"] == "workplace")
    {
        assert!(
            r["layers"].as_str().unwrap().contains("fact"),
            "a row moves without a fact: {r}"
        );
    }
    assert!(
        !systems.contains("analytics"),
        "unchanged systems have no rows"
    );
    let malware = rows
        .iter()
        .find(|r| r["system"] == "patient-portal" && r["control"] == "164.308(a)(5)(ii)(B)")
        .expect("Fargate takes over the servers' anti-malware and patching");
    assert_eq!(malware["change"], "provider-takes-more");
    assert_eq!(malware["from_owner"], malware["to_owner"]);
    let md = String::from_utf8(ok(&[
        "diff",
        "--from-scope",
        &sample("scope.toml"),
        "--to-scope",
        &sample("target.toml"),
        "--format",
        "md",
    ]))
    .unwrap();
    assert!(md.contains("Systems only in the target: crm."), "{md}");
    // ... but the provider changes: the target needs AWS's reports and no longer Azure's.
    assert!(
        md.contains(
            "| payments | pci-dss-4.0.1 | aws | PCI DSS Attestation of Compliance | report |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| workplace | iso27001-2022 | google | ISO/IEC 27001 certificate | report |"),
        "{md}"
    );

    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("move.xlsx");
    ok(&[
        "diff",
        "--from-scope",
        &sample("scope.toml"),
        "--to-scope",
        &sample("target.toml"),
        "--as-of",
        "2026-09-30",
        "-o",
        x.to_str().unwrap(),
    ]);
    let mut wb: Xlsx<_> = calamine::open_workbook(&x).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Provider needs",
            "Facts that change",
            "Moves",
            "Changes"
        ]
    );
    // Every changed control is under at least one move, with what it asks of the customer.
    let moves = wb.worksheet_range("Moves").unwrap();
    let header: Vec<String> = moves
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "system", "scopes keep the system column");
    let ids = header.iter().position(|h| h == "control IDs").unwrap();
    for r in rows {
        let (sys, control) = (
            r["system"].as_str().unwrap(),
            r["control"].as_str().unwrap(),
        );
        assert!(
            moves
                .rows()
                .skip(1)
                .any(|m| m[0] == sys && m[ids].to_string().split(", ").any(|c| c == control)),
            "{sys} {control} is under no move"
        );
    }
    let facts = wb.worksheet_range("Facts that change").unwrap();
    assert!(
        facts.height() > 1,
        "EC2 to Fargate changes OS patching and host access"
    );
    let changes = wb.worksheet_range("Changes").unwrap();
    assert_eq!(changes.height() - 1, rows.len());
    let bytes = std::fs::read(&x).unwrap();
    ok(&[
        "diff",
        "--from-scope",
        &sample("scope.toml"),
        "--to-scope",
        &sample("target.toml"),
        "--as-of",
        "2026-09-30",
        "-o",
        x.to_str().unwrap(),
    ]);
    assert_eq!(bytes, std::fs::read(&x).unwrap(), "deterministic");
}

#[test]
fn diff_pdf_is_written_and_stable() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("move.pdf");
    let args = [
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
        "--as-of",
        "2026-09-30",
        "-o",
        p.to_str().unwrap(),
    ];
    ok(&args);
    let first = std::fs::read(&p).unwrap();
    assert!(first.starts_with(b"%PDF-"));
    ok(&args);
    assert_eq!(first, std::fs::read(&p).unwrap());
    if let Ok(o) = std::process::Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("Migration review"));
        assert!(text.contains("What the target needs from its providers"));
        assert!(text.contains("handed-to-provider"));
    } else {
        eprintln!("skipped: pdftotext is not installed");
    }
}

/// The example of issue 11: grouped by the move, at most 8 pages, every moved control listed.
#[test]
fn diff_pdf_of_the_example_groups_by_layer_and_lists_every_control() {
    let example = [
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
    ];
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("move.pdf");
    let mut args = example.to_vec();
    args.extend(["--as-of", "2026-09-30", "-o", p.to_str().unwrap()]);
    ok(&args);
    let pages = lopdf::Document::load(&p).unwrap().get_pages().len();
    assert!(pages <= 8, "{pages} pages (24 before grouping by layer)");
    let rows = json(&example);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 150);
    let Ok(o) = std::process::Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
    else {
        eprintln!("skipped: pdftotext is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout);
    let tokens: std::collections::BTreeSet<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    for r in rows {
        let id = r["control"].as_str().unwrap();
        assert!(tokens.contains(id), "{id} is not in the PDF whole");
    }
    assert!(text.contains("What moves, layer by layer"));
    // One sentence per move: the network layer's duties are said once, not once per control.
    assert_eq!(
        text.matches("Design VPCs and subnets").count(),
        1,
        "the network sentence is repeated"
    );
    assert!(
        !text.lines().any(|l| l.trim() == "System"),
        "no empty System column"
    );
    assert!(text.contains("Applicability not applied"), "says so");
}

#[test]
fn diff_takes_applicability_from_a_scope() {
    let example = [
        "diff",
        "--from",
        "onprem",
        "--to",
        "aws/ec2",
        "--to",
        "aws/rds",
        "--framework",
        "pci-dss-4.0.1",
    ];
    let all = json(&example);
    let appendix = |rows: &serde_json::Value| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let c = r["control"].as_str().unwrap();
                c.starts_with("A1.") || c.starts_with("A3.")
            })
            .count()
    };
    assert!(appendix(&all) > 0, "judged in full without a scope");
    let scope = sample("scope.toml");
    let mut args = example.to_vec();
    args.extend(["--scope", &scope]);
    let merchant = json(&args);
    assert_eq!(
        appendix(&merchant),
        0,
        "a merchant that is no multi-tenant provider and no designated entity"
    );
    assert!(merchant.as_array().unwrap().len() < all.as_array().unwrap().len());
    args.extend(["--format", "md"]);
    let md = String::from_utf8(ok(&args)).unwrap();
    assert!(md.contains("Applicability from"), "{md}");
    assert!(md.contains("entity = \"merchant\""), "{md}");
    // A system that does not exist is an error.
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(example)
        .args(["--scope", &scope, "--system", "nope", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Between scopes, each side is judged by its own settings: a target that becomes a
    // service provider takes on the requirements for service providers.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.toml");
    let text = std::fs::read_to_string(sample("target.toml"))
        .unwrap()
        .replace("entity = \"merchant\"", "entity = \"service-provider\"");
    std::fs::write(&target, text).unwrap();
    let rows = json(&[
        "diff",
        "--from-scope",
        &scope,
        "--to-scope",
        target.to_str().unwrap(),
    ]);
    let newly: Vec<&serde_json::Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["change"] == "newly-applicable")
        .collect();
    assert!(!newly.is_empty());
    for r in &newly {
        assert_eq!(r["system"], "payments");
        assert_eq!(r["from_owner"], "not-applicable");
        assert!(
            r["layers"]
                .as_str()
                .unwrap()
                .starts_with("applicability: now applies"),
            "{r}"
        );
    }
}

#[test]
fn diff_needs_a_from_and_a_to() {
    let out = Command::cargo_bin("srmap")
        .unwrap()
        .args(["diff", "--from", "onprem", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to"));
}

fn cell(r: &calamine::Range<Data>, row: usize, col: usize) -> String {
    r.get((row, col)).map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn compare_xlsx_has_a_summary_and_a_sheet_per_framework() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("databases.xlsx");
    let args = [
        "compare",
        "--offering",
        "aws/rds",
        "--offering",
        "azure/sql-database",
        "--offering",
        "gcp/cloud-sql",
        "--framework",
        "soc2-2017",
        "--framework",
        "iso27001-2022",
        "--as-of",
        "2026-09-30",
        "-o",
        x.to_str().unwrap(),
    ];
    ok(&args);
    let mut wb: Xlsx<_> = calamine::open_workbook(&x).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Charts",
            "Attestations",
            "Service facts",
            "Facts that differ",
            "soc2-2017",
            "iso27001-2022"
        ]
    );
    let soc2 = wb.worksheet_range("soc2-2017").unwrap();
    assert_eq!(soc2.height() - 1, 61);
    let header: Vec<String> = (0..6).map(|c| cell(&soc2, 0, c)).collect();
    assert_eq!(
        header,
        [
            "control",
            "title",
            "aws/rds",
            "azure/sql-database",
            "gcp/cloud-sql",
            "differs"
        ]
    );
    for row in 1..soc2.height() {
        for col in 2..5 {
            assert!(["customer", "shared", "provider", "not-applicable"]
                .contains(&cell(&soc2, row, col).as_str()));
        }
        assert!(["yes", "no"].contains(&cell(&soc2, row, 5).as_str()));
    }
    let iso = wb.worksheet_range("iso27001-2022").unwrap();
    assert_eq!(iso.height() - 1, 123);
    let summary = wb.worksheet_range("Summary").unwrap();
    let text: Vec<String> = summary
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text.iter().any(|t| t == "azure/sql-database"));
    let atts = wb.worksheet_range("Attestations").unwrap();
    assert_eq!(cell(&atts, 0, 5), "scope");
    assert_eq!(
        (1..=5).map(|c| cell(&atts, 1, c)).collect::<Vec<_>>(),
        [
            "aws",
            "SOC 2 Type II report",
            "published",
            "AWS SOC 2 Type II report (SOC 1/2/3 cycle: spring and fall reports)",
            "services not recorded: check it names aws/rds"
        ]
    );
    let bytes = std::fs::read(&x).unwrap();
    ok(&args);
    assert_eq!(bytes, std::fs::read(&x).unwrap(), "deterministic");
}

#[test]
fn compare_flags_rows_where_candidates_differ() {
    let all = json(&[
        "compare",
        "--offering",
        "aws/ec2",
        "--offering",
        "aws/lambda",
        "--framework",
        "pci-dss-4.0.1",
    ]);
    let rows = all["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 280);
    let differ = rows.iter().filter(|r| r["differs"] == true).count();
    assert!(differ > 0 && differ < 280);
    let only = json(&[
        "compare",
        "--offering",
        "aws/ec2",
        "--offering",
        "aws/lambda",
        "--framework",
        "pci-dss-4.0.1",
        "--differences",
    ]);
    assert_eq!(only["rows"].as_array().unwrap().len(), differ);
    // Patching is shared on both (AWS patches what it runs); the facts behind it differ.
    let patch = rows.iter().find(|r| r["control"] == "6.3.3").unwrap();
    assert_eq!(patch["owners"]["aws/ec2"], "shared");
    assert_eq!(patch["owners"]["aws/lambda"], "shared");
    assert_eq!(patch["differs"], true);
    assert_eq!(
        patch["differing_facts"],
        serde_json::json!(["os-patching", "engine-patching"])
    );
    let csv = String::from_utf8(ok(&[
        "compare",
        "--offering",
        "aws/ec2,aws/lambda",
        "--framework",
        "pci-dss-4.0.1",
        "--format",
        "csv",
    ]))
    .unwrap();
    assert!(csv.starts_with("framework,control,title,aws/ec2,aws/lambda,differs,"));
    assert_eq!(csv.lines().count(), 281);
}

#[test]
fn compare_the_systems_of_a_scope() {
    let v = json(&["compare", "--scope", &sample("scope.toml")]);
    assert_eq!(
        v["candidates"],
        serde_json::json!(["patient-portal", "payments", "analytics", "workplace"])
    );
    assert_eq!(
        v["frameworks"],
        serde_json::json!([
            "gdpr",
            "hipaa-security",
            "iso27001-2022",
            "pci-dss-4.0.1",
            "soc2-2017"
        ])
    );
}

/// The workbook's files (it is a zip): the chart XML.
fn zip_text(path: &std::path::Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut f, &mut text).unwrap();
    text
}

fn serial(d: &str) -> f64 {
    let d: jiff::civil::Date = d.parse().unwrap();
    let epoch = jiff::civil::date(1899, 12, 30);
    (d - epoch).get_days() as f64
}

#[test]
fn compare_xlsx_for_a_buyer_charts_attestations_and_service_facts() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("databases.xlsx");
    ok(&[
        "compare",
        "--offering",
        "aws/rds,azure/sql-database,gcp/cloud-sql",
        "--framework",
        "soc2-2017,iso27001-2022",
        "--attestations",
        &sample("attestations.csv"),
        "--as-of",
        "2026-09-30",
        "-o",
        x.to_str().unwrap(),
    ]);

    // Both charts count from zero; the share chart ends at 100 %. Series are the candidates
    // (named from their header cells), categories the frameworks or `framework: candidate`.
    let share = zip_text(&x, "xl/charts/chart1.xml");
    let val = &share[share.find("<c:valAx>").unwrap()..];
    assert!(
        val.contains(r#"<c:max val="100"/><c:min val="0"/>"#),
        "{val}"
    );
    assert!(share.contains("Charts!$B$"), "series name from a cell");
    for c in ["aws/rds", "azure/sql-database", "gcp/cloud-sql"] {
        assert!(share.contains(&format!("<c:v>{c}</c:v>")), "series {c}");
    }
    assert!(share.contains("<c:v>soc2-2017</c:v>") && share.contains("<c:v>iso27001-2022</c:v>"));
    let owners = zip_text(&x, "xl/charts/chart2.xml");
    let val = &owners[owners.find("<c:valAx>").unwrap()..];
    assert!(val.contains(r#"<c:min val="0"/>"#), "{val}");
    assert!(owners.contains("<c:v>iso27001-2022: azure/sql-database</c:v>"));

    let mut wb: Xlsx<_> = calamine::open_workbook(&x).unwrap();
    let charts = wb.worksheet_range("Charts").unwrap();
    let all: Vec<String> = charts
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(all.iter().any(|t| t == "soc2-2017: gcp/cloud-sql"));

    // Attestations: the register's copies with typed dates and the services they name.
    let atts = wb.worksheet_range("Attestations").unwrap();
    let header: Vec<String> = (0..12).map(|c| cell(&atts, 0, c)).collect();
    assert_eq!(
        header,
        [
            "candidate",
            "provider",
            "attestation",
            "source",
            "report",
            "scope",
            "period start",
            "period end",
            "issued",
            "expires",
            "where to get it",
            "note"
        ]
    );
    let find = |cand: &str, kind: &str| {
        (1..atts.height())
            .find(|&r| cell(&atts, r, 0) == cand && cell(&atts, r, 2) == kind)
            .unwrap_or_else(|| panic!("{cand} {kind}"))
    };
    let r = find("aws/rds", "SOC 2 Type II report");
    assert_eq!(cell(&atts, r, 3), "on file");
    assert_eq!(cell(&atts, r, 5), "covers aws/rds");
    for (col, date) in [(6, "2025-04-01"), (7, "2026-03-31"), (9, "2027-03-31")] {
        match atts.get((r, col)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), serial(date), "{date}"),
            other => panic!("column {col}: {other:?} is not a date"),
        }
    }
    let r = find("azure/sql-database", "SOC 2 Type II report");
    assert_eq!(cell(&atts, r, 5), "does not name azure/sql-database");
    let r = find("azure/sql-database", "PCI DSS Attestation of Compliance");
    assert_eq!(cell(&atts, r, 5), "covers azure/sql-database");
    let r = find("gcp/cloud-sql", "HIPAA Business Associate Agreement");
    assert_eq!(cell(&atts, r, 3), "published");
    assert_eq!(
        cell(&atts, r, 4),
        "Google Cloud Business Associate Agreement"
    );
    let links = wb.hyperlinks_by_sheet_name("Attestations").unwrap();
    assert!(links.iter().any(|l| l.range.start == (r as u32, 10)
        && l.target.as_deref() == Some("https://cloud.google.com/security/compliance/hipaa")));

    // Service facts: every feature a row, every candidate a column with its source linked.
    let facts = wb.worksheet_range("Service facts").unwrap();
    let header: Vec<String> = (0..9).map(|c| cell(&facts, 0, c)).collect();
    assert_eq!(
        header,
        [
            "feature",
            "controls",
            "differs",
            "aws/rds",
            "source: aws/rds",
            "azure/sql-database",
            "source: azure/sql-database",
            "gcp/cloud-sql",
            "source: gcp/cloud-sql"
        ]
    );
    let row = |name: &str| {
        (1..facts.height())
            .find(|&r| cell(&facts, r, 0) == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let at_rest = row("Encryption at rest");
    assert_eq!(
        [3, 5, 7].map(|c| cell(&facts, at_rest, c)),
        ["off (customer)", "on (provider)", "always-on (provider)"]
    );
    assert_eq!(cell(&facts, at_rest, 2), "yes");
    for name in [
        "Customer-managed keys",
        "Encryption in transit",
        "Public exposure",
        "Audit and activity logging",
        "Backups",
        "Operating system patching",
    ] {
        let r = row(name);
        for c in [3, 5, 7] {
            assert!(!cell(&facts, r, c).is_empty(), "{name} {c}");
        }
    }
    assert!(matches!(facts.get((at_rest, 1)), Some(Data::Float(_))));
    let links = wb.hyperlinks_by_sheet_name("Service facts").unwrap();
    let link = links
        .iter()
        .find(|l| l.range.start == (at_rest as u32, 4))
        .expect("a link on the source cell");
    assert_eq!(
        link.target.as_deref(),
        Some("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
    );
    assert_eq!(
        cell(&facts, at_rest, 4),
        "docs.aws.amazon.com/…/Overview.Encryption.html"
    );
    // The facts that differ are still there.
    let differ = wb.worksheet_range("Facts that differ").unwrap();
    assert!((1..differ.height()).any(|r| cell(&differ, r, 0) == "encryption-at-rest"));
}

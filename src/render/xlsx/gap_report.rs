//! The gap workbook: Summary (with a chart), Worklist, Owner map, Attestations, the Statement
//! of Applicability, and what became of every input row.

use std::io::{self, Write};

use rust_xlsxwriter::{Chart, ChartType, Color, Format, Worksheet, XlsxError};

use super::{new_workbook, party_color, severity_color, write_workbook, SheetWriter};
use crate::gaps::{Change, Finding, GapCode, GapReport, Readiness, Severity};
use crate::party::Party;

/// The gap workbook: Summary, Worklist, Owner map, Attestations, Statement of Applicability,
/// and the evidence and attestation rows.
pub fn gap_report(report: &GapReport, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(workbook(report), out)
}

fn workbook(report: &GapReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(
        &format!("Compliance gaps: {}", report.organization),
        report.as_of,
    )?;
    summary_sheet(wb.add_worksheet(), report)?;
    worklist_sheet(wb.add_worksheet(), report)?;
    owner_sheet(wb.add_worksheet(), report)?;
    attestation_sheet(wb.add_worksheet(), report)?;
    super::soa::statement_sheet(&mut wb, &report.applicability)?;
    rows_sheet(
        wb.add_worksheet(),
        "Evidence rows",
        &report.evidence_file,
        &report.evidence_rows,
    )?;
    rows_sheet(
        wb.add_worksheet(),
        "Attestation rows",
        &report.attestation_file,
        &report.attestation_rows,
    )?;
    wb.save_to_buffer()
}

fn summary_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), XlsxError> {
    let mut s = SheetWriter::new(ws, "Summary")?;
    let title = Format::new().set_bold().set_font_size(16);
    s.text(
        0,
        &format!("Compliance gaps: {}", r.organization),
        Some(&title),
    )?;
    s.next();
    for (k, v) in [
        (
            "Audit period",
            format!("{} to {}", r.period_start, r.period_end),
        ),
        ("As of", r.as_of.to_string()),
        ("Scope", r.scope_file.clone()),
        ("Evidence register", r.evidence_file.clone()),
        ("Attestations", r.attestation_file.clone()),
        ("Gaps", r.gaps().count().to_string()),
        ("Readiness", readiness_text(r)),
        (
            "Unassigned gaps",
            r.gaps()
                .filter(|f| f.assignee.as_deref() == Some(crate::gaps::finding::UNASSIGNED))
                .count()
                .to_string(),
        ),
        (
            "Overdue gaps",
            r.gaps()
                .filter(|f| f.due.is_some_and(|d| d < r.as_of))
                .count()
                .to_string(),
        ),
    ] {
        let b = s.bold.clone();
        s.text(0, k, Some(&b))?;
        s.text(1, &v, None)?;
        s.next();
    }
    if let Some(c) = r.change_counts() {
        for (k, v) in [
            ("Previous report", r.previous_file.clone()),
            ("New gaps", c.new.to_string()),
            ("Still open", c.open.to_string()),
            ("Resolved", c.resolved.to_string()),
        ] {
            let b = s.bold.clone();
            s.text(0, k, Some(&b))?;
            s.text(1, &v, None)?;
            s.next();
        }
    }
    s.next();
    s.header(&[
        "system",
        "framework",
        "controls",
        "customer",
        "shared",
        "provider",
        "high",
        "medium",
        "low",
        "controls with gaps",
        "customer + shared",
        "met",
        "readiness",
        "not applicable",
        "excluded",
    ])?;
    let percent = Format::new().set_num_format("0%");
    for sys in &r.systems {
        for fw in &sys.frameworks {
            let count = |p: Party| fw.controls.iter().filter(|c| c.owner == p).count() as f64;
            let sev = |sv: Severity| {
                r.findings
                    .iter()
                    .filter(|f| f.concerns(&sys.name, &fw.id) && f.severity() == sv)
                    .count() as f64
            };
            s.cell(0, &sys.name, None)?;
            s.cell(1, &fw.id, None)?;
            s.number(2, fw.controls.len() as f64)?;
            s.number(3, count(Party::Customer))?;
            s.number(4, count(Party::Shared))?;
            s.number(5, count(Party::Provider))?;
            s.number(6, sev(Severity::High))?;
            s.number(7, sev(Severity::Medium))?;
            s.number(8, sev(Severity::Low))?;
            s.number(
                9,
                fw.controls.iter().filter(|c| !c.gaps.is_empty()).count() as f64,
            )?;
            let ready = fw.readiness();
            s.number(10, ready.of as f64)?;
            s.number(11, ready.met as f64)?;
            s.ws.write_number_with_format(s.row, 12, ready.share(), &percent)?;
            let soa = r
                .applicability
                .summaries
                .iter()
                .find(|x| x.system == sys.name && x.framework == fw.id);
            s.number(13, soa.map_or(0, |x| x.not_applicable) as f64)?;
            s.number(14, soa.map_or(0, |x| x.excluded) as f64)?;
            s.next();
        }
    }
    s.next();
    s.ws.write_string_with_format(s.row, 0, "gap code", &s.header.clone())?;
    s.ws.write_string_with_format(s.row, 1, "findings", &s.header.clone())?;
    s.ws.write_string_with_format(s.row, 2, "meaning", &s.header.clone())?;
    s.ws.write_string_with_format(
        s.row,
        3,
        "severity (key / standard / supporting control)",
        &s.header.clone(),
    )?;
    s.next();
    let first = s.row;
    for code in GapCode::ALL {
        let n = r.findings.iter().filter(|f| f.code == code).count();
        s.cell(0, code.as_str(), Some(severity_color(code.severity())))?;
        s.number(1, n as f64)?;
        s.text(2, code.meaning(), None)?;
        s.text(
            3,
            &code.severities().map(Severity::as_str).join(" / "),
            None,
        )?;
        s.next();
    }
    let last = s.row - 1;
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name("Findings by gap code");
    chart.y_axis().set_reverse();
    chart.legend().set_hidden();
    chart
        .add_series()
        .set_categories(("Summary", first, 0, last, 0))
        .set_values(("Summary", first, 1, last, 1))
        .set_format(rust_xlsxwriter::ChartFormat::new().set_solid_fill(
            rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(0x2F5597)),
        ));
    chart.set_width(620).set_height(420);
    s.ws.insert_chart(last + 2, 0, &chart)?;
    s.finish(60.0)
}

/// `412 of 530 customer and shared controls met (77%)`.
fn readiness_text(r: &GapReport) -> String {
    let all: Vec<Readiness> = r
        .systems
        .iter()
        .flat_map(|s| &s.frameworks)
        .map(|f| f.readiness())
        .collect();
    let total = Readiness::total(&all);
    format!(
        "{} of {} customer and shared controls met ({})",
        total.met,
        total.of,
        total.percent()
    )
}

/// A finding's text field as a cell: `None` is empty.
fn text(field: &Option<String>) -> &str {
    field.as_deref().unwrap_or("")
}

/// The worklist, then (with `--previous`) the findings resolved since, greyed: one list to
/// filter by assignee, due date or change.
fn worklist_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), XlsxError> {
    let mut s = SheetWriter::new(ws, "Worklist")?;
    s.header(&[
        "#",
        "id",
        "severity",
        "code",
        "system",
        "framework",
        "control",
        "title",
        "party",
        "assignee",
        "due",
        "change",
        "offering",
        "detail",
        "action",
        "evidence_id",
        "reference",
        "since",
        "source",
        "weight",
    ])?;
    let done = Color::RGB(0xEDEDED);
    let rows: Vec<&Finding> = r.findings.iter().chain(&r.resolved).collect();
    for (i, f) in rows.into_iter().enumerate() {
        let resolved = f.change == Some(Change::Resolved);
        s.number(0, (i + 1) as f64)?;
        s.cell(1, &f.id, None)?;
        let sev = if resolved {
            done
        } else {
            severity_color(f.severity())
        };
        s.cell(2, f.severity().as_str(), Some(sev))?;
        s.cell(3, f.code.as_str(), None)?;
        s.cell(4, text(&f.system), None)?;
        s.cell(5, text(&f.framework), None)?;
        s.cell(6, text(&f.control), None)?;
        s.cell(7, text(&f.title), None)?;
        s.cell(
            8,
            f.party.map_or("", Party::as_str),
            f.party.map(party_color),
        )?;
        s.cell(9, text(&f.assignee), None)?;
        s.date_cell(10, f.due)?;
        let change = f.change.map_or("", Change::as_str);
        let fill = match f.change {
            Some(Change::New) => Some(Color::RGB(0xFFE699)),
            Some(Change::Resolved) => Some(Color::RGB(0xC6E0B4)),
            _ => None,
        };
        s.cell(11, change, fill)?;
        s.cell(12, text(&f.offering), None)?;
        s.cell(13, &f.detail, None)?;
        s.cell(14, &f.action, None)?;
        s.cell(15, text(&f.evidence_id), None)?;
        s.cell(16, text(&f.reference), None)?;
        s.date_cell(17, f.since)?;
        s.cell(18, text(&f.source), None)?;
        s.cell(19, f.weight.map_or("", |w| w.as_str()), None)?;
        s.next();
    }
    s.finish(55.0)
}

fn owner_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), XlsxError> {
    let mut s = SheetWriter::new(ws, "Owner map")?;
    s.header(&[
        "system",
        "framework",
        "control",
        "title",
        "owner",
        "by offering",
        "basis",
        "cadence",
        "evidence",
        "attested by",
        "gaps",
        "status",
        "weight",
    ])?;
    for sys in &r.systems {
        for fw in &sys.frameworks {
            for c in &fw.controls {
                s.cell(0, &sys.name, None)?;
                s.cell(1, &fw.id, None)?;
                s.cell(2, &c.id, None)?;
                s.cell(3, &c.title, None)?;
                s.cell(4, c.owner.as_str(), Some(party_color(c.owner)))?;
                let per: Vec<String> = c
                    .offerings
                    .iter()
                    .map(|(o, p)| format!("{o}: {p}"))
                    .collect();
                s.cell(5, &per.join("\n"), None)?;
                let basis: Vec<String> = c.basis.iter().map(|(o, b)| format!("{o}: {b}")).collect();
                s.cell(6, &basis.join("\n"), None)?;
                s.cell(7, c.cadence.as_str(), None)?;
                s.cell(8, &c.evidence.join(", "), None)?;
                s.cell(9, &c.attested_by.join("\n"), None)?;
                let gaps: Vec<&str> = c.gaps.iter().map(|g| g.as_str()).collect();
                s.cell(10, &gaps.join(", "), None)?;
                let status = if c.gaps.is_empty() { "ok" } else { "gap" };
                let fill = if c.gaps.is_empty() {
                    Color::RGB(0xC6E0B4)
                } else {
                    Color::RGB(0xF4B6B6)
                };
                s.cell(11, status, Some(fill))?;
                s.cell(12, c.weight.as_str(), None)?;
                let note = rust_xlsxwriter::Note::new(format!(
                    "Evidence expected: {}",
                    c.evidence_expected
                ))
                .set_author("srmap");
                s.ws.insert_note(s.row, 3, &note)?;
                s.next();
            }
        }
    }
    s.finish(50.0)
}

fn attestation_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), XlsxError> {
    let mut s = SheetWriter::new(ws, "Attestations")?;
    s.header(&[
        "system",
        "framework",
        "offering",
        "provider",
        "needs",
        "controls relying",
        "on file",
        "status",
        "detail",
    ])?;
    for sys in &r.systems {
        for fw in &sys.frameworks {
            for a in &fw.attestations {
                s.cell(0, &sys.name, None)?;
                s.cell(1, &fw.id, None)?;
                s.cell(2, &a.offering, None)?;
                s.cell(3, &a.provider, None)?;
                s.cell(4, &a.requirement, None)?;
                s.number(5, a.controls as f64)?;
                s.cell(6, &a.reference, None)?;
                match a.gap {
                    Some(g) => s.cell(7, g.as_str(), Some(severity_color(g.severity())))?,
                    None => s.cell(7, "ok", Some(Color::RGB(0xC6E0B4)))?,
                }
                s.cell(8, &a.detail, None)?;
                s.next();
            }
        }
    }
    s.finish(60.0)?;
    Ok(())
}

fn rows_sheet(
    ws: &mut Worksheet,
    name: &str,
    file: &str,
    rows: &[crate::gaps::RowOutcome],
) -> Result<(), XlsxError> {
    let mut s = SheetWriter::new(ws, name)?;
    s.header(&["file", "row", "id", "points at", "outcome"])?;
    for r in rows {
        s.cell(0, file, None)?;
        s.number(1, r.row as f64)?;
        s.cell(2, &r.id, None)?;
        s.cell(3, &r.what, None)?;
        s.cell(4, &r.outcome, None)?;
        s.next();
    }
    s.finish(70.0)
}

//! The gap workbook: Summary (the facts, and a chart on a page of its own), one table per
//! sheet after it (Systems, Gap codes, Worklist, Owner map, Attestations, the Statement of
//! Applicability), and what became of every input row.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use rust_xlsxwriter::{
    Chart, ChartType, Color, DataValidation, Format, FormatAlign, Worksheet, XlsxError,
};

use super::{new_workbook, party_color, severity_color, SheetWriter, WorkbookError};
use crate::gaps::finding::text;
use crate::gaps::{Change, Finding, GapCode, GapReport, Readiness, Severity};
use crate::party::Party;

/// The gap workbook: Summary, Systems, Gap codes, Worklist, Owner map, Attestations, Statement
/// of Applicability, and the evidence and attestation rows.
pub fn gap_report(report: &GapReport, out: &mut dyn Write) -> io::Result<()> {
    super::write_saved(|| workbook(report), out)
}

fn workbook(report: &GapReport) -> Result<rust_xlsxwriter::Workbook, WorkbookError> {
    let mut wb = new_workbook(
        &format!("Compliance gaps: {}", report.organization),
        report.as_of,
    )?;
    summary_sheet(wb.add_worksheet(), report)?;
    systems_sheet(wb.add_worksheet(), report)?;
    gap_code_sheet(wb.add_worksheet(), report)?;
    worklist_sheet(wb.add_worksheet(), report)?;
    owner_sheet(&mut wb, report)?;
    attestation_sheet(wb.add_worksheet(), report)?;
    super::soa::statement_sheet(&mut wb, &report.applicability)?;
    rows_sheet(
        &mut wb,
        "Evidence rows",
        &report.evidence_file,
        &report.evidence_rows,
        true,
    )?;
    rows_sheet(
        &mut wb,
        "Attestation rows",
        &report.attestation_file,
        &report.attestation_rows,
        false,
    )?;
    Ok(wb)
}

/// The sheet the findings-by-code chart reads from.
const GAP_CODES: &str = "Gap codes";

/// One value of the Summary: a count, a date, a share or text, written as its type.
enum Fact {
    Count(usize),
    Day(jiff::civil::Date),
    Share(f64),
    Text(String),
}

/// The Summary: the report's facts, label and value, on the first printed page, and the
/// findings-by-code chart on a page of its own. No table here (the tables have their own
/// sheets, each with its own filter), so nothing repeats over the chart when printed.
fn summary_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), WorkbookError> {
    let mut s = SheetWriter::new(ws, "Summary")?;
    // A fixed scale, not fit-to-page: spreadsheet programs ignore manual page breaks when
    // fitting, and the chart must start a page.
    s.ws.set_print_scale(100);
    let title = Format::new().set_bold().set_font_size(16);
    s.text(
        0,
        &format!("Compliance gaps: {}", r.organization),
        Some(&title),
    )?;
    s.next_row()?;
    let all: Vec<Readiness> = r
        .systems
        .iter()
        .flat_map(|s| &s.frameworks)
        .map(|f| f.readiness())
        .collect();
    let total = Readiness::total(&all);
    let mut facts = vec![
        ("Audit period start", Fact::Day(r.period_start)),
        ("Audit period end", Fact::Day(r.period_end)),
        ("As of", Fact::Day(r.as_of)),
        ("Scope", Fact::Text(r.scope_file.clone())),
        ("Evidence register", Fact::Text(r.evidence_file.clone())),
        ("Attestations", Fact::Text(r.attestation_file.clone())),
        ("Gaps", Fact::Count(r.gaps().count())),
    ];
    for sev in [Severity::High, Severity::Medium, Severity::Low] {
        let label = match sev {
            Severity::High => "High-severity gaps",
            Severity::Medium => "Medium-severity gaps",
            _ => "Low-severity gaps",
        };
        facts.push((
            label,
            Fact::Count(r.gaps().filter(|f| f.severity() == sev).count()),
        ));
    }
    facts.extend([
        ("Customer and shared controls", Fact::Count(total.of)),
        ("Controls met", Fact::Count(total.met)),
        ("Readiness", Fact::Share(total.share())),
        (
            "Unassigned gaps",
            Fact::Count(
                r.gaps()
                    .filter(|f| f.assignee.as_deref() == Some(crate::gaps::finding::UNASSIGNED))
                    .count(),
            ),
        ),
        (
            "Overdue gaps",
            Fact::Count(
                r.gaps()
                    .filter(|f| f.due.is_some_and(|d| d < r.as_of))
                    .count(),
            ),
        ),
    ]);
    if let Some(c) = r.change_counts() {
        facts.extend([
            ("Previous report", Fact::Text(r.previous_file.clone())),
            ("New gaps", Fact::Count(c.new)),
            ("Still open", Fact::Count(c.open)),
            ("Resolved", Fact::Count(c.resolved)),
        ]);
    }
    let bold = s.bold.clone();
    let percent = Format::new()
        .set_num_format("0.0%")
        .set_align(FormatAlign::Left);
    let count = Format::new().set_align(FormatAlign::Left);
    let day = s.date.clone().set_align(FormatAlign::Left);
    for (k, v) in facts {
        s.text(0, k, Some(&bold))?;
        match v {
            Fact::Count(n) => {
                s.ws.write_number_with_format(s.row, 1, n as f64, &count)?;
            }
            // A date Excel cannot hold is written as its text.
            Fact::Day(d) => match super::excel_date(d) {
                Some(x) => {
                    s.ws.write_datetime_with_format(s.row, 1, x, &day)?;
                }
                None => s.cell(1, &d.to_string(), None)?,
            },
            Fact::Share(x) => {
                s.ws.write_number_with_format(s.row, 1, x, &percent)?;
            }
            Fact::Text(t) => s.cell(1, &t, None)?,
        }
        s.next_row()?;
    }
    s.next_row()?;
    s.text(0, "Sheets", Some(&bold))?;
    s.next_row()?;
    for (sheet, what) in [
        (
            "Systems",
            "per system and framework: owners, gaps, readiness",
        ),
        (
            GAP_CODES,
            "findings by gap code (the chart on the next page)",
        ),
        (
            "Worklist",
            "every finding, with status and notes for the team",
        ),
    ] {
        s.ws.write_url_with_format(
            s.row,
            0,
            rust_xlsxwriter::Url::new(format!("internal:'{sheet}'!A1")).set_text(sheet),
            &s.link_format.clone(),
        )?;
        s.cell(1, what, None)?;
        s.next_row()?;
    }
    // The chart starts the second printed page and fits on it.
    let chart_row = s.row + 1;
    s.ws.set_page_breaks(&[chart_row])?;
    let (first, last) = (1, GapCode::ALL.len() as u32);
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name("Findings by gap code");
    chart.y_axis().set_reverse();
    chart.x_axis().set_min(0.0);
    chart.legend().set_hidden();
    chart
        .add_series()
        .set_name("findings")
        .set_categories((GAP_CODES, first, 0, last, 0))
        .set_values((GAP_CODES, first, 1, last, 1))
        .set_format(rust_xlsxwriter::ChartFormat::new().set_solid_fill(
            rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(0x2F5597)),
        ));
    // Narrower than the printed page, so it fits even where the columns print wider.
    chart.set_width(600).set_height(440);
    s.ws.insert_chart_with_offset(chart_row, 0, &chart, 0, 10)?;
    s.reserve(0, 30.0);
    s.reserve(1, 30.0);
    s.finish(60.0)
}

/// One row per system and framework: owners, gaps by severity, readiness, applicability.
fn systems_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), WorkbookError> {
    let mut s = SheetWriter::new(ws, "Systems")?;
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
    let percent = Format::new()
        .set_num_format("0%")
        .set_align(FormatAlign::Top);
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
            s.next_row()?;
        }
    }
    s.finish(40.0)
}

/// Every gap code with its count of findings, its meaning and its severities: the chart's data.
fn gap_code_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), WorkbookError> {
    let mut s = SheetWriter::new(ws, GAP_CODES)?;
    s.header(&[
        "gap code",
        "findings",
        "meaning",
        "severity (key / standard / supporting control)",
    ])?;
    for code in GapCode::ALL {
        let n = r.findings.iter().filter(|f| f.code == code).count();
        s.cell(0, code.as_str(), Some(severity_color(code.severity())))?;
        s.number(1, n as f64)?;
        s.cell(2, code.meaning(), None)?;
        s.cell(
            3,
            &code.severities().map(Severity::as_str).join(" / "),
            None,
        )?;
        s.next_row()?;
    }
    s.finish(70.0)
}

/// A finding's text field as a cell: `None` is empty.
/// The statuses a team tracks a finding through (the Worklist's `status` dropdown).
pub const STATUSES: [&str; 4] = ["open", "in progress", "done", "accepted risk"];

/// The worklist, then (with `--previous`) the findings resolved since, greyed: one list to
/// filter by assignee, due date or change, with `status` (a dropdown) and `notes` left empty
/// for the team, and each evidence row's location linked.
fn worklist_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), WorkbookError> {
    let locations = evidence_locations(r)?;
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
        "status",
        "notes",
        "change",
        "offering",
        "detail",
        "action",
        "evidence_id",
        "location",
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
        // 11 status and 12 notes: the team's.
        let change = f.change.map_or("", Change::as_str);
        let fill = match f.change {
            Some(Change::New) => Some(Color::RGB(0xFFE699)),
            Some(Change::Resolved) => Some(Color::RGB(0xC6E0B4)),
            _ => None,
        };
        s.cell(13, change, fill)?;
        s.cell(14, text(&f.offering), None)?;
        s.cell(15, &f.detail, None)?;
        s.cell(16, &f.action, None)?;
        s.cell(17, text(&f.evidence_id), None)?;
        let location = f
            .source
            .as_deref()
            .and_then(|src| locations.get(src))
            .map_or("", |l| &**l);
        s.link(18, location, None)?;
        s.link(19, text(&f.reference), None)?;
        s.date_cell(20, f.since)?;
        s.cell(21, text(&f.source), None)?;
        s.cell(22, f.weight.map_or("", |w| w.as_str()), None)?;
        s.next_row()?;
    }
    let last = s.row.saturating_sub(1).max(1);
    let status = DataValidation::new()
        .allow_list_strings(&STATUSES)?
        .set_error_title("Status")?
        .set_error_message(format!("Pick one of: {}.", STATUSES.join(", ")))?;
    s.ws.add_data_validation(1, 11, last, 11, &status)?;
    s.reserve(11, 15.0);
    s.reserve(12, 40.0);
    s.finish(55.0)
}

/// The location of each evidence row a finding names, by the finding's `source` (`file:row`):
/// only those rows' (a register of a million rows has a million locations).
fn evidence_locations(r: &GapReport) -> Result<HashMap<String, Box<str>>, WorkbookError> {
    let named: HashSet<&str> = r
        .findings
        .iter()
        .filter_map(|f| f.source.as_deref())
        .collect();
    let mut out = HashMap::new();
    if named.is_empty() {
        return Ok(out);
    }
    for e in r.evidence_rows.iter() {
        let e = e.map_err(XlsxError::IoError)?;
        if e.location.is_empty() {
            continue;
        }
        let source = format!("{}:{}", r.evidence_file, e.row);
        if named.contains(source.as_str()) {
            out.insert(source, e.location);
        }
    }
    Ok(out)
}

fn owner_sheet(wb: &mut rust_xlsxwriter::Workbook, r: &GapReport) -> Result<(), WorkbookError> {
    streamed_sheet(wb, "Owner map", 50.0, |s| {
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
            "evidence expected",
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
                    let basis: Vec<String> =
                        c.basis.iter().map(|(o, b)| format!("{o}: {b}")).collect();
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
                    // A column, not a note on the title as before: a hundred systems' owner maps
                    // held 140,000 notes (300 MB while the workbook was written); a column can
                    // be filtered and printed.
                    s.cell(13, &c.evidence_expected, None)?;
                    s.next_row()?;
                }
            }
        }
        Ok(())
    })
}

fn attestation_sheet(ws: &mut Worksheet, r: &GapReport) -> Result<(), WorkbookError> {
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
        "provider portal",
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
                s.link(6, &a.reference, None)?;
                match a.gap {
                    Some(g) => s.cell(7, g.as_str(), Some(severity_color(g.severity())))?,
                    None => s.cell(7, "ok", Some(Color::RGB(0xC6E0B4)))?,
                }
                s.cell(8, &a.detail, None)?;
                s.link(9, &a.portal, None)?;
                s.next_row()?;
            }
        }
    }
    s.finish(60.0)?;
    Ok(())
}

/// What became of every input row; the evidence rows with their location, linked. One row a
/// register row: a million-row register's sheet would hold millions of cells, so the rows are
/// gone through twice, first to measure the columns, then written to a low-memory sheet (each
/// row to a temporary file as it ends).
fn rows_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    name: &str,
    file: &str,
    rows: &crate::gaps::RowOutcomes,
    with_location: bool,
) -> Result<(), WorkbookError> {
    streamed_sheet(wb, name, 70.0, |s| {
        let mut header = vec!["file", "row", "id", "points at", "outcome"];
        if with_location {
            header.push("location");
        }
        s.header(&header)?;
        for r in rows.iter() {
            let r = r.map_err(XlsxError::IoError)?;
            s.about(format!("{file} row {}", r.row));
            s.cell(0, file, None)?;
            s.number(1, r.row as f64)?;
            s.link(2, &r.id, None)?;
            s.cell(3, &r.what, None)?;
            s.cell(4, &r.outcome, None)?;
            if with_location {
                s.link(5, &r.location, None)?;
            }
            s.next_row()?;
        }
        Ok(())
    })
}

/// A sheet of as many rows as the register or the scope has: `fill` goes through it twice,
/// first to measure the columns, then to write it to a constant-memory sheet (each row to a
/// temporary file as it ends, its text inline), so that a sheet of a million cells is never
/// held. Columns are at most `max_width` wide.
fn streamed_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    name: &str,
    max_width: f64,
    fill: impl Fn(&mut SheetWriter<'_>) -> Result<(), WorkbookError>,
) -> Result<(), WorkbookError> {
    let mut scratch = Worksheet::new();
    let mut measure = SheetWriter::measuring(&mut scratch, name)?;
    fill(&mut measure)?;
    let widths = measure.widths(max_width);
    let mut s = SheetWriter::streamed(wb.add_worksheet_with_constant_memory()?, name, widths)?;
    fill(&mut s)?;
    s.finish(max_width)
}

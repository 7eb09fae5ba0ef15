//! Template workbooks: the PBC request list and an empty, documented evidence register.

use std::io::{self, Write};

use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, Note};

use super::{new_workbook, party_color, write_workbook, SheetWriter, WorkbookError};
use crate::input::evidence::{Status, COLUMNS};
use crate::output::neutralize;
use crate::party::Party;
use crate::pbc::{PbcList, RequestKind, SAMPLE_SIZES};

/// Rows the register template prepares (formats and drop-downs).
const BLANK_ROWS: u32 = 2000;

/// The PBC request list workbook: the Requests sheet (one row per request, with status
/// drop-downs and room for the answer), the Controls sheet (every control with the requests
/// that serve it and its full duty), and an About sheet (the period, the counts, how IDs and
/// samples are chosen); `date` stamps its properties. Every sheet prints landscape, fitted to
/// the page width, with its header repeated.
pub fn pbc_list(list: &PbcList, date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(pbc_workbook(list, date), out)
}

/// The Requests sheet's columns and their widths.
const REQUEST_COLUMNS: [(&str, f64); 12] = [
    ("ID", 21.0),
    ("kind", 11.0),
    ("request", 54.0),
    ("controls served", 30.0),
    ("systems (owner)", 25.0),
    ("cadence", 10.0),
    ("period / dated from", 13.0),
    ("sample", 8.0),
    ("assignee", 17.0),
    ("due", 11.0),
    ("status", 11.0),
    ("where the evidence is / notes", 24.0),
];

/// The Controls sheet's columns and their widths.
const CONTROL_COLUMNS: [(&str, f64); 9] = [
    ("framework", 13.0),
    ("control", 12.0),
    ("title", 32.0),
    ("requests", 14.0),
    ("systems (owner)", 25.0),
    ("cadence", 10.0),
    ("evidence expected", 40.0),
    ("what the customer does", 45.0),
    ("what each service adds", 45.0),
];

fn kind_fill(kind: RequestKind) -> Option<Color> {
    match kind {
        RequestKind::Evidence => None,
        RequestKind::Population | RequestKind::Sample => Some(Color::RGB(0xDDEBF7)),
        RequestKind::Attestation | RequestKind::BridgeLetter => Some(party_color(Party::Provider)),
    }
}

fn pbc_workbook(list: &PbcList, date: jiff::civil::Date) -> Result<Vec<u8>, WorkbookError> {
    let rows = &list.requests;
    let mut wb = new_workbook(&format!("PBC request list: {}", list.organization), date)?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Requests")?;
        // Excel keeps a page header of at most 255 characters: a long name is cut (never
        // between the two `&` of an escaped one).
        let mut organization: String = list
            .organization
            .replace('&', "&&")
            .chars()
            .take(180)
            .collect();
        if organization.chars().rev().take_while(|c| *c == '&').count() % 2 == 1 {
            organization.pop();
        }
        s.ws.set_header(format!(
            "&LPBC request list: {}&R{} to {}",
            organization, list.period_start, list.period_end
        ));
        let names: Vec<&str> = REQUEST_COLUMNS.iter().map(|c| c.0).collect();
        s.header(&names)?;
        let first = s.row;
        let centred = s.num.clone().set_align(FormatAlign::Center);
        for r in rows {
            s.cell(0, &r.id, None)?;
            s.cell(1, r.kind.as_str(), kind_fill(r.kind))?;
            s.titled(2, &r.title, &r.request)?;
            s.cell(3, &r.controls_cell(), None)?;
            let fill = if r.systems.iter().all(|x| x.ends_with("(customer)")) {
                Party::Customer
            } else if r.kind == RequestKind::Attestation || r.kind == RequestKind::BridgeLetter {
                Party::Provider
            } else {
                Party::Shared
            };
            s.cell(4, &r.systems.join("\n"), Some(party_color(fill)))?;
            s.cell(
                5,
                &r.cadence.map(|c| c.to_string()).unwrap_or_default(),
                None,
            )?;
            let when = match (r.period_start, r.period_end, r.dated_from) {
                (Some(a), Some(b), _) => format!("{a} to\n{b}"),
                (_, _, Some(d)) => format!("from {d}"),
                _ => String::new(),
            };
            s.cell(6, &when, None)?;
            if let Some(n) = r.sample_size {
                s.ws.write_number_with_format(s.row, 7, f64::from(n), &centred)?;
            }
            s.cell(8, &r.assignee, None)?;
            s.date_cell(9, Some(r.due))?;
            s.next_row()?;
        }
        if s.row > first {
            let status = DataValidation::new()
                .allow_list_strings(&[
                    "open",
                    "requested",
                    "received",
                    "approved",
                    "not applicable",
                ])?
                .set_input_message("Where the request stands.")?;
            s.ws.add_data_validation(first, 10, s.row - 1, 10, &status)?;
        }
        for (i, (_, w)) in REQUEST_COLUMNS.iter().enumerate() {
            s.set_width(i as u16, *w);
        }
        s.finish(60.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Controls")?;
        let names: Vec<&str> = CONTROL_COLUMNS.iter().map(|c| c.0).collect();
        s.header(&names)?;
        for c in &list.controls {
            s.cell(0, &c.framework, None)?;
            s.cell(1, &c.control, None)?;
            s.cell(2, &c.title, None)?;
            s.cell(3, &c.requests.join("\n"), None)?;
            let fill = if c.systems.iter().all(|x| x.ends_with("(customer)")) {
                Party::Customer
            } else {
                Party::Shared
            };
            s.cell(4, &c.systems.join("\n"), Some(party_color(fill)))?;
            s.cell(5, c.cadence.as_str(), None)?;
            s.cell(6, &c.evidence, None)?;
            s.cell(7, &c.customer_duty, None)?;
            s.cell(8, &c.service_notes.join("\n"), None)?;
            s.next_row()?;
        }
        for (i, (_, w)) in CONTROL_COLUMNS.iter().enumerate() {
            s.set_width(i as u16, *w);
        }
        s.finish(60.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "About")?;
        s.ws.set_portrait();
        // Text spans the five columns the sample table uses.
        let widths = [16.0, 12.0, 12.0, 12.0, 40.0];
        let span: f64 = widths.iter().sum();
        let wrap = s.wrap.clone();
        let line =
            |s: &mut SheetWriter<'_>, text: &str, format: &Format| -> Result<(), WorkbookError> {
                s.ws.merge_range(s.row, 0, s.row, 4, &neutralize(text), format)?;
                let lines = (text.chars().count() as f64 / (span * 1.1)).ceil().max(1.0);
                if lines > 1.0 {
                    s.ws.set_row_height(s.row, 15.0 * lines)?;
                }
                s.next_row()?;
                Ok(())
            };
        let title = Format::new().set_bold().set_font_size(14);
        line(
            &mut s,
            &format!("PBC request list: {}", list.organization),
            &title,
        )?;
        let counts = list
            .counts()
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut lines = vec![
            format!("Audit period: {} to {}.", list.period_start, list.period_end),
            format!(
                "{} requests ({counts}) for the {} controls the organisation owns or shares on its systems, across {}.",
                rows.len(),
                list.controls.len(),
                list.frameworks.join(", ")
            ),
            "Each evidence request asks for one artefact once, for every control and system it serves. The Controls sheet lists each control with the requests that serve it and the customer's full duty.".to_string(),
            "IDs: PBC-, the topic and the artefact's number in srmap's catalog (PBC-IAM-004), so a request keeps its ID whatever else the list holds; -P and -S mark its population and sample. Provider requests are PBC-VEN-<provider>-<kind>, with -BL for a bridge letter. A control outside the catalog gets PBC-<topic>-X and four hex digits made from its topic and expected evidence.".to_string(),
            "Evidence must be dated on or after the date shown to count as current at the end of the period. A recurring control is also asked for as a population (every occurrence in the period) and a sample the auditor picks from it, sized by how often the control runs and the weight of the heaviest control served, never more than the occurrences the period holds:".to_string(),
        ];
        if !list.attestation_file.is_empty() {
            lines.insert(
                2,
                format!(
                    "Provider requests follow up the attestation register {}.",
                    list.attestation_file
                ),
            );
        }
        for text in &lines {
            line(&mut s, text, &wrap)?;
        }
        let bold = s.bold.clone();
        for (i, h) in ["cadence", "supporting", "standard", "key"]
            .iter()
            .enumerate()
        {
            s.text(i as u16, h, Some(&bold))?;
        }
        s.next_row()?;
        for (cadence, sizes) in SAMPLE_SIZES {
            s.text(0, cadence.as_str(), None)?;
            for (i, n) in sizes.iter().enumerate() {
                s.number(i as u16 + 1, f64::from(*n))?;
            }
            s.next_row()?;
        }
        s.next_row()?;
        line(
            &mut s,
            "When evidence arrives, record it in the evidence register (srmap template evidence) and run srmap gaps.",
            &wrap,
        )?;
        for (i, w) in widths.iter().enumerate() {
            s.ws.set_column_width(i as u16, *w)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// The empty evidence register: the columns with notes, date and status validation, and an
/// Instructions sheet; `date` stamps its properties.
pub fn evidence_template(date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(evidence_workbook(date), out)
}

fn evidence_workbook(date: jiff::civil::Date) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = new_workbook("Evidence register", date)?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Register")?;
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        s.header(&names)?;
        for (i, (_, required, meaning, example)) in COLUMNS.iter().enumerate() {
            let text = format!(
                "{}{meaning}{}",
                if *required {
                    "Required. "
                } else {
                    "Optional. "
                },
                if example.is_empty() {
                    String::new()
                } else {
                    format!(" Example: {example}")
                }
            );
            s.ws.insert_note(
                0,
                i as u16,
                &Note::new(super::note_text(&text)).set_author("srmap"),
            )?;
            s.ws.set_column_width(i as u16, 18)?;
        }
        let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
        for name in ["effective_date", "expires"] {
            if let Some(col) = COLUMNS.iter().position(|c| c.0 == name) {
                s.ws.set_column_format(col as u16, &date_fmt)?;
                let dv = DataValidation::new()
                    .allow_date(rust_xlsxwriter::DataValidationRule::GreaterThan(
                        rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 1, 1)?,
                    ))
                    .set_error_message("Enter a date (YYYY-MM-DD).")?;
                s.ws.add_data_validation(1, col as u16, BLANK_ROWS, col as u16, &dv)?;
            }
        }
        if let Some(col) = COLUMNS.iter().position(|c| c.0 == "status") {
            let statuses: Vec<&str> = Status::ALL.iter().map(|st| st.as_str()).collect();
            let dv = DataValidation::new()
                .allow_list_strings(&statuses)?
                .set_input_message(Status::listed())?;
            s.ws.add_data_validation(1, col as u16, BLANK_ROWS, col as u16, &dv)?;
        }
        s.ws.set_freeze_panes(1, 0)?;
        s.ws.autofilter(0, 0, 0, COLUMNS.len() as u16 - 1)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Instructions")?;
        s.header(&["column", "required", "what it holds", "example"])?;
        for (name, required, meaning, example) in COLUMNS {
            s.cell(0, name, None)?;
            s.cell(1, if required { "yes" } else { "no" }, None)?;
            s.cell(2, meaning, None)?;
            s.cell(3, example, None)?;
            s.next_row()?;
        }
        s.next_row()?;
        for line in [
            "One row per artefact and control; the same artefact may serve several controls (one row each).",
            "Evidence counts for a control when it is approved and not expired at the as-of date. An annual or on-event control needs evidence current at the period end; a recurring one (quarterly, monthly, daily...) needs a row dated in every quarter or month of the period.",
            "Run: srmap gaps --scope scope.toml --evidence this-file.xlsx --attestations attestations.csv -o gaps.pdf",
        ] {
            s.cell(0, line, None)?;
            s.next_row()?;
        }
        s.finish(90.0)?;
    }
    Ok(wb.save_to_buffer()?)
}

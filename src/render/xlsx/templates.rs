//! Template workbooks: the PBC request list and an empty, documented evidence register.

use std::io::{self, Write};

use rust_xlsxwriter::{DataValidation, Format, Note, XlsxError};

use super::{new_workbook, party_color, write_workbook, SheetWriter};
use crate::input::evidence::{Status, COLUMNS};
use crate::party::Party;
use crate::pbc::PbcList;

/// Rows the register template prepares (formats and drop-downs).
const BLANK_ROWS: u32 = 2000;

/// The PBC request list workbook: the requests, with status drop-downs, and an About sheet;
/// `date` stamps its properties.
pub fn pbc_list(list: &PbcList, date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(pbc_workbook(list, date), out)
}

fn pbc_workbook(list: &PbcList, date: jiff::civil::Date) -> Result<Vec<u8>, XlsxError> {
    let rows = &list.requests;
    let mut wb = new_workbook(&format!("PBC request list: {}", list.organization), date)?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Requests")?;
        s.header(&[
            "#",
            "framework",
            "control",
            "title",
            "systems (owner)",
            "evidence to provide",
            "cadence",
            "dated on or after",
            "what the customer does",
            "assignee",
            "due",
            "status",
            "evidence_id",
            "location",
            "notes",
        ])?;
        let first = s.row;
        for r in rows {
            s.number(0, r.request as f64)?;
            s.cell(1, &r.framework, None)?;
            s.cell(2, &r.control, None)?;
            s.cell(3, &r.title, None)?;
            let fill = if r.systems.iter().all(|x| x.ends_with("(customer)")) {
                Party::Customer
            } else {
                Party::Shared
            };
            s.cell(4, &r.systems.join("\n"), Some(party_color(fill)))?;
            s.cell(5, &r.evidence, None)?;
            s.cell(6, r.cadence.as_str(), None)?;
            s.date_cell(7, Some(r.dated_from))?;
            s.cell(8, &r.customer_duty, None)?;
            s.next();
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
            s.ws.add_data_validation(first, 11, s.row - 1, 11, &status)?;
        }
        s.finish(60.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "About")?;
        let title = Format::new().set_bold().set_font_size(14);
        s.text(
            0,
            &format!("PBC request list: {}", list.organization),
            Some(&title),
        )?;
        s.next();
        for line in [
            format!("Audit period: {} to {}.", list.period_start, list.period_end),
            format!("{} requests: every control the organisation owns or shares on its systems, across {}.", rows.len(), list.frameworks.join(", ")),
            "Evidence must be dated on or after the date shown to count as current at the end of the period.".to_string(),
            "When evidence arrives, record it in the evidence register (srmap template evidence) and run srmap gaps.".to_string(),
        ] {
            s.cell(0, &line, None)?;
            s.next();
        }
        s.finish(120.0)?;
    }
    wb.save_to_buffer()
}

/// The empty evidence register: the columns with notes, date and status validation, and an
/// Instructions sheet; `date` stamps its properties.
pub fn evidence_template(date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(evidence_workbook(date), out)
}

fn evidence_workbook(date: jiff::civil::Date) -> Result<Vec<u8>, XlsxError> {
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
            s.ws.insert_note(0, i as u16, &Note::new(text).set_author("srmap"))?;
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
            s.next();
        }
        s.next();
        for line in [
            "One row per artefact and control; the same artefact may serve several controls (one row each).",
            "Evidence counts for a control when it is approved and not expired at the as-of date. An annual or on-event control needs evidence current at the period end; a recurring one (quarterly, monthly, daily...) needs a row dated in every quarter or month of the period.",
            "Run: srmap gaps --scope scope.toml --evidence this-file.xlsx --attestations attestations.csv -o gaps.pdf",
        ] {
            s.cell(0, line, None)?;
            s.next();
        }
        s.finish(90.0)?;
    }
    wb.save_to_buffer()
}

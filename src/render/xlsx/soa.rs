//! The Statement of Applicability in a workbook: its own (`srmap soa`), and the sheet the gap
//! workbook carries.

use std::io::{self, Write};

use rust_xlsxwriter::{Color, Format, Workbook};

use super::{new_workbook, write_workbook, SheetWriter, WorkbookError};
use crate::soa::StatementOfApplicability;

/// The fill of a status cell: applicable (green), not applicable (grey), excluded (amber).
pub fn status_color(status: &str) -> Color {
    match status {
        "applicable" => Color::RGB(0xC6E0B4),
        "excluded" => Color::RGB(0xFFE699),
        _ => Color::RGB(0xE7E6E6),
    }
}

/// The standalone workbook: Summary (per system and framework, with the settings in force)
/// and the statement, every control with its status and reason.
pub fn soa(
    statement: &StatementOfApplicability,
    date: jiff::civil::Date,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_workbook(workbook(statement, date), out)
}

fn workbook(
    st: &StatementOfApplicability,
    date: jiff::civil::Date,
) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = new_workbook(
        &format!("Statement of Applicability: {}", st.organization),
        date,
    )?;
    summary_sheet(&mut wb, st)?;
    statement_sheet(&mut wb, st)?;
    Ok(wb.save_to_buffer()?)
}

fn summary_sheet(wb: &mut Workbook, st: &StatementOfApplicability) -> Result<(), WorkbookError> {
    let mut s = SheetWriter::new(wb.add_worksheet(), "Summary")?;
    let title = Format::new().set_bold().set_font_size(16);
    s.text(
        0,
        &format!("Statement of Applicability: {}", st.organization),
        Some(&title),
    )?;
    s.next_row()?;
    let bold = s.bold.clone();
    for (k, v) in [
        (
            "Audit period",
            format!("{} to {}", st.period_start, st.period_end),
        ),
        ("Scope", st.scope_file.clone()),
    ] {
        s.text(0, k, Some(&bold))?;
        s.text(1, &v, None)?;
        s.next_row()?;
    }
    s.next_row()?;
    s.header(&[
        "system",
        "framework",
        "name",
        "applicability settings",
        "applicable",
        "not applicable",
        "excluded",
    ])?;
    for x in &st.summaries {
        s.cell(0, &x.system, None)?;
        s.cell(1, &x.framework, None)?;
        s.cell(2, &x.name, None)?;
        let profile = if x.profile.is_empty() {
            "none set: every control applies unless excluded by ID"
        } else {
            &x.profile
        };
        s.cell(3, profile, None)?;
        s.number(4, x.applicable as f64)?;
        s.number(5, x.not_applicable as f64)?;
        s.number(6, x.excluded as f64)?;
        s.next_row()?;
    }
    s.finish(60.0)
}

/// The "Statement of Applicability" sheet: every control on every system, with its status
/// (filterable) and reason.
pub fn statement_sheet(
    wb: &mut Workbook,
    st: &StatementOfApplicability,
) -> Result<(), WorkbookError> {
    let mut s = SheetWriter::new(wb.add_worksheet(), "Statement of Applicability")?;
    s.header(&[
        "system",
        "framework",
        "control",
        "title",
        "group",
        "status",
        "reason",
    ])?;
    for r in &st.rows {
        s.cell(0, &r.system, None)?;
        s.cell(1, &r.framework, None)?;
        s.cell(2, &r.control, None)?;
        s.cell(3, &r.title, None)?;
        s.cell(4, &r.group, None)?;
        s.cell(5, r.status, Some(status_color(r.status)))?;
        s.cell(6, &r.reason, None)?;
        s.next_row()?;
    }
    s.finish(70.0)
}

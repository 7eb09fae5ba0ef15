//! The migration review workbook: Summary (counts and how applicability was decided), Provider
//! needs, Facts that change, Moves (each move once with the controls it covers), Changes (one
//! row per control).

use std::io::{self, Write};

use rust_xlsxwriter::{Color, Format};

use super::{new_workbook, party_color, write_workbook, SheetWriter, WorkbookError};
use crate::migration::{Change, DiffSummary, Migration};

pub fn change_color(c: Change) -> Color {
    match c {
        Change::HandedToProvider | Change::ProviderTakesMore => Color::RGB(0xC6E0B4),
        Change::NewlyShared => Color::RGB(0xFFE699),
        Change::TakenBackByCustomer | Change::CustomerTakesMore => Color::RGB(0xF8CBAD),
        Change::NewlyApplicable | Change::NoLongerApplicable | Change::Unchanged => {
            Color::RGB(0xE7E6E6)
        }
    }
}

/// The migration review workbook; `date` stamps its properties.
pub fn diff_report(m: &Migration, date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    write_workbook(workbook(m, date), out)
}

fn workbook(m: &Migration, date: jiff::civil::Date) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = new_workbook(&format!("Migration review: {} to {}", m.from, m.to), date)?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Summary")?;
        let title = Format::new().set_bold().set_font_size(14);
        s.text(
            0,
            &format!("Migration review: {} to {}", m.from, m.to),
            Some(&title),
        )?;
        s.next_row()?;
        if !m.applicability.is_empty() {
            s.text(0, &m.applicability, None)?;
            s.next_row()?;
        }
        s.next_row()?;
        let mut header = vec!["system", "framework"];
        header.extend(DiffSummary::COUNT_NAMES);
        s.header(&header)?;
        for x in &m.summary {
            s.cell(0, &x.system, None)?;
            s.cell(1, &x.framework, None)?;
            for (i, n) in x.counts().into_iter().enumerate() {
                s.number(2 + i as u16, n as f64)?;
            }
            s.next_row()?;
        }
        for (label, list) in [
            ("Systems only in the target", &m.systems_added),
            ("Systems only in the source", &m.systems_removed),
        ] {
            if !list.is_empty() {
                s.next_row()?;
                s.text(0, &format!("{label}: {}", list.join(", ")), None)?;
            }
        }
        s.finish(24.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Provider needs")?;
        s.header(&[
            "system",
            "framework",
            "provider",
            "needs",
            "type",
            "controls relying",
            "published as",
            "portal",
        ])?;
        for n in &m.needs {
            s.cell(0, &n.system, None)?;
            s.cell(1, &n.framework, None)?;
            s.cell(2, &n.provider, None)?;
            s.cell(3, &n.label(), None)?;
            s.cell(4, if n.agreement { "agreement" } else { "report" }, None)?;
            s.number(5, n.controls as f64)?;
            let published = if n.published.is_empty() {
                "not listed in srmap's data: ask the provider"
            } else {
                &n.published
            };
            s.cell(6, published, None)?;
            s.cell(7, &n.portal, None)?;
            s.next_row()?;
        }
        if m.needs.is_empty() {
            s.text(0, "Nothing the source did not already need.", None)?;
        }
        s.finish(50.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Facts that change")?;
        s.header(&[
            "feature",
            "controls",
            "before",
            "after",
            "customer action after",
            "source before",
            "source after",
        ])?;
        for d in &m.fact_changes {
            let sides: Vec<_> = d.sides.values().collect();
            let (Some(before), Some(after)) = (sides.first(), sides.get(1)) else {
                continue;
            };
            s.cell(0, &d.feature, None)?;
            s.number(1, d.controls as f64)?;
            s.cell(2, &before.short(), None)?;
            s.cell(3, &after.short(), None)?;
            s.cell(4, &after.customer_action, None)?;
            s.cell(5, &before.source, None)?;
            s.cell(6, &after.source, None)?;
            s.next_row()?;
        }
        if m.fact_changes.is_empty() {
            s.text(
                0,
                "The services state the same defaults before and after.",
                None,
            )?;
        }
        s.finish(40.0)?;
    }
    // The system column only when diffing scopes (empty on every row otherwise).
    let systems = m.rows.iter().any(|r| !r.system.is_empty());
    let skip = u16::from(!systems);
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Moves")?;
        let header = [
            "system",
            "framework",
            "what moved",
            "controls",
            "control IDs",
            "customer must now",
            "customer may stop",
        ];
        s.header(&header[usize::from(skip)..])?;
        for g in &m.groups {
            if systems {
                s.cell(0, &g.system, None)?;
            }
            s.cell(1 - skip, &g.framework, None)?;
            s.cell(2 - skip, &g.moved, None)?;
            s.number(3 - skip, g.controls.len() as f64)?;
            s.cell(4 - skip, &g.controls.join(", "), None)?;
            s.cell(5 - skip, &g.customer_must, None)?;
            s.cell(6 - skip, &g.customer_may_stop, None)?;
            s.next_row()?;
        }
        s.finish(60.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Changes")?;
        let header = [
            "system",
            "framework",
            "control",
            "title",
            "from owner",
            "to owner",
            "change",
            "customer must now",
            "customer may stop",
            "layers that moved",
        ];
        s.header(&header[usize::from(skip)..])?;
        for r in &m.rows {
            if systems {
                s.cell(0, &r.system, None)?;
            }
            s.cell(1 - skip, &r.framework, None)?;
            s.cell(2 - skip, &r.control, None)?;
            s.cell(3 - skip, &r.title, None)?;
            s.cell(
                4 - skip,
                r.from_owner.as_str(),
                Some(party_color(r.from_owner)),
            )?;
            s.cell(5 - skip, r.to_owner.as_str(), Some(party_color(r.to_owner)))?;
            s.cell(6 - skip, r.change.as_str(), Some(change_color(r.change)))?;
            s.cell(7 - skip, &r.customer_must, None)?;
            s.cell(8 - skip, &r.customer_may_stop, None)?;
            s.cell(9 - skip, &r.layers, None)?;
            s.next_row()?;
        }
        s.finish(55.0)?;
    }
    Ok(wb.save_to_buffer()?)
}

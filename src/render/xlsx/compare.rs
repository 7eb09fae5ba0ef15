//! The vendor comparison workbook: a Summary sheet, then one sheet per framework with a row per
//! control and a colour-coded owner column per candidate (customer duties in cell notes).

use std::io::{self, Write};

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Color, Format, FormatAlign, Note, XlsxError,
};

use super::{new_workbook, party_color, write_workbook, SheetWriter};
use crate::attestation::AttestationKind;
use crate::comparison::Comparison;
use crate::party::Party;

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The comparison workbook; `date` stamps its properties.
pub fn comparison(
    cmp: &Comparison,
    date: jiff::civil::Date,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_workbook(workbook(cmp, date), out)
}

fn workbook(cmp: &Comparison, date: jiff::civil::Date) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(
        &format!("Comparison: {}", cmp.candidates.join(" vs ")),
        date,
    )?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Summary")?;
        let title = Format::new().set_bold().set_font_size(14);
        s.text(
            0,
            &format!("Who owns what: {}", cmp.candidates.join(" vs ")),
            Some(&title),
        )?;
        s.next();
        s.text(0, "Controls per owner. Customer share: the customer's part of all the layer duties the framework's controls touch (customer 1, shared 1/2).", None)?;
        s.next();
        s.next();
        s.header(&[
            "framework",
            "candidate",
            "controls",
            "customer",
            "shared",
            "provider",
            "not applicable",
            "customer share %",
        ])?;
        let first = s.row;
        for x in &cmp.summary {
            s.cell(0, &x.framework, None)?;
            s.cell(1, &x.candidate, None)?;
            s.number(2, x.controls as f64)?;
            s.number(3, x.customer as f64)?;
            s.number(4, x.shared as f64)?;
            s.number(5, x.provider as f64)?;
            s.number(6, x.not_applicable as f64)?;
            s.number(7, x.customer_share_pct as f64)?;
            s.next();
        }
        let last = s.row - 1;
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Customer share of the duties (%)");
        chart.legend().set_hidden();
        chart
            .add_series()
            .set_categories(("Summary", first, 1, last, 1))
            .set_values(("Summary", first, 7, last, 7))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0xC55A11))),
            );
        chart.y_axis().set_min(0).set_max(100);
        chart
            .set_width(560)
            .set_height(60 + 28 * cmp.summary.len() as u32);
        s.ws.insert_chart(last + 2, 0, &chart)?;
        s.finish(30.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Attestations")?;
        let mut header = vec!["attestation"];
        header.extend(cmp.candidates.iter().map(String::as_str));
        s.header(&header)?;
        for kind in AttestationKind::ALL {
            s.cell(0, kind.label(), None)?;
            for (i, c) in cmp.candidates.iter().enumerate() {
                let found = cmp.published[c].iter().find(|(_, k, _)| *k == kind);
                match found {
                    Some((_, _, name)) => s.cell(
                        1 + i as u16,
                        &format!("yes: {name}"),
                        Some(Color::RGB(0xC6E0B4)),
                    )?,
                    None => s.cell(1 + i as u16, "not listed", Some(Color::RGB(0xE7E6E6)))?,
                }
            }
            s.next();
        }
        s.next();
        s.text(0, "From srmap's data (providers/attestations.csv). A provider's report lists the services it covers: check yours is named.", None)?;
        s.finish(45.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Facts that differ")?;
        let mut header: Vec<String> = vec!["feature".into(), "controls".into()];
        header.extend(cmp.candidates.iter().cloned());
        header.extend(cmp.candidates.iter().map(|c| format!("source: {c}")));
        let cols: Vec<&str> = header.iter().map(String::as_str).collect();
        s.header(&cols)?;
        for d in &cmp.fact_differences {
            s.cell(0, &d.feature, None)?;
            s.number(1, d.controls as f64)?;
            let n = cmp.candidates.len() as u16;
            for (i, fact) in d.sides.values().enumerate() {
                s.cell(2 + i as u16, &fact.short(), None)?;
                if !fact.customer_action.is_empty() {
                    let note = Note::new(format!("Customer: {}", fact.customer_action))
                        .set_author("srmap")
                        .set_width(420)
                        .set_height(120);
                    s.ws.insert_note(s.row, 2 + i as u16, &note)?;
                }
                s.cell(2 + n + i as u16, &fact.source, None)?;
            }
            s.next();
        }
        if cmp.fact_differences.is_empty() {
            s.text(
                0,
                "The candidates state the same defaults for every feature.",
                None,
            )?;
            s.next();
        }
        s.next();
        s.text(0, "Per-service defaults (providers/*.toml `[[features]]`): `default (who must act)`. `controls` counts the compared controls that depend on the feature.", None)?;
        s.finish(40.0)?;
    }
    for fw in &cmp.frameworks {
        let mut s = SheetWriter::new(wb.add_worksheet(), &sheet_name(fw))?;
        let mut header = vec!["control", "title"];
        header.extend(cmp.candidates.iter().map(String::as_str));
        header.push("differs");
        header.push("differing facts");
        s.header(&header)?;
        let center = Format::new()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::Top)
            .set_bold();
        for r in cmp.rows.iter().filter(|r| &r.framework == fw) {
            s.cell(0, &r.control, None)?;
            s.cell(1, &r.title, None)?;
            for (i, (cand, owner)) in r.owners.iter().enumerate() {
                let col = 2 + i as u16;
                let fmt = center.clone().set_background_color(party_color(*owner));
                s.ws.write_string_with_format(s.row, col, owner.as_str(), &fmt)?;
                if *owner != Party::NotApplicable {
                    let facts = match r.facts[cand].as_str() {
                        "" => String::new(),
                        f => format!("\nFacts: {f}"),
                    };
                    let note = Note::new(format!("Customer: {}{facts}", r.customer_duty[cand]))
                        .set_author("srmap")
                        .set_width(420)
                        .set_height(160);
                    s.ws.insert_note(s.row, col, &note)?;
                }
            }
            let col = 2 + r.owners.len() as u16;
            if r.differs {
                s.cell(col, "yes", Some(Color::RGB(0xFFE699)))?;
            } else {
                s.cell(col, "no", None)?;
            }
            s.cell(col + 1, &r.differing_facts.join(", "), None)?;
            s.next();
        }
        s.finish(60.0)?;
        // Keep the control and title in view while scrolling across candidates.
        s.ws.set_freeze_panes(1, 2)?;
    }
    wb.save_to_buffer()
}

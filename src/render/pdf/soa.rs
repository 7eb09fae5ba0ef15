//! The Statement of Applicability in a PDF: its own document (`srmap soa`), and the section the
//! gap report carries.

use std::io::{self, Write};

use super::{
    finish, heading, new_document, note, Break, Cell, Color, Document, PageBreak, Paragraph, Style,
    Table, GREY, INK,
};
use crate::soa::StatementOfApplicability;

/// The colour of a status: applicable (green), excluded (amber), not applicable (grey).
pub fn status_color(status: &str) -> Color {
    match status {
        "applicable" => Color::Rgb(0x38, 0x76, 0x1D),
        "excluded" => Color::Rgb(0xB8, 0x86, 0x00),
        _ => GREY,
    }
}

/// The section of a report: the counts and settings per system and framework, then every
/// control that does not apply with its reason; `grouped`, one line per framework control,
/// status and reason with the systems it holds for (for estates of many systems).
pub fn section(doc: &mut Document, st: &StatementOfApplicability, grouped: bool) {
    doc.push(note("Which controls apply on each system. A control is not applicable when the scope's applicability settings say the organisation is not the kind it is written for, and excluded when the scope leaves it out by ID with a reason. Neither is judged for gaps or requested as evidence."));
    doc.push(Break::new(0.6));
    summary_table(doc, st);
    doc.push(Break::new(0.8));
    doc.push(heading("Controls that do not apply", 11));
    if st.left_out().next().is_none() {
        doc.push(note("None: every control of every framework applies."));
        return;
    }
    if grouped {
        let mut groups: indexmap::IndexMap<_, Vec<&str>> = indexmap::IndexMap::new();
        for r in st.left_out() {
            groups
                .entry((&r.framework, &r.control, &r.title, r.status, &r.reason))
                .or_default()
                .push(r.system.as_str());
        }
        doc.push(note(&format!(
            "{} rows (a control on a system), one line per control and reason with the systems it holds for. The standalone Statement of Applicability (srmap soa) and the workbook list them system by system.",
            st.left_out().count()
        )));
        let mut t = Table::new(
            &["Framework", "Control", "Title", "Status", "Systems", "Why"],
            &[3, 3, 6, 3, 6, 10],
        );
        for ((framework, control, title, status, reason), systems) in groups {
            t.push(vec![
                framework.clone().into(),
                Cell::id(control),
                Cell::prose(title.clone()),
                Cell::colored(status, status_color(status)),
                Cell::prose(super::listed(&systems, 8)),
                Cell::prose(reason.clone()),
            ]);
        }
        doc.push(t);
        return;
    }
    let mut t = Table::new(
        &["System", "Framework", "Control", "Title", "Status", "Why"],
        &[3, 3, 3, 6, 3, 10],
    );
    for r in st.left_out() {
        t.push(vec![
            r.system.clone().into(),
            r.framework.clone().into(),
            Cell::id(&r.control),
            Cell::prose(r.title.clone()),
            Cell::colored(r.status, status_color(r.status)),
            Cell::prose(r.reason.clone()),
        ]);
    }
    doc.push(t);
}

fn summary_table(doc: &mut Document, st: &StatementOfApplicability) {
    let mut t = Table::new(
        &[
            "System",
            "Framework",
            "Applicability settings",
            "Applicable",
            "Not applicable",
            "Excluded",
        ],
        &[3, 3, 9, 2, 2, 2],
    );
    for x in &st.summaries {
        let profile = if x.profile.is_empty() {
            "none set: every control applies unless excluded by ID".to_string()
        } else {
            x.profile.clone()
        };
        t.push(vec![
            x.system.clone().into(),
            x.framework.clone().into(),
            profile.into(),
            Cell::colored(x.applicable.to_string(), status_color("applicable")),
            x.not_applicable.to_string().into(),
            Cell::colored(x.excluded.to_string(), status_color("excluded")),
        ]);
    }
    doc.push(t);
}

/// The standalone statement: title, the section, then every control system by system.
pub fn soa(
    st: &StatementOfApplicability,
    date: jiff::civil::Date,
    out: &mut dyn Write,
) -> io::Result<()> {
    let running = format!("{}   ·   Statement of Applicability", st.organization);
    let mut doc = new_document(
        &format!("Statement of Applicability: {}", st.organization),
        running,
    )?;
    doc.push(Paragraph::default().styled_string(
        "Statement of Applicability",
        Style::new().bold().with_font_size(22).with_color(INK),
    ));
    doc.push(
        Paragraph::default()
            .styled_string(st.organization.clone(), Style::new().with_font_size(14)),
    );
    doc.push(Break::new(0.8));
    for (k, v) in [
        (
            "Audit period",
            format!("{} to {}", st.period_start, st.period_end),
        ),
        ("Scope", st.scope_file.clone()),
    ] {
        doc.push(
            Paragraph::default()
                .styled_string(format!("{k}: "), Style::new().bold().with_font_size(10))
                .styled_string(v, Style::new().with_font_size(10)),
        );
    }
    doc.push(Break::new(1));
    section(&mut doc, st, false);
    for x in &st.summaries {
        doc.push(PageBreak::new());
        doc.push(heading(&format!("{} · {}", x.system, x.name), 13));
        let mut t = Table::new(&["Control", "Title", "Status", "Why"], &[3, 8, 3, 10]);
        for r in st
            .rows
            .iter()
            .filter(|r| r.system == x.system && r.framework == x.framework)
        {
            t.push(vec![
                Cell::id(&r.control),
                r.title.clone().into(),
                Cell::colored(r.status, status_color(r.status)),
                r.reason.clone().into(),
            ]);
        }
        doc.push(t);
    }
    finish(doc, date, out)
}

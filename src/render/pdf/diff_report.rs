//! The migration review PDF: what moves, what the target needs, then every change.

use std::io::{self, Write};

use super::{
    finish, heading, new_document, note, party_color, BarChart, Break, Cell, Color, KeepSpace,
    Paragraph, Style, Table, INK,
};
use crate::migration::{Change, DiffRow, Migration};
use crate::party::Party;

fn change_color(c: Change) -> Color {
    match c {
        Change::HandedToProvider | Change::ProviderTakesMore => party_color(Party::Provider),
        Change::NewlyShared => party_color(Party::Shared),
        Change::TakenBackByCustomer | Change::CustomerTakesMore => party_color(Party::Customer),
        _ => party_color(Party::NotApplicable),
    }
}

/// The migration review: what moves, what the target needs, every change; dated `date`.
pub fn diff_report(m: &Migration, date: jiff::civil::Date, out: &mut dyn Write) -> io::Result<()> {
    let mut doc = new_document(
        &format!("Migration review: {} to {}", m.from, m.to),
        format!("Migration review   ·   {} to {}", m.from, m.to),
    )?;
    doc.push(Paragraph::default().styled_string(
        "Migration review",
        Style::new().bold().with_font_size(22).with_color(INK),
    ));
    doc.push(Paragraph::default().styled_string(
        format!("From {} to {}", m.from, m.to),
        Style::new().with_font_size(13),
    ));
    doc.push(note(&format!("Made by srmap {} on {date}. Owners come from the providers' published shared-responsibility matrices.", env!("CARGO_PKG_VERSION"))));
    if !m.applicability.is_empty() {
        doc.push(Break::new(0.4));
        doc.push(Paragraph::new(m.applicability.clone()));
    }
    doc.push(Break::new(1));
    doc.push(heading("How the duties move", 12));
    let mut chart = BarChart::new(60);
    for s in &m.summary {
        let label = if s.system.is_empty() {
            s.framework.clone()
        } else {
            format!("{} · {}", s.system, s.framework)
        };
        chart.bar(
            label,
            vec![
                (s.handed_to_provider, change_color(Change::HandedToProvider)),
                (s.newly_shared, change_color(Change::NewlyShared)),
                (
                    s.taken_back_by_customer,
                    change_color(Change::TakenBackByCustomer),
                ),
                (s.provider_takes_more, Color::Rgb(0xA9, 0xD1, 0x8E)),
                (s.customer_takes_more, Color::Rgb(0xF4, 0xB1, 0x83)),
            ],
        );
    }
    doc.push(chart);
    let mut legend = Paragraph::default();
    for (c, color) in [
        (
            Change::HandedToProvider,
            change_color(Change::HandedToProvider),
        ),
        (Change::NewlyShared, change_color(Change::NewlyShared)),
        (
            Change::TakenBackByCustomer,
            change_color(Change::TakenBackByCustomer),
        ),
        (Change::ProviderTakesMore, Color::Rgb(0xA9, 0xD1, 0x8E)),
        (Change::CustomerTakesMore, Color::Rgb(0xF4, 0xB1, 0x83)),
    ] {
        legend.push_styled(
            "\u{2588}\u{2588} ",
            Style::new().with_font_size(8).with_color(color),
        );
        legend.push_styled(
            format!("{}    ", c.as_str()),
            Style::new().with_font_size(8),
        );
    }
    doc.push(legend);
    doc.push(Break::new(0.6));
    let systems = m.summary.iter().any(|s| !s.system.is_empty());
    let left_out = m.summary.iter().any(|s| s.not_applicable > 0);
    let mut cols = Columns::default();
    cols.add_if(systems, "System", 4);
    cols.add("Framework", 4);
    cols.add("Controls", 2);
    cols.add("Handed to provider", 3);
    cols.add("Newly shared", 3);
    cols.add("Taken back", 3);
    cols.add("Provider takes more", 3);
    cols.add("Customer takes more", 3);
    cols.add("Applicability changed", 3);
    cols.add("Unchanged", 2);
    cols.add_if(left_out, "Not applicable (left out)", 3);
    let mut t = cols.table();
    for s in &m.summary {
        let mut row: Vec<Cell> = Vec::new();
        if systems {
            row.push(s.system.clone().into());
        }
        row.extend([
            s.framework.clone().into(),
            s.controls.to_string().into(),
            Cell::colored(
                s.handed_to_provider.to_string(),
                change_color(Change::HandedToProvider),
            ),
            Cell::colored(
                s.newly_shared.to_string(),
                change_color(Change::NewlyShared),
            ),
            Cell::colored(
                s.taken_back_by_customer.to_string(),
                change_color(Change::TakenBackByCustomer),
            ),
            s.provider_takes_more.to_string().into(),
            s.customer_takes_more.to_string().into(),
            (s.newly_applicable + s.no_longer_applicable)
                .to_string()
                .into(),
            s.unchanged.to_string().into(),
        ]);
        if left_out {
            row.push(s.not_applicable.to_string().into());
        }
        t.push(row);
    }
    doc.push(t);
    for (label, list) in [
        ("Systems only in the target", &m.systems_added),
        ("Systems only in the source", &m.systems_removed),
    ] {
        if !list.is_empty() {
            doc.push(Paragraph::new(format!("{label}: {}.", list.join(", "))));
        }
    }
    doc.push(Break::new(0.8));
    doc.push(KeepSpace(45.0));
    doc.push(heading("What the target needs from its providers", 12));
    if m.needs.is_empty() {
        doc.push(note("Nothing the source did not already need."));
    } else {
        let mut cols = Columns::default();
        cols.add_if(systems, "System", 3);
        cols.add("Framework", 3);
        cols.add("Provider", 2);
        cols.add("Needs", 6);
        cols.add("Type", 2);
        cols.add("Controls relying", 2);
        cols.add("Published as", 9);
        let mut t = cols.table();
        for n in &m.needs {
            let published = if n.published.is_empty() {
                "not listed in srmap's data: ask the provider".to_string()
            } else {
                format!("{} ({})", n.published, n.portal)
            };
            let mut row: Vec<Cell> = Vec::new();
            if systems {
                row.push(n.system.clone().into());
            }
            row.extend([
                n.framework.clone().into(),
                n.provider.clone().into(),
                Cell::new(n.label()).bold(),
                if n.agreement { "agreement" } else { "report" }.into(),
                n.controls.to_string().into(),
                published.into(),
            ]);
            t.push(row);
        }
        doc.push(t);
    }
    if !m.fact_changes.is_empty() {
        doc.push(Break::new(0.8));
        doc.push(KeepSpace(45.0));
        doc.push(heading("Per-service facts that change", 12));
        doc.push(note("What the services do by default, before and after (default, and who must act), with the provider pages that say so."));
        let mut t = Table::new(
            &["Feature", "Controls", "Before", "After", "Sources"],
            &[3, 2, 4, 5, 13],
        )
        .font_size(7);
        for d in &m.fact_changes {
            let sides: Vec<_> = d.sides.values().collect();
            let sources: Vec<&str> = sides
                .iter()
                .map(|f| f.source.as_str())
                .filter(|x| !x.is_empty())
                .collect();
            t.push(vec![
                d.feature.clone().into(),
                d.controls.to_string().into(),
                sides.first().map(|f| f.short()).unwrap_or_default().into(),
                sides.get(1).map(|f| f.short()).unwrap_or_default().into(),
                sources.join("\n").into(),
            ]);
        }
        doc.push(t);
    }
    let frameworks = {
        let mut f: Vec<&str> = m.rows.iter().map(|r| r.framework.as_str()).collect();
        f.sort();
        f.dedup();
        f.len() > 1
    };
    let systems = m.rows.iter().any(|r| !r.system.is_empty());
    doc.push(Break::new(0.8));
    doc.push(KeepSpace(45.0));
    doc.push(heading("What moves, layer by layer", 12));
    if m.groups.is_empty() {
        doc.push(note("No control changes owner."));
        return finish(doc, date, out);
    }
    doc.push(note("Each move once, with every control it moves and what it asks of the customer; a control whose duties move in several layers is under each of them. The table after it has one line per control."));
    let mut cols = Columns::default();
    cols.add_if(systems, "System", 3);
    cols.add_if(frameworks, "Framework", 3);
    cols.add("What moved", 7);
    cols.add("Controls", if systems || frameworks { 5 } else { 9 });
    cols.add("Customer must now", 8);
    cols.add("Customer may stop", 7);
    let mut t = cols.table().font_size(7);
    for g in &m.groups {
        let mut row: Vec<Cell> = Vec::new();
        if systems {
            row.push(g.system.clone().into());
        }
        if frameworks {
            row.push(g.framework.clone().into());
        }
        row.extend([
            Cell::new(g.moved.clone()).bold(),
            format!(
                "{} ({})",
                g.controls
                    .iter()
                    .map(|c| super::keep(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                match g.controls.len() {
                    1 => "1 control".to_string(),
                    n => format!("{n} controls"),
                }
            )
            .into(),
            g.customer_must.clone().into(),
            g.customer_may_stop.clone().into(),
        ]);
        t.push(row);
    }
    doc.push(t);
    doc.push(Break::new(0.8));
    doc.push(KeepSpace(45.0));
    doc.push(heading(
        &format!("Controls whose duties move ({})", m.rows.len()),
        12,
    ));
    doc.push(note("One line per control, by change: which of the moves above are each control's is in the table above, and in the rows of the CSV, JSON and XLSX outputs."));
    // One part per system, framework, change and owners, in that order; controls in framework
    // order within each.
    let mut parts: Vec<Part<'_>> = Vec::new();
    for r in &m.rows {
        let key = (
            r.system.as_str(),
            r.framework.as_str(),
            r.change,
            r.from_owner,
            r.to_owner,
        );
        match parts.iter_mut().find(|p| (p.0, p.1, p.2, p.3, p.4) == key) {
            Some(p) => p.5.push(r),
            None => parts.push((key.0, key.1, key.2, key.3, key.4, vec![r])),
        }
    }
    parts.sort_by_key(|p| {
        (
            m.rows
                .iter()
                .position(|r| r.system == p.0 && r.framework == p.1),
            Change::ALL.iter().position(|c| *c == p.2),
            p.3,
            p.4,
        )
    });
    for (system, framework, change, from, to, rows) in parts {
        doc.push(KeepSpace(25.0));
        doc.push(Break::new(0.4));
        let mut line = Paragraph::default();
        let mut place: Vec<&str> = Vec::new();
        if systems {
            place.push(system);
        }
        if frameworks {
            place.push(framework);
        }
        if !place.is_empty() {
            line.push_styled(
                format!("{}   ", place.join(" · ")),
                Style::new().bold().with_font_size(9),
            );
        }
        line.push_styled(
            change.as_str(),
            Style::new()
                .bold()
                .with_font_size(9)
                .with_color(change_color(change)),
        );
        line.push_styled(
            format!(
                ": {from} -> {to} ({})",
                match rows.len() {
                    1 => "1 control".to_string(),
                    n => format!("{n} controls"),
                }
            ),
            Style::new().bold().with_font_size(9),
        );
        doc.push(line);
        let mut t = Table::new(&["Control", "Title"], &[3, 12]).font_size(7);
        for r in rows {
            t.push(vec![Cell::id(&r.control).bold(), r.title.clone().into()]);
        }
        doc.push(t.two_up());
    }
    finish(doc, date, out)
}

/// The rows of one system, framework, change and pair of owners.
type Part<'m> = (&'m str, &'m str, Change, Party, Party, Vec<&'m DiffRow>);

/// A table's columns, some shown only when the report has something for them.
#[derive(Default)]
struct Columns {
    names: Vec<&'static str>,
    weights: Vec<usize>,
}

impl Columns {
    fn add(&mut self, name: &'static str, weight: usize) {
        self.names.push(name);
        self.weights.push(weight);
    }

    fn add_if(&mut self, shown: bool, name: &'static str, weight: usize) {
        if shown {
            self.add(name, weight);
        }
    }

    fn table(&self) -> Table {
        Table::new(&self.names, &self.weights)
    }
}

//! The migration review PDF: what moves, what the target needs, then every change.

use std::io::{self, Write};

use genpdf::elements::{Break, Paragraph};
use genpdf::style::{Color, Style};

use super::{finish, heading, new_document, note, party_color, BarChart, Cell, Table, INK};
use crate::migration::{Change, Migration};
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
    let mut t = Table::new(
        &[
            "System",
            "Framework",
            "Controls",
            "Handed to provider",
            "Newly shared",
            "Taken back",
            "Provider takes more",
            "Customer takes more",
            "Applicability changed",
            "Unchanged",
        ],
        &[4, 4, 2, 3, 3, 3, 3, 3, 3, 2],
    );
    for s in &m.summary {
        t.push(vec![
            s.system.clone().into(),
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
    doc.push(heading("What the target needs from its providers", 12));
    if m.needs.is_empty() {
        doc.push(note("Nothing the source did not already need."));
    } else {
        let mut t = Table::new(
            &[
                "System",
                "Framework",
                "Provider",
                "Needs",
                "Type",
                "Controls relying",
                "Published as",
            ],
            &[3, 3, 2, 6, 2, 2, 9],
        );
        for n in &m.needs {
            let published = if n.published.is_empty() {
                "not listed in srmap's data: ask the provider".to_string()
            } else {
                format!("{} ({})", n.published, n.portal)
            };
            t.push(vec![
                n.system.clone().into(),
                n.framework.clone().into(),
                n.provider.clone().into(),
                Cell {
                    text: n.label(),
                    color: None,
                    bold: true,
                },
                if n.agreement { "agreement" } else { "report" }.into(),
                n.controls.to_string().into(),
                published.into(),
            ]);
        }
        doc.push(t);
    }
    if !m.fact_changes.is_empty() {
        doc.push(Break::new(0.8));
        doc.push(heading("Per-service facts that change", 12));
        doc.push(note("What the services do by default, before and after (default, and who must act), with the provider pages that say so."));
        let mut t = Table::new(
            &["Feature", "Controls", "Before", "After", "Sources"],
            &[4, 2, 5, 5, 10],
        );
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
    doc.push(Break::new(0.8));
    doc.push(heading(
        &format!("Controls whose duties move ({})", m.rows.len()),
        12,
    ));
    let mut t = Table::new(
        &[
            "System",
            "Framework",
            "Control",
            "Title",
            "From",
            "To",
            "Change",
            "Customer must now",
            "Customer may stop",
            "Why",
        ],
        &[3, 3, 2, 5, 2, 2, 3, 6, 6, 6],
    );
    for r in &m.rows {
        t.push(vec![
            r.system.clone().into(),
            r.framework.clone().into(),
            r.control.clone().into(),
            r.title.clone().into(),
            Cell::colored(r.from_owner.as_str(), party_color(r.from_owner)),
            Cell::colored(r.to_owner.as_str(), party_color(r.to_owner)),
            Cell::colored(r.change.as_str(), change_color(r.change)),
            r.customer_must.clone().into(),
            r.customer_may_stop.clone().into(),
            r.layers.clone().into(),
        ]);
    }
    if t.is_empty() {
        doc.push(note("No control changes owner."));
    } else {
        doc.push(t);
    }
    finish(doc, date, out)
}

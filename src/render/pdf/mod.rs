//! PDF output: reports build a [`Document`] of blocks (`element`), `layout` places them on
//! pages (wrapping with `wrap`, measuring with `font`, tables and charts in their own
//! modules), and `writer` writes the pages with krilla: embedded subset fonts, clickable links,
//! an outline of bookmarks, and the same bytes for the same inputs.

mod chart;
mod diff_report;
mod element;
mod font;
mod gap_report;
mod layout;
mod soa;
mod table;
mod wrap;
mod writer;

use std::io::{self, Write};

use jiff::civil::Date;

pub use chart::BarChart;
pub use diff_report::diff_report;
pub use element::{
    Alignment, Break, Color, Document, Heading, KeepSpace, Link, PageBreak, Paragraph, Style,
    TableOfContents,
};
pub use gap_report::gap_report;
pub use soa::soa;
pub use table::{Cell, Table};

pub const INK: Color = Color::Rgb(0x1F, 0x38, 0x64);
pub const GREY: Color = Color::Rgb(0x59, 0x59, 0x59);

pub fn party_color(p: crate::party::Party) -> Color {
    use crate::party::Party;
    match p {
        Party::Customer => Color::Rgb(0xC5, 0x5A, 0x11),
        Party::Shared => Color::Rgb(0xB8, 0x86, 0x00),
        Party::Provider => Color::Rgb(0x38, 0x76, 0x1D),
        Party::NotApplicable => GREY,
    }
}

pub fn severity_color(s: crate::gaps::Severity) -> Color {
    use crate::gaps::Severity;
    match s {
        Severity::High => Color::Rgb(0xC0, 0x00, 0x00),
        Severity::Medium => Color::Rgb(0xB8, 0x86, 0x00),
        Severity::Low => Color::Rgb(0x2F, 0x55, 0x97),
        Severity::Info => GREY,
    }
}

/// A landscape A4 document whose pages carry a running header (`running · Page N of M`).
pub fn new_document(title: &str, running: String) -> io::Result<Document> {
    Ok(Document::new(title, running))
}

pub fn heading(text: &str, size: u8) -> Heading {
    Heading::new(
        text,
        Style::new().bold().with_font_size(size).with_color(INK),
    )
}

pub fn note(text: &str) -> Paragraph {
    Paragraph::default().styled_string(
        text.to_string(),
        Style::new().with_font_size(8).with_color(GREY),
    )
}

/// `N: a, b, c and M more`: a count and the first `shown` names (the workbook of the same run
/// has them all).
pub fn listed(names: &[&str], shown: usize) -> String {
    let n = names.len();
    let mut out = format!("{n}: {}", names[..n.min(shown)].join(", "));
    if n > shown {
        out.push_str(&format!(" and {} more", n - shown));
    }
    out
}

/// `text` with its spaces made non-breaking, so a line never ends inside it (control IDs such
/// as `Art. 32`).
pub fn keep(text: &str) -> String {
    text.replace(' ', "\u{A0}")
}

/// Lay out and write the document, dated `date` (its only date: same inputs, same bytes).
pub fn finish(doc: Document, date: Date, out: &mut dyn Write) -> io::Result<()> {
    writer::write(&doc, date, out)
}

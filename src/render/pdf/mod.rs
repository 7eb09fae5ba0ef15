//! PDF output (genpdf): document set-up, a table that repeats its header on every page, bar
//! charts drawn with text, and a finishing pass that compresses the file and makes it
//! byte-stable (fixed dates and IDs).

mod chart;
mod diff_report;
mod gap_report;
mod soa;
mod table;

use std::io::{self, Write};

use genpdf::elements::{Break, LinearLayout, Paragraph};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Document, Element, Margins, SimplePageDecorator, Size};
use jiff::civil::Date;

pub use chart::BarChart;
pub use diff_report::diff_report;
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

fn font_family() -> io::Result<FontFamily<FontData>> {
    let [regular, bold, italic, bold_italic] = crate::templates::report_fonts();
    let load =
        |b: &[u8]| FontData::new(b.to_vec(), None).map_err(|e| io::Error::other(e.to_string()));
    Ok(FontFamily {
        regular: load(regular)?,
        bold: load(bold)?,
        italic: load(italic)?,
        bold_italic: load(bold_italic)?,
    })
}

/// A landscape A4 document with margins and a running header (`left · title · Page N`).
pub fn new_document(title: &str, running: String) -> io::Result<Document> {
    let mut doc = Document::new(font_family()?);
    doc.set_title(title);
    // No PDF/X output intent: its CMYK ICC profile alone would add about 480 KB to every report.
    doc.set_minimal_conformance();
    doc.set_paper_size(Size::new(297, 210));
    doc.set_font_size(9);
    doc.set_line_spacing(1.15);
    let mut deco = SimplePageDecorator::new();
    deco.set_margins(Margins::trbl(10, 14, 12, 14));
    deco.set_header(move |page| {
        let mut l = LinearLayout::vertical();
        let style = Style::new().with_font_size(7).with_color(GREY);
        l.push(
            Paragraph::default()
                .styled_string(format!("{running}   ·   Page {page}"), style)
                .aligned(Alignment::Right),
        );
        l.push(Break::new(0.8));
        l
    });
    doc.set_page_decorator(deco);
    Ok(doc)
}

pub fn heading(text: &str, size: u8) -> impl Element {
    Paragraph::default().styled_string(
        text.to_string(),
        Style::new().bold().with_font_size(size).with_color(INK),
    )
}

pub fn note(text: &str) -> impl Element {
    Paragraph::default().styled_string(
        text.to_string(),
        Style::new().with_font_size(8).with_color(GREY),
    )
}

/// Render, then compress and pin dates and IDs so the same inputs give the same bytes.
pub fn finish(doc: Document, date: Date, out: &mut dyn Write) -> io::Result<()> {
    let mut raw = Vec::new();
    doc.render(&mut raw)
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(&stabilize(&raw, date)?)
}

fn stabilize(raw: &[u8], date: Date) -> io::Result<Vec<u8>> {
    use lopdf::{Object, StringFormat};
    let err = |e: lopdf::Error| io::Error::other(e.to_string());
    let mut pdf = lopdf::Document::load_mem(raw).map_err(err)?;
    let stamp = format!(
        "D:{:04}{:02}{:02}000000Z",
        date.year(),
        date.month(),
        date.day()
    );
    if let Ok(Object::Reference(info)) = pdf.trailer.get(b"Info").cloned() {
        if let Ok(Object::Dictionary(d)) = pdf.get_object_mut(info) {
            d.set(
                "CreationDate",
                Object::String(stamp.clone().into_bytes(), StringFormat::Literal),
            );
            d.set(
                "ModDate",
                Object::String(stamp.into_bytes(), StringFormat::Literal),
            );
            d.set(
                "Producer",
                Object::String(b"srmap".to_vec(), StringFormat::Literal),
            );
            d.set(
                "Creator",
                Object::String(b"srmap".to_vec(), StringFormat::Literal),
            );
        }
    }
    // The XMP packet repeats the time and carries random IDs: drop it (the Info dictionary stays).
    if let Ok(Object::Reference(root)) = pdf.trailer.get(b"Root").cloned() {
        if let Ok(Object::Dictionary(d)) = pdf.get_object_mut(root) {
            d.remove(b"Metadata");
        }
    }
    pdf.prune_objects();
    pdf.delete_zero_length_streams();
    pdf.compress();
    // A file ID derived from the content, as PDF readers expect one.
    let mut body = Vec::new();
    pdf.trailer.remove(b"ID");
    pdf.save_to(&mut body)?;
    let id = format!("{:032x}", fnv128(&body));
    pdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone().into_bytes(), StringFormat::Hexadecimal),
            Object::String(id.into_bytes(), StringFormat::Hexadecimal),
        ]),
    );
    let mut out = Vec::new();
    pdf.save_to(&mut out)?;
    Ok(out)
}

/// FNV-1a, 128-bit: a stable content fingerprint (not a security hash).
fn fnv128(data: &[u8]) -> u128 {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for &b in data {
        h ^= b as u128;
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    h
}

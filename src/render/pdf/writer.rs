//! Writes laid-out pages as a PDF with krilla: text in the embedded (subset) report font, the
//! running header with "Page N of M", link annotations (web addresses and jumps inside the
//! document), and the outline (bookmarks) from the headings' marks. The same inputs give the
//! same bytes: the only date is the report's own, and there are no random IDs.

use std::io::{self, Write};

use jiff::civil::Date;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::SerializeSettings;

use super::element::{Color, Document, Link, Style};
use super::font::Fonts;
use super::layout::{lay_out, Laid, Mark, Op, HEADER_Y, LEFT, PAGE_H, PAGE_W, RIGHT};
use super::GREY;

fn paint(c: Color) -> krilla::paint::Paint {
    let Color::Rgb(r, g, b) = c;
    rgb::Color::new(r, g, b).into()
}

fn fill(c: Color) -> Fill {
    Fill {
        paint: paint(c),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn text(s: &mut Surface<'_>, fonts: &Fonts, x: f32, y: f32, style: &Style, t: &str) {
    s.set_fill(Some(fill(style.color)));
    s.draw_text(
        Point::from_xy(x, y),
        fonts.font(style.face()).clone(),
        style.size,
        t,
        false,
        TextDirection::Auto,
    );
}

/// Lay the document out and write it.
pub fn write(doc: &Document, date: Date, out: &mut dyn Write) -> io::Result<()> {
    let mut fonts = Fonts::load()?;
    let laid = lay_out(doc, &mut fonts);
    out.write_all(&render(doc, &laid, date, &mut fonts)?)
}

fn render(doc: &Document, laid: &Laid, date: Date, fonts: &mut Fonts) -> io::Result<Vec<u8>> {
    let settings = SerializeSettings {
        // The XMP packet would repeat the metadata with a time and an instance ID.
        xmp_metadata: false,
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut pdf = krilla::Document::new_with(settings);
    let anchors = laid.anchors();
    let total = laid.pages.len();
    let size = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid page size");
    for (n, page) in laid.pages.iter().enumerate() {
        let mut p = pdf.start_page_with(size.clone());
        let mut s = p.surface();
        // The running header.
        let head = Style::new().with_font_size(7).with_color(GREY);
        let label = format!("{}   ·   Page {} of {total}", doc.running, n + 1);
        let w = fonts.width(&label, &head);
        text(&mut s, fonts, RIGHT - w, HEADER_Y, &head, &label);
        for op in &page.ops {
            match op {
                Op::Text {
                    x,
                    y,
                    style,
                    text: t,
                } => text(&mut s, fonts, *x, *y, style, t),
                Op::PageOf {
                    right,
                    y,
                    style,
                    anchor,
                } => {
                    let number = anchors
                        .get(anchor.as_str())
                        .map(|m| (m.page + 1).to_string())
                        .unwrap_or_default();
                    let w = fonts.width(&number, style);
                    text(&mut s, fonts, right - w, *y, style, &number);
                }
                Op::Line {
                    x1,
                    x2,
                    y,
                    width,
                    color,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y);
                    pb.line_to(*x2, *y);
                    if let Some(path) = pb.finish() {
                        s.set_fill(None);
                        s.set_stroke(Some(Stroke {
                            paint: paint(*color),
                            width: *width,
                            ..Stroke::default()
                        }));
                        s.draw_path(&path);
                        s.set_stroke(None);
                    }
                }
                Op::Rect { x, y, w, h, color } => {
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(rect);
                        if let Some(path) = pb.finish() {
                            s.set_fill(Some(fill(*color)));
                            s.draw_path(&path);
                        }
                    }
                }
            }
        }
        s.finish();
        for spot in &page.links {
            let Some(rect) = Rect::from_xywh(spot.x, spot.y, spot.w.max(1.0), spot.h) else {
                continue;
            };
            let target = match &spot.link {
                Link::Uri(uri) => Target::Action(Action::Link(LinkAction::new(uri.clone()))),
                Link::Anchor(a) => match anchors.get(a.as_str()) {
                    Some(m) => Target::Destination(Destination::Xyz(destination(m))),
                    None => continue,
                },
            };
            p.add_annotation(Annotation::new_link(
                LinkAnnotation::new(rect, target),
                None,
            ));
        }
        p.finish();
    }
    pdf.set_outline(outline(&laid.marks));
    let stamp = DateTime::new(date.year() as u16)
        .month(date.month() as u8)
        .day(date.day() as u8);
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .creator(format!("srmap {}", env!("CARGO_PKG_VERSION")))
            .producer("srmap".to_string())
            .creation_date(stamp),
    );
    pdf.finish()
        .map_err(|e| io::Error::other(format!("the PDF could not be written: {e:?}")))
}

fn destination(m: &Mark) -> XyzDestination {
    XyzDestination::new(m.page, Point::from_xy(LEFT, (m.y - 4.0).max(0.0)))
}

/// Bookmarks nested by level: a level-2 mark goes under the level-1 mark before it.
fn outline(marks: &[Mark]) -> Outline {
    struct Node {
        level: u8,
        node: OutlineNode,
    }
    let mut root = Outline::new();
    let mut stack: Vec<Node> = Vec::new();
    let close = |stack: &mut Vec<Node>, root: &mut Outline| {
        let done = stack.pop().expect("a node to close");
        match stack.last_mut() {
            Some(parent) => parent.node.push_child(done.node),
            None => root.push_child(done.node),
        }
    };
    for m in marks {
        let Some(level) = m.outline else { continue };
        while stack.last().is_some_and(|n| n.level >= level) {
            close(&mut stack, &mut root);
        }
        let node = OutlineNode::new(m.text.clone(), destination(m)).with_open(level <= 1);
        stack.push(Node { level, node });
    }
    while !stack.is_empty() {
        close(&mut stack, &mut root);
    }
    root
}

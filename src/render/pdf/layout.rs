//! Page layout: places a [`Document`]'s blocks on A4 landscape pages. Headings stay with what
//! follows them, table headers repeat on every page, and each heading in the outline leaves a
//! mark (page and height) that the table of contents, internal links and bookmarks point at.

use std::collections::HashMap;

use super::chart::BarChart;
use super::element::{Alignment, Block, Color, Document, Heading, Link, Paragraph, Run, Style};
use super::font::Fonts;
use super::table::{Table, HEAD_FILL, PAD, RULE};
use super::wrap::{wrap, Line, LongWords};

const MM: f32 = 72.0 / 25.4;
pub const PAGE_W: f32 = 297.0 * MM;
pub const PAGE_H: f32 = 210.0 * MM;
pub const LEFT: f32 = 14.0 * MM;
pub const RIGHT: f32 = PAGE_W - 14.0 * MM;
/// Where the running header's baseline sits.
pub const HEADER_Y: f32 = 10.0 * MM + 6.0;
const BODY_TOP: f32 = 10.0 * MM + 19.0;
const BODY_BOTTOM: f32 = PAGE_H - 12.0 * MM;
pub const WIDTH: f32 = RIGHT - LEFT;

/// Something drawn on a page; y is the baseline of text, the top of a rectangle.
#[derive(Debug, Clone)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    /// The page number of a mark, right-aligned at `right` (known once every page is laid out).
    PageOf {
        right: f32,
        y: f32,
        style: Style,
        anchor: String,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Color,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Color,
    },
}

/// A clickable area of a page.
#[derive(Debug, Clone)]
pub struct Hotspot {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub link: Link,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub ops: Vec<Op>,
    pub links: Vec<Hotspot>,
}

/// Where a heading landed.
#[derive(Debug, Clone)]
pub struct Mark {
    pub anchor: String,
    pub text: String,
    pub outline: Option<u8>,
    pub page: usize,
    pub y: f32,
}

pub struct Laid {
    pub pages: Vec<Page>,
    pub marks: Vec<Mark>,
}

impl Laid {
    pub fn anchors(&self) -> HashMap<&str, &Mark> {
        self.marks.iter().map(|m| (m.anchor.as_str(), m)).collect()
    }
}

struct Layouter<'a> {
    fonts: &'a mut Fonts,
    pages: Vec<Page>,
    marks: Vec<Mark>,
    y: f32,
}

/// The anchor of a heading: its own, or one from its place in the document.
fn anchor_of(h: &Heading, index: usize) -> String {
    h.anchor
        .clone()
        .unwrap_or_else(|| format!("section-{index}"))
}

pub fn lay_out(doc: &Document, fonts: &mut Fonts) -> Laid {
    let contents: Vec<(String, String, u8)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Heading(h) if h.toc => {
                Some((anchor_of(h, i), h.text.clone(), h.outline.unwrap_or(1)))
            }
            _ => None,
        })
        .collect();
    let mut l = Layouter {
        fonts,
        pages: Vec::new(),
        marks: Vec::new(),
        y: BODY_TOP,
    };
    l.new_page();
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(h) => {
                let need = l.heading_height(h) + l.first_part(&doc.blocks[i + 1..], 3);
                l.ensure(need);
                l.heading(h, anchor_of(h, i));
            }
            Block::Paragraph(p) => l.paragraph(p),
            Block::Break(b) => l.space(b.0 * Style::new().line_height()),
            Block::PageBreak => {
                if !l.at_top() {
                    l.new_page()
                }
            }
            Block::KeepSpace(k) => l.ensure(k.0 * MM),
            Block::Table(t) => l.table(t),
            Block::Chart(c) => l.chart(c),
            Block::Toc => l.contents(&contents),
        }
    }
    Laid {
        pages: l.pages,
        marks: l.marks,
    }
}

impl Layouter<'_> {
    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = BODY_TOP;
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn at_top(&self) -> bool {
        self.y <= BODY_TOP + 0.01
    }

    fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// A new page unless `h` points fit on this one.
    fn ensure(&mut self, h: f32) {
        if h > self.remaining() && !self.at_top() {
            self.new_page();
        }
    }

    fn space(&mut self, h: f32) {
        if !self.at_top() {
            self.y = (self.y + h).min(BODY_BOTTOM);
        }
    }

    fn heading_lines(&mut self, h: &Heading) -> Vec<Line> {
        let run = Run {
            text: h.text.clone(),
            style: h.style,
            link: None,
        };
        wrap(&[run], WIDTH, LongWords::AtSeparators, self.fonts)
    }

    fn heading_height(&mut self, h: &Heading) -> f32 {
        let lines = self.heading_lines(h);
        lines.iter().map(|l| l.height).sum::<f32>() + h.style.size * 0.25
    }

    /// How much of what follows a heading must share its page: the first two lines of a
    /// paragraph, a table's header and first row, a whole chart, a heading and its own.
    fn first_part(&mut self, rest: &[Block], depth: usize) -> f32 {
        let mut h = 0.0;
        for (i, b) in rest.iter().enumerate() {
            match b {
                Block::Break(b) => h += b.0 * Style::new().line_height(),
                Block::Paragraph(p) => {
                    let lines = wrap(&p.runs, WIDTH, LongWords::AtSeparators, self.fonts);
                    return h + lines.iter().take(2).map(|l| l.height).sum::<f32>();
                }
                Block::Table(t) => {
                    let widths = t.widths(WIDTH, self.fonts);
                    let head = row_height(t, &t.lay(&t.header, &widths, self.fonts));
                    let first = t
                        .rows
                        .first()
                        .map(|r| row_height(t, &t.lay(r, &widths, self.fonts)))
                        .unwrap_or(0.0);
                    return h + head + first.min(BODY_BOTTOM - BODY_TOP - head);
                }
                Block::Chart(c) => return h + c.height(),
                Block::Heading(x) if depth > 0 => {
                    let own = self.heading_height(x);
                    return h + own + self.first_part(&rest[i + 1..], depth - 1);
                }
                _ => return h,
            }
        }
        h
    }

    fn heading(&mut self, h: &Heading, anchor: String) {
        let lines = self.heading_lines(h);
        let top = self.y;
        self.draw_lines(&lines, LEFT, Alignment::Left);
        self.y += h.style.size * 0.25;
        if h.outline.is_some() || h.anchor.is_some() {
            let page = self.pages.len() - 1;
            self.marks.push(Mark {
                anchor,
                text: h.text.clone(),
                outline: h.outline,
                page,
                y: top,
            });
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let lines = wrap(&p.runs, WIDTH, LongWords::AtSeparators, self.fonts);
        self.draw_lines(&lines, LEFT, p.align);
    }

    /// Lines from the current height down, on as many pages as they need.
    fn draw_lines(&mut self, lines: &[Line], left: f32, align: Alignment) {
        for line in lines {
            if line.height > self.remaining() {
                self.new_page();
            }
            let x0 = match align {
                Alignment::Left => left,
                Alignment::Right => RIGHT - line.width,
                Alignment::Center => left + (RIGHT - left - line.width) / 2.0,
            };
            let (top, base) = (self.y, self.y + line.ascent);
            draw_line(self.page(), line, x0, base, top);
            self.y += line.height;
        }
    }

    /// A table, flowing down its page (or, for a table in columns, down each column of the
    /// page in turn), its header at the top of each.
    fn table(&mut self, t: &Table) {
        const GAP: f32 = 14.0;
        let cols = t.columns.max(1);
        let width = (WIDTH - GAP * (cols - 1) as f32) / cols as f32;
        let widths = t.widths(width, self.fonts);
        let head = t.lay(&t.header, &widths, self.fonts);
        let head_h = row_height(t, &head);
        let lh = t.line_height();
        let first = t
            .rows
            .first()
            .map(|r| row_height(t, &t.lay(r, &widths, self.fonts)))
            .unwrap_or(0.0);
        self.ensure(head_h + first.min(3.0 * lh + 2.0 * PAD));
        let mut at = Region {
            column: 0,
            top: self.y,
            lowest: self.y,
            left: LEFT,
            width,
        };
        self.table_header(&head, &widths, &at, head_h);
        for row in &t.rows {
            let cells = t.lay(row, &widths, self.fonts);
            let h = row_height(t, &cells);
            let full = BODY_BOTTOM - BODY_TOP - head_h;
            if h > self.remaining() && (h <= full || self.remaining() < 3.0 * lh + 2.0 * PAD) {
                self.next_region(&mut at, cols, GAP);
                self.table_header(&head, &widths, &at, head_h);
            }
            // Line by line when a row is taller than what is left (only rows taller than a page).
            let mut from = 0;
            let most = cells.iter().map(Vec::len).max().unwrap_or(0);
            loop {
                let fit = (((self.remaining() - 2.0 * PAD) / lh).floor() as usize).max(1);
                let to = (from + fit).min(most);
                let top = self.y;
                let mut x = at.left;
                for (cell, w) in cells.iter().zip(&widths) {
                    let mut y = top + PAD;
                    for line in cell.iter().take(to).skip(from) {
                        draw_line(self.page(), line, x + PAD, y + line.ascent, y);
                        y += line.height;
                    }
                    x += w;
                }
                self.y = top + (to - from) as f32 * lh + 2.0 * PAD;
                at.lowest = at.lowest.max(self.y);
                let y = self.y;
                self.page().ops.push(Op::Line {
                    x1: at.left,
                    x2: at.left + at.width,
                    y,
                    width: 0.4,
                    color: RULE,
                });
                from = to;
                if from >= most {
                    break;
                }
                self.next_region(&mut at, cols, GAP);
                self.table_header(&head, &widths, &at, head_h);
            }
        }
        self.y = at.lowest + 4.0;
    }

    /// The next column of a table in columns, or the first column of a new page.
    fn next_region(&mut self, at: &mut Region, cols: usize, gap: f32) {
        if at.column + 1 < cols {
            at.column += 1;
            self.y = at.top;
        } else {
            self.new_page();
            at.column = 0;
            at.top = self.y;
            at.lowest = self.y;
        }
        at.left = LEFT + at.column as f32 * (at.width + gap);
    }

    fn table_header(&mut self, head: &[Vec<Line>], widths: &[f32], at: &Region, head_h: f32) {
        let top = self.y;
        self.page().ops.push(Op::Rect {
            x: at.left,
            y: top,
            w: at.width,
            h: head_h,
            color: HEAD_FILL,
        });
        let mut x = at.left;
        for (cell, w) in head.iter().zip(widths) {
            let mut y = top + PAD;
            for line in cell {
                draw_line(self.page(), line, x + PAD, y + line.ascent, y);
                y += line.height;
            }
            x += w;
        }
        self.y = top + head_h;
        let y = self.y;
        self.page().ops.push(Op::Line {
            x1: at.left,
            x2: at.left + at.width,
            y,
            width: 0.8,
            color: super::INK,
        });
    }

    fn chart(&mut self, c: &BarChart) {
        let h = c.height();
        self.ensure(h);
        let top = self.y;
        let ops = c.draw(LEFT, top, WIDTH, self.fonts);
        self.page().ops.extend(ops);
        self.y += h;
    }

    /// The table of contents: indented by level, dotted to a right-aligned page number, each
    /// line a link to its heading.
    fn contents(&mut self, entries: &[(String, String, u8)]) {
        let number_w = 30.0;
        for (anchor, text, level) in entries {
            let style = if *level <= 1 {
                Style::new().bold().with_font_size(9.5)
            } else {
                Style::new()
            };
            let indent = (*level as f32 - 1.0).max(0.0) * 14.0;
            let lh = style.line_height();
            if lh > self.remaining() {
                self.new_page();
            }
            let max = WIDTH - indent - number_w - 10.0;
            let mut shown = text.clone();
            while self.fonts.width(&shown, &style) > max && shown.chars().count() > 4 {
                shown.pop();
                shown.pop();
                shown.push('…');
            }
            let w = self.fonts.width(&shown, &style);
            let base = self.y + style.ascent();
            let dot = Style::new().with_color(super::GREY);
            let dot_w = self.fonts.width(" .", &dot).max(1.0);
            let from = LEFT + indent + w + 4.0;
            let to = RIGHT - number_w;
            let dots = ((to - from) / dot_w).floor().max(0.0) as usize;
            let y = self.y;
            let page = self.page();
            page.ops.push(Op::Text {
                x: LEFT + indent,
                y: base,
                style,
                text: shown,
            });
            if dots > 0 {
                page.ops.push(Op::Text {
                    x: to - dots as f32 * dot_w,
                    y: base,
                    style: dot,
                    text: " .".repeat(dots),
                });
            }
            page.ops.push(Op::PageOf {
                right: RIGHT,
                y: base,
                style,
                anchor: anchor.clone(),
            });
            page.links.push(Hotspot {
                x: LEFT + indent,
                y,
                w: WIDTH - indent,
                h: lh,
                link: Link::Anchor(anchor.clone()),
            });
            self.y += lh;
        }
    }
}

/// Where a table is being drawn: which of its columns on the page, from where.
struct Region {
    column: usize,
    top: f32,
    lowest: f32,
    left: f32,
    width: f32,
}

fn row_height(t: &Table, cells: &[Vec<Line>]) -> f32 {
    let most = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    most as f32 * t.line_height() + 2.0 * PAD
}

/// A line's fragments as text, and its links as hotspots; `top` is the line's top.
fn draw_line(page: &mut Page, line: &Line, x0: f32, base: f32, top: f32) {
    for f in &line.frags {
        page.ops.push(Op::Text {
            x: x0 + f.x,
            y: base,
            style: f.style,
            text: f.text.clone(),
        });
        if let Some(link) = &f.link {
            page.links.push(Hotspot {
                x: x0 + f.x,
                y: top,
                w: f.width,
                h: line.height,
                link: link.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::element::Break;
    use super::*;

    fn text_of(page: &Page) -> Vec<String> {
        page.ops
            .iter()
            .filter_map(|o| match o {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_table_repeats_its_header_on_every_page() {
        let mut fonts = Fonts::load().unwrap();
        let mut doc = Document::new("t", "r");
        let mut t = Table::new(&["Control", "Owner"], &[1, 1]);
        for i in 0..200 {
            t.push(vec![format!("C-{i}").into(), "customer".into()]);
        }
        doc.push(t);
        let laid = lay_out(&doc, &mut fonts);
        assert!(laid.pages.len() >= 3);
        for page in &laid.pages {
            let text = text_of(page);
            assert_eq!(text[0], "Control", "{text:?}");
        }
        let all: Vec<String> = laid.pages.iter().flat_map(text_of).collect();
        for i in 0..200 {
            assert!(all.contains(&format!("C-{i}")), "row {i} is lost");
        }
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        let mut fonts = Fonts::load().unwrap();
        // Push the heading down a tenth of a line at a time, past the page's foot.
        let mut moved = 0;
        for tenths in 300..460 {
            let mut doc = Document::new("t", "r");
            doc.push(Paragraph::new("filler"));
            for _ in 0..tenths {
                doc.push(Break::new(0.1));
            }
            doc.push(Heading::new("The heading", Style::new().bold()).outline(1));
            let mut t = Table::new(&["A"], &[1]);
            t.push(vec!["row".into()]);
            doc.push(t);
            let laid = lay_out(&doc, &mut fonts);
            let m = &laid.marks[0];
            let after: Vec<String> = text_of(&laid.pages[m.page])
                .into_iter()
                .skip_while(|t| *t != m.text)
                .collect();
            assert!(
                after.len() > 2,
                "alone at the foot after {tenths} tenths: {after:?}"
            );
            moved += usize::from(m.page == 1);
        }
        assert!(moved > 0, "never reached the foot of the page");
    }
}

//! A table element for genpdf that measures its rows, moves a row that does not fit to the next
//! page whole, and repeats its header row on every page it spans.

use genpdf::error::Error;
use genpdf::render::Area;
use genpdf::style::{Color, Style};
use genpdf::{Context, Element, Mm, Position, RenderResult};

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub color: Option<Color>,
    pub bold: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            color: None,
            bold: false,
        }
    }

    pub fn colored(text: impl Into<String>, color: Color) -> Cell {
        Cell {
            text: text.into(),
            color: Some(color),
            bold: true,
        }
    }
}

impl<T: Into<String>> From<T> for Cell {
    fn from(t: T) -> Cell {
        Cell::new(t)
    }
}

pub struct Table {
    weights: Vec<usize>,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
    next: usize,
    font_size: u8,
}

const PAD: f64 = 0.9;
const RULE: Color = Color::Rgb(0xBF, 0xBF, 0xBF);

impl Table {
    pub fn new(header: &[&str], weights: &[usize]) -> Table {
        assert_eq!(header.len(), weights.len());
        Table {
            weights: weights.to_vec(),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            next: 0,
            font_size: 8,
        }
    }

    pub fn font_size(mut self, size: u8) -> Table {
        self.font_size = size;
        self
    }

    pub fn push(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), self.weights.len());
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

/// Greedy word wrap to `width`, breaking words longer than a line.
fn wrap(text: &str, width: Mm, style: Style, ctx: &Context) -> Vec<String> {
    let fits = |s: &str| style.str_width(&ctx.font_cache, s) <= width;
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if fits(word) {
                line = word.to_string();
            } else {
                for ch in word.chars() {
                    let mut next = line.clone();
                    next.push(ch);
                    if !line.is_empty() && !fits(&next) {
                        lines.push(std::mem::take(&mut line));
                    }
                    line.push(ch);
                }
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

struct Laid {
    lines: Vec<Vec<String>>,
    height: Mm,
}

impl Table {
    fn lay(&self, cells: &[(String, Style)], widths: &[Mm], ctx: &Context) -> Laid {
        let mut lines = Vec::new();
        let mut height = Mm::from(0);
        for ((text, style), w) in cells.iter().zip(widths) {
            let l = wrap(text, *w - Mm::from(2.0 * PAD), *style, ctx);
            let h = style.line_height(&ctx.font_cache) * l.len() as f64 + Mm::from(2.0 * PAD);
            height = height.max(h);
            lines.push(l);
        }
        Laid { lines, height }
    }

    fn draw(
        &self,
        area: &Area<'_>,
        y: Mm,
        laid: &Laid,
        styles: &[Style],
        xs: &[Mm],
        ctx: &Context,
    ) -> Result<(), Error> {
        for (i, lines) in laid.lines.iter().enumerate() {
            let lh = styles[i].line_height(&ctx.font_cache);
            for (n, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let pos = Position::new(xs[i] + Mm::from(PAD), y + Mm::from(PAD) + lh * n as f64);
                area.print_str(&ctx.font_cache, pos, styles[i], line)?;
            }
        }
        Ok(())
    }
}

impl Element for Table {
    fn render(
        &mut self,
        ctx: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let mut result = RenderResult::default();
        let base = style.with_font_size(self.font_size);
        let cols = area.split_horizontally(&self.weights);
        let widths: Vec<Mm> = cols.iter().map(|a| a.size().width).collect();
        let mut xs = Vec::with_capacity(widths.len());
        let mut x = Mm::from(0);
        for w in &widths {
            xs.push(x);
            x += *w;
        }
        let full = area.size();
        let line = |y: Mm, color: Color| {
            area.draw_line(
                vec![Position::new(0, y), Position::new(full.width, y)],
                Style::new().with_color(color),
            );
        };
        // Header
        let head_style = base.bold().with_color(super::INK);
        let head_cells: Vec<(String, Style)> = self
            .header
            .iter()
            .map(|h| (h.clone(), head_style))
            .collect();
        let head = self.lay(&head_cells, &widths, ctx);
        let head_styles = vec![head_style; self.header.len()];
        if head.height > full.height {
            result.has_more = true;
            return Ok(result);
        }
        let mut y = Mm::from(0);
        self.draw(&area, y, &head, &head_styles, &xs, ctx)?;
        y += head.height;
        line(y, super::INK);
        let mut drawn = 0;
        while self.next < self.rows.len() {
            let cells: Vec<(String, Style)> = self.rows[self.next]
                .iter()
                .map(|c| {
                    let mut s = base;
                    if c.bold {
                        s = s.bold();
                    }
                    if let Some(col) = c.color {
                        s = s.with_color(col);
                    }
                    (c.text.clone(), s)
                })
                .collect();
            let laid = self.lay(&cells, &widths, ctx);
            if y + laid.height > full.height && drawn > 0 {
                break;
            }
            let styles: Vec<Style> = cells.iter().map(|(_, s)| *s).collect();
            self.draw(&area, y, &laid, &styles, &xs, ctx)?;
            y += laid.height;
            line(y, RULE);
            self.next += 1;
            drawn += 1;
        }
        result.size = genpdf::Size::new(full.width, y + Mm::from(2));
        result.has_more = self.next < self.rows.len();
        Ok(result)
    }
}

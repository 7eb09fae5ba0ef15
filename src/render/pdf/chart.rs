//! Horizontal bar charts drawn with block characters, so they need no drawing primitives,
//! print in colour and stay readable (and extractable) as text.

use genpdf::style::{Color, Style};
use genpdf::{Context, Element, Mm, Position, RenderResult};

/// One bar: a label, and segments of (value, colour, legend).
pub struct Bar {
    pub label: String,
    pub segments: Vec<(usize, Color)>,
}

pub struct BarChart {
    bars: Vec<Bar>,
    /// Blocks for the largest total.
    width: usize,
}

impl BarChart {
    pub fn new(width: usize) -> BarChart {
        BarChart {
            bars: Vec::new(),
            width,
        }
    }

    pub fn bar(&mut self, label: impl Into<String>, segments: Vec<(usize, Color)>) {
        self.bars.push(Bar {
            label: label.into(),
            segments,
        });
    }
}

impl Element for BarChart {
    /// Labels in a measured column, bars from one left edge, totals after each bar.
    fn render(
        &mut self,
        ctx: &Context,
        area: genpdf::render::Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let text = style.with_font_size(8);
        let fc = &ctx.font_cache;
        let label_w = self
            .bars
            .iter()
            .map(|b| text.str_width(fc, &b.label))
            .fold(Mm::from(0), |a, b| a.max(b))
            + Mm::from(3);
        let block = text.str_width(fc, "\u{2588}");
        let line = text.line_height(fc);
        let max = self
            .bars
            .iter()
            .map(|b| b.segments.iter().map(|s| s.0).sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut y = Mm::from(0);
        for b in &self.bars {
            area.print_str(fc, Position::new(0, y), text, &b.label)?;
            let mut x = label_w;
            let mut used = 0;
            let mut cumulative = 0;
            for (v, color) in &b.segments {
                cumulative += v;
                // Round cumulatively so the segments add up to the bar's length.
                let end = (cumulative * self.width).div_ceil(max);
                let n = end.saturating_sub(used);
                used = end;
                if *v > 0 && n > 0 {
                    let blocks = "\u{2588}".repeat(n);
                    area.print_str(fc, Position::new(x, y), text.with_color(*color), &blocks)?;
                    x += block * n as f64;
                }
            }
            let total: usize = b.segments.iter().map(|s| s.0).sum();
            area.print_str(
                fc,
                Position::new(x + Mm::from(1.5), y),
                text.bold(),
                total.to_string(),
            )?;
            y += line;
        }
        Ok(RenderResult {
            size: genpdf::Size::new(area.size().width, y),
            has_more: false,
        })
    }
}

//! Horizontal bar charts: a label column, bars from one left edge (the axis starts at zero),
//! coloured segments, and each bar's total after it as text.

use super::element::{Color, Style};
use super::font::Fonts;
use super::layout::Op;

/// One bar: a label, and segments of (value, colour).
pub struct Bar {
    pub label: String,
    pub segments: Vec<(usize, Color)>,
}

pub struct BarChart {
    bars: Vec<Bar>,
    /// The longest bar's length, in character widths of the chart's text (about 4.5 points each).
    width: usize,
}

const SIZE: f32 = 8.0;

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

    fn style() -> Style {
        Style::new().with_font_size(SIZE)
    }

    pub fn height(&self) -> f32 {
        self.bars.len() as f32 * Self::style().line_height() + 2.0
    }

    /// The chart's drawing with its top-left corner at (`left`, `top`), at most `avail` wide.
    pub fn draw(&self, left: f32, top: f32, avail: f32, fonts: &mut Fonts) -> Vec<Op> {
        let text = Self::style();
        let lh = text.line_height();
        let label_w = self
            .bars
            .iter()
            .map(|b| fonts.width(&b.label, &text))
            .fold(0.0, f32::max)
            + 8.0;
        let max = self
            .bars
            .iter()
            .map(|b| b.segments.iter().map(|s| s.0).sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        let length = (self.width as f32 * SIZE * 0.56).min(avail - label_w - 40.0);
        let mut ops = Vec::new();
        let mut y = top;
        for b in &self.bars {
            let base = y + text.ascent();
            ops.push(Op::Text {
                x: left,
                y: base,
                style: text,
                text: b.label.clone(),
            });
            let mut x = left + label_w;
            let mut cumulative = 0;
            let mut drawn = 0.0;
            for (v, color) in &b.segments {
                cumulative += v;
                // Cumulative ends, so the segments add up to the bar's length exactly.
                let end = cumulative as f32 / max as f32 * length;
                let w = end - drawn;
                if *v > 0 && w > 0.0 {
                    ops.push(Op::Rect {
                        x,
                        y: y + lh * 0.12,
                        w,
                        h: lh * 0.72,
                        color: *color,
                    });
                    x += w;
                }
                drawn = end;
            }
            let total: usize = b.segments.iter().map(|s| s.0).sum();
            ops.push(Op::Text {
                x: x + 4.0,
                y: base,
                style: text.bold(),
                text: total.to_string(),
            });
            y += lh;
        }
        ops
    }
}

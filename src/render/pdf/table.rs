//! Tables: a header row repeated on every page the table spans, columns sized by weight but
//! never narrower than their longest word (so an ID or a gap code is never cut), rows kept whole
//! on a page unless one is taller than a page.

use super::element::{Color, Link, Run, Style, LINK};
use super::font::Fonts;
use super::wrap::{min_width, wrap, Line, LongWords};

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub color: Option<Color>,
    pub bold: bool,
    pub link: Option<Link>,
    /// Whether a word wider than the column may be cut at separators (addresses, free text).
    pub long: LongWords,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            color: None,
            bold: false,
            link: None,
            long: LongWords::Anywhere,
        }
    }

    /// An identifier (a control ID such as `Art. 32`): never broken across lines.
    pub fn id(text: impl AsRef<str>) -> Cell {
        Cell::new(super::keep(text.as_ref()))
    }

    pub fn colored(text: impl Into<String>, color: Color) -> Cell {
        Cell {
            color: Some(color),
            bold: true,
            ..Cell::new(text)
        }
    }

    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }

    /// A link to `link`, drawn in the link colour.
    pub fn linked(mut self, link: Link) -> Cell {
        self.link = Some(link);
        self.color = Some(LINK);
        self
    }

    /// An evidence location or web address: a link if a reader can open it, and cut at its
    /// separators when it is wider than its column.
    pub fn location(text: impl Into<String>) -> Cell {
        let text = text.into();
        let mut cell = Cell::new(text.clone());
        cell.long = LongWords::AtSeparators;
        match Link::web(&text) {
            Some(link) => cell.linked(link),
            None => cell,
        }
    }

    /// Free text whose long words may be cut at separators.
    pub fn prose(text: impl Into<String>) -> Cell {
        let mut cell = Cell::new(text);
        cell.long = LongWords::AtSeparators;
        cell
    }

    fn style(&self, base: Style) -> Style {
        let mut s = base;
        if self.bold {
            s = s.bold();
        }
        if let Some(c) = self.color {
            s = s.with_color(c);
        }
        s
    }
}

impl<T: Into<String>> From<T> for Cell {
    fn from(t: T) -> Cell {
        Cell::new(t)
    }
}

pub struct Table {
    pub(super) weights: Vec<usize>,
    pub(super) header: Vec<Cell>,
    pub(super) rows: Vec<Vec<Cell>>,
    font_size: f32,
    /// Side-by-side columns the table flows through on each page (1: the full width).
    pub(super) columns: usize,
}

/// Cell padding, points.
pub const PAD: f32 = 2.6;
pub const RULE: Color = Color::Rgb(0xBF, 0xBF, 0xBF);
pub const HEAD_FILL: Color = Color::Rgb(0xE9, 0xEE, 0xF6);

impl Table {
    pub fn new(header: &[&str], weights: &[usize]) -> Table {
        assert_eq!(header.len(), weights.len());
        Table {
            weights: weights.to_vec(),
            header: header
                .iter()
                .map(|h| Cell::colored(*h, super::INK))
                .collect(),
            rows: Vec::new(),
            font_size: 8.0,
            columns: 1,
        }
    }

    /// Flow the table down two columns per page (for long tables of two or three short columns).
    pub fn two_up(mut self) -> Table {
        self.columns = 2;
        self
    }

    pub fn font_size(mut self, size: impl Into<f64>) -> Table {
        self.font_size = size.into() as f32;
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

    fn base(&self) -> Style {
        Style::new().with_font_size(self.font_size)
    }

    /// Column widths for a table `avail` points wide: by weight, then widened to the longest
    /// word of each column, the difference taken from columns with room to spare.
    pub(super) fn widths(&self, avail: f32, fonts: &mut Fonts) -> Vec<f32> {
        let total: usize = self.weights.iter().sum::<usize>().max(1);
        let mut widths: Vec<f32> = self
            .weights
            .iter()
            .map(|w| avail * *w as f32 / total as f32)
            .collect();
        let base = self.base();
        let mut mins = vec![0.0f32; widths.len()];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, cell) in row.iter().enumerate() {
                let w = min_width(&cell.text, &cell.style(base), cell.long, fonts) + 2.0 * PAD;
                mins[i] = mins[i].max(w);
            }
        }
        if mins.iter().sum::<f32>() > avail {
            // Cannot fit every word whole: keep the weights (long words are cut).
            return widths;
        }
        let deficit: f32 = widths
            .iter()
            .zip(&mins)
            .map(|(w, m)| (m - w).max(0.0))
            .sum();
        if deficit > 0.0 {
            let spare: f32 = widths
                .iter()
                .zip(&mins)
                .map(|(w, m)| (w - m).max(0.0))
                .sum();
            for (w, m) in widths.iter_mut().zip(&mins) {
                if *w < *m {
                    *w = *m;
                } else {
                    *w -= (*w - m) / spare * deficit;
                }
            }
        }
        widths
    }

    /// The lines of each cell of a row.
    pub(super) fn lay(&self, row: &[Cell], widths: &[f32], fonts: &mut Fonts) -> Vec<Vec<Line>> {
        let base = self.base();
        row.iter()
            .zip(widths)
            .map(|(cell, w)| {
                let run = Run {
                    text: cell.text.clone(),
                    style: cell.style(base),
                    link: cell.link.clone(),
                };
                wrap(&[run], w - 2.0 * PAD, cell.long, fonts)
            })
            .collect()
    }

    pub(super) fn line_height(&self) -> f32 {
        self.base().line_height()
    }
}

//! What a PDF report is made of, before it is laid out: styled text with optional links,
//! headings that feed the outline and the table of contents, vertical space, page breaks,
//! tables and charts. Reports build a [`Document`] of these; `layout` places them on pages.

use super::chart::BarChart;
use super::table::Table;

/// A colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    Rgb(u8, u8, u8),
}

pub const BLACK: Color = Color::Rgb(0, 0, 0);
/// The colour of link text.
pub const LINK: Color = Color::Rgb(0x1F, 0x4E, 0xA8);

/// The four faces of the report's font family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

/// Font size (points), face and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub color: Color,
}

/// The body text size, in points.
pub const BODY_SIZE: f32 = 9.0;

impl Default for Style {
    fn default() -> Style {
        Style::new()
    }
}

impl Style {
    pub const fn new() -> Style {
        Style {
            size: BODY_SIZE,
            bold: false,
            italic: false,
            color: BLACK,
        }
    }

    pub const fn bold(mut self) -> Style {
        self.bold = true;
        self
    }

    pub const fn italic(mut self) -> Style {
        self.italic = true;
        self
    }

    pub fn with_font_size(mut self, size: impl Into<f64>) -> Style {
        self.size = size.into() as f32;
        self
    }

    pub const fn with_color(mut self, color: Color) -> Style {
        self.color = color;
        self
    }

    pub const fn face(&self) -> Face {
        match (self.bold, self.italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// The distance from one baseline to the next.
    pub fn line_height(&self) -> f32 {
        self.size * LINE_SPACING
    }

    /// From the top of a line to its baseline.
    pub fn ascent(&self) -> f32 {
        self.size * 0.95 + self.size * (LINE_SPACING - 1.16) / 2.0
    }
}

/// Line height as a multiple of the font size (DejaVu's ascent + descent is 1.16 em).
pub const LINE_SPACING: f32 = 1.34;

/// Where a piece of text leads when clicked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Link {
    /// An address outside the document (https, mailto, file...).
    Uri(String),
    /// A heading of the same document, by its anchor.
    Anchor(String),
}

impl Link {
    /// A link for an evidence location or provider page, if it is one a PDF reader can open:
    /// `https://`, `http://`, `mailto:` and `file:` addresses. Storage paths such as `s3://` or
    /// `sharepoint://` name a place no reader opens; they stay plain text.
    pub fn web(location: &str) -> Option<Link> {
        let l = location.trim();
        let lower = l.to_ascii_lowercase();
        let opens = ["https://", "http://", "mailto:", "file:"]
            .iter()
            .any(|p| lower.starts_with(p));
        (opens && !l.contains(char::is_whitespace)).then(|| Link::Uri(l.to_string()))
    }
}

/// A run of text in one style, perhaps a link.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alignment {
    #[default]
    Left,
    Center,
    Right,
}

/// Text that wraps at spaces (and at line breaks in it), made of styled runs.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    pub align: Alignment,
}

impl Paragraph {
    pub fn new(text: impl Into<String>) -> Paragraph {
        Paragraph::default().styled_string(text, Style::new())
    }

    pub fn styled_string(mut self, text: impl Into<String>, style: Style) -> Paragraph {
        self.runs.push(Run {
            text: text.into(),
            style,
            link: None,
        });
        self
    }

    pub fn push_styled(&mut self, text: impl Into<String>, style: Style) {
        self.runs.push(Run {
            text: text.into(),
            style,
            link: None,
        });
    }

    pub fn push(&mut self, text: impl Into<String>) {
        self.push_styled(text, Style::new());
    }

    /// A run that is a link (drawn in the link colour).
    pub fn link(mut self, text: impl Into<String>, style: Style, link: Link) -> Paragraph {
        self.runs.push(Run {
            text: text.into(),
            style: style.with_color(LINK),
            link: Some(link),
        });
        self
    }

    pub fn aligned(mut self, align: Alignment) -> Paragraph {
        self.align = align;
        self
    }
}

/// A section heading. With an outline level it is a bookmark in the PDF's outline and a line of
/// the table of contents (level 1 at the top); it never ends a page alone.
#[derive(Debug, Clone)]
pub struct Heading {
    pub text: String,
    pub style: Style,
    pub outline: Option<u8>,
    /// Listed in the table of contents (headings in the outline are, unless told otherwise).
    pub toc: bool,
    pub anchor: Option<String>,
}

impl Heading {
    pub fn new(text: impl Into<String>, style: Style) -> Heading {
        Heading {
            text: text.into(),
            style,
            outline: None,
            toc: false,
            anchor: None,
        }
    }

    /// A bookmark at `level` (1 = top) and a table of contents line.
    pub fn outline(mut self, level: u8) -> Heading {
        self.outline = Some(level);
        self.toc = true;
        self
    }

    /// A bookmark, but no line in the table of contents.
    pub fn outline_only(mut self, level: u8) -> Heading {
        self.outline = Some(level);
        self.toc = false;
        self
    }

    /// The name links inside the document point at.
    pub fn anchor(mut self, anchor: impl Into<String>) -> Heading {
        self.anchor = Some(anchor.into());
        self
    }
}

/// Vertical space, in body lines.
#[derive(Debug, Clone, Copy)]
pub struct Break(pub f32);

impl Break {
    pub fn new(lines: impl Into<f64>) -> Break {
        Break(lines.into() as f32)
    }
}

/// Start a new page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageBreak;

impl PageBreak {
    pub fn new() -> PageBreak {
        PageBreak
    }
}

/// Start a new page unless this much space (millimetres) is left on this one: keeps a short
/// block together with what follows.
#[derive(Debug, Clone, Copy)]
pub struct KeepSpace(pub f32);

/// The table of contents: a line per heading listed in it, with its page, each a link.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOfContents;

/// One block of a document.
pub enum Block {
    Heading(Heading),
    Paragraph(Paragraph),
    Break(Break),
    PageBreak,
    KeepSpace(KeepSpace),
    Table(Table),
    Chart(BarChart),
    Toc,
}

macro_rules! block_from {
    ($($t:ty => $v:expr),* $(,)?) => {
        $(impl From<$t> for Block {
            fn from(x: $t) -> Block {
                ($v)(x)
            }
        })*
    };
}

block_from! {
    Heading => Block::Heading,
    Paragraph => Block::Paragraph,
    Break => Block::Break,
    PageBreak => |_| Block::PageBreak,
    KeepSpace => Block::KeepSpace,
    Table => Block::Table,
    BarChart => Block::Chart,
    TableOfContents => |_| Block::Toc,
}

/// A report before layout: its blocks in order, and what every page carries.
pub struct Document {
    pub title: String,
    /// The running header's left part (the page number follows it).
    pub running: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>, running: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            running: running.into(),
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, block: impl Into<Block>) {
        self.blocks.push(block.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_a_reader_opens_are_links() {
        assert_eq!(
            Link::web("https://example.com/a b"),
            None,
            "a space is not part of an address"
        );
        assert!(Link::web("https://grc.example.com/evidence/1").is_some());
        assert!(Link::web("HTTP://x").is_some());
        assert!(Link::web("mailto:grc@example.com").is_some());
        assert_eq!(Link::web("s3://bucket/key"), None);
        assert_eq!(Link::web("sharepoint://site/doc"), None);
        assert_eq!(Link::web("Evidence folder"), None);
    }
}

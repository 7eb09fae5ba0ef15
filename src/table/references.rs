//! The cell references of a sheet's XML, checked as the package scan streams past them.
//!
//! calamine turns every `r` attribute (of a cell, `<c r="B7">`, and of a row, `<row r="7">`) and
//! every `ref` (the sheet's dimension, merged areas, shared formulas) into 32-bit numbers
//! without a check: 26 letters or 10 digits overflow, so a reference such as `AAAAAAAAAA1` or
//! `A4294967297` wraps around to another cell (a debug build panics). The row and column limits
//! of the cell reader come too late for those, so every such attribute is read here first, by a
//! small tokenizer of tags and attribute values (text, comments, CDATA and processing
//! instructions are skipped; both quote characters and spaces around `=` are XML), and one beyond
//! Excel's grid, or a range that ends before it starts, refuses the workbook.

use crate::table::limits::{MAX_COLUMNS, MAX_ROWS};

/// What is wrong with a reference: the attribute's value and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReference {
    /// The value as written (its first [`SHOWN`] characters).
    pub text: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Beyond XFD.
    Column,
    /// Beyond row 1,048,576.
    Row,
    /// A range whose end comes before its start (`B2:A1`).
    Reversed,
    /// Longer than any reference (over [`LONGEST`] characters).
    Long,
}

impl BadReference {
    /// Whether the reference is a row's number (`<row r="7">`) rather than a cell's.
    pub fn is_row(&self) -> bool {
        !self.text.is_empty() && self.text.bytes().all(|b| b.is_ascii_digit())
    }

    /// The sentence a refusal says, after "the sheet has ...".
    pub fn describe(&self) -> String {
        let text = &self.text;
        match self.problem {
            Problem::Column => {
                format!("a cell reference `{text}` beyond Excel's last column, XFD")
            }
            Problem::Row if self.is_row() => {
                format!("a row numbered {text}, beyond Excel's last row, 1,048,576")
            }
            Problem::Row => {
                format!("a cell reference `{text}` beyond Excel's last row, 1,048,576")
            }
            Problem::Reversed => format!("a range `{text}` that ends before it starts"),
            Problem::Long => format!("a cell reference `{text}...` over {LONGEST} characters long"),
        }
    }
}

/// A value kept whole up to this length; a longer `r` or `ref` is refused.
const LONGEST: usize = 256;

/// Characters of a value shown in a message.
const SHOWN: usize = 40;

/// Where the tokenizer is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tags.
    #[default]
    Text,
    /// Just after `<`.
    Open,
    /// After `<!`: a comment (`<!--`), CDATA (`<![`) or a declaration.
    Bang,
    /// Inside markup skipped until its terminator (`-->`, `]]>`, `?>`, `>`), `matched` bytes of
    /// it seen.
    Skip(Terminator, usize),
    /// In an element's name.
    ElementName,
    /// In a start tag, between attributes.
    Tag,
    /// In an attribute's name.
    Name,
    /// After an attribute's name, before `=`.
    AfterName,
    /// After `=`, before the quote.
    AfterEq,
    /// In a value quoted with this byte.
    Value(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminator {
    Comment,
    Cdata,
    Instruction,
    Tag,
}

impl Terminator {
    fn bytes(self) -> &'static [u8] {
        match self {
            Terminator::Comment => b"-->",
            Terminator::Cdata => b"]]>",
            Terminator::Instruction => b"?>",
            Terminator::Tag => b">",
        }
    }
}

/// The references of one sheet's XML, fed in order.
#[derive(Debug, Default)]
pub struct References {
    state: State,
    /// The attribute name being read (its first bytes).
    name: [u8; 4],
    name_len: usize,
    /// Whether the value being read is a reference (`r`) or a range (`ref`).
    wanted: Option<Kind>,
    value: Vec<u8>,
    /// Bytes of the value beyond what is kept.
    overflow: bool,
    /// The first bad reference.
    pub bad: Option<BadReference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cell,
    Range,
}

fn space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl References {
    /// Read the next bytes of the part (stops looking once a bad reference is found).
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() && self.bad.is_none() {
            let b = bytes[i];
            match self.state {
                State::Text => match memchr::memchr(b'<', &bytes[i..]) {
                    Some(k) => {
                        i += k;
                        self.state = State::Open;
                    }
                    None => return,
                },
                State::Open => {
                    self.state = match b {
                        b'!' => State::Bang,
                        b'?' => State::Skip(Terminator::Instruction, 0),
                        b'/' => State::Skip(Terminator::Tag, 0),
                        b'>' => State::Text,
                        _ => State::ElementName,
                    }
                }
                State::Bang => {
                    self.state = match b {
                        b'-' => State::Skip(Terminator::Comment, 0),
                        b'[' => State::Skip(Terminator::Cdata, 0),
                        b'>' => State::Text,
                        _ => State::Skip(Terminator::Tag, 0),
                    }
                }
                State::Skip(end, matched) => {
                    let end_bytes = end.bytes();
                    if matched == 0 {
                        // Jump to the terminator's first byte.
                        match memchr::memchr(end_bytes[0], &bytes[i..]) {
                            Some(k) => i += k,
                            None => return,
                        }
                    }
                    let b = bytes[i];
                    let matched = if b == end_bytes[matched] {
                        matched + 1
                    } else if b == end_bytes[0] {
                        1
                    } else {
                        0
                    };
                    self.state = if matched == end_bytes.len() {
                        State::Text
                    } else {
                        State::Skip(end, matched)
                    };
                }
                State::ElementName => {
                    if space(b) {
                        self.state = State::Tag;
                    } else if b == b'>' {
                        self.state = State::Text;
                    } else if b == b'/' {
                        self.state = State::Tag;
                    }
                }
                State::Tag => {
                    if b == b'>' {
                        self.state = State::Text;
                    } else if !space(b) && b != b'/' {
                        self.name_len = 0;
                        self.push_name(b);
                        self.state = State::Name;
                    }
                }
                State::Name => {
                    if b == b'=' {
                        self.state = State::AfterEq;
                    } else if space(b) {
                        self.state = State::AfterName;
                    } else if b == b'>' {
                        self.state = State::Text;
                    } else {
                        self.push_name(b);
                    }
                }
                State::AfterName => {
                    if b == b'=' {
                        self.state = State::AfterEq;
                    } else if b == b'>' {
                        self.state = State::Text;
                    } else if !space(b) {
                        // Another attribute: the last one had no value.
                        self.name_len = 0;
                        self.push_name(b);
                        self.state = State::Name;
                    }
                }
                State::AfterEq => {
                    if b == b'"' || b == b'\'' {
                        self.wanted = match &self.name[..self.name_len.min(4)] {
                            b"r" if self.name_len == 1 => Some(Kind::Cell),
                            b"ref" if self.name_len == 3 => Some(Kind::Range),
                            _ => None,
                        };
                        self.value.clear();
                        self.overflow = false;
                        self.state = State::Value(b);
                    } else if b == b'>' {
                        self.state = State::Text;
                    } else if !space(b) {
                        self.state = State::Tag;
                    }
                }
                State::Value(quote) => {
                    let rest = &bytes[i..];
                    let (part, closed) = match memchr::memchr(quote, rest) {
                        Some(k) => (&rest[..k], true),
                        None => (rest, false),
                    };
                    if self.wanted.is_some() {
                        let room = LONGEST + 1 - self.value.len().min(LONGEST + 1);
                        if part.len() > room {
                            self.overflow = true;
                        }
                        self.value.extend_from_slice(&part[..part.len().min(room)]);
                    }
                    i += part.len();
                    if !closed {
                        return;
                    }
                    if let Some(kind) = self.wanted.take() {
                        self.bad = check(&self.value, kind, self.overflow);
                    }
                    self.state = State::Tag;
                }
            }
            i += 1;
        }
    }

    fn push_name(&mut self, b: u8) {
        if self.name_len < self.name.len() {
            self.name[self.name_len] = b;
        }
        self.name_len = self.name_len.saturating_add(1);
    }
}

/// Check one `r` or `ref` value as calamine would read it. Values that are not letters then
/// digits are left to calamine, which refuses them without reading a number.
fn check(value: &[u8], kind: Kind, overflow: bool) -> Option<BadReference> {
    let bad = |problem| {
        Some(BadReference {
            text: String::from_utf8_lossy(&value[..value.len().min(SHOWN)]).into_owned(),
            problem,
        })
    };
    if overflow || value.len() > LONGEST {
        return if value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b':')
        {
            bad(Problem::Long)
        } else {
            None
        };
    }
    // A range's two ends (a cell's one), without allocating: this runs for every cell.
    let (first, second) = match kind {
        Kind::Cell => (value, None),
        Kind::Range => {
            let mut pieces = value.splitn(3, |b| *b == b':');
            let first = pieces.next().unwrap_or_default();
            let second = pieces.next();
            if pieces.next().is_some() {
                return None;
            }
            (first, second)
        }
    };
    let mut ends = [(0, 0); 2];
    for (i, piece) in std::iter::once(first).chain(second).enumerate() {
        let (col, row) = position(piece)?;
        if col > u64::from(MAX_COLUMNS) {
            return bad(Problem::Column);
        }
        if row > u64::from(MAX_ROWS) {
            return bad(Problem::Row);
        }
        ends[i] = (col, row);
    }
    if second.is_some() {
        let [(c0, r0), (c1, r1)] = ends;
        // calamine subtracts the start from the end.
        if c1 < c0 || r1 < r0 {
            return bad(Problem::Reversed);
        }
    }
    None
}

/// Letters then digits as 1-based (column, row), saturating; none when the text is not that
/// shape. A row alone (`<row r="7">`) has column 0.
fn position(text: &[u8]) -> Option<(u64, u64)> {
    let split = text.iter().position(|b| b.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if !letters.iter().all(u8::is_ascii_alphabetic) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = letters.iter().fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = digits.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    Some((col, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str) -> Option<BadReference> {
        let mut refs = References::default();
        refs.feed(xml.as_bytes());
        refs.bad
    }

    /// The same, fed one byte at a time (a tag split between reads).
    fn scan_bytes(xml: &str) -> Option<BadReference> {
        let mut refs = References::default();
        for b in xml.as_bytes() {
            refs.feed(std::slice::from_ref(b));
        }
        refs.bad
    }

    fn problem(xml: &str) -> Option<Problem> {
        let whole = scan(xml);
        assert_eq!(whole, scan_bytes(xml), "{xml}");
        whole.map(|b| b.problem)
    }

    #[test]
    fn references_in_the_grid_pass() {
        let sheet = r#"<?xml version="1.0"?><worksheet><dimension ref="A1:XFD1048576"/>
            <sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c>
            <c r='XFD1048576'><v>1</v></c></row><row r="1048576"/></sheetData>
            <mergeCells><mergeCell ref="B2:C3"/></mergeCells></worksheet>"#;
        assert_eq!(problem(sheet), None);
    }

    #[test]
    fn references_beyond_the_grid_are_found() {
        assert_eq!(problem(r#"<c r="XFE1"/>"#), Some(Problem::Column));
        assert_eq!(problem(r#"<c r="AAAAAAAAAA1"/>"#), Some(Problem::Column));
        assert_eq!(problem(r#"<c r="numFmtIdG8"/>"#), Some(Problem::Column));
        assert_eq!(problem(r#"<c r="A1048577"/>"#), Some(Problem::Row));
        assert_eq!(problem(r#"<row r="4294967297">"#), Some(Problem::Row));
        assert_eq!(
            problem(r#"<c x="1" r = 'a99999999999'>"#),
            Some(Problem::Row)
        );
        assert_eq!(
            problem(r#"<dimension ref="A1:ZZZZZZZ2"/>"#),
            Some(Problem::Column)
        );
        assert_eq!(
            problem(r#"<mergeCell ref="B2:A1"/>"#),
            Some(Problem::Reversed)
        );
        let long = format!(r#"<c r="A{}1"/>"#, "0".repeat(300));
        assert_eq!(problem(&long), Some(Problem::Long));
        let bad = scan(r#"<c r="AAAAAAAAAA1"/>"#).unwrap();
        assert_eq!(
            bad.describe(),
            "a cell reference `AAAAAAAAAA1` beyond Excel's last column, XFD"
        );
    }

    #[test]
    fn text_comments_and_other_attributes_are_not_references() {
        let sheet = r##"<c r="A1" t="inlineStr"><is><t> r="ZZZZZZZZ1" </t></is></c>
            <!-- <c r="ZZZZZZZZ1"/> --><![CDATA[ <c r="ZZZZZZZZ1"/> ]]><?pi r="ZZZZZZZZ1"?>
            <c sqref="ZZZZZZZZ1" x:r="ZZZZZZZZ1" rr="ZZZZZZZZ1" note='say r="ZZZZZZZZ1"'/>
            <c r="#REF!"/><c r="A1B"/><dimension ref="A1:B2:C3"/>"##;
        assert_eq!(problem(sheet), None);
    }
}

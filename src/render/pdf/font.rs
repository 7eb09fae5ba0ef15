//! The report font (DejaVu Sans Condensed, built in): its four faces for drawing, and the
//! advance widths the layout measures text with.

use std::collections::HashMap;
use std::io;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::element::{Face, Style};

/// One face: the font for drawing and its widths (in em) for measuring.
pub struct FaceData {
    pub font: krilla::text::Font,
    /// Advance widths of the first 0x2600 code points (Latin, punctuation, arrows, blocks).
    common: Vec<f32>,
    /// Wider code points, measured as they come.
    rest: HashMap<char, f32>,
    bytes: &'static [u8],
}

const COMMON: usize = 0x2600;

impl FaceData {
    fn new(bytes: &'static [u8]) -> io::Result<FaceData> {
        let bad = |what: &str| io::Error::other(format!("the built-in report font {what}"));
        let font = krilla::text::Font::new(bytes.into(), 0)
            .ok_or_else(|| bad("cannot be read for drawing"))?;
        let face = FontRef::new(bytes).map_err(|_| bad("cannot be read for measuring"))?;
        let upem = face
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        let charmap = face.charmap();
        let metrics = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let width = |c: u32| -> f32 {
            let gid = charmap.map(c).unwrap_or_default();
            metrics.advance_width(gid).unwrap_or(0.0) / upem
        };
        let common = (0..COMMON as u32).map(width).collect();
        Ok(FaceData {
            font,
            common,
            rest: HashMap::new(),
            bytes,
        })
    }

    fn em(&mut self, c: char) -> f32 {
        if let Some(w) = self.common.get(c as usize) {
            return *w;
        }
        let bytes = self.bytes;
        *self.rest.entry(c).or_insert_with(|| {
            FontRef::new(bytes)
                .ok()
                .and_then(|f| {
                    let upem = f
                        .metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em;
                    let gid = f.charmap().map(c)?;
                    let w = f
                        .glyph_metrics(Size::unscaled(), LocationRef::default())
                        .advance_width(gid)?;
                    Some(w / upem as f32)
                })
                .unwrap_or(0.5)
        })
    }
}

/// The family: regular, bold, oblique and bold oblique.
pub struct Fonts {
    faces: [FaceData; 4],
}

impl Fonts {
    pub fn load() -> io::Result<Fonts> {
        let [regular, bold, italic, bold_italic] = crate::templates::report_fonts();
        Ok(Fonts {
            faces: [
                FaceData::new(regular)?,
                FaceData::new(bold)?,
                FaceData::new(italic)?,
                FaceData::new(bold_italic)?,
            ],
        })
    }

    fn index(face: Face) -> usize {
        match face {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }

    pub fn font(&self, face: Face) -> &krilla::text::Font {
        &self.faces[Self::index(face)].font
    }

    /// The width of `text` in `style`, in points (advances, without kerning: never narrower
    /// than the drawn text).
    pub fn width(&mut self, text: &str, style: &Style) -> f32 {
        let face = &mut self.faces[Self::index(style.face())];
        text.chars().map(|c| face.em(c)).sum::<f32>() * style.size
    }
}

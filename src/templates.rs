//! Built-in templates: fonts for PDF reports (embedded; system fonts are never read).

use include_dir::{include_dir, Dir};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// A file under `templates/`, by relative path.
pub fn file(rel: &str) -> Option<&'static [u8]> {
    TEMPLATES.get_file(rel).map(|f| f.contents())
}

/// The report font family: DejaVu Sans Condensed (subset), regular, bold, italic, bold italic.
pub fn report_fonts() -> [&'static [u8]; 4] {
    let get = |name: &str| {
        file(&format!("fonts/{name}.ttf"))
            .unwrap_or_else(|| panic!("templates/fonts/{name}.ttf is built in"))
    };
    [
        get("DejaVuSansCondensed"),
        get("DejaVuSansCondensed-Bold"),
        get("DejaVuSansCondensed-Oblique"),
        get("DejaVuSansCondensed-BoldOblique"),
    ]
}

//! Line breaking: styled runs into lines that fit a width, breaking at spaces. A word that is
//! wider than the line (a long address) breaks after a separator (`/`, `?`, `&`, `=`, `-`...)
//! if it may, else between characters; identifiers and codes are kept whole by giving their
//! columns at least the width of their longest word (see `table`).

use super::element::{Link, Run, Style, LINK};
use super::font::Fonts;

/// A piece of a line in one style: its text, where it starts, how wide it is.
#[derive(Debug, Clone)]
pub struct Frag {
    pub x: f32,
    pub width: f32,
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
}

/// One line of wrapped text.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub frags: Vec<Frag>,
    pub width: f32,
    /// The tallest style on the line.
    pub height: f32,
    pub ascent: f32,
}

/// How a word wider than the line may be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongWords {
    /// After a separator if there is one that leaves a fitting head, else between characters.
    AtSeparators,
    /// Between characters only (the last resort for text that should not be cut at all).
    Anywhere,
}

const SEPARATORS: &[char] = &[
    '/', '?', '&', '=', '-', '_', '.', ',', ';', ':', ')', '#', '|',
];

/// Wrap `runs` to `max` points.
pub fn wrap(runs: &[Run], max: f32, long: LongWords, fonts: &mut Fonts) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    let mut space_pending = false;
    for run in runs {
        let style = run.style;
        let space = fonts.width(" ", &style);
        for (n, para) in run.text.split('\n').enumerate() {
            if n > 0 {
                finish(&mut lines, &mut line, &style);
                space_pending = false;
            }
            if para.starts_with(breaks) {
                space_pending = true;
            }
            let mut words = para.split(breaks).filter(|w| !w.is_empty()).peekable();
            while let Some(word) = words.next() {
                // An address in plain text is a link too.
                let auto = if run.link.is_none() {
                    web_link(word)
                } else {
                    None
                };
                let (style, link) = match &auto {
                    Some(l) => (run.style.with_color(LINK), Some(l.clone())),
                    None => (run.style, run.link.clone()),
                };
                let link = &link;
                let w = fonts.width(word, &style);
                let gap = if line.frags.is_empty() || !space_pending {
                    0.0
                } else {
                    space
                };
                if line.width + gap + w <= max || line.frags.is_empty() && w <= max {
                    push(&mut line, word, w, gap, &style, link);
                } else if w <= max {
                    finish(&mut lines, &mut line, &style);
                    push(&mut line, word, w, 0.0, &style, link);
                } else {
                    // Wider than a line: start it on a line of its own, then cut it.
                    if !line.frags.is_empty() {
                        finish(&mut lines, &mut line, &style);
                    }
                    let pieces = cut(word, max, &style, long, fonts);
                    let last = pieces.len() - 1;
                    for (i, piece) in pieces.into_iter().enumerate() {
                        let pw = fonts.width(&piece, &style);
                        push(&mut line, &piece, pw, 0.0, &style, link);
                        if i < last {
                            finish(&mut lines, &mut line, &style);
                        }
                    }
                }
                space_pending = words.peek().is_some() || para.ends_with(breaks);
            }
        }
    }
    if !line.frags.is_empty() || lines.is_empty() {
        let style = runs.last().map(|r| r.style).unwrap_or_default();
        finish(&mut lines, &mut line, &style);
    }
    lines
}

/// Where a line may break: at white space, except a no-break space.
fn breaks(c: char) -> bool {
    c.is_whitespace() && c != '\u{A0}'
}

/// The link of a word that is a web address (without the punctuation that ends a sentence).
fn web_link(word: &str) -> Option<Link> {
    let word = word.trim_start_matches('(');
    let scheme = word.get(..8).unwrap_or(word);
    if !(scheme.eq_ignore_ascii_case("https://")
        || scheme.get(..7)?.eq_ignore_ascii_case("http://"))
    {
        return None;
    }
    Link::web(word.trim_end_matches(['.', ',', ';', ':', ')', ']']))
}

fn push(line: &mut Line, word: &str, w: f32, gap: f32, style: &Style, link: &Option<Link>) {
    line.height = line.height.max(style.line_height());
    line.ascent = line.ascent.max(style.ascent());
    if let Some(last) = line.frags.last_mut() {
        if last.style == *style && last.link == *link {
            if gap > 0.0 {
                last.text.push(' ');
            }
            last.text.push_str(word);
            last.width += gap + w;
            line.width += gap + w;
            return;
        }
    }
    line.frags.push(Frag {
        x: line.width + gap,
        width: w,
        text: word.to_string(),
        style: *style,
        link: link.clone(),
    });
    line.width += gap + w;
}

fn finish(lines: &mut Vec<Line>, line: &mut Line, style: &Style) {
    if line.frags.is_empty() {
        line.height = style.line_height();
        line.ascent = style.ascent();
    }
    lines.push(std::mem::take(line));
}

/// Cut a word wider than `max` into pieces that fit.
fn cut(word: &str, max: f32, style: &Style, long: LongWords, fonts: &mut Fonts) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = word;
    while fonts.width(rest, style) > max {
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        // The longest head that fits, in characters.
        let mut fit = 0;
        let mut width = 0.0;
        for (i, (_, c)) in chars.iter().enumerate() {
            width += fonts.width(c.encode_utf8(&mut [0; 4]), style);
            if width > max {
                break;
            }
            fit = i + 1;
        }
        let fit = fit.max(1);
        let mut at = fit;
        if long == LongWords::AtSeparators {
            if let Some(sep) = (1..fit)
                .rev()
                .find(|&i| SEPARATORS.contains(&chars[i - 1].1))
            {
                at = sep;
            }
        }
        let byte = chars.get(at).map(|c| c.0).unwrap_or(rest.len());
        pieces.push(rest[..byte].to_string());
        rest = &rest[byte..];
    }
    if !rest.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// The widest piece `text` can be cut into in `style`: its longest word, or for text that may
/// break at separators, its longest run between separators.
pub fn min_width(text: &str, style: &Style, long: LongWords, fonts: &mut Fonts) -> f32 {
    text.split(breaks)
        .filter(|w| !w.is_empty())
        .map(|word| match long {
            LongWords::Anywhere => fonts.width(word, style),
            LongWords::AtSeparators => word
                .split_inclusive(SEPARATORS)
                .map(|p| fonts.width(p, style))
                .fold(0.0, f32::max),
        })
        .fold(0.0, f32::max)
}

/// The text of each line, for tests.
#[cfg(test)]
pub fn texts(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.frags
                .iter()
                .map(|f| f.text.as_str())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Run {
        Run {
            text: text.into(),
            style: Style::new(),
            link: None,
        }
    }

    #[test]
    fn wraps_at_spaces_and_keeps_styles_apart() {
        let mut fonts = Fonts::load().unwrap();
        let bold = Run {
            style: Style::new().bold(),
            ..run("Owner:")
        };
        let lines = wrap(
            &[bold, run(" customer and provider share it")],
            110.0,
            LongWords::AtSeparators,
            &mut fonts,
        );
        let t = texts(&lines);
        assert!(t[0].starts_with("Owner:|customer "), "{t:?}");
        assert!(t.len() > 1, "{t:?}");
        assert!(lines.iter().all(|l| l.width <= 110.0), "{t:?}");
        assert_eq!(
            t.join(" ").replace('|', " "),
            "Owner: customer and provider share it"
        );
    }

    #[test]
    fn an_address_in_text_is_a_link() {
        let mut fonts = Fonts::load().unwrap();
        let lines = wrap(
            &[run("Get it from https://servicetrust.microsoft.com/).")],
            500.0,
            LongWords::AtSeparators,
            &mut fonts,
        );
        let links: Vec<_> = lines[0]
            .frags
            .iter()
            .filter_map(|f| f.link.clone())
            .collect();
        assert_eq!(
            links,
            [Link::Uri("https://servicetrust.microsoft.com/".into())]
        );
    }

    #[test]
    fn a_no_break_space_keeps_words_together() {
        let mut fonts = Fonts::load().unwrap();
        let id = "Art.\u{A0}32";
        let w = min_width(id, &Style::new(), LongWords::Anywhere, &mut fonts);
        assert!(w > fonts.width("Art.", &Style::new()));
        let lines = wrap(
            &[run(&format!("{id} {id}"))],
            w,
            LongWords::Anywhere,
            &mut fonts,
        );
        assert_eq!(texts(&lines), [id, id]);
    }

    #[test]
    fn honours_line_breaks() {
        let mut fonts = Fonts::load().unwrap();
        let lines = wrap(&[run("one\ntwo")], 500.0, LongWords::Anywhere, &mut fonts);
        assert_eq!(texts(&lines), ["one", "two"]);
    }

    #[test]
    fn cuts_a_long_address_after_a_separator() {
        let mut fonts = Fonts::load().unwrap();
        let url = "https://grc.example.com/evidence/2026/q3/access-review-export.pdf";
        let lines = wrap(&[run(url)], 120.0, LongWords::AtSeparators, &mut fonts);
        assert!(lines.len() > 1);
        for l in &lines[..lines.len() - 1] {
            let last = l.frags[0].text.chars().last().unwrap();
            assert!(SEPARATORS.contains(&last), "{:?}", texts(&lines));
        }
        assert_eq!(texts(&lines).concat(), url);
        assert!(min_width(url, &Style::new(), LongWords::AtSeparators, &mut fonts) <= 120.0);
    }

    #[test]
    fn an_id_that_fits_is_never_cut() {
        let mut fonts = Fonts::load().unwrap();
        let id = "164.308(a)(3)(ii)(A)";
        let w = min_width(id, &Style::new(), LongWords::Anywhere, &mut fonts);
        let lines = wrap(
            &[run(&format!("{id} {id}"))],
            w,
            LongWords::Anywhere,
            &mut fonts,
        );
        assert_eq!(texts(&lines), [id, id]);
    }
}

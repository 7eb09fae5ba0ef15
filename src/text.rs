//! Plain text helpers shared by the catalog, the importers and the engines.

/// Duty sentences joined with spaces, each once, empty ones left out.
pub fn join_sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_joined_once_each_without_empty_ones() {
        assert_eq!(
            join_sentences(["Patch the OS.", "", "Scan.", "Patch the OS."]),
            "Patch the OS. Scan."
        );
        assert_eq!(join_sentences([""; 2]), "");
        assert_eq!(join_sentences(std::iter::empty()), "");
    }
}

/// `str::trim`, quicker for the usual cell: text that starts and ends with a visible ASCII
/// character is returned as it is without looking at it further (the register's reader trims
/// every cell of every row, twice).
#[inline]
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Drop the byte-order marks at the start of `s` (one is the usual, a CSV written by some tools
/// after a merge has more).
#[inline]
pub fn without_bom(s: &str) -> &str {
    if s.as_bytes().first() == Some(&0xEF) {
        s.trim_start_matches('\u{feff}')
    } else {
        s
    }
}

#[cfg(test)]
mod trim_tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            " a b ",
            "\u{a0}x\u{a0}",
            "x\u{3000}",
            "\tx\n",
            "é",
            " é",
            "\u{feff}a",
            "ab",
            "a\u{2003}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        assert_eq!(without_bom("\u{feff}\u{feff}a"), "a");
        assert_eq!(without_bom("a\u{feff}"), "a\u{feff}");
    }
}

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

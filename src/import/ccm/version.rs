//! The CCM (or CAIQ) release a workbook says it is, read from its title cell
//! (`CLOUD CONTROLS MATRIX v4.0.12`, `v4.0.12`, `CAIQ v4.0.3`) or, failing that, the sheet's
//! name (`CAIQv4.0.3`).
//!
//! The importer reads every release with the same column rules (the v4.0 layout: `Control ID`
//! and the `IaaS`, `PaaS`, `SaaS` ownership columns, or a CAIQ's `SSRM Control Ownership`). A
//! release srmap does not list below is read that way too, with a warning; a workbook that names
//! no release gets a warning and a framework version that says so. Neither is guessed silently.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::table::Table;

/// CCM releases whose layout the importer was written for (CSA's v4.0 line).
pub const KNOWN_CCM: [&str; 14] = [
    "4", "4.0", "4.0.1", "4.0.2", "4.0.3", "4.0.4", "4.0.5", "4.0.6", "4.0.7", "4.0.8", "4.0.9",
    "4.0.10", "4.0.11", "4.0.12",
];

/// CAIQ releases of the v4 line.
pub const KNOWN_CAIQ: [&str; 5] = ["4", "4.0", "4.0.1", "4.0.2", "4.0.3"];

/// What a release number is a release of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// The Cloud Controls Matrix.
    Ccm,
    /// The Consensus Assessments Initiative Questionnaire (a provider's answers).
    Caiq,
}

impl Product {
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Ccm => "CCM",
            Product::Caiq => "CAIQ",
        }
    }

    fn known(self) -> &'static [&'static str] {
        match self {
            Product::Ccm => &KNOWN_CCM,
            Product::Caiq => &KNOWN_CAIQ,
        }
    }
}

/// The release a workbook names, and where it says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub product: Product,
    /// `4.0.12`, as written (without the `v`).
    pub version: String,
    /// The cell (or, from a sheet name, the sheet) that names it.
    pub at: Location,
    /// The text it was read from, trimmed.
    pub text: String,
}

impl Release {
    /// Whether the importer was written for this release.
    pub fn is_known(&self) -> bool {
        self.product.known().contains(&self.version.as_str())
    }

    /// `CCM v4.0.12`
    pub fn label(&self) -> String {
        format!("{} v{}", self.product.as_str(), self.version)
    }
}

/// The release named by the rows above the header (row index `header`) of `table`, else by the
/// sheet's name. `layout` is what the sheet's header says it is, for a bare `v4.0.12`.
pub fn find(table: &Table, header: usize, layout: Product) -> Option<Release> {
    for row in table.rows.iter().take(header) {
        for (col, cell) in row.cells.iter().enumerate() {
            let text = cell.text();
            if let Some((product, version)) = parse(&text) {
                let mut at = table.at(row.line);
                at.column = Some(col as u64 + 1);
                return Some(Release {
                    product: product.unwrap_or(layout),
                    version,
                    at,
                    text: text.trim().to_string(),
                });
            }
        }
    }
    let sheet = table.sheet.as_deref()?;
    let (product, version) = parse(sheet)?;
    Some(Release {
        product: product.unwrap_or(layout),
        version,
        at: table.whole().with_field("sheet name"),
        text: sheet.to_string(),
    })
}

/// A release number in a title (`CLOUD CONTROLS MATRIX v4.0.12`, `CAIQv4.0.3`,
/// `Version 4.0.12`) and the product the title names, if it names one.
pub fn parse(text: &str) -> Option<(Option<Product>, String)> {
    let lower = text.to_ascii_lowercase();
    let version = number_after_v(&lower).or_else(|| number_after_word(&lower, "version"))?;
    let product = if lower.contains("caiq") || lower.contains("consensus assessment") {
        Some(Product::Caiq)
    } else if lower.contains("ccm") || lower.contains("cloud controls matrix") {
        Some(Product::Ccm)
    } else {
        None
    };
    Some((product, version))
}

/// `4.0.12` of `... v4.0.12 ...`: a `v` at the start of a word (or right after `ccm` / `caiq`,
/// as sheet names write it) followed by a number.
fn number_after_v(lower: &str) -> Option<String> {
    for (i, _) in lower.match_indices('v') {
        let before = &lower[..i];
        let starts_word = before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if !(starts_word || before.ends_with("ccm") || before.ends_with("caiq")) {
            continue;
        }
        if let Some(n) = number_at(&lower[i + 1..]) {
            return Some(n);
        }
    }
    None
}

/// `4.0.12` of `... version 4.0.12 ...` or `version: 4.0.12`.
fn number_after_word(lower: &str, word: &str) -> Option<String> {
    let (_, rest) = lower.split_once(word)?;
    number_at(rest.trim_start_matches([' ', ':']))
}

/// The release number at the start of `s`: digits and dots, starting and ending with a digit.
fn number_at(s: &str) -> Option<String> {
    let n: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let n = n.trim_end_matches('.');
    (!n.is_empty() && n.starts_with(|c: char| c.is_ascii_digit())).then(|| n.to_string())
}

/// The one-line warning for a release the importer does not know, or for none at all.
pub fn warning(table: &Table, found: Option<&Release>, layout: Product) -> Option<Diagnostic> {
    let rules = match layout {
        Product::Ccm => "the v4.0 column rules (Control ID; IaaS, PaaS, SaaS)",
        Product::Caiq => "the v4 column rules (Question ID; SSRM Control Ownership)",
    };
    match found {
        Some(r) if r.is_known() => None,
        Some(r) => Some(Diagnostic::warning(
            Code::UnknownCcmVersion,
            r.at.clone(),
            format!(
                "{} is not a release srmap knows ({} v4.0 to v{}): read with {rules}; check the skipped rows and the imported controls",
                r.label(),
                r.product.as_str(),
                r.product.known().last().unwrap_or(&"4.0"),
            ),
        )),
        None => Some(Diagnostic::warning(
            Code::NoCcmVersion,
            table.whole(),
            format!(
                "no title cell above the header names a {} release (such as `{}`): read with {rules}; the framework's version says the release was not stated",
                layout.as_str(),
                match layout {
                    Product::Ccm => "CLOUD CONTROLS MATRIX v4.0.12",
                    Product::Caiq => "CAIQ v4.0.3",
                }
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<(Option<Product>, String)> {
        parse(s)
    }

    #[test]
    fn titles_and_sheet_names_give_their_release() {
        assert_eq!(
            v("CLOUD CONTROLS MATRIX v4.0.12"),
            Some((Some(Product::Ccm), "4.0.12".into()))
        );
        assert_eq!(v("v4.0.12"), Some((None, "4.0.12".into())));
        assert_eq!(v("CCM v4.1."), Some((Some(Product::Ccm), "4.1".into())));
        assert_eq!(v("CAIQv4.0.3"), Some((Some(Product::Caiq), "4.0.3".into())));
        assert_eq!(
            v("Consensus Assessments Initiative Questionnaire Version: 4.0.2"),
            Some((Some(Product::Caiq), "4.0.2".into()))
        );
        assert_eq!(v("Cloud Controls Matrix (no release)"), None);
        assert_eq!(v("Review the IaaS column"), None, "a `v` inside a word");
        assert_eq!(v("v. draft"), None);
    }

    #[test]
    fn known_releases_are_the_v4_0_line() {
        let r = |product, version: &str| Release {
            product,
            version: version.into(),
            at: Location::file("x.xlsx"),
            text: String::new(),
        };
        assert!(r(Product::Ccm, "4.0.12").is_known());
        assert!(r(Product::Ccm, "4").is_known());
        assert!(!r(Product::Ccm, "4.1").is_known());
        assert!(!r(Product::Ccm, "3.0.1").is_known());
        assert!(r(Product::Caiq, "4.0.3").is_known());
        assert!(!r(Product::Caiq, "4.0.12").is_known());
    }
}

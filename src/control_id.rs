//! Control ID spellings: the canonical ID (`CC6.1`, `164.308(a)(1)(ii)(A)`, `A.5.1`, `Art. 32`)
//! and the spellings real files use (`cc_6_1`, `164_308_a_1_ii_a`, `ISO_IEC_27001_2022_A.5.1`,
//! `article_32`, `32`). A spelling is reduced to tokens (runs of letters, runs of digits), so
//! separators and case do not matter; a spelling that fits two controls is reported, not guessed.

use std::collections::{BTreeMap, HashMap};

/// Split an ID into lower-case tokens: runs of letters and runs of digits, digits without
/// leading zeros (`AC-02 (01)` is `AC-2(1)`).
pub fn tokens(s: &str) -> Vec<String> {
    raw_tokens(s)
        .into_iter()
        .map(|t| {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                let trimmed = t.trim_start_matches('0');
                if trimmed.is_empty() {
                    "0".to_string()
                } else {
                    trimmed.to_string()
                }
            } else {
                t
            }
        })
        .collect()
}

fn raw_tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_alpha = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            let alpha = c.is_ascii_alphabetic();
            if !cur.is_empty() && alpha != cur_alpha {
                out.push(std::mem::take(&mut cur));
            }
            cur_alpha = alpha;
            cur.push(c.to_ascii_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Why a spelling did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    Unknown,
    /// The canonical IDs it could mean.
    Ambiguous(Vec<String>),
}

/// Looks up controls of one framework by any spelling.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// Token key -> the controls it names, and whether it is their canonical ID (which wins
    /// over other spellings: ISO `5.1` is clause 5.1, its own ID; Annex A.5.1 must keep its
    /// `A.`).
    keys: HashMap<String, Vec<(usize, bool)>>,
    /// Token sequences that real files put before IDs (the framework's own ID among them).
    prefixes: Vec<String>,
}

impl Resolver {
    /// `ids` in framework order; `optional_prefixes` are leading tokens an ID may be written
    /// with or without (`a` for ISO Annex A, `art`/`article` for GDPR); `id_prefixes` are the
    /// framework-name spellings stripped from the front of an input.
    pub fn new<'a>(
        ids: impl IntoIterator<Item = (&'a str, &'a [String])>,
        optional_prefixes: &[String],
        id_prefixes: &[String],
    ) -> Self {
        let optional: Vec<String> = optional_prefixes
            .iter()
            .map(|p| key(p))
            .filter(|k| !k.is_empty())
            .collect();
        let mut keys: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        // Own IDs (key -> index), and the IDs without their optional prefix (`6.1` of `A.6.1`).
        let mut own_ids: BTreeMap<String, usize> = BTreeMap::new();
        let mut bare_keys: Vec<String> = Vec::new();
        for (idx, (id, aliases)) in ids.into_iter().enumerate() {
            let own = key(id);
            own_ids.insert(own.clone(), idx);
            let mut variants = vec![own.clone()];
            variants.extend(aliases.iter().map(|a| key(a)));
            for opt in &optional {
                if let Some(bare) = strip(&own, opt) {
                    for other in &optional {
                        variants.push(format!("{other}{SEP}{bare}"));
                    }
                    variants.push(bare.to_string());
                    bare_keys.push(bare.to_string());
                }
            }
            for (n, v) in variants.into_iter().enumerate() {
                let entry = keys.entry(v).or_default();
                if !entry.iter().any(|(i, _)| *i == idx) {
                    entry.push((idx, n == 0));
                }
            }
        }
        // A number written without its prefix that is also the start of other controls' own
        // IDs names a heading of those as much as the prefixed control (ISO `6.1`: Annex A.6.1,
        // or clause 6.1 of 6.1.1-6.1.3?): it fits them all, so it is reported, not guessed.
        for bare in bare_keys {
            let below = format!("{bare}{SEP}");
            let under: Vec<usize> = own_ids
                .range(below.clone()..)
                .take_while(|(k, _)| k.starts_with(&below))
                .map(|(_, &i)| i)
                .collect();
            let entry = keys.entry(bare).or_default();
            if !entry.iter().any(|h| h.1) {
                for i in under {
                    if !entry.iter().any(|h| h.0 == i) {
                        entry.push((i, false));
                    }
                }
            }
        }
        let mut prefixes: Vec<String> = id_prefixes
            .iter()
            .map(|p| key(p))
            .filter(|k| !k.is_empty())
            .collect();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        prefixes.dedup();
        Resolver { keys, prefixes }
    }

    /// The control index a spelling names.
    pub fn resolve(
        &self,
        input: &str,
        canonical: impl Fn(usize) -> String,
    ) -> Result<usize, Unresolved> {
        let k = key(input);
        if k.is_empty() {
            return Err(Unresolved::Unknown);
        }
        let candidates =
            std::iter::once(k.as_str()).chain(self.prefixes.iter().filter_map(|p| strip(&k, p)));
        for c in candidates {
            if let Some(hits) = self.keys.get(c) {
                let exact: Vec<usize> = hits.iter().filter(|h| h.1).map(|h| h.0).collect();
                let pool: Vec<usize> = if exact.is_empty() {
                    hits.iter().map(|h| h.0).collect()
                } else {
                    exact
                };
                return match pool.as_slice() {
                    [one] => Ok(*one),
                    many => Err(Unresolved::Ambiguous(
                        many.iter().map(|&i| canonical(i)).collect(),
                    )),
                };
            }
        }
        Err(Unresolved::Unknown)
    }
}

/// Separates tokens in a key.
const SEP: char = '\u{1f}';

/// A spelling's tokens joined into one string: the lookup key.
fn key(s: &str) -> String {
    let mut out = String::new();
    for t in tokens(s) {
        if !out.is_empty() {
            out.push(SEP);
        }
        out.push_str(&t);
    }
    out
}

/// `key` without the leading `prefix` tokens, when it has them and more.
fn strip<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
    key.strip_prefix(prefix)?
        .strip_prefix(SEP)
        .filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn ids_of<'a>(ids: &'a [&'a str]) -> impl Iterator<Item = (&'a str, &'a [String])> {
        ids.iter().map(|s| (*s, &[] as &[String]))
    }

    fn resolve(r: &Resolver, ids: &[&str], input: &str) -> Result<String, Unresolved> {
        r.resolve(input, |i| ids[i].to_string())
            .map(|i| ids[i].to_string())
    }

    #[test]
    fn tokens_split_letters_from_digits() {
        assert_eq!(tokens("CC6.1"), strs(&["cc", "6", "1"]));
        assert_eq!(tokens("cc_6_1"), strs(&["cc", "6", "1"]));
        assert_eq!(
            tokens("164.308(a)(1)(ii)(A)"),
            strs(&["164", "308", "a", "1", "ii", "a"])
        );
        assert_eq!(tokens("164_308_a_1_ii_a"), tokens("164.308(a)(1)(ii)(A)"));
        assert_eq!(tokens("Art. 32"), strs(&["art", "32"]));
        assert_eq!(tokens("AC-02 (01)"), tokens("ac-2.1"));
        assert_eq!(tokens("AC-2(1)"), strs(&["ac", "2", "1"]));
        assert_eq!(tokens("A.10.0"), strs(&["a", "10", "0"]));
    }

    #[test]
    fn iso_canonical_clause_ids_win_and_bare_annex_numbers_resolve() {
        let ids = ["5.1", "A.5.1", "A.5.2", "A.5.10", "10.2"];
        let r = Resolver::new(
            ids_of(&ids),
            &strs(&["A"]),
            &strs(&["ISO_IEC_27001_2022", "iso27001-2022"]),
        );
        assert_eq!(resolve(&r, &ids, "A.5.1").unwrap(), "A.5.1");
        assert_eq!(
            resolve(&r, &ids, "ISO_IEC_27001_2022_A.5.1").unwrap(),
            "A.5.1"
        );
        assert_eq!(resolve(&r, &ids, "5.2").unwrap(), "A.5.2");
        assert_eq!(
            resolve(&r, &ids, "ISO_IEC_27001_2022_10.2").unwrap(),
            "10.2"
        );
        assert_eq!(resolve(&r, &ids, "5.10").unwrap(), "A.5.10");
        assert_eq!(
            resolve(&r, &ids, "5.1").unwrap(),
            "5.1",
            "the canonical ID of clause 5.1"
        );
        assert_eq!(resolve(&r, &ids, "ISO_IEC_27001_2022_5.1").unwrap(), "5.1");
        assert_eq!(resolve(&r, &ids, "A.9.9"), Err(Unresolved::Unknown));
    }

    #[test]
    fn a_bare_annex_number_that_heads_clauses_is_ambiguous() {
        let ids = ["6.1.1", "6.1.2", "A.6.1", "A.6.2", "A.6.1.5"];
        let r = Resolver::new(ids_of(&ids), &strs(&["A"]), &[]);
        assert_eq!(
            resolve(&r, &ids, "6.1"),
            Err(Unresolved::Ambiguous(strs(&["A.6.1", "6.1.1", "6.1.2"]))),
            "clause 6.1 (6.1.1, 6.1.2) or Annex A.6.1"
        );
        assert_eq!(resolve(&r, &ids, "A.6.1").unwrap(), "A.6.1");
        assert_eq!(resolve(&r, &ids, "6.1.1").unwrap(), "6.1.1");
        assert_eq!(resolve(&r, &ids, "6.2").unwrap(), "A.6.2");
        // Controls under the Annex control itself do not make it ambiguous.
        assert_eq!(resolve(&r, &ids, "6.1.5").unwrap(), "A.6.1.5");
    }

    #[test]
    fn two_alternative_spellings_of_one_key_are_ambiguous() {
        let a = vec!["IAM-1".to_string()];
        let b = vec!["iam_1".to_string()];
        let r = Resolver::new([("AC-1", a.as_slice()), ("AC-2", b.as_slice())], &[], &[]);
        let ids = ["AC-1", "AC-2"];
        assert_eq!(
            resolve(&r, &ids, "IAM 1"),
            Err(Unresolved::Ambiguous(strs(&["AC-1", "AC-2"])))
        );
    }

    #[test]
    fn gdpr_articles_resolve_with_or_without_word() {
        let ids = ["Art. 5", "Art. 32"];
        let r = Resolver::new(
            ids_of(&ids),
            &strs(&["Art", "Article"]),
            &strs(&["EU_GDPR_2016_679", "gdpr"]),
        );
        for s in [
            "Art. 32",
            "article_32",
            "32",
            "EU_GDPR_2016_679_Art._32",
            "gdpr:32",
        ] {
            assert_eq!(resolve(&r, &ids, s).unwrap(), "Art. 32", "{s}");
        }
    }

    #[test]
    fn pci_prefixes_are_stripped_but_appendix_letters_are_not() {
        let ids = ["1.1.1", "A1.1.1", "8.3.1"];
        let r = Resolver::new(
            ids_of(&ids),
            &[],
            &strs(&["PCI_DSS_v4.0.1", "pci-dss-4.0.1"]),
        );
        assert_eq!(resolve(&r, &ids, "PCI_DSS_v4.0.1_8.3.1").unwrap(), "8.3.1");
        assert_eq!(resolve(&r, &ids, "pci-dss-4.0.1:8.3.1").unwrap(), "8.3.1");
        assert_eq!(resolve(&r, &ids, "1.1.1").unwrap(), "1.1.1");
        assert_eq!(resolve(&r, &ids, "a1.1.1").unwrap(), "A1.1.1");
    }

    #[test]
    fn aliases_name_the_same_control() {
        let aliases = vec!["164.310(a)".to_string()];
        let r = Resolver::new(
            [
                ("164.310(a)(1)", aliases.as_slice()),
                ("164.310(a)(2)(i)", &[][..]),
            ],
            &[],
            &[],
        );
        let ids = ["164.310(a)(1)", "164.310(a)(2)(i)"];
        assert_eq!(resolve(&r, &ids, "164_310_a").unwrap(), "164.310(a)(1)");
        assert_eq!(resolve(&r, &ids, "164.310(a)(1)").unwrap(), "164.310(a)(1)");
    }
}

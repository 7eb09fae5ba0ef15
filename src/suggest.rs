//! "Did you mean": the known IDs nearest to one a user mistyped. One matcher for every ID a user
//! types: the catalog's look-ups of offerings and frameworks (so the scope's IDs too, at their
//! place), and the command line's gap codes and formats.
//!
//! A known ID is matched by the first of these rules that fits, best first:
//!
//! 1. **spelling**: the same letters and digits, whatever the case and punctuation
//!    (`PCI_DSS_4.0.1`, `aws-ec2`);
//! 2. **alias**: one of its aliases, also as the part after the provider (`gcp/gcs` for the
//!    offering whose alias is `gcs`);
//! 3. **abbreviation**: the initials of its ID's words or of its name's, alone or after the
//!    provider's initial (`gcp/gce`: Google Compute Engine; `azure/vm`: virtual-machines);
//! 4. **words**: every word given is one of its words, its name's or its aliases'
//!    (`fedramp-moderate` for `fedramp-r5-moderate`, `gcp/storage`, `expired`), what was given
//!    starts its spelling (`iso-27001` for `iso27001-2022`), or every word of its ID was given
//!    (`gdpr-2016`); numbers alone count as words only in their order (`800-53` for
//!    `nist-800-53-r5`, not `3.9.1` for `9.5.1.3`);
//! 5. **edit distance**: at most one edit (an insertion, deletion, substitution or swap of
//!    neighbours: Damerau-Levenshtein, from `strsim`) for every three characters given, over the
//!    whole ID or the part after the provider (`aws/ec3`, `jsno`, `missing-evidnce`).
//!
//! The suggestions are the IDs the best rule found, nearest in edit distance first, at most
//! [`MAX`]. A word that only names the provider (`aws`) suggests nothing by itself.

/// The most suggestions one message makes.
pub const MAX: usize = 5;

/// One known ID and what else points at it.
#[derive(Debug, Clone, Default)]
pub struct Known<'a> {
    /// The ID suggested (`gcp/cloud-storage`).
    pub id: &'a str,
    /// Other spellings that name it (`gcs`, `google-cloud-storage`).
    pub aliases: Vec<&'a str>,
    /// Its name as people say it (`Cloud Storage`): its words and initials point at it too.
    pub name: &'a str,
}

impl<'a> Known<'a> {
    /// A known ID with no aliases and no name.
    pub fn id(id: &'a str) -> Known<'a> {
        Known {
            id,
            ..Known::default()
        }
    }
}

/// Words a name is made of: lower case, split at anything but a letter or digit.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A word and, when it mixes letters and digits, its runs of each (`iso27001`: `iso`, `27001`).
fn with_runs(word: String, into: &mut Vec<String>) {
    let mut runs = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for pair in chars.windows(2) {
        let [(_, a), (i, b)] = pair else { continue };
        if a.is_ascii_digit() != b.is_ascii_digit() {
            runs.push(word[start..*i].to_string());
            start = *i;
        }
    }
    if start > 0 {
        runs.push(word[start..].to_string());
        into.extend(runs);
    }
    into.push(word);
}

/// Letters and digits only, lower case: `PCI_DSS_4.0.1` -> `pcidss401`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The provider part and the rest of an ID: `gcp/cloud-storage` -> (`gcp`, `cloud-storage`).
fn split_provider(s: &str) -> (Option<&str>, &str) {
    match s.split_once('/') {
        Some((p, rest)) => (Some(p), rest),
        None => (None, s),
    }
}

/// Words that do not count for initials: `Azure Cache for Redis` is `acr`.
const SMALL_WORDS: [&str; 8] = ["for", "and", "of", "the", "on", "with", "a", "an"];

/// The initials of `words` (two words or more), and the same after the provider's initial.
fn initials(words: &[String], provider: Option<&str>, into: &mut Vec<String>) {
    let words: Vec<&String> = words
        .iter()
        .filter(|w| !SMALL_WORDS.contains(&w.as_str()))
        .collect();
    if words.len() < 2 {
        return;
    }
    let short: String = words.iter().filter_map(|w| w.chars().next()).collect();
    if let Some(first) = provider.and_then(|p| p.chars().next()) {
        into.push(format!("{first}{short}"));
    }
    into.push(short);
}

/// What the user typed, taken apart once.
struct Given {
    lower: String,
    squashed: String,
    provider: Option<String>,
    rest: String,
    words: Vec<String>,
}

impl Given {
    fn new(given: &str) -> Given {
        let lower = given.trim().to_lowercase();
        let (provider, rest) = split_provider(&lower);
        Given {
            squashed: squash(&lower),
            provider: provider.map(str::to_string),
            rest: rest.to_string(),
            words: words(&lower).collect(),
            lower,
        }
    }

    /// The rule (1 to 5) that matches `known`, and how far it is (edit distances: as written,
    /// then with every digit the same, so `ec3` is nearer `ec2` than `ecs`); None when no rule
    /// matches.
    fn rule(&self, known: &Known<'_>) -> Option<(u8, usize, usize)> {
        let id = known.id.to_lowercase();
        let (provider, rest) = split_provider(&id);
        let aliases: Vec<String> = known.aliases.iter().map(|a| a.to_lowercase()).collect();
        let same_provider = match (&self.provider, provider) {
            (Some(g), Some(p)) => g == p,
            (None, _) => true,
            (Some(_), None) => false,
        };
        let spellings = || std::iter::once(id.as_str()).chain(aliases.iter().map(String::as_str));
        let distance = |shape: fn(&str) -> String| {
            let given = shape(&self.lower);
            let mut d = spellings()
                .map(|s| strsim::damerau_levenshtein(&given, &shape(s)))
                .min()
                .unwrap_or(usize::MAX);
            if same_provider {
                let (given, rest) = (shape(&self.rest), shape(rest));
                d = d.min(strsim::damerau_levenshtein(&given, &rest));
                // A mistyped start of a longer ID (`soc3` for `soc2-2017`).
                let n = given.chars().count();
                if n >= 3 && rest.chars().count() > n {
                    let head: String = rest.chars().take(n).collect();
                    d = d.min(strsim::damerau_levenshtein(&given, &head));
                }
            }
            d
        };
        let near = (distance(str::to_string), distance(digits_alike));
        // 1. spelling
        if spellings().any(|s| squash(s) == self.squashed) {
            return Some((1, near.0, near.1));
        }
        // 2. alias, also after the provider
        if same_provider && aliases.iter().any(|a| squash(a) == squash(&self.rest)) {
            return Some((2, near.0, near.1));
        }
        // 3. abbreviation
        let rest_words: Vec<String> = words(rest).collect();
        let name_words: Vec<String> = words(known.name.split('(').next().unwrap_or(""))
            .filter(|w| Some(w.as_str()) != provider)
            .collect();
        let mut short = Vec::new();
        initials(&rest_words, provider, &mut short);
        initials(&name_words, provider, &mut short);
        if name_words.len() > 2 {
            initials(&name_words[1..], provider, &mut short);
        }
        let given_short = squash(&self.rest);
        if same_provider && given_short.len() >= 2 && short.contains(&given_short) {
            return Some((3, near.0, near.1));
        }
        // 4. words (beyond the provider's name)
        let own_words: Vec<&String> = self
            .words
            .iter()
            .filter(|w| Some(w.as_str()) != provider)
            .collect();
        if same_provider && !own_words.is_empty() {
            let mut known_words = Vec::new();
            for w in words(&id)
                .chain(words(known.name))
                .chain(aliases.iter().flat_map(|a| words(a)))
            {
                with_runs(w, &mut known_words);
            }
            let lettered = own_words.iter().any(|w| w.chars().any(char::is_alphabetic));
            if (lettered && own_words.iter().all(|w| known_words.contains(w)))
                || (self.squashed.len() >= 3
                    && spellings().any(|s| squash(s).starts_with(&self.squashed)))
                || (!lettered
                    && self.squashed.len() >= 4
                    && spellings().any(|s| squash(s).contains(&self.squashed)))
                || (rest_words
                    .iter()
                    .any(|w| w.chars().any(char::is_alphabetic))
                    && rest_words.iter().all(|w| self.words.contains(w)))
            {
                return Some((4, near.0, near.1));
            }
        }
        // 5. edit distance
        let allowed = (self.lower.chars().count() / 3).max(1);
        (near.0 <= allowed).then_some((5, near.0, near.1))
    }
}

/// Every digit written `0`: a digit mistyped for another is nearer than one for a letter.
fn digits_alike(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// The known IDs nearest to `given` (see the module's rules), nearest first, at most [`MAX`];
/// empty when nothing is near.
pub fn suggest<'a>(given: &str, known: impl IntoIterator<Item = Known<'a>>) -> Vec<&'a str> {
    let g = Given::new(given);
    if g.squashed.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u8, usize, usize, &'a str)> = known
        .into_iter()
        .filter_map(|k| g.rule(&k).map(|(rule, d, alike)| (rule, d, alike, k.id)))
        .collect();
    found.sort();
    let Some(&(best, d, alike, _)) = found.first() else {
        return Vec::new();
    };
    // By edit distance alone, only the nearest: `aws/ec3` is `aws/ec2`, not also `aws/ecs`.
    found.retain(|f| f.0 == best && (best < 5 || (f.1, f.2) == (d, alike)));
    let mut ids: Vec<&'a str> = Vec::new();
    for (_, _, _, id) in found {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.truncate(MAX);
    ids
}

/// `did you mean `a`?`, `did you mean `a` or `b`?`; None for no suggestion.
pub fn did_you_mean<S: AsRef<str>>(suggestions: &[S]) -> Option<String> {
    let quoted: Vec<String> = suggestions
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<'a>(list: &'a [&'a str]) -> impl Iterator<Item = Known<'a>> + 'a {
        list.iter().map(|id| Known::id(id))
    }

    const FRAMEWORKS: [&str; 11] = [
        "fedramp-r5-high",
        "fedramp-r5-li-saas",
        "fedramp-r5-low",
        "fedramp-r5-moderate",
        "gdpr",
        "hipaa-security",
        "iso27001-2022",
        "mcsb-v1",
        "nist-800-53-r5",
        "pci-dss-4.0.1",
        "soc2-2017",
    ];

    #[test]
    fn frameworks_by_words_prefix_and_distance() {
        let s = |g: &str| suggest(g, ids(&FRAMEWORKS));
        assert_eq!(s("iso-27001"), ["iso27001-2022"]);
        assert_eq!(s("ISO_27001"), ["iso27001-2022"]);
        assert_eq!(s("fedramp-moderate"), ["fedramp-r5-moderate"]);
        assert_eq!(s("FedRAMP High"), ["fedramp-r5-high"]);
        assert_eq!(s("pci"), ["pci-dss-4.0.1"]);
        assert_eq!(s("pci-dss-3.2.1"), ["pci-dss-4.0.1"]);
        assert_eq!(s("PCI_DSS_4.0.1"), ["pci-dss-4.0.1"]);
        assert_eq!(s("soc-2"), ["soc2-2017"]);
        assert_eq!(s("800-53"), ["nist-800-53-r5"]);
        assert_eq!(s("gdpr-2016"), ["gdpr"]);
        assert_eq!(s("hipa-security"), ["hipaa-security"]);
        assert!(s("soc3").contains(&"soc2-2017"), "{:?}", s("soc3"));
        assert!(s("ccm").is_empty());
        assert!(s("").is_empty());
        assert!(s("--").is_empty());
    }

    fn offerings() -> Vec<Known<'static>> {
        let k = |id, name, aliases: &[&'static str]| Known {
            id,
            name,
            aliases: aliases.to_vec(),
        };
        vec![
            k("aws/ec2", "Amazon EC2", &[]),
            k("aws/ecs", "Amazon ECS", &[]),
            k("aws/s3", "Amazon S3", &[]),
            k("aws/rds", "Amazon RDS", &[]),
            k("gcp/cloud-sql", "Cloud SQL", &[]),
            k("gcp/cloud-storage", "Cloud Storage", &["gcs"]),
            k("gcp/compute-engine", "Google Compute Engine", &[]),
            k("gcp/gke", "Google Kubernetes Engine (GKE) Standard", &[]),
            k(
                "gcp/cloud-kms",
                "Cloud Key Management Service (Cloud KMS and Cloud HSM)",
                &[],
            ),
            k("azure/virtual-machines", "Azure Virtual Machines", &[]),
            k("azure/cache-for-redis", "Azure Cache for Redis", &[]),
            k("microsoft/m365", "Microsoft 365", &["m365", "o365"]),
        ]
    }

    #[test]
    fn offerings_by_distance_alias_initials_and_words() {
        let s = |g: &str| suggest(g, offerings());
        assert_eq!(s("aws/ec3"), ["aws/ec2"]);
        assert_eq!(s("AWS/EC3"), ["aws/ec2"]);
        assert_eq!(s("ec3"), ["aws/ec2"]);
        // An alias after the provider wins over the initials of Cloud SQL.
        assert_eq!(s("gcp/gcs"), ["gcp/cloud-storage"]);
        assert_eq!(s("gcp/gce"), ["gcp/compute-engine"]);
        assert_eq!(s("azure/vm"), ["azure/virtual-machines"]);
        assert_eq!(s("azure/acr"), ["azure/cache-for-redis"]);
        assert_eq!(s("gcp/storage"), ["gcp/cloud-storage"]);
        assert_eq!(s("gcp/kms"), ["gcp/cloud-kms"]);
        assert_eq!(s("gcp/hsm"), ["gcp/cloud-kms"]);
        assert_eq!(s("aws/ec2-instances"), ["aws/ec2"]);
        assert_eq!(s("Microsoft 365"), ["microsoft/m365"]);
        // Another provider's service is not an abbreviation of this one.
        assert!(!s("aws/gcs").contains(&"gcp/cloud-storage"));
        // The provider alone suggests nothing.
        assert!(s("aws").is_empty(), "{:?}", s("aws"));
        assert!(s("oracle/autonomous-database").is_empty());
    }

    #[test]
    fn codes_and_formats() {
        let codes = [
            "missing-evidence",
            "stale-evidence",
            "evidence-expired",
            "attestation-expired",
            "missing-attestation",
            "high",
            "medium",
            "low",
            "any",
        ];
        let s = |g: &str| suggest(g, ids(&codes));
        assert_eq!(s("missing-evidnce"), ["missing-evidence"]);
        assert_eq!(s("stale"), ["stale-evidence"]);
        assert_eq!(s("expired"), ["evidence-expired", "attestation-expired"]);
        assert_eq!(s("hihg"), ["high"]);
        let formats = ["table", "csv", "json", "md", "xlsx", "pdf", "oscal"];
        let f = |g: &str| suggest(g, ids(&formats));
        assert_eq!(f("jsno"), ["json"]);
        assert_eq!(f("xls"), ["xlsx"]);
        assert_eq!(f("PDF "), ["pdf"]);
        assert!(f("docx").is_empty(), "{:?}", f("docx"));
        let controls = ["1.1.1", "3.1.1", "3.3.1", "8.3.1", "8.3.10", "A.5.1"];
        let c = |g: &str| suggest(g, ids(&controls));
        // Numbers alone are not words of an ID: `3.9.1` is one edit from `3.1.1` and `3.3.1`.
        assert_eq!(c("3.9.1"), ["3.1.1", "3.3.1"]);
        assert_eq!(c("8.3.11"), ["8.3.10"]);
        assert_eq!(c("9.1.3"), Vec::<&str>::new());
    }

    #[test]
    fn message() {
        assert_eq!(did_you_mean::<&str>(&[]), None);
        assert_eq!(did_you_mean(&["a"]).unwrap(), "did you mean `a`?");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).unwrap(),
            "did you mean `a`, `b` or `c`?"
        );
    }
}

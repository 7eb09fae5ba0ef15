//! The index of the built-in data, written by `build.rs` when srmap is built: every data file's
//! path, the frameworks' IDs and each matrix's ID, aliases, provider, model and name. The catalog uses
//! it to find and order frameworks and offerings without parsing their files
//! ([`crate::catalog::Catalog::open`]); the files themselves are read with
//! [`crate::data::DataSet::builtin_file`] when one is asked for.

/// What the build read of the built-in data.
#[derive(Debug)]
pub struct Index {
    /// Every data file, as [`crate::data::DataSet::builtin`] keys them, in that order.
    pub files: &'static [&'static str],
    /// The IDs of the framework headers (`frameworks/<id>.toml`; the build checked each ID is
    /// its file's name).
    pub frameworks: &'static [&'static str],
    /// Every matrix under `providers/`.
    pub matrices: &'static [Matrix],
}

/// A matrix as the build read it: its file, ID and provider (trimmed, as the loader trims
/// them), its model as written, its aliases and its name (for "did you mean").
#[derive(Debug)]
pub struct Matrix {
    pub rel: &'static str,
    pub id: &'static str,
    pub provider: &'static str,
    pub model: &'static str,
    pub aliases: &'static [&'static str],
    pub name: &'static str,
}

// `pub static BUILTIN: Option<Index>`: None when a built-in file could not be indexed (not
// UTF-8, not TOML, an ID, provider or model missing); the catalog then reads everything at once
// and reports what is wrong.
include!(concat!(env!("OUT_DIR"), "/builtin_index.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataSet;

    #[test]
    fn the_index_lists_every_built_in_file_and_matrix() {
        let index = BUILTIN.as_ref().expect("the built-in data is indexed");
        let set = DataSet::builtin();
        let keys: Vec<&str> = set.files.keys().map(String::as_str).collect();
        assert_eq!(index.files, keys.as_slice());
        let tomls: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| k.starts_with("providers/") && k.ends_with(".toml"))
            .collect();
        let rels: Vec<&str> = index.matrices.iter().map(|m| m.rel).collect();
        assert_eq!(rels, tomls);
        let rds = index
            .matrices
            .iter()
            .find(|m| m.id == "aws/rds")
            .expect("aws/rds is built in");
        assert_eq!((rds.provider, rds.model), ("aws", "paas"));
        assert!(index.frameworks.contains(&"pci-dss-4.0.1"));
    }
}

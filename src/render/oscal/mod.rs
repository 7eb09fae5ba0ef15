//! OSCAL output, in the OSCAL version compliance-trestle's models validate ([`OSCAL_VERSION`]):
//! the owner map as a system security plan (`ssp.rs`), a crosswalk as a control mapping
//! collection (`mapping.rs`), and the catalog and profile those documents point at
//! (`catalog.rs`), which srmap writes beside them so that every `href` resolves. UUIDs are
//! name-based (v5) from the content, so the same inputs give the same bytes.

pub mod catalog;
pub mod mapping;
pub mod ssp;

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;
use uuid::Uuid;

pub use mapping::mapping_collection;
pub use ssp::{owner_map_ssp, Ssp, SystemIdentity};

/// The OSCAL version srmap writes: the newest that compliance-trestle's models accept
/// (`trestle.oscal.OSCAL_VERSION`), and the first with the control mapping model (1.2).
pub const OSCAL_VERSION: &str = "1.2.1";

/// The namespace of srmap's own props.
pub(crate) const NS: &str = "urn:srmap:oscal";

/// A name-based UUID (v5) of `parts`.
pub(crate) fn id(parts: &[&str]) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("urn:srmap:{}", parts.join(":")).as_bytes(),
    )
    .to_string()
}

/// An OSCAL control-id token: NIST style for NIST and FedRAMP (`ac-2.1`), otherwise the ID's
/// tokens joined with dots, starting with a letter or underscore (`_8.3.1`, `a.5.1`, `art.32`).
pub fn control_id(framework: &str, control: &str) -> String {
    let toks = crate::control_id::tokens(control);
    let nistish = framework.starts_with("nist") || framework.starts_with("fedramp");
    let joined = if nistish && toks.len() >= 2 {
        format!("{}-{}", toks[0], toks[1..].join("."))
    } else {
        toks.join(".")
    };
    if joined.starts_with(|c: char| c.is_ascii_alphabetic()) {
        joined
    } else {
        format!("_{joined}")
    }
}

/// An OSCAL document that another one points at by a relative `href`: written beside it, under
/// `file_name`.
#[derive(Debug, Clone)]
pub struct Companion {
    pub file_name: String,
    pub document: Value,
}

/// Write each companion into `dir` (whole or not at all, each), returning the paths written.
/// An error names the file that could not be written.
pub fn write_companions(dir: &Path, companions: &[Companion]) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for c in companions {
        let path = dir.join(&c.file_name);
        crate::output::write_atomic(&path, |w| super::json::document(&c.document, w)).map_err(
            |e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())),
        )?;
        written.push(path);
    }
    Ok(written)
}

/// The folder a report file is in (`.` for a bare file name).
pub fn folder_of(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_are_oscal_tokens() {
        assert_eq!(control_id("nist-800-53-r5", "AC-2(1)"), "ac-2.1");
        assert_eq!(control_id("nist-800-53-r5", "AC-2"), "ac-2");
        assert_eq!(control_id("pci-dss-4.0.1", "8.3.1"), "_8.3.1");
        assert_eq!(
            control_id("hipaa-security", "164.308(a)(1)(ii)(A)"),
            "_164.308.a.1.ii.a"
        );
        assert_eq!(control_id("iso27001-2022", "A.5.1"), "a.5.1");
        assert_eq!(control_id("gdpr", "Art. 32"), "art.32");
    }
}

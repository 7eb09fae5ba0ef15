//! srmap: who owns each compliance control on each cloud offering (provider, customer or
//! shared, and why), built from framework catalogs and provider responsibility matrices.
//!
//! The binary (`src/main.rs`, `src/cli/`) only parses arguments, prints and picks exit codes;
//! everything else is here.
//!
//! ```
//! use srmap::ownership::decide;
//! use srmap::{Catalog, Party};
//!
//! let catalog = Catalog::load_with(&[] as &[&str]).expect("the built-in data loads");
//! let pci = catalog.framework("pci-dss-4.0.1").unwrap();
//! // Any spelling real files use: `PCI_DSS_v4.0.1_6.3.3`, `pci-dss-4.0.1:6.3.3`, ...
//! let patching = pci.resolve("PCI_DSS_v4.0.1_6.3.3").unwrap();
//! let on_prem = decide(catalog.offering("onprem").unwrap(), pci, patching);
//! let on_ec2 = decide(catalog.offering("aws/ec2").unwrap(), pci, patching);
//! assert_eq!(on_prem.owner, Party::Customer); // you patch everything
//! assert_eq!(on_ec2.owner, Party::Shared); // AWS patches hosts and hypervisor, you the guest OS
//! // Why: the layers each party runs, and the facts (EC2: the customer patches the guest OS).
//! println!("{}", on_ec2.basis.describe());
//! ```

pub mod applicability;
pub mod artefact;
pub mod attestation;
pub mod cadence;
pub mod catalog;
pub mod comparison;
pub mod control_id;
pub mod crosswalk;
pub mod data;
pub mod diagnostic;
pub mod fact_difference;
pub mod feature;
pub mod framework;
pub mod gaps;
pub mod import;
pub mod input;
pub mod layer;
pub mod listing;
pub mod migration;
pub mod offering;
pub mod output;
pub mod owner_map;
pub mod ownership;
pub mod party;
pub mod pbc;
pub mod progress;
pub mod record;
pub mod render;
pub mod security_category;
pub mod share_rules;
pub mod sign_off;
pub mod soa;
pub mod suggest;
pub mod table;
pub mod templates;
pub mod text;
pub mod weight;

pub use catalog::Catalog;
pub use party::Party;

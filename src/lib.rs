//! srmap: who owns each compliance control on each cloud offering (provider, customer or
//! shared, and why), built from framework catalogs and provider responsibility matrices.
//!
//! The binary (`src/main.rs`, `src/cli/`) only parses arguments, prints and picks exit codes;
//! everything else is here.

pub mod attestation;
pub mod cadence;
pub mod catalog;
pub mod comparison;
pub mod control_id;
pub mod csv_input;
pub mod data;
pub mod diagnostic;
pub mod framework;
pub mod gaps;
pub mod input;
pub mod layer;
pub mod listing;
pub mod migration;
pub mod offering;
pub mod output;
pub mod owner_map;
pub mod party;
pub mod pbc;
pub mod render;
pub mod templates;

pub use catalog::Catalog;
pub use party::Party;

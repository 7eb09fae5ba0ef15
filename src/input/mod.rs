//! The customer's inputs: scope (TOML), evidence register and attestations (CSV or XLSX).

pub mod applicability;
pub mod attestations;
pub mod date;
pub mod evidence;
pub mod owners;
pub mod scope;
pub mod scope_template;

//! Row-shaped output described from the data side: a row type says its columns and cells, and
//! every text renderer (CSV, JSON, Markdown, a terminal table) writes it from that alone.

use serde::Serialize;

/// A row type that every text format can write.
pub trait Record: Serialize {
    /// Column names, in order, for CSV and Markdown (the JSON keys of the same fields).
    fn columns() -> &'static [&'static str];
    /// The cells, in the order of `columns()`; lists joined with `; `.
    fn cells(&self) -> Vec<String>;
    /// The columns shown in a terminal table (a readable subset).
    fn table_columns() -> &'static [&'static str] {
        Self::columns()
    }
}

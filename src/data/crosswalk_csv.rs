//! Reader for `frameworks/crosswalks/<from>_to_<to>.csv`: header `<from-id>,<to-id>,relationship`.

use crate::crosswalk::{Crosswalk, Pair, Relationship};
use crate::csv_input::{self, cell};
use crate::data::DataFile;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::framework::Framework;

pub const DIR: &str = "frameworks/crosswalks/";

pub fn read(
    file: &DataFile,
    frameworks: &[Framework],
    diags: &mut Diagnostics,
) -> Option<Crosswalk> {
    let name = file.display();
    let mut rdr = csv_input::reader(file.text.as_bytes(), b',');
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            diags.push(Diagnostic::error(
                "bad-csv",
                Location::file(&name),
                e.to_string(),
            ));
            return None;
        }
    };
    if header.len() < 3 || !header[2].eq_ignore_ascii_case("relationship") {
        diags.push(Diagnostic::error(
            "bad-crosswalk",
            Location::at(&name, 1, 1),
            "the header must be `<from framework>,<to framework>,relationship`",
        ));
        return None;
    }
    let mut side = |i: usize| match frameworks.iter().find(|f| f.id == header[i]) {
        Some(f) => Some(f),
        None => {
            diags.push(Diagnostic::error(
                "unknown-framework",
                Location::at(&name, 1, i as u64 + 1),
                format!("`{}` is not a framework", header[i]),
            ));
            None
        }
    };
    let (from, to) = (side(0), side(1));
    let (from, to) = (from?, to?);
    let mut pairs = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                diags.push(Diagnostic::error(
                    "bad-csv",
                    Location::at(&name, line, 1),
                    e.to_string(),
                ));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let at = |col: u64, f: &str| Location::at(&name, line, col).with_field(f);
        let mut resolve = |fw: &Framework, col: usize| match fw.resolve(cell(&rec, Some(col))) {
            Ok(c) => Some(c.id.clone()),
            Err(why) => {
                diags.push(Diagnostic::error(
                    "unknown-control",
                    at(col as u64 + 1, &header[col]),
                    fw.unresolved_message(cell(&rec, Some(col)), &why),
                ));
                None
            }
        };
        let a = resolve(from, 0);
        let b = resolve(to, 1);
        let rel = match cell(&rec, Some(2)).parse::<Relationship>() {
            Ok(r) => Some(r),
            Err(msg) => {
                diags.push(Diagnostic::error(
                    "bad-relationship",
                    at(3, "relationship"),
                    msg,
                ));
                None
            }
        };
        if let (Some(from_control), Some(to_control), Some(relationship)) = (a, b, rel) {
            pairs.push(Pair {
                from_control,
                to_control,
                relationship,
            });
        }
    }
    Some(Crosswalk {
        from: from.id.clone(),
        to: to.id.clone(),
        pairs,
        file: name,
    })
}

//! Reader for `frameworks/crosswalks/<from>_to_<to>.csv`: header `<from-id>,<to-id>,relationship`.

use crate::crosswalk::{Crosswalk, Pair, Relationship};
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::Framework;

pub const DIR: &str = "frameworks/crosswalks/";

pub fn read(
    file: &DataFile,
    frameworks: &[Framework],
    diags: &mut Diagnostics,
) -> Option<Crosswalk> {
    let name = file.display();
    let names: Vec<String> = file
        .text
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if names.len() < 3 || !names[2].eq_ignore_ascii_case("relationship") {
        diags.push(Diagnostic::error(
            Code::BadCrosswalk,
            Location::at(&name, 1, 1),
            "the header must be `<from framework>,<to framework>,relationship`",
        ));
        return None;
    }
    let mut side = |i: usize| match frameworks.iter().find(|f| f.id == names[i]) {
        Some(f) => Some(f),
        None => {
            diags.push(Diagnostic::error(
                Code::UnknownFramework,
                Location::at(&name, 1, i as u64 + 1),
                format!("`{}` is not a framework", names[i]),
            ));
            None
        }
    };
    let (from, to) = (side(0), side(1));
    let (from, to) = (from?, to?);
    let mut pairs = Vec::new();
    read_csv(file, &["relationship"], [], diags, |_, rec, diags| {
        let mut resolve = |fw: &Framework, col: usize| match fw.resolve(rec.get(Some(col))) {
            Ok(c) => Some(c.id.clone()),
            Err(why) => {
                diags.push(Diagnostic::error(
                    Code::UnknownControl,
                    rec.at(Some(col), &names[col]),
                    fw.unresolved_message(rec.get(Some(col)), &why),
                ));
                None
            }
        };
        let (a, b) = (resolve(from, 0), resolve(to, 1));
        let rel = match rec.get(Some(2)).parse::<Relationship>() {
            Ok(r) => Some(r),
            Err(msg) => {
                diags.push(Diagnostic::error(
                    Code::BadRelationship,
                    rec.at(Some(2), "relationship"),
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
    })?;
    Some(Crosswalk {
        from: from.id.clone(),
        to: to.id.clone(),
        pairs,
        file: name,
    })
}

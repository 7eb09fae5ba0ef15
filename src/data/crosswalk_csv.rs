//! Reader for `frameworks/crosswalks/<from>_to_<to>.csv`: header `<from-id>,<to-id>,relationship`.

use std::collections::HashMap;

use crate::crosswalk::{Crosswalk, Pair, Relationship};
use crate::data::{open_csv, read_records, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::Framework;

pub const DIR: &str = "frameworks/crosswalks/";

/// Read one crosswalk; `framework` finds a framework by ID (the catalog reads it then, if it
/// has not yet).
pub fn read<'f>(
    file: &DataFile,
    framework: impl Fn(&str) -> Option<&'f Framework>,
    diags: &mut Diagnostics,
) -> Option<Crosswalk> {
    let records = open_csv(file, diags)?;
    let name = records.file.clone();
    let names = records.header.names.clone();
    if names.len() < 3 || !names[2].eq_ignore_ascii_case("relationship") {
        diags.push(Diagnostic::error(
            Code::BadCrosswalk,
            Location::at(&name, 1, 1),
            "the header must be `<from framework>,<to framework>,relationship`",
        ));
        return None;
    }
    let mut side = |i: usize| match framework(&names[i]) {
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
    // Each pair of controls once: (from, to) -> its line and relationship.
    let mut seen: HashMap<(String, String), (u64, Relationship)> = HashMap::new();
    read_records(records, &["relationship"], [], diags, |_, rec, diags| {
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
            let key = (from_control.clone(), to_control.clone());
            if let Some(&(line, first)) = seen.get(&key) {
                let pair = format!("{} {from_control} -> {} {to_control}", from.id, to.id);
                diags.push(if first == relationship {
                    Diagnostic::warning(
                        Code::DuplicateMapping,
                        rec.at(Some(0), &names[0]),
                        format!("{pair} is mapped on line {line} already: delete this row"),
                    )
                } else {
                    Diagnostic::error(
                        Code::DuplicateMapping,
                        rec.at(Some(2), "relationship"),
                        format!(
                            "{pair} is mapped twice: `{first}` on line {line}, `{relationship}` \
                             here; keep the row that is right"
                        ),
                    )
                });
                return;
            }
            seen.insert(key, (rec.line, relationship));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{
        applicability_csv, artefacts_csv, features_csv, framework_files, layers_csv, DataSet,
        Origin,
    };

    /// The built-in frameworks a crosswalk can name: `soc2-2017` and `iso27001-2022`.
    fn frameworks() -> Vec<Framework> {
        let set = DataSet::builtin();
        let mut diags = Diagnostics::default();
        let layers = layers_csv::read(&set.files[layers_csv::PATH], &mut diags);
        let features = features_csv::read(&set.files[features_csv::PATH], &layers, &mut diags);
        let applicability =
            applicability_csv::read(&set.files[applicability_csv::PATH], &mut diags);
        let artefacts = artefacts_csv::read(&set.files[artefacts_csv::PATH], &mut diags);
        let out = ["soc2-2017", "iso27001-2022"]
            .into_iter()
            .filter_map(|id| {
                let header = &set.files[&format!("frameworks/{id}.toml")];
                let controls = &set.files[&format!("frameworks/{id}.csv")];
                framework_files::read(
                    header,
                    controls,
                    &layers,
                    &features,
                    &applicability,
                    &artefacts,
                    &mut diags,
                )
            })
            .collect();
        assert!(diags.is_empty(), "{diags:?}");
        out
    }

    /// Every diagnostic reading `text` as a crosswalk gives, one `Display` line each, and
    /// the pairs read.
    fn read_text(text: &str) -> (Vec<String>, usize) {
        let file = DataFile::new("frameworks/crosswalks/x_to_y.csv", Origin::Builtin, text);
        let mut diags = Diagnostics::default();
        let frameworks = frameworks();
        let find = |id: &str| frameworks.iter().find(|f| f.id == id);
        let pairs = read(&file, find, &mut diags).map_or(0, |c| c.pairs.len());
        (diags.iter().map(|d| d.to_string()).collect(), pairs)
    }

    #[test]
    fn a_header_without_relationship_is_bad_crosswalk() {
        for text in [
            "",
            "soc2-2017,iso27001-2022\n",
            "soc2-2017,iso27001-2022,kind\n",
        ] {
            assert_eq!(
                read_text(text).0,
                ["error[bad-crosswalk]: frameworks/crosswalks/x_to_y.csv:1:1: the header must be `<from framework>,<to framework>,relationship`"],
                "{text:?}"
            );
        }
    }

    #[test]
    fn unknown_frameworks_are_named_at_their_column() {
        assert_eq!(
            read_text("\u{feff}nope, soc2-2017 ,Relationship\r\nCC1.1,x,equal\n").0,
            ["error[unknown-framework]: frameworks/crosswalks/x_to_y.csv:1:1: `nope` is not a framework"]
        );
        assert_eq!(
            read_text("nope,none,relationship\n").0.len(),
            2,
            "both sides are reported"
        );
    }

    #[test]
    fn a_pair_mapped_twice_is_a_warning_or_when_they_disagree_an_error() {
        let (diags, pairs) = read_text(
            "soc2-2017,iso27001-2022,relationship\nCC6.1,A.5.15,equal\ncc_6_1,A.5.15,equal\nCC6.1,A.5.15,subset\nCC6.1,A.5.16,intersect\n",
        );
        assert_eq!(pairs, 2, "each pair once");
        assert_eq!(
            diags,
            [
                "warning[duplicate-mapping]: frameworks/crosswalks/x_to_y.csv:3:1 (soc2-2017): soc2-2017 CC6.1 -> iso27001-2022 A.5.15 is mapped on line 2 already: delete this row",
                "error[duplicate-mapping]: frameworks/crosswalks/x_to_y.csv:4:3 (relationship): soc2-2017 CC6.1 -> iso27001-2022 A.5.15 is mapped twice: `equal` on line 2, `subset` here; keep the row that is right",
            ]
        );
    }

    #[test]
    fn rows_report_their_cells() {
        let (diags, pairs) = read_text(
            "\u{feff}soc2-2017 , iso27001-2022,RELATIONSHIP\r\nCC6.1,A.5.15,equal\n,,\nCC6.1,ZZ-9,equal\nCC6.1,A.5.15,sort-of\n",
        );
        assert_eq!(pairs, 1);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert!(
            diags[0].starts_with(
                "error[unknown-control]: frameworks/crosswalks/x_to_y.csv:4:2 (iso27001-2022): "
            ),
            "{}",
            diags[0]
        );
        assert!(
            diags[1].starts_with(
                "error[bad-relationship]: frameworks/crosswalks/x_to_y.csv:5:3 (relationship): "
            ),
            "{}",
            diags[1]
        );
    }
}

//! Reader for `frameworks/pbc/artefacts.csv`: the evidence artefacts PBC requests ask for.

use crate::artefact::{Artefact, Artefacts};
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

pub const PATH: &str = "frameworks/pbc/artefacts.csv";

/// The longest request text a catalog row may have: the request is one cell of the PBC list,
/// which must stay readable when printed.
pub const MAX_REQUEST: usize = 360;

pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Artefacts {
    let mut out: Vec<Artefact> = Vec::new();
    read_csv(
        file,
        &["id", "title", "request"],
        ["id", "title", "request", "population"],
        diags,
        |cols, rec, diags| {
            let [c_id, c_title, c_request, c_population] = *cols;
            let id = rec.get(c_id).to_ascii_uppercase();
            let (topic, number) = match Artefact::parse_id(&id) {
                Ok(x) => x,
                Err(msg) => {
                    diags.push(Diagnostic::error(Code::BadId, rec.at(c_id, "id"), msg));
                    return;
                }
            };
            if out.iter().any(|a| a.id == id) {
                diags.push(Diagnostic::error(
                    Code::DuplicateArtefact,
                    rec.at(c_id, "id"),
                    format!("artefact `{id}` is defined twice"),
                ));
                return;
            }
            let mut ok = true;
            for (col, field) in [(c_title, "title"), (c_request, "request")] {
                if rec.get(col).is_empty() {
                    diags.push(Diagnostic::error(
                        Code::MissingValue,
                        rec.at(col, field),
                        format!("artefact `{id}` has no {field}"),
                    ));
                    ok = false;
                }
            }
            let request = rec.get(c_request);
            let len = request.chars().count();
            if len > MAX_REQUEST {
                diags.push(Diagnostic::error(
                    Code::RequestTooLong,
                    rec.at(c_request, "request"),
                    format!(
                        "artefact `{id}`: the request is {len} characters; keep it to {MAX_REQUEST} (it is one cell of the printed list)"
                    ),
                ));
                ok = false;
            }
            if !ok {
                return;
            }
            out.push(Artefact {
                id,
                topic,
                number,
                title: rec.get(c_title).to_string(),
                request: request.to_string(),
                population: rec.get(c_population).to_string(),
                line: rec.line,
            });
        },
    );
    Artefacts::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Origin;

    fn read_text(text: &str) -> (Artefacts, Vec<String>) {
        let file = DataFile::new(PATH, Origin::Builtin, text);
        let mut diags = Diagnostics::default();
        let out = read(&file, &mut diags);
        (out, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn rows_read_with_their_topic_and_problems_at_their_place() {
        let (list, diags) = read_text(
            "id,title,request,population\n\
             iam-004,Access reviews,The reviews.,access review\n\
             IAM-004,Again,Twice.,\n\
             XYZ-001,Odd,Odd.,\n\
             NET-001,,Diagrams.,\n",
        );
        assert_eq!(list.len(), 1);
        let a = list.get("IAM-004").unwrap();
        assert_eq!((a.topic, a.number), (crate::artefact::Topic::Iam, 4));
        assert_eq!(a.population, "access review");
        assert_eq!(diags.len(), 3, "{diags:?}");
        assert!(diags[0].contains("duplicate-artefact") && diags[0].contains(":3:1"));
        assert!(diags[1].contains("bad-id") && diags[1].contains(":4:1"));
        assert!(diags[2].contains("missing-value") && diags[2].contains(":5:2"));
    }
}

//! What a source says about a control, and the one step that turns those answers into an
//! offering's per-control rows (owner, sentences, citation of the rows and the source's words).

use indexmap::IndexMap;

use crate::import::data_dir::ControlRow;
use crate::party::Party;
use crate::table::Table;

/// What a source says about one control at one row.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The row (sheet row or CSV line) it is on.
    pub line: u64,
    pub owner: Party,
    /// The source's own word for the owner, verbatim.
    pub value: String,
    /// What the source calls the row (a CAIQ question, an Azure feature); empty: the row itself.
    pub label: String,
    /// What the provider does, in the source's words or the importer's.
    pub provider: String,
    /// What the customer does, in the source's words or the importer's.
    pub customer: String,
}

/// The answers of a source, per control in the order the source first names them.
pub type Answers = IndexMap<String, Vec<Answer>>;

/// A control row's owner and what each party does.
#[derive(Debug, Clone)]
pub struct Duties {
    pub owner: Party,
    pub provider: String,
    pub customer: String,
}

/// The owner all the answers of a control give together.
pub fn combined_owner(answers: &[Answer]) -> Party {
    Party::combine(answers.iter().map(|a| a.owner))
}

/// One row per control of `framework`: its owner and sentences as `duties` words them from the
/// control's answers, citing the rows of `table` they come from and the source's own words
/// (`label: value`, or the value alone for one unlabelled answer).
pub fn control_rows(
    framework: &str,
    table: &Table,
    answers: &Answers,
    mut duties: impl FnMut(&str, &[Answer]) -> Duties,
) -> Vec<ControlRow> {
    answers
        .iter()
        .map(|(control, list)| {
            let d = duties(control, list);
            let lines: Vec<u64> = list.iter().map(|a| a.line).collect();
            ControlRow {
                framework: framework.to_string(),
                control: control.clone(),
                owner: d.owner,
                provider: d.provider,
                customer: d.customer,
                source: table.source_rows(&lines),
                source_value: source_value(table, list),
            }
        })
        .collect()
}

/// The source's words for a control: `label: value` per answer (`row N: value` for an
/// unlabelled one among several), `; `-separated.
fn source_value(table: &Table, answers: &[Answer]) -> String {
    match answers {
        [one] if one.label.is_empty() => one.value.clone(),
        many => many
            .iter()
            .map(|a| {
                if a.label.is_empty() {
                    format!("{} {}: {}", table.row_word(), a.line, a.value)
                } else {
                    format!("{}: {}", a.label, a.value)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

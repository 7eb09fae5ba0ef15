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

/// Where a source's answers stand, to cite them in the control rows made from them.
pub trait Cite {
    /// The `source` of the row of `control` made from `answers`.
    fn source(&self, control: &str, answers: &[Answer]) -> String;
    /// What a row is called (`row` in a sheet, `line` in a CSV file).
    fn row_word(&self) -> &'static str;
}

/// Answers read from one sheet or CSV file cite its rows.
impl Cite for Table {
    fn source(&self, _: &str, answers: &[Answer]) -> String {
        let lines: Vec<u64> = answers.iter().map(|a| a.line).collect();
        self.source_rows(&lines)
    }

    fn row_word(&self) -> &'static str {
        Table::row_word(self)
    }
}

/// One row per control of `framework`: its owner and sentences as `duties` words them from the
/// control's answers, citing where they stand (`cite`: the rows of a table, say) and the
/// source's own words (`label: value`, or the value alone for one unlabelled answer).
pub fn control_rows(
    framework: &str,
    cite: &impl Cite,
    answers: &Answers,
    mut duties: impl FnMut(&str, &[Answer]) -> Duties,
) -> Vec<ControlRow> {
    answers
        .iter()
        .map(|(control, list)| {
            let d = duties(control, list);
            ControlRow {
                framework: framework.to_string(),
                control: control.clone(),
                owner: d.owner,
                provider: d.provider,
                customer: d.customer,
                source: cite.source(control, list),
                source_value: source_value(cite, list),
            }
        })
        .collect()
}

/// The source's words for a control: `label: value` per answer (`row N: value` for an
/// unlabelled one among several), `; `-separated.
fn source_value(cite: &impl Cite, answers: &[Answer]) -> String {
    match answers {
        [one] if one.label.is_empty() => one.value.clone(),
        many => many
            .iter()
            .map(|a| {
                if a.label.is_empty() {
                    format!("{} {}: {}", cite.row_word(), a.line, a.value)
                } else {
                    format!("{}: {}", a.label, a.value)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

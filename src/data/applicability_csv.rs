//! Reader for `frameworks/applicability.csv`: the scope settings each framework's
//! `[applicability.<framework>]` table may give, their values and the conditions they decide.

use crate::applicability::{Applicability, SettingValue};
use crate::data::{read_csv, DataFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::layer::is_kebab;

pub const PATH: &str = "frameworks/applicability.csv";

/// Read the definitions; every malformed or repeated row is reported and left out.
pub fn read(file: &DataFile, diags: &mut Diagnostics) -> Applicability {
    let mut list: Vec<SettingValue> = Vec::new();
    read_csv(
        file,
        &["framework", "setting", "value"],
        ["framework", "setting", "value", "condition", "description"],
        diags,
        |cols, rec, diags| {
            let [c_fw, c_setting, c_value, c_cond, c_desc] = *cols;
            let framework = rec.get(c_fw);
            let setting = rec.get(c_setting);
            let value = rec.get(c_value);
            let condition = rec.get(c_cond);
            for (col, field, text) in [(c_setting, "setting", setting), (c_value, "value", value)] {
                if !is_kebab(text) {
                    diags.push(Diagnostic::error(
                        Code::BadApplicability,
                        rec.at(col, field),
                        format!("{field} `{text}` must be kebab-case (a-z, 0-9, -)"),
                    ));
                    return;
                }
            }
            if !condition.is_empty() && !is_kebab(condition) {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    rec.at(c_cond, "condition"),
                    format!("condition `{condition}` must be kebab-case (a-z, 0-9, -)"),
                ));
                return;
            }
            if value == "false" {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    rec.at(c_value, "value"),
                    format!("`{setting}`: a yes/no setting is defined by its `true` row only"),
                ));
                return;
            }
            if list
                .iter()
                .any(|v| v.framework == framework && v.setting == setting && v.value == value)
            {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    rec.at(c_value, "value"),
                    format!("{framework} `{setting} = {value}` is defined twice"),
                ));
                return;
            }
            if !condition.is_empty()
                && list
                    .iter()
                    .any(|v| v.framework == framework && v.condition == condition)
            {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    rec.at(c_cond, "condition"),
                    format!("{framework} condition `{condition}` is defined twice"),
                ));
                return;
            }
            let mixed = list.iter().any(|v| {
                v.framework == framework
                    && v.setting == setting
                    && v.is_switch() != (value == "true")
            });
            if mixed {
                diags.push(Diagnostic::error(
                    Code::BadApplicability,
                    rec.at(c_value, "value"),
                    format!("{framework} `{setting}` mixes `true` with other values: a setting is either a yes/no switch or a list of values"),
                ));
                return;
            }
            let description = rec.get(c_desc);
            if description.is_empty() {
                diags.push(Diagnostic::error(
                    Code::MissingValue,
                    rec.at(c_desc, "description"),
                    format!("{framework} `{setting} = {value}` has no description"),
                ));
                return;
            }
            list.push(SettingValue {
                framework: framework.to_string(),
                setting: setting.to_string(),
                value: value.to_string(),
                condition: condition.to_string(),
                description: description.to_string(),
                line: rec.line,
            });
        },
    );
    Applicability::new(list)
}

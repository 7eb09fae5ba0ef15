//! The rules an owner map must keep across offerings: the customer's share of a control never
//! grows as the provider runs more of the stack. Checked by `srmap validate`, on every control
//! of every framework, with and without the customer's own premises in scope.
//!
//! - along the generic service models `onprem -> iaas -> paas -> faas -> saas`;
//! - from an offering to each offering that declares `narrows = [it]` (EC2 -> RDS, Lambda, ...).

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::framework::Framework;
use crate::offering::{Model, Offering};
use crate::ownership::{decide_with, Assumptions};
use crate::party::Party;

/// The generic models whose customer share must shrink, in order.
pub const CHAIN: [Model; 5] = [
    Model::Onprem,
    Model::Iaas,
    Model::Paas,
    Model::Faas,
    Model::Saas,
];

/// Where a diagnostic about `narrow` points: its `narrows` key, or the file for a generic model.
fn at(narrow: &Offering) -> Location {
    if narrow.narrows.is_empty() {
        Location::file(narrow.file.clone())
    } else {
        Location::at(
            narrow.file.clone(),
            narrow.narrows_at.0,
            narrow.narrows_at.1,
        )
    }
}

/// How many controls one diagnostic names before it gives a count.
const LISTED: usize = 8;

/// Every place where the customer's share grows from `wide` to `narrow`.
fn grows(catalog: &Catalog, wide: &Offering, narrow: &Offering, why: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for fw in catalog.frameworks() {
        let mut found: Vec<String> = Vec::new();
        for c in fw.obligations() {
            for premises in [true, false] {
                let assume = Assumptions::premises(Some(premises));
                let a = decide_with(wide, fw, c, assume).owner;
                let b = decide_with(narrow, fw, c, assume).owner;
                if a == Party::NotApplicable || b == Party::NotApplicable {
                    continue;
                }
                if b.customer_share() > a.customer_share() {
                    let premises = if premises {
                        ""
                    } else {
                        " (premises out of scope)"
                    };
                    found.push(format!("{} {a} -> {b}{premises}", c.id));
                    break;
                }
            }
        }
        if !found.is_empty() {
            out.push(diagnostic(fw, wide, narrow, why, &found));
        }
    }
    out
}

fn diagnostic(
    fw: &Framework,
    wide: &Offering,
    narrow: &Offering,
    why: &str,
    found: &[String],
) -> Diagnostic {
    let more = match found.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Diagnostic::error(
        Code::ShareGrows,
        at(narrow),
        format!(
            "{}: the customer's share grows from {} to {} ({why}) on {} control(s): {}{more}",
            fw.id,
            wide.id,
            narrow.id,
            found.len(),
            found[..found.len().min(LISTED)].join(", ")
        ),
    )
}

/// Check the shrinking-share rules over the whole catalog.
pub fn check(catalog: &Catalog) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let generic: Vec<&Offering> = CHAIN
        .iter()
        .filter_map(|m| {
            catalog
                .offerings()
                .find(|o| o.provider == "generic" && o.model == *m)
        })
        .collect();
    for pair in generic.windows(2) {
        for d in grows(catalog, pair[0], pair[1], "service models") {
            diags.push(d);
        }
    }
    for narrow in catalog.offerings() {
        for id in &narrow.narrows {
            match catalog.offerings().find(|o| o.matches(id)) {
                Some(wide) => {
                    for d in grows(catalog, wide, narrow, "it declares `narrows`") {
                        diags.push(d);
                    }
                }
                None => diags.push(Diagnostic::error(
                    Code::UnknownOffering,
                    at(narrow).with_field("narrows"),
                    format!("`narrows` names `{id}`, which is not an offering"),
                )),
            }
        }
    }
    diags.sorted()
}

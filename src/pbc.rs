//! The "provided by client" (PBC) request list: every applicable control the customer owns or
//! shares in scope, with the evidence to collect and how recent it must be (a control that is
//! excluded or not applicable on a system is requested for it no more).

use jiff::civil::Date;
use serde::Serialize;

use crate::cadence::Cadence;
use crate::input::scope::Scope;
use crate::ownership::decide_across;
use crate::record::Record;

#[derive(Debug, Clone, Serialize)]
pub struct PbcRow {
    pub request: usize,
    pub framework: String,
    pub control: String,
    pub title: String,
    /// The systems it is requested for, each with its owner there.
    pub systems: Vec<String>,
    pub evidence: String,
    pub cadence: Cadence,
    /// Evidence must be dated on or after this day to be fresh at the end of the audit period.
    pub dated_from: Date,
    /// What the customer does for this control, from the systems' offerings' matrices.
    pub customer_duty: String,
}

/// The PBC request list of a scope: whom it is for, the audit period, and the requests.
#[derive(Debug, Clone, Serialize)]
pub struct PbcList {
    pub organization: String,
    pub period_start: Date,
    pub period_end: Date,
    /// The scope's frameworks, in order.
    pub frameworks: Vec<String>,
    pub requests: Vec<PbcRow>,
}

impl PbcList {
    /// The scope's request list ([`pbc_rows`]) with what a document about it names.
    pub fn build(scope: &Scope<'_>) -> PbcList {
        PbcList {
            organization: scope.organization.clone(),
            period_start: scope.period.start,
            period_end: scope.period.end,
            frameworks: scope
                .framework_ids()
                .into_iter()
                .map(String::from)
                .collect(),
            requests: pbc_rows(scope),
        }
    }
}

/// Requests in framework order, then control order; one per control, across systems.
pub fn pbc_rows(scope: &Scope<'_>) -> Vec<PbcRow> {
    let mut out = Vec::new();
    for fw in scope.frameworks() {
        for control in fw.obligations() {
            let mut systems = Vec::new();
            let mut duties: Vec<String> = Vec::new();
            for sys in scope
                .systems
                .iter()
                .filter(|s| s.has_framework(&fw.id) && s.applies(fw, control).applies())
            {
                let decided = decide_across(&sys.offerings, fw, control, sys.assumptions());
                let owner = decided.owner;
                if !owner.customer_involved() {
                    continue;
                }
                systems.push(format!("{} ({owner})", sys.name));
                for (off, d) in decided.each {
                    if !d.owner.customer_involved() {
                        continue;
                    }
                    // The control's own duty once, then what each offering adds (its facts),
                    // named after the offering.
                    let own = control.customer_duty.as_str();
                    let text = match d.customer_duty.strip_prefix(own) {
                        Some(rest) if !own.is_empty() => {
                            if !duties.iter().any(|x| x == own) {
                                duties.insert(0, own.to_string());
                            }
                            match rest.trim() {
                                "" => continue,
                                rest => format!("{}: {rest}", off.id),
                            }
                        }
                        _ => d.customer_duty,
                    };
                    if !duties.contains(&text) {
                        duties.push(text);
                    }
                }
            }
            if systems.is_empty() {
                continue;
            }
            out.push(PbcRow {
                request: out.len() + 1,
                framework: fw.id.clone(),
                control: control.id.clone(),
                title: control.title.clone(),
                systems,
                evidence: control.evidence.clone(),
                cadence: control.cadence,
                dated_from: control
                    .cadence
                    .evidence_from(scope.period.start, scope.period.end),
                customer_duty: duties.join(" "),
            });
        }
    }
    out
}

impl Record for PbcRow {
    fn columns() -> &'static [&'static str] {
        &[
            "request",
            "framework",
            "control",
            "title",
            "systems",
            "evidence",
            "cadence",
            "dated_from",
            "customer_duty",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.request.to_string(),
            self.framework.clone(),
            self.control.clone(),
            self.title.clone(),
            self.systems.join("; "),
            self.evidence.clone(),
            self.cadence.to_string(),
            self.dated_from.to_string(),
            self.customer_duty.clone(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &[
            "request",
            "framework",
            "control",
            "title",
            "systems",
            "dated_from",
        ]
    }
}

//! Attestation rules: which provider reports and agreements each offering needs, and whether
//! the ones on file cover it, are current, and reach the end of the audit period.

use jiff::civil::Date;

use super::finding::{given, name};
use super::{AttestationCheck, Finding, GapCode, RowOutcome};
use crate::attestation::AttestationKind;
use crate::catalog::Catalog;
use crate::framework::Framework;
use crate::input::attestations::Attestation;
use crate::input::scope::{Scope, System};
use crate::offering::Offering;
use crate::party::Party;

#[derive(Clone, Default)]
enum Fate {
    #[default]
    Unseen,
    Used(Vec<String>),
    Reported(GapCode),
    /// Another attestation already met the need it could have met.
    Spare(String),
}

pub(super) struct AttestationBook<'a> {
    catalog: &'a Catalog,
    scope: &'a Scope<'a>,
    file: String,
    as_of: Date,
    rows: Vec<Attestation>,
    /// Canonical offering IDs each row covers (empty with `*`).
    covers: Vec<Vec<String>>,
    fates: Vec<Fate>,
}

impl<'a> AttestationBook<'a> {
    pub fn new(
        catalog: &'a Catalog,
        scope: &'a Scope<'a>,
        rows: Vec<Attestation>,
        file: &str,
        as_of: Date,
        findings: &mut Vec<Finding>,
    ) -> Self {
        let mut covers = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut ids = Vec::new();
            for o in &row.offerings {
                match catalog.offering(o) {
                    Ok(off) => ids.push(off.id.clone()),
                    Err(e) => {
                        let mut f = Finding::new(
                            GapCode::UnknownOffering,
                            format!("{}: {e}", row.reference),
                            "Fix the offering ID in the attestation register.",
                        );
                        f.offering = name(o);
                        f.reference = given(&row.reference);
                        f.source = Some(format!("{file}:{}", row.row).into());
                        findings.push(f);
                    }
                }
            }
            covers.push(ids);
        }
        AttestationBook {
            catalog,
            scope,
            file: file.to_string(),
            as_of,
            fates: vec![Fate::Unseen; rows.len()],
            rows,
            covers,
        }
    }

    /// ` (from https://...)` when the data knows where the provider publishes it; a note when
    /// the provider is not known to publish any of the kinds.
    fn where_to_get(&self, provider: &str, kinds: &[AttestationKind]) -> String {
        match kinds
            .iter()
            .find_map(|k| self.catalog.published(provider, *k))
        {
            Some(p) => format!(" ({}, from {})", p.name, p.portal),
            None => format!(
                " (srmap's data does not list one that {provider} publishes: ask the provider)"
            ),
        }
    }

    fn mark(&mut self, i: usize, fate: Fate, system: &str) {
        match (&mut self.fates[i], fate) {
            (Fate::Used(list), Fate::Used(_)) => {
                if !list.iter().any(|s| s == system) {
                    list.push(system.to_string());
                }
            }
            (Fate::Used(_), Fate::Reported(_) | Fate::Spare(_)) => {}
            (Fate::Reported(_), Fate::Spare(_)) => {}
            (slot, fate) => *slot = fate,
        }
    }

    /// The checks for one offering of one system under one framework.
    pub fn check(
        &mut self,
        sys: &System<'_>,
        fw: &Framework,
        off: &Offering,
        controls: usize,
        findings: &mut Vec<Finding>,
    ) -> Vec<AttestationCheck> {
        let groups = fw.provider_needs();
        let mut out = Vec::new();
        for kinds in groups {
            let agreement = kinds.iter().all(|k| k.is_agreement());
            let label = kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" or ");
            let requirement = kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" | ");
            let candidates: Vec<usize> = (0..self.rows.len())
                .filter(|&i| kinds.contains(&self.rows[i].kind))
                .filter(|&i| {
                    self.rows[i].provider == off.provider || self.covers[i].contains(&off.id)
                })
                .collect();
            let covering: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| self.rows[i].all || self.covers[i].contains(&off.id))
                .collect();
            let current: Vec<usize> = covering
                .iter()
                .copied()
                .filter(|&i| self.rows[i].expires.is_none_or(|e| e >= self.as_of))
                .collect();
            let reaching: Vec<usize> = current
                .iter()
                .copied()
                .filter(|&i| {
                    agreement
                        || self.rows[i]
                            .period_end
                            .is_some_and(|e| e >= self.scope.period.end)
                })
                .collect();
            let pick = |list: &[usize], rows: &[Attestation]| {
                list.iter()
                    .copied()
                    .max_by_key(|&i| (rows[i].period_end, rows[i].expires, std::cmp::Reverse(i)))
            };
            let relying = format!(
                "{controls} {} control{} on {} rely on it",
                fw.id,
                if controls == 1 { "" } else { "s" },
                off.id
            );
            let (gap, chosen, detail, action, since) = if let Some(i) = pick(&reaching, &self.rows)
            {
                (
                    None,
                    Some(i),
                    format!("{} covers {}", self.rows[i].reference, off.id),
                    String::new(),
                    None,
                )
            } else if let Some(i) = pick(&current, &self.rows) {
                let end = self.rows[i].period_end.expect("reports have a period end");
                let from = end.tomorrow().unwrap_or(end);
                (
                    Some(GapCode::AttestationPeriodGap),
                    Some(i),
                    format!(
                        "{} covers to {end}; the audit period runs to {}: {} days are not covered ({relying})",
                        self.rows[i].reference,
                        self.scope.period.end,
                        (self.scope.period.end - end).get_days()
                    ),
                    format!("Request a bridge letter from {} for {from} to {}.", off.provider, self.scope.period.end),
                    Some(from),
                )
            } else if let Some(i) = covering
                .iter()
                .copied()
                .max_by_key(|&i| self.rows[i].expires)
            {
                let exp = self.rows[i].expires.expect("only expired ones are left");
                (
                    Some(GapCode::AttestationExpired),
                    Some(i),
                    format!("{} expired on {exp} ({relying})", self.rows[i].reference),
                    format!(
                        "Obtain the current {label}{}.",
                        self.where_to_get(&off.provider, kinds)
                    ),
                    Some(exp),
                )
            } else if let Some(&i) = candidates.first() {
                let listed = if self.rows[i].offerings.is_empty() {
                    "nothing".to_string()
                } else {
                    self.rows[i].offerings.join(", ")
                };
                (
                    Some(GapCode::AttestationNotCoveringOffering),
                    Some(i),
                    format!("{} lists {listed} but not {} ({relying})", self.rows[i].reference, off.id),
                    format!("Obtain the edition of the {label} whose scope lists {}, or confirm its scope in writing.", off.name),
                    None,
                )
            } else {
                let code = if agreement {
                    GapCode::MissingAgreement
                } else {
                    GapCode::MissingAttestation
                };
                let action = if agreement {
                    format!(
                        "Sign the {label} with {} before regulated data reaches {}{}.",
                        off.provider,
                        off.name,
                        self.where_to_get(&off.provider, kinds)
                    )
                } else {
                    format!(
                        "Obtain the provider's {label}{}.",
                        self.where_to_get(&off.provider, kinds)
                    )
                };
                (
                    Some(code),
                    None,
                    format!("no {label} from {} is on file ({relying})", off.provider),
                    action,
                    None,
                )
            };
            let reference = chosen
                .map(|i| self.rows[i].reference.clone())
                .unwrap_or_default();
            for &i in &candidates {
                let fate = match gap {
                    None if Some(i) == chosen => Fate::Used(vec![sys.name.clone()]),
                    None => Fate::Spare(reference.clone()),
                    Some(code) => Fate::Reported(code),
                };
                self.mark(i, fate, &sys.name);
            }
            if let Some(code) = gap {
                let mut f = Finding::new(code, detail.clone(), action);
                f.system = Some(sys.name.as_str().into());
                f.framework = Some(fw.id.as_str().into());
                f.party = Some(Party::Provider);
                f.offering = Some(off.id.as_str().into());
                f.reference = given(&reference);
                f.since = since;
                f.source = chosen.map(|i| format!("{}:{}", self.file, self.rows[i].row).into());
                findings.push(f);
            }
            out.push(AttestationCheck {
                offering: off.id.clone(),
                provider: off.provider.clone(),
                requirement,
                controls,
                reference,
                portal: kinds
                    .iter()
                    .find_map(|k| self.catalog.published(&off.provider, *k))
                    .map(|p| p.portal.clone())
                    .unwrap_or_default(),
                gap,
                detail,
            });
        }
        out
    }

    pub fn finish(self, findings: &mut Vec<Finding>) -> Vec<RowOutcome> {
        let mut out = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let outcome = match &self.fates[i] {
                Fate::Used(systems) => format!("counts for {}", systems.join(", ")),
                Fate::Reported(code) => format!("reported: {code}"),
                Fate::Spare(by) => format!("not needed: {by} already meets the need"),
                Fate::Unseen => {
                    let mut f = Finding::new(
                        GapCode::UnusedAttestation,
                        format!(
                            "{}: no system in scope needs a {} from {}",
                            row.reference, row.kind, row.provider
                        ),
                        "None needed.",
                    );
                    f.reference = given(&row.reference);
                    f.source = Some(format!("{}:{}", self.file, row.row).into());
                    findings.push(f);
                    "reported: unused-attestation".to_string()
                }
            }
            .into();
            out.push(RowOutcome {
                row: row.row,
                id: row.reference.clone().into(),
                location: "".into(),
                what: format!(
                    "{} {} for {}",
                    row.provider,
                    row.kind,
                    if row.all {
                        "*".to_string()
                    } else {
                        row.offerings.join("; ")
                    }
                )
                .into(),
                outcome,
            });
        }
        out
    }
}

//! The gap report PDF: cover, executive summary with charts, the Statement of Applicability
//! (counts, settings, and every control that does not apply with its reason), then per system
//! and framework the attestations, the worklist (most urgent first) and the owner map, and
//! appendices.

use std::io::{self, Write};

use genpdf::elements::{Break, PageBreak, Paragraph};
use genpdf::style::Style;
use genpdf::Document;

use super::{
    finish, heading, new_document, note, party_color, severity_color, BarChart, Cell, Table, GREY,
    INK,
};
use crate::gaps::finding::UNASSIGNED;
use crate::gaps::{
    Finding, FrameworkReport, GapCode, GapReport, Readiness, Severity, SystemReport,
};
use crate::party::Party;
use crate::weight::Weight;

/// The gap report: cover, summary, each system and framework, appendices; dated `as_of`.
pub fn gap_report(report: &GapReport, out: &mut dyn Write) -> io::Result<()> {
    let running = format!(
        "{}   ·   Compliance gaps as of {}",
        report.organization, report.as_of
    );
    let mut doc = new_document(
        &format!("Compliance gap report: {}", report.organization),
        running,
    )?;
    cover(&mut doc, report);
    summary(&mut doc, report);
    doc.push(PageBreak::new());
    super::soa::section(&mut doc, &report.applicability, true);
    for sys in &report.systems {
        for fw in &sys.frameworks {
            doc.push(PageBreak::new());
            system_framework(&mut doc, report, sys, fw);
        }
    }
    appendix(&mut doc, report);
    finish(doc, report.as_of, out)
}

fn cover(doc: &mut Document, r: &GapReport) {
    doc.push(Break::new(6));
    doc.push(Paragraph::default().styled_string(
        "Compliance gap report",
        Style::new().bold().with_font_size(26).with_color(INK),
    ));
    doc.push(Break::new(1));
    doc.push(
        Paragraph::default().styled_string(r.organization.clone(), Style::new().with_font_size(16)),
    );
    doc.push(Break::new(1.5));
    for (k, v) in [
        (
            "Audit period",
            format!("{} to {}", r.period_start, r.period_end),
        ),
        ("Gaps judged as of", r.as_of.to_string()),
        ("Scope", r.scope_file.clone()),
        ("Evidence register", none_if_empty(&r.evidence_file)),
        ("Provider attestations", none_if_empty(&r.attestation_file)),
    ] {
        doc.push(
            Paragraph::default()
                .styled_string(format!("{k}: "), Style::new().bold().with_font_size(10))
                .styled_string(v, Style::new().with_font_size(10)),
        );
    }
    doc.push(Break::new(1.5));
    let mut t = Table::new(
        &["System", "Runs on", "Frameworks", "Description"],
        &[3, 5, 4, 8],
    )
    .font_size(9);
    for s in &r.systems {
        let fws: Vec<&str> = s.frameworks.iter().map(|f| f.id.as_str()).collect();
        t.push(vec![
            Cell {
                text: s.name.clone(),
                color: None,
                bold: true,
            },
            s.offerings.join(", ").into(),
            fws.join(", ").into(),
            s.description.clone().into(),
        ]);
    }
    doc.push(t);
    doc.push(Break::new(2));
    doc.push(note(&format!(
        "Made by srmap {}. Owners come from the providers' published shared-responsibility matrices (cited in each offering's data file); control titles are srmap's own summaries, not the standards' text.",
        env!("CARGO_PKG_VERSION")
    )));
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "none given".into()
    } else {
        s.to_string()
    }
}

fn summary(doc: &mut Document, r: &GapReport) {
    doc.push(PageBreak::new());
    doc.push(heading("Executive summary", 16));
    doc.push(Break::new(0.5));
    let gaps: Vec<_> = r.gaps().collect();
    let sev = |s: Severity| gaps.iter().filter(|f| f.severity() == s).count();
    let controls: usize = r
        .systems
        .iter()
        .flat_map(|s| &s.frameworks)
        .map(|f| f.controls.len())
        .sum();
    let ours: usize = r
        .systems
        .iter()
        .flat_map(|s| &s.frameworks)
        .flat_map(|f| &f.controls)
        .filter(|c| c.owner.customer_involved())
        .count();
    let open: usize = r
        .systems
        .iter()
        .flat_map(|s| &s.frameworks)
        .flat_map(|f| &f.controls)
        .filter(|c| !c.gaps.is_empty())
        .count();
    let att_problems = gaps
        .iter()
        .filter(|f| f.party == Some(Party::Provider))
        .count();
    let due = r
        .findings
        .iter()
        .filter(|f| f.code == GapCode::EvidenceDueSoon)
        .count();
    let left_out = r.applicability.left_out().count();
    let ready = Readiness::total(
        &r.systems
            .iter()
            .flat_map(|s| &s.frameworks)
            .map(|f| f.readiness())
            .collect::<Vec<_>>(),
    );
    doc.push(Paragraph::new(format!(
        "{} gaps: {} high, {} medium, {} low (a gap's severity weighs its kind by the control's risk weight). Across {} systems, {} controls are in scope; the customer owns or shares {} of them, of which {} are met ({} ready), and {} controls have at least one open gap. {} gaps concern provider reports or agreements. {} controls that pass today have evidence that stops counting soon. {} controls do not apply (the Statement of Applicability says why) and are not judged.",
        gaps.len(), sev(Severity::High), sev(Severity::Medium), sev(Severity::Low), r.systems.len(), controls, ours, ready.met, ready.percent(), open, att_problems, due, left_out
    )));
    let unassigned = gaps
        .iter()
        .filter(|f| f.assignee.as_deref() == Some(UNASSIGNED))
        .count();
    let overdue = gaps
        .iter()
        .filter(|f| f.due.is_some_and(|d| d < r.as_of))
        .count();
    doc.push(Break::new(0.4));
    doc.push(Paragraph::new(format!(
        "{} gaps have a named assignee, {unassigned} are unassigned; {overdue} are overdue (due before {}).",
        gaps.len() - unassigned,
        r.as_of
    )));
    if let Some(c) = r.change_counts() {
        doc.push(Break::new(0.4));
        doc.push(Paragraph::new(format!(
            "Since the previous report ({}): {} new gaps, {} still open, {} resolved (Appendix D).",
            r.previous_file, c.new, c.open, c.resolved
        )));
    }
    doc.push(Break::new(0.8));
    doc.push(heading("Who owns the controls", 11));
    doc.push(note(
        "Each bar is one system and framework: customer-owned, shared and provider-owned controls.",
    ));
    let mut owners = BarChart::new(70);
    for s in &r.systems {
        for f in &s.frameworks {
            let n = |p: Party| f.controls.iter().filter(|c| c.owner == p).count();
            owners.bar(
                format!("{} · {}", s.name, f.id),
                vec![
                    (n(Party::Customer), party_color(Party::Customer)),
                    (n(Party::Shared), party_color(Party::Shared)),
                    (n(Party::Provider), party_color(Party::Provider)),
                ],
            );
        }
    }
    doc.push(owners);
    doc.push(legend(&[
        ("customer", party_color(Party::Customer)),
        ("shared", party_color(Party::Shared)),
        ("provider", party_color(Party::Provider)),
    ]));
    doc.push(Break::new(0.8));
    doc.push(heading("Gaps by kind and severity", 11));
    let mut by_code = BarChart::new(70);
    for code in GapCode::ALL.into_iter().filter(|c| c.is_gap()) {
        let segments = [Severity::High, Severity::Medium, Severity::Low]
            .into_iter()
            .map(|sv| {
                let n = gaps
                    .iter()
                    .filter(|f| f.code == code && f.severity() == sv)
                    .count();
                (n, severity_color(sv))
            })
            .collect();
        by_code.bar(code.as_str(), segments);
    }
    doc.push(by_code);
    doc.push(legend(&[
        ("high", severity_color(Severity::High)),
        ("medium", severity_color(Severity::Medium)),
        ("low", severity_color(Severity::Low)),
    ]));
    doc.push(Break::new(0.8));
    doc.push(heading("Counts per system and framework", 11));
    let mut t = Table::new(
        &[
            "System",
            "Framework",
            "Controls",
            "Customer",
            "Shared",
            "Provider",
            "High",
            "Medium",
            "Low",
            "Controls with gaps",
        ],
        &[4, 4, 2, 2, 2, 2, 2, 2, 2, 3],
    );
    for s in &r.systems {
        for f in &s.frameworks {
            let n = |p: Party| {
                f.controls
                    .iter()
                    .filter(|c| c.owner == p)
                    .count()
                    .to_string()
            };
            let g = |sv: Severity| {
                gaps.iter()
                    .filter(|x| x.concerns(&s.name, &f.id) && x.severity() == sv)
                    .count()
                    .to_string()
            };
            t.push(vec![
                s.name.clone().into(),
                f.id.clone().into(),
                f.controls.len().to_string().into(),
                n(Party::Customer).into(),
                n(Party::Shared).into(),
                n(Party::Provider).into(),
                Cell::colored(g(Severity::High), severity_color(Severity::High)),
                Cell::colored(g(Severity::Medium), severity_color(Severity::Medium)),
                g(Severity::Low).into(),
                f.controls
                    .iter()
                    .filter(|c| !c.gaps.is_empty())
                    .count()
                    .to_string()
                    .into(),
            ]);
        }
    }
    doc.push(t);
    readiness(doc, r);
    doc.push(Break::new(0.8));
    doc.push(heading("Who has the gaps", 11));
    doc.push(note("Per assignee: the register row's owner for evidence findings, the scope's [owners] for the rest."));
    doc.push(by_assignee(&gaps, r.as_of));
    doc.push(Break::new(0.8));
    doc.push(heading("Most urgent", 11));
    doc.push(note("The first gaps of the worklist, highest severity first: contracts and provider reports (they take longest), failed checks, then missing and expired evidence on key controls."));
    doc.push(worklist(gaps.iter().take(15).copied(), true));
    coming_due(doc, r);
}

/// Per system and framework: the share of the customer's and shared controls that are met.
fn readiness(doc: &mut Document, r: &GapReport) {
    doc.push(Break::new(0.8));
    doc.push(heading("Readiness per system and framework", 11));
    doc.push(note("Of the controls the customer owns or shares (those it must show evidence for), how many are met: no open gap, its provider's part included. Controls out of scope are not counted."));
    let mut t = Table::new(
        &[
            "System",
            "Framework",
            "Customer + shared",
            "Met",
            "Open",
            "Readiness",
        ],
        &[4, 4, 3, 2, 2, 3],
    );
    let mut all = Vec::new();
    for s in &r.systems {
        for f in &s.frameworks {
            let ready = f.readiness();
            all.push(ready);
            t.push(vec![
                s.name.clone().into(),
                f.id.clone().into(),
                ready.of.to_string().into(),
                ready.met.to_string().into(),
                (ready.of - ready.met).to_string().into(),
                Cell {
                    text: ready.percent(),
                    color: None,
                    bold: true,
                },
            ]);
        }
    }
    let total = Readiness::total(&all);
    t.push(vec![
        Cell {
            text: "All".into(),
            color: None,
            bold: true,
        },
        "".into(),
        total.of.to_string().into(),
        total.met.to_string().into(),
        (total.of - total.met).to_string().into(),
        Cell {
            text: total.percent(),
            color: None,
            bold: true,
        },
    ]);
    doc.push(t);
}

/// Gaps per assignee, most gaps first: how many, how many high, overdue, and the earliest due
/// date.
fn by_assignee(gaps: &[&Finding], as_of: jiff::civil::Date) -> Table {
    let mine = |p: &str| {
        gaps.iter()
            .filter(|f| f.assignee.as_deref().unwrap_or(UNASSIGNED) == p)
            .count()
    };
    let mut people: Vec<&str> = gaps
        .iter()
        .map(|f| f.assignee.as_deref().unwrap_or(UNASSIGNED))
        .collect();
    people.sort_unstable();
    people.dedup();
    people.sort_by_key(|p| std::cmp::Reverse(mine(p)));
    let mut t = Table::new(
        &["Assignee", "Gaps", "High", "Overdue", "Earliest due"],
        &[8, 2, 2, 2, 3],
    );
    for p in people {
        let mine: Vec<&&Finding> = gaps
            .iter()
            .filter(|f| f.assignee.as_deref().unwrap_or(UNASSIGNED) == p)
            .collect();
        let high = mine
            .iter()
            .filter(|f| f.severity() == Severity::High)
            .count();
        let overdue = mine
            .iter()
            .filter(|f| f.due.is_some_and(|d| d < as_of))
            .count();
        let earliest = mine.iter().filter_map(|f| f.due).min();
        t.push(vec![
            Cell {
                text: p.to_string(),
                color: None,
                bold: p != UNASSIGNED,
            },
            mine.len().to_string().into(),
            if high > 0 {
                Cell::colored(high.to_string(), severity_color(Severity::High))
            } else {
                high.to_string().into()
            },
            overdue.to_string().into(),
            earliest.map(|d| d.to_string()).unwrap_or_default().into(),
        ]);
    }
    t
}

/// With `--previous`: the gaps closed since the previous report (an appendix).
fn resolved(doc: &mut Document, r: &GapReport) {
    if r.previous_file.is_empty() {
        return;
    }
    let gone: Vec<&Finding> = r.resolved.iter().filter(|f| f.code.is_gap()).collect();
    doc.push(Break::new(1));
    doc.push(heading(
        &format!(
            "Appendix D. Resolved since the previous report ({})",
            gone.len()
        ),
        13,
    ));
    doc.push(note(&format!(
        "Gaps of {} that are gone now (their IDs are no longer found).",
        r.previous_file
    )));
    if gone.is_empty() {
        doc.push(note("None."));
        return;
    }
    let mut t = Table::new(
        &[
            "ID",
            "Gap",
            "System",
            "Framework",
            "Control",
            "Assignee",
            "Was",
        ],
        &[3, 4, 3, 3, 3, 4, 8],
    );
    for f in gone {
        t.push(vec![
            f.id.clone().into(),
            f.code.as_str().into(),
            f.system.clone().unwrap_or_default().into(),
            f.framework.clone().unwrap_or_default().into(),
            f.control
                .clone()
                .or_else(|| f.offering.clone())
                .unwrap_or_default()
                .into(),
            f.assignee.clone().unwrap_or_default().into(),
            f.detail.clone().into(),
        ]);
    }
    doc.push(t);
}

/// Controls that are satisfied today but whose evidence stops counting soon, earliest first.
fn coming_due(doc: &mut Document, r: &GapReport) {
    let mut due: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == GapCode::EvidenceDueSoon)
        .collect();
    if due.is_empty() {
        return;
    }
    due.sort_by_key(|f| {
        (
            f.since,
            f.system.as_deref(),
            f.framework.as_deref(),
            f.order,
        )
    });
    doc.push(Break::new(0.8));
    doc.push(heading(&format!("Coming due ({} controls)", due.len()), 11));
    doc.push(note("Controls whose evidence counts today but stops counting soon (it expires, or the control's cadence runs out): the next quarter's worklist."));
    let mut t = Table::new(
        &[
            "Stops counting",
            "System",
            "Framework",
            "Control",
            "Assignee",
            "Evidence",
            "Collect next",
        ],
        &[3, 3, 3, 3, 4, 2, 9],
    );
    for f in due {
        t.push(vec![
            Cell {
                text: f.since.map(|d| d.to_string()).unwrap_or_default(),
                color: None,
                bold: true,
            },
            f.system.clone().unwrap_or_default().into(),
            f.framework.clone().unwrap_or_default().into(),
            f.control.clone().unwrap_or_default().into(),
            f.assignee.clone().unwrap_or_default().into(),
            f.evidence_id.clone().unwrap_or_default().into(),
            f.action.clone().into(),
        ]);
    }
    doc.push(t);
}

fn legend(items: &[(&str, genpdf::style::Color)]) -> Paragraph {
    let mut p = Paragraph::default();
    for (name, color) in items {
        p.push_styled(
            "\u{2588}\u{2588} ",
            Style::new().with_font_size(8).with_color(*color),
        );
        p.push_styled(
            format!("{name}    "),
            Style::new().with_font_size(8).with_color(GREY),
        );
    }
    p
}

fn worklist<'a>(
    findings: impl Iterator<Item = &'a crate::gaps::Finding>,
    with_system: bool,
) -> Table {
    let mut t = if with_system {
        Table::new(
            &[
                "ID",
                "Severity",
                "Gap",
                "System · framework",
                "Control",
                "Assignee, due",
                "Detail",
                "Action",
            ],
            &[3, 2, 4, 4, 3, 4, 8, 7],
        )
    } else {
        Table::new(
            &[
                "ID",
                "Severity",
                "Gap",
                "Control",
                "Offering",
                "Assignee, due",
                "Detail",
                "Action",
            ],
            &[3, 2, 4, 3, 3, 4, 9, 7],
        )
    };
    for f in findings {
        let control = f
            .control
            .clone()
            .unwrap_or_else(|| "(all relying)".to_string());
        let mut id = f.id.clone();
        if let Some(c) = f.change {
            id = format!("{id}\n{c}");
        }
        let mut row = vec![
            id.into(),
            Cell::colored(f.severity().as_str(), severity_color(f.severity())),
            f.code.as_str().into(),
        ];
        if with_system {
            row.extend([
                format!(
                    "{}\n{}",
                    f.system.as_deref().unwrap_or_default(),
                    f.framework.as_deref().unwrap_or_default()
                )
                .into(),
                control.into(),
            ]);
        } else {
            row.extend([
                control.into(),
                f.offering.clone().unwrap_or_default().into(),
            ]);
        }
        let who = format!(
            "{}\n{}",
            f.assignee.as_deref().unwrap_or(UNASSIGNED),
            f.due.map(|d| format!("due {d}")).unwrap_or_default()
        );
        row.extend([who.into(), f.detail.clone().into(), f.action.clone().into()]);
        t.push(row);
    }
    t
}

fn system_framework(doc: &mut Document, r: &GapReport, sys: &SystemReport, fw: &FrameworkReport) {
    doc.push(heading(&format!("{} · {}", sys.name, fw.name), 15));
    if !sys.description.is_empty() {
        doc.push(Paragraph::new(sys.description.clone()));
    }
    doc.push(note(&format!("Runs on {}. Owner per control: the offerings' owners combined (all provider: provider; all customer: customer; otherwise shared).", sys.offerings.join(", "))));
    doc.push(Break::new(0.6));

    doc.push(heading("Provider attestations", 11));
    let mut t = Table::new(
        &[
            "Offering",
            "Needs",
            "Controls relying",
            "On file",
            "Status",
            "Detail",
        ],
        &[4, 4, 2, 6, 4, 10],
    );
    for a in &fw.attestations {
        let status = match a.gap {
            Some(g) => Cell::colored(g.as_str(), severity_color(g.severity())),
            None => Cell::colored("ok", party_color(Party::Provider)),
        };
        t.push(vec![
            a.offering.clone().into(),
            a.requirement.clone().into(),
            a.controls.to_string().into(),
            a.reference.clone().into(),
            status,
            a.detail.clone().into(),
        ]);
    }
    if t.is_empty() {
        doc.push(note(
            "No control of this framework relies on the provider on this system.",
        ));
    } else {
        doc.push(t);
    }
    doc.push(Break::new(0.6));

    let findings: Vec<_> = r.gaps().filter(|f| f.concerns(&sys.name, &fw.id)).collect();
    doc.push(heading(
        &format!("Worklist ({} gaps, most urgent first)", findings.len()),
        11,
    ));
    if findings.is_empty() {
        doc.push(note("No gaps."));
    } else {
        doc.push(worklist(findings.into_iter(), false));
    }
    doc.push(Break::new(0.6));

    doc.push(heading("Owner map", 11));
    let mut t = Table::new(
        &[
            "Control",
            "Title",
            "Owner",
            "By offering, and why",
            "Cadence, weight",
            "Evidence / attested by",
            "Status",
        ],
        &[3, 7, 2, 10, 2, 5, 4],
    );
    for c in &fw.controls {
        let per: Vec<String> = c
            .offerings
            .iter()
            .zip(&c.why)
            .map(|((o, p), (_, why))| format!("{o}: {p} ({why})"))
            .collect();
        let mut basis = c.evidence.clone();
        basis.extend(c.attested_by.iter().cloned());
        let status = if c.gaps.is_empty() {
            Cell::colored("ok", party_color(Party::Provider))
        } else {
            Cell::colored(
                c.gaps
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                severity_color(
                    c.gaps
                        .iter()
                        .map(|g| g.severity_at(c.weight))
                        .min()
                        .unwrap_or(Severity::Info),
                ),
            )
        };
        t.push(vec![
            c.id.clone().into(),
            c.title.clone().into(),
            Cell::colored(c.owner.as_str(), party_color(c.owner)),
            per.join("\n").into(),
            format!("{}\n{}", c.cadence, c.weight).into(),
            basis.join(", ").into(),
            status,
        ]);
    }
    doc.push(t);
}

fn appendix(doc: &mut Document, r: &GapReport) {
    doc.push(PageBreak::new());
    doc.push(heading("Appendix A. Input rows that matched nothing", 15));
    doc.push(note("Every evidence and attestation row is either used or listed here: rows naming unknown controls, systems or offerings, and rows no control in scope needs."));
    let rows: Vec<_> = r
        .findings
        .iter()
        .filter(|f| {
            matches!(f.severity(), Severity::Low | Severity::Info)
                && f.code != GapCode::EvidenceDueSoon
        })
        .collect();
    let mut t = Table::new(&["Gap", "Row", "Points at", "Detail"], &[4, 5, 5, 14]);
    for f in &rows {
        let at = [f.framework.as_deref(), f.control.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(":");
        let at = if at.is_empty() {
            f.offering.clone().unwrap_or_default()
        } else {
            at
        };
        let source = f.source.as_deref().unwrap_or("");
        let row = source
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(source)
            .to_string();
        t.push(vec![
            Cell::colored(f.code.as_str(), severity_color(f.severity())),
            row.into(),
            at.into(),
            f.detail.clone().into(),
        ]);
    }
    if t.is_empty() {
        doc.push(note("None: every row was used."));
    } else {
        doc.push(t);
    }
    doc.push(Break::new(1));
    doc.push(heading("Appendix B. Attestation rows", 13));
    let mut t = Table::new(&["Row", "Reference", "What", "Outcome"], &[2, 10, 7, 9]);
    for a in &r.attestation_rows {
        t.push(vec![
            a.row.to_string().into(),
            a.id.to_string().into(),
            a.what.to_string().into(),
            a.outcome.to_string().into(),
        ]);
    }
    doc.push(t);
    doc.push(Break::new(1));
    doc.push(heading("Appendix C. Gap codes", 13));
    doc.push(note("A gap's severity depends on its kind and on the risk weight of its control: key (a failure exposes data or access), standard, or supporting (governance paperwork)."));
    let mut t = Table::new(
        &["Code", "Key", "Standard", "Supporting", "Meaning"],
        &[5, 2, 2, 2, 12],
    );
    for code in GapCode::ALL {
        let mut row: Vec<Cell> = vec![code.as_str().into()];
        row.extend(Weight::ALL.map(|w| {
            let sv = code.severity_at(w);
            Cell::colored(sv.as_str(), severity_color(sv))
        }));
        row.push(code.meaning().into());
        t.push(row);
    }
    doc.push(t);
    resolved(doc, r);
    doc.push(Break::new(1));
    doc.push(heading("How to read this report", 13));
    for line in [
        "Owner. Each control touches layers of the stack (physical, operating system, network, data, ...). Each cloud offering's matrix says who owns each layer. A control whose layers are all the provider's is the provider's: the customer shows the provider's attestation. All the customer's: the customer shows its own evidence. Anything else is shared: both are owed.",
        "Evidence counts when it is approved and not expired at the as-of date (evidence is valid on its expiry date). A point-in-time control (annual, on-event: policies, diagrams, contracts) needs evidence dated within one cadence before the period end, or the as-of date if earlier. A recurring control (continuous, daily, weekly, monthly, quarterly, semiannual: scans, reviews, restore tests) needs evidence dated in every quarter, half-year or month of the period that has ended by the as-of date (daily and weekly controls are checked month by month); one still in progress is not missing yet. A failed test or scan result (status failed) shows the control not operating: it is a control-failing gap until a passing result dated on or after it is registered.",
        "Severity. Each control carries a risk weight: key when its failure directly exposes data or access (authentication and MFA, access control and reviews, encryption and keys, logging and monitoring, vulnerability scanning and patching, malware protection, backup and recovery, network segmentation, incident response), supporting for governance paperwork (policy wording, documented roles, awareness programme records, inventories of documents), standard otherwise. A gap's severity combines its kind with that weight (Appendix C); provider reports and agreements are high whatever the control.",
        "An attestation counts when it comes from the offering's provider, lists the offering (or all of them), has not expired, and its period reaches the end of the audit period; otherwise a bridge letter is needed.",
        "Each finding has a stable ID (the same gap keeps it from one report to the next), an assignee (the evidence register's owner of the row, else the scope's [owners], else unassigned) and a due date (evidence and provider findings by the period's end less the scope's lead days, or one cadence after the as-of date if sooner; register rows to fix shortly after the as-of date). A due date before the as-of date is overdue.",
    ] {
        doc.push(Paragraph::new(line));
        doc.push(Break::new(0.4));
    }
}

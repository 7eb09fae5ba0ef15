//! The gap report PDF: cover, executive summary with charts, the Statement of Applicability
//! (counts, settings, and every control that does not apply with its reason), then per system
//! and framework the attestations, the worklist (most urgent first) and the owner map, and
//! appendices.

use std::io::{self, Write};

use super::{
    finish, heading, new_document, note, party_color, severity_color, BarChart, Break, Cell, Color,
    Document, PageBreak, Paragraph, Style, Table, TableOfContents, GREY, INK,
};
use crate::gaps::finding::UNASSIGNED;
use crate::gaps::{
    Finding, FrameworkReport, GapCode, GapReport, Readiness, Severity, SystemReport,
};
use crate::party::Party;
use crate::weight::Weight;

/// The gap report, dated `as_of`: cover with sign-off, contents, scope and methodology (with
/// the Statement of Applicability), summary, worklist, owner maps per system and framework,
/// evidence index, appendices. Every section is a bookmark and a line of the contents.
pub fn gap_report(report: &GapReport, out: &mut dyn Write) -> io::Result<()> {
    let running = format!(
        "{}   ·   Compliance gaps as of {}",
        report.organization, report.as_of
    );
    let mut doc = new_document(
        &format!("Compliance gap report: {}", report.organization),
        running,
    )?;
    let scale = Scale::of(report);
    cover(&mut doc, report);
    doc.push(PageBreak::new());
    doc.push(heading("Contents", 16).outline_only(1).anchor("contents"));
    doc.push(Break::new(0.4));
    doc.push(TableOfContents);
    section(&mut doc, "1. Scope and methodology", "scope");
    scope_and_methodology(&mut doc, report);
    doc.push(Break::new(0.8));
    doc.push(heading("1.1 Statement of Applicability", 13).outline(2));
    super::soa::section(&mut doc, &report.applicability, !scale.per_system);
    section(&mut doc, "2. Summary", "summary");
    summary(&mut doc, report, &scale);
    section(&mut doc, "3. Worklist", "worklist");
    worklist_section(&mut doc, report, &scale);
    section(&mut doc, "4. Owner maps", "owner-maps");
    owner_maps(&mut doc, report, &scale);
    section(&mut doc, "5. Evidence index", "evidence-index");
    evidence_index(&mut doc, report, &scale)?;
    appendix(&mut doc, report, &scale)?;
    finish(doc, report.as_of, out)
}

/// A numbered top-level section on a new page.
fn section(doc: &mut Document, title: &str, anchor: &str) {
    doc.push(PageBreak::new());
    doc.push(heading(title, 16).outline(1).anchor(anchor));
    doc.push(Break::new(0.3));
}

/// Where the report stops listing row by row and summarises, so that it stays a document a
/// person reads at any size (the workbook, CSV and JSON of the same run always have every row).
/// Each summarised part says what it summarised and how many rows.
struct Scale {
    /// One worklist line per gap (else one per framework control, with the systems it is open
    /// on), and the same for the controls coming due.
    full_worklist: bool,
    /// An owner map per system and framework, a chart bar per system and framework, and the
    /// Statement of Applicability's controls system by system (else one matrix per framework
    /// with a column per distinct set of offerings, bars per framework, and one line per
    /// control and reason with its systems).
    per_system: bool,
    /// A line per evidence row (else counts per outcome).
    full_evidence_index: bool,
    /// A line per input row that matched nothing (else one per gap kind and place).
    full_appendix: bool,
}

/// The findings about input rows that matched nothing: unknown controls, systems and
/// offerings, and rows no control in scope needs.
fn unmatched(r: &GapReport) -> Vec<&Finding> {
    r.findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                GapCode::UnknownControl
                    | GapCode::UnknownSystem
                    | GapCode::UnknownOffering
                    | GapCode::UnusedEvidence
                    | GapCode::UnusedAttestation
            )
        })
        .collect()
}

/// Gaps past which the worklist is grouped by framework control.
pub const WORKLIST_LINES: usize = 1_500;
/// Systems × frameworks past which owner maps, charts and the SoA are given per framework.
pub const OWNER_MAPS: usize = 40;
/// Register rows past which the evidence index gives counts.
pub const EVIDENCE_LINES: usize = 3_000;
/// Rows that matched nothing past which Appendix A is grouped.
pub const UNMATCHED_LINES: usize = 300;

impl Scale {
    fn of(r: &GapReport) -> Scale {
        let maps: usize = r.systems.iter().map(|s| s.frameworks.len()).sum();
        Scale {
            full_worklist: r.gaps().count() <= WORKLIST_LINES,
            per_system: maps <= OWNER_MAPS,
            full_evidence_index: r.evidence_rows.len() <= EVIDENCE_LINES,
            full_appendix: unmatched(r).len() <= UNMATCHED_LINES,
        }
    }
}

fn cover(doc: &mut Document, r: &GapReport) {
    doc.push(Break::new(3));
    doc.push(Paragraph::default().styled_string(
        "Compliance gap report",
        Style::new().bold().with_font_size(26).with_color(INK),
    ));
    doc.push(Break::new(0.8));
    doc.push(
        Paragraph::default().styled_string(r.organization.clone(), Style::new().with_font_size(16)),
    );
    doc.push(Break::new(1.2));
    let version = if r.sign_off.version.is_empty() {
        "not numbered (set version in the scope's [report])".to_string()
    } else {
        r.sign_off.version.clone()
    };
    let frameworks: Vec<String> = r
        .frameworks
        .iter()
        .map(|f| format!("{} {}", f.name, f.version).trim().to_string())
        .collect();
    for (k, v) in [
        (
            "Audit period",
            format!("{} to {}", r.period_start, r.period_end),
        ),
        ("Gaps judged as of", r.as_of.to_string()),
        ("Report version", version),
        (
            "Systems",
            format!(
                "{} ({})",
                r.systems.len(),
                r.systems
                    .iter()
                    .map(|s| s.name.as_str())
                    .take(12)
                    .collect::<Vec<_>>()
                    .join(", ")
                    + if r.systems.len() > 12 { ", ..." } else { "" }
            ),
        ),
        ("Frameworks", frameworks.join("; ")),
    ] {
        doc.push(
            Paragraph::default()
                .styled_string(format!("{k}: "), Style::new().bold().with_font_size(10))
                .styled_string(v, Style::new().with_font_size(10)),
        );
    }
    doc.push(Break::new(1.5));
    doc.push(heading("Sign-off", 11));
    let mut t = Table::new(&["Role", "Name", "Date", "Signature"], &[3, 6, 3, 8]).font_size(9.5);
    for (role, sig) in r.sign_off.lines() {
        t.push(vec![
            Cell::new(role).bold(),
            if sig.name.is_empty() {
                Cell::new("\n")
            } else {
                Cell::new(sig.name.clone())
            },
            Cell::new(sig.on.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new("\n"),
        ]);
    }
    doc.push(t);
    doc.push(note("Names and dates come from the scope's [report] section; a blank line is left to fill by hand."));
    doc.push(Break::new(1.5));
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

/// What was checked, from which inputs, with which rules.
fn scope_and_methodology(doc: &mut Document, r: &GapReport) {
    doc.push(Paragraph::new(format!(
        "This report checks whether {} can show an auditor the evidence its compliance frameworks ask for, on each system in scope, for the audit period {} to {}, as things stand on {}. For every control it decides who owns it on each system (the customer, the cloud provider, or both), checks the customer's evidence register for the customer's part and the providers' attestations for the provider's part, and lists what is missing as gaps with an assignee and a due date.",
        r.organization, r.period_start, r.period_end, r.as_of
    )));
    doc.push(Break::new(0.6));
    doc.push(heading("Systems in scope", 11));
    let mut t = Table::new(
        &["System", "Runs on", "Frameworks", "Description"],
        &[3, 5, 4, 8],
    );
    for s in &r.systems {
        let fws: Vec<&str> = s.frameworks.iter().map(|f| f.id.as_str()).collect();
        t.push(vec![
            Cell::new(s.name.clone()).bold(),
            s.offerings.join(", ").into(),
            fws.join(", ").into(),
            Cell::prose(s.description.clone()),
        ]);
    }
    doc.push(t);
    doc.push(heading("Frameworks and editions", 11));
    let mut t = Table::new(
        &["ID", "Framework", "Edition", "Publisher", "Source"],
        &[4, 6, 3, 5, 8],
    );
    for f in &r.frameworks {
        t.push(vec![
            Cell::new(f.id.clone()).bold(),
            f.name.clone().into(),
            f.version.clone().into(),
            f.publisher.clone().into(),
            Cell::location(f.source.clone()),
        ]);
    }
    doc.push(t);
    doc.push(heading("Inputs", 11));
    let mut t = Table::new(&["Input", "File", "Rows read"], &[4, 12, 3]);
    t.push(vec![
        "Scope (systems, owners, applicability)".into(),
        Cell::prose(r.scope_file.clone()),
        format!("{} systems", r.systems.len()).into(),
    ]);
    t.push(vec![
        "Evidence register".into(),
        Cell::prose(none_if_empty(&r.evidence_file)),
        r.evidence_rows.len().to_string().into(),
    ]);
    t.push(vec![
        "Provider attestations".into(),
        Cell::prose(none_if_empty(&r.attestation_file)),
        r.attestation_rows.len().to_string().into(),
    ]);
    if !r.previous_file.is_empty() {
        t.push(vec![
            "Previous report (changes since)".into(),
            Cell::prose(r.previous_file.clone()),
            String::new().into(),
        ]);
    }
    doc.push(t);
    doc.push(heading("Method", 11));
    let reuse = match r.rules.reuse {
        "none" => "Evidence counts only for the control it is registered for (no crosswalk reuse).".to_string(),
        other => format!("Evidence registered for one framework's control also counts for controls a published crosswalk maps to it ({other} relationships)."),
    };
    let due = if r.rules.due_within == 0 {
        "Evidence about to stop counting is not reported.".to_string()
    } else {
        format!(
            "Evidence that stops counting within {} days of the as-of date is listed as coming due.",
            r.rules.due_within
        )
    };
    for line in [
        "Ownership. Each control is mapped to the layers of the stack it touches. Each offering's published shared-responsibility matrix, refined by its per-service facts (encryption defaults, logging, backups, exposure), says who runs each layer. A control entirely on the provider's layers is the provider's, one entirely on the customer's is the customer's, anything else is shared; the owner map's Basis column gives the reason for each control on each offering.".to_string(),
        "Applicability. Controls written for other kinds of organisation, and controls the scope excludes by ID with a reason, do not apply; they are listed in the Statement of Applicability (1.1) and not judged.".to_string(),
        "Customer evidence. A register row counts when it is approved, not expired on the as-of date, and recent enough for the control's cadence: point-in-time controls need one dated within a cadence before the period ends; recurring controls need one in every quarter, month or half-year of the period that has ended. A failed result shows a control not operating until a later passing result is registered.".to_string(),
        "Provider part. Each offering needs an attestation the framework accepts (a SOC 2 Type II report, an ISO/IEC 27001 certificate, a PCI DSS AOC...) and the agreements it requires (a BAA, a DPA), from the offering's provider, covering the offering, unexpired, with a period that reaches the end of the audit period (else a bridge letter is needed).".to_string(),
        reuse,
        due,
        "Severity and worklist. A gap's severity combines its kind with its control's risk weight (Appendix C). Each gap has a stable ID, an assignee (the register row's owner, else the scope's [owners]) and a due date (the scope's [worklist] rules).".to_string(),
    ] {
        doc.push(Paragraph::new(line));
        doc.push(Break::new(0.3));
    }
}

fn summary(doc: &mut Document, r: &GapReport, scale: &Scale) {
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
            "Since the previous report ({}): {} new gaps, {} still open, {} resolved (Appendix E).",
            r.previous_file, c.new, c.open, c.resolved
        )));
    }
    doc.push(Break::new(0.8));
    doc.push(heading("Who owns the controls", 11));
    let mut owners = BarChart::new(70);
    let party_bar = |controls: &mut dyn Iterator<Item = Party>| {
        let mut n = [0; 3];
        for p in controls {
            match p {
                Party::Customer => n[0] += 1,
                Party::Shared => n[1] += 1,
                Party::Provider => n[2] += 1,
                Party::NotApplicable => {}
            }
        }
        vec![
            (n[0], party_color(Party::Customer)),
            (n[1], party_color(Party::Shared)),
            (n[2], party_color(Party::Provider)),
        ]
    };
    if scale.per_system {
        doc.push(note(
            "Each bar is one system and framework: customer-owned, shared and provider-owned controls.",
        ));
        for s in &r.systems {
            for f in &s.frameworks {
                let bar = party_bar(&mut f.controls.iter().map(|c| c.owner));
                owners.bar(format!("{} · {}", s.name, f.id), bar);
            }
        }
    } else {
        doc.push(note("Each bar is one framework, over every system assessed against it: customer-owned, shared and provider-owned controls, a control counted once per system. The table below gives each system."));
        for fw in &r.frameworks {
            let mut owners_of = r
                .systems
                .iter()
                .flat_map(|s| &s.frameworks)
                .filter(|f| f.id == fw.id)
                .flat_map(|f| f.controls.iter().map(|c| c.owner));
            owners.bar(fw.id.clone(), party_bar(&mut owners_of));
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
    coming_due(doc, r, scale);
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
                Cell::new(ready.percent()).bold(),
            ]);
        }
    }
    let total = Readiness::total(&all);
    t.push(vec![
        Cell::new("All").bold(),
        "".into(),
        total.of.to_string().into(),
        total.met.to_string().into(),
        (total.of - total.met).to_string().into(),
        Cell::new(total.percent()).bold(),
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
            if p == UNASSIGNED {
                Cell::new(p)
            } else {
                Cell::new(p).bold()
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
    doc.push(
        heading(
            &format!(
                "Appendix E. Resolved since the previous report ({})",
                gone.len()
            ),
            13,
        )
        .outline(2),
    );
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
            f.system.as_deref().unwrap_or_default().into(),
            f.framework.as_deref().unwrap_or_default().into(),
            Cell::id(
                f.control
                    .clone()
                    .or_else(|| f.offering.clone())
                    .unwrap_or_default(),
            ),
            f.assignee.as_deref().unwrap_or_default().into(),
            f.detail.clone().into(),
        ]);
    }
    doc.push(t);
}

/// Controls that are satisfied today but whose evidence stops counting soon, earliest first.
fn coming_due(doc: &mut Document, r: &GapReport, scale: &Scale) {
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
    if !scale.full_worklist {
        let mut groups: indexmap::IndexMap<(&str, &str), Vec<&Finding>> = indexmap::IndexMap::new();
        for f in &due {
            let key = (
                f.framework.as_deref().unwrap_or(""),
                f.control.as_deref().unwrap_or(""),
            );
            groups.entry(key).or_default().push(f);
        }
        groups.sort_by_cached_key(|k, fs| (fs.iter().filter_map(|f| f.since).min(), *k));
        doc.push(note(&format!(
            "{} controls on systems, summarised as {} lines: one per framework control, with the earliest day its evidence stops counting and the systems concerned. The workbook and CSV of the same run list each system's evidence.",
            due.len(),
            groups.len()
        )));
        let mut t = Table::new(
            &[
                "Stops counting",
                "Framework",
                "Control",
                "On",
                "Assignees",
                "Collect next",
            ],
            &[3, 3, 3, 8, 5, 9],
        );
        for ((fw, control), fs) in &groups {
            t.push(vec![
                Cell::new(
                    fs.iter()
                        .filter_map(|f| f.since)
                        .min()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                )
                .bold(),
                (*fw).into(),
                Cell::id(control),
                Cell::prose(super::listed(&systems_of(fs), 6)),
                Cell::prose(assignees_of(fs)),
                Cell::prose(fs[0].action.clone()),
            ]);
        }
        doc.push(t);
        return;
    }
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
            Cell::new(f.since.map(|d| d.to_string()).unwrap_or_default()).bold(),
            f.system.as_deref().unwrap_or_default().into(),
            f.framework.as_deref().unwrap_or_default().into(),
            Cell::id(f.control.as_deref().unwrap_or_default()),
            f.assignee.as_deref().unwrap_or_default().into(),
            f.evidence_id.clone().unwrap_or_default().into(),
            Cell::prose(f.action.clone()),
        ]);
    }
    doc.push(t);
}

/// The distinct systems of some findings, in their order.
fn systems_of<'a>(fs: &[&'a Finding]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for s in fs.iter().filter_map(|f| f.system.as_deref()) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The distinct assignees of some findings: the first three, and how many more.
fn assignees_of(fs: &[&Finding]) -> String {
    let mut who: Vec<&str> = fs.iter().filter_map(|f| f.assignee.as_deref()).collect();
    who.sort_unstable();
    who.dedup();
    let shown = who.len().min(3);
    let mut out = who[..shown].join("; ");
    if who.len() > shown {
        out.push_str(&format!(" and {} more", who.len() - shown));
    }
    out
}

fn legend(items: &[(&str, Color)]) -> Paragraph {
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
        let control = f.control.as_deref().unwrap_or("(all relying)").to_string();
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
                Cell::id(&control),
            ]);
        } else {
            row.extend([
                Cell::id(&control),
                f.offering.as_deref().unwrap_or_default().into(),
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

/// Every gap, most urgent first; past [`WORKLIST_LINES`], one line per framework control and
/// gap kind with the systems it is open on.
fn worklist_section(doc: &mut Document, r: &GapReport, scale: &Scale) {
    let gaps: Vec<&Finding> = r.gaps().collect();
    if gaps.is_empty() {
        doc.push(note("No gaps."));
        return;
    }
    if scale.full_worklist {
        doc.push(note(&format!("All {} gaps, most urgent first: contracts and provider reports (they take longest), failed checks, then missing and expired evidence on key controls. The workbook of the same run has the same list with status and notes columns to track it.", gaps.len())));
        doc.push(worklist(gaps.into_iter(), true));
        return;
    }
    // Grouped: one line per framework control (or offering, for provider reports), with its
    // kinds of gap and the systems they are open on, in worklist order (most urgent first).
    let mut groups: indexmap::IndexMap<(&str, &str), Vec<&Finding>> = indexmap::IndexMap::new();
    for f in &gaps {
        let key = (
            f.framework.as_deref().unwrap_or(""),
            f.control.as_deref().or(f.offering.as_deref()).unwrap_or(""),
        );
        groups.entry(key).or_default().push(f);
    }
    doc.push(note(&format!(
        "{} gaps on {} systems, summarised as {} lines: one per framework control (or offering, for provider reports), with its kinds of gap and the systems each is open on, most urgent first. The complete list, one row per gap with its own ID, assignee and due date, is in the workbook (Worklist sheet) and the CSV or JSON of the same run.",
        gaps.len(),
        r.systems.len(),
        groups.len()
    )));
    let mut t = Table::new(
        &[
            "Severity",
            "Framework",
            "Control",
            "Gaps, and the systems they are open on",
            "Assignees",
            "Earliest due",
            "Action",
        ],
        &[2, 3, 3, 12, 4, 3, 7],
    );
    for ((fw, control), fs) in &groups {
        let sev = fs
            .iter()
            .map(|f| f.severity())
            .min()
            .unwrap_or(Severity::Info);
        let mut by_code: indexmap::IndexMap<GapCode, Vec<&Finding>> = indexmap::IndexMap::new();
        for f in fs {
            by_code.entry(f.code).or_default().push(f);
        }
        let open_on: Vec<String> = by_code
            .iter()
            .map(|(code, fs)| {
                let systems = systems_of(fs);
                if systems.is_empty() {
                    format!("{code} ({})", fs.len())
                } else {
                    format!("{code} on {}", super::listed(&systems, 5))
                }
            })
            .collect();
        t.push(vec![
            Cell::colored(sev.as_str(), severity_color(sev)),
            (*fw).into(),
            Cell::id(control),
            Cell::prose(open_on.join("\n")),
            Cell::prose(assignees_of(fs)),
            fs.iter()
                .filter_map(|f| f.due)
                .min()
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
            Cell::prose(fs[0].action.clone()),
        ]);
    }
    doc.push(t);
}

/// Per system and framework: the provider attestations it relies on and the owner map with
/// the basis of each owner; past [`OWNER_MAPS`], one matrix per framework instead.
fn owner_maps(doc: &mut Document, r: &GapReport, scale: &Scale) {
    if !scale.per_system {
        owner_matrices(doc, r);
        return;
    }
    doc.push(note("For each system and framework: the provider attestations the system relies on, then every control in scope with its owner on each offering, the basis of that owner, and what covers it."));
    for (i, sys) in r.systems.iter().enumerate() {
        doc.push(PageBreak::new());
        doc.push(heading(&format!("4.{} {}", i + 1, sys.name), 14).outline(2));
        if !sys.description.is_empty() {
            doc.push(Paragraph::new(sys.description.clone()));
        }
        doc.push(note(&format!("Runs on {}. Owner per control: the offerings' owners combined (all provider: provider; all customer: customer; otherwise shared).", sys.offerings.join(", "))));
        for (j, fw) in sys.frameworks.iter().enumerate() {
            doc.push(Break::new(0.6));
            doc.push(
                heading(
                    &format!("4.{}.{} {} · {}", i + 1, j + 1, sys.name, fw.name),
                    12,
                )
                .outline(3),
            );
            system_framework(doc, r, sys, fw);
        }
    }
}

fn system_framework(doc: &mut Document, r: &GapReport, sys: &SystemReport, fw: &FrameworkReport) {
    let open = r.gaps().filter(|f| f.concerns(&sys.name, &fw.id)).count();
    let ready = fw.readiness();
    doc.push(note(&format!(
        "{} controls in scope; the customer owns or shares {}, of which {} are met ({}). {} open gaps (section 3).",
        fw.controls.len(),
        ready.of,
        ready.met,
        ready.percent(),
        open
    )));
    doc.push(heading("Provider attestations", 10));
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
            Cell::prose(a.reference.clone()),
            status,
            Cell::prose(a.detail.clone()),
        ]);
    }
    if t.is_empty() {
        doc.push(note(
            "No control of this framework relies on the provider on this system.",
        ));
    } else {
        doc.push(t);
    }
    doc.push(heading("Owner map", 10));
    let mut t = Table::new(
        &[
            "Control",
            "Title",
            "Owner",
            "By offering",
            "Basis",
            "Cadence, weight",
            "Evidence / attested by",
            "Status",
        ],
        &[3, 6, 2, 4, 8, 2, 4, 4],
    );
    for c in &fw.controls {
        let per: Vec<String> = c
            .offerings
            .iter()
            .map(|(o, p)| format!("{o}: {p}"))
            .collect();
        let why: Vec<String> = if c.why.len() == 1 {
            c.why.iter().map(|(_, w)| w.clone()).collect()
        } else {
            c.why.iter().map(|(o, w)| format!("{o}: {w}")).collect()
        };
        let mut covered = c.evidence.clone();
        covered.extend(c.attested_by.iter().cloned());
        let status = if c.gaps.is_empty() {
            Cell::colored("ok", party_color(Party::Provider))
        } else {
            Cell::colored(
                c.gaps
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
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
            Cell::id(&c.id).bold(),
            Cell::prose(c.title.clone()),
            Cell::colored(c.owner.as_str(), party_color(c.owner)),
            per.join("\n").into(),
            Cell::prose(why.join("\n")),
            format!("{}\n{}", c.cadence, c.weight).into(),
            covered.join(" ").into(),
            status,
        ]);
    }
    doc.push(t);
}

/// At scale: per framework, one column per distinct set of offerings (the systems that run on
/// it share its owners), one line per control.
fn owner_matrices(doc: &mut Document, r: &GapReport) {
    let mut sets: indexmap::IndexMap<&[String], Vec<&str>> = indexmap::IndexMap::new();
    for s in &r.systems {
        sets.entry(s.offerings.as_slice())
            .or_default()
            .push(&s.name);
    }
    doc.push(note(&format!(
        "{} systems run on {} distinct sets of offerings. Systems on the same offerings have the same owner for every control, so the owner maps are given per framework, one column per set (C: customer, S: shared, P: provider, blank: not assessed on that set). The basis of each owner, per system and offering, is in the workbook's Owner map sheet of the same run.",
        r.systems.len(),
        sets.len()
    )));
    let mut legend = Table::new(&["Set", "Offerings", "Systems"], &[1, 6, 12]);
    for (i, (offerings, systems)) in sets.iter().enumerate() {
        legend.push(vec![
            Cell::new(format!("S{}", i + 1)).bold(),
            offerings.join(", ").into(),
            Cell::prose(format!("{}: {}", systems.len(), systems.join(", "))),
        ]);
    }
    doc.push(heading("Sets of offerings", 11));
    doc.push(legend);
    for (j, fw) in r.frameworks.iter().enumerate() {
        doc.push(PageBreak::new());
        doc.push(heading(&format!("4.{} {}", j + 1, fw.name), 13).outline(2));
        // The controls of the framework in catalog order, with each set's owner.
        let mut rows: indexmap::IndexMap<&str, (&str, Vec<Option<Party>>)> =
            indexmap::IndexMap::new();
        for (k, (offerings, _)) in sets.iter().enumerate() {
            let Some(f) = r
                .systems
                .iter()
                .filter(|s| s.offerings.as_slice() == *offerings)
                .flat_map(|s| &s.frameworks)
                .find(|f| f.id == fw.id)
            else {
                continue;
            };
            for c in &f.controls {
                let row = rows
                    .entry(c.id.as_str())
                    .or_insert_with(|| (c.title.as_str(), vec![None; sets.len()]));
                row.1[k] = Some(c.owner);
            }
        }
        let mut header: Vec<String> = vec!["Control".into(), "Title".into()];
        header.extend((1..=sets.len()).map(|k| format!("S{k}")));
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut weights = vec![3, 10];
        weights.extend(std::iter::repeat_n(1, sets.len()));
        let mut t = Table::new(&names, &weights).font_size(7);
        for (id, (title, owners)) in &rows {
            let mut row = vec![Cell::id(id).bold(), Cell::prose(*title)];
            row.extend(owners.iter().map(|o| match o {
                Some(p) => Cell::colored(party_letter(*p), party_color(*p)),
                None => Cell::new(""),
            }));
            t.push(row);
        }
        doc.push(t);
    }
}

fn party_letter(p: Party) -> &'static str {
    match p {
        Party::Customer => "C",
        Party::Shared => "S",
        Party::Provider => "P",
        Party::NotApplicable => "-",
    }
}

/// Every evidence register row, with what became of it and its location (a link where a
/// reader can open it); past [`EVIDENCE_LINES`], counts per system and outcome.
fn evidence_index(doc: &mut Document, r: &GapReport, scale: &Scale) -> io::Result<()> {
    if r.evidence_rows.is_empty() {
        doc.push(note("No evidence register was given."));
        return Ok(());
    }
    // One pass over the rows (past the first thousands they are read back from a file).
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    for e in r.evidence_rows.iter() {
        let e = e?;
        let kind = outcome_kind(&e.outcome);
        match outcomes.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                outcomes.insert(kind.to_string(), 1);
            }
        }
    }
    let used = outcomes.get(COUNTS).copied().unwrap_or(0);
    if !scale.full_evidence_index {
        doc.push(note(&format!(
            "The register has {} rows, of which {used} count as evidence. They are summarised here by outcome; the complete index, one line per row with its location, is in the workbook's Evidence sheet of the same run.",
            r.evidence_rows.len()
        )));
        let mut t = Table::new(&["Outcome", "Rows"], &[8, 2]);
        for (k, n) in outcomes {
            t.push(vec![k.into(), n.to_string().into()]);
        }
        doc.push(t);
        return Ok(());
    }
    doc.push(note(&format!(
        "All {} rows of the evidence register in register order: what each is for, what became of it ({used} count as evidence), and where it is kept. Locations a PDF reader can open are links.",
        r.evidence_rows.len()
    )));
    let mut t = Table::new(
        &["Row", "Evidence", "For", "Outcome", "Location"],
        &[1, 2, 6, 6, 7],
    )
    .font_size(7);
    for e in r.evidence_rows.iter() {
        let e = e?;
        t.push(vec![
            e.row.to_string().into(),
            Cell::new(e.id.to_string()).bold(),
            Cell::prose(e.what.to_string()),
            Cell::prose(e.outcome.to_string()),
            Cell::location(e.location.to_string()),
        ]);
    }
    doc.push(t);
    Ok(())
}

/// The kind of outcome of rows that count as evidence ([`outcome_kind`]).
const COUNTS: &str = "counts as evidence";

/// An outcome without its particulars: `counts for`, `not needed`, `reported: <code>`...
fn outcome_kind(outcome: &str) -> &str {
    if outcome.starts_with("counts for") {
        return COUNTS;
    }
    if let Some(rest) = outcome.strip_prefix("reported: ") {
        return rest.split([' ', '(']).next().unwrap_or(rest);
    }
    outcome.split(':').next().unwrap_or(outcome)
}

fn appendix(doc: &mut Document, r: &GapReport, scale: &Scale) -> io::Result<()> {
    doc.push(PageBreak::new());
    doc.push(heading("Appendices", 16).outline(1).anchor("appendices"));
    doc.push(Break::new(0.3));
    doc.push(heading("Appendix A. Input rows that matched nothing", 13).outline(2));
    doc.push(note("Every evidence and attestation row is either used or listed here: rows naming unknown controls, systems or offerings, and rows no control in scope needs."));
    let rows = unmatched(r);
    let at_of = |f: &Finding| {
        let at = [f.framework.as_deref(), f.control.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(":");
        if at.is_empty() {
            f.offering.as_deref().unwrap_or_default().to_string()
        } else {
            super::keep(&at)
        }
    };
    let row_of = |f: &Finding| {
        let source = f.source.as_deref().unwrap_or("");
        source
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(source)
            .to_string()
    };
    let mut t = Table::new(&["Gap", "Row", "Points at", "Detail"], &[4, 5, 5, 14]);
    if !scale.full_appendix {
        let mut groups: indexmap::IndexMap<(GapCode, String), Vec<&Finding>> =
            indexmap::IndexMap::new();
        for f in &rows {
            groups.entry((f.code, at_of(f))).or_default().push(f);
        }
        doc.push(note(&format!(
            "{} rows, summarised as {} lines: one per kind and place, with the first rows and the first row's detail. The workbook (Evidence rows and Attestation rows sheets) and the CSV of the same run list every row.",
            rows.len(),
            groups.len()
        )));
        for ((code, at), fs) in &groups {
            let named: Vec<String> = fs.iter().map(|f| row_of(f)).collect();
            let named: Vec<&str> = named.iter().map(String::as_str).collect();
            t.push(vec![
                Cell::colored(code.as_str(), severity_color(code.severity())),
                Cell::prose(super::listed(&named, 3)),
                at.clone().into(),
                Cell::prose(fs[0].detail.clone()),
            ]);
        }
    }
    for f in rows.iter().filter(|_| scale.full_appendix) {
        t.push(vec![
            Cell::colored(f.code.as_str(), severity_color(f.severity())),
            Cell::prose(row_of(f)),
            at_of(f).into(),
            Cell::prose(f.detail.clone()),
        ]);
    }
    if t.is_empty() {
        doc.push(note("None: every row was used."));
    } else {
        doc.push(t);
    }
    doc.push(Break::new(1));
    doc.push(heading("Appendix B. Attestation rows", 13).outline(2));
    let mut t = Table::new(&["Row", "Reference", "What", "Outcome"], &[2, 10, 7, 9]);
    for a in r.attestation_rows.iter() {
        let a = a?;
        t.push(vec![
            a.row.to_string().into(),
            a.id.to_string().into(),
            a.what.to_string().into(),
            a.outcome.to_string().into(),
        ]);
    }
    doc.push(t);
    doc.push(Break::new(1));
    doc.push(heading("Appendix C. Gap codes", 13).outline(2));
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
    doc.push(Break::new(1));
    doc.push(heading("Appendix D. How to read this report", 13).outline(2));
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
    resolved(doc, r);
    Ok(())
}

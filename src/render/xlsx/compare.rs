//! The vendor comparison workbook: a Summary sheet, then one sheet per framework with a row per
//! control and a colour-coded owner column per candidate (customer duties in cell notes).

use std::io::{self, Write};

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Color,
    Format, FormatAlign, Note, Url,
};

use super::{new_workbook, party_color, write_workbook, SheetWriter, WorkbookError};
use crate::comparison::{CandidateReport, Comparison, ReportSource};
use crate::output::sheet_name;
use crate::party::Party;

/// A framework's sheet name: what Excel accepts ([`sheet_name`]), and not a name taken
/// before (two long IDs may cut to the same 31 characters; Excel compares names ignoring case).
fn framework_sheet(fw: &str, taken: &mut Vec<String>) -> String {
    let base = sheet_name(fw);
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({n})");
        let keep: String = base.chars().take(31 - suffix.chars().count()).collect();
        name = format!("{keep}{suffix}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The comparison workbook; `date` stamps its properties.
pub fn comparison(
    cmp: &Comparison,
    date: jiff::civil::Date,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_workbook(workbook(cmp, date), out)
}

fn workbook(cmp: &Comparison, date: jiff::civil::Date) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = new_workbook(
        &format!("Comparison: {}", cmp.candidates.join(" vs ")),
        date,
    )?;
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Summary")?;
        let title = Format::new().set_bold().set_font_size(14);
        s.text(
            0,
            &format!("Who owns what: {}", cmp.candidates.join(" vs ")),
            Some(&title),
        )?;
        s.next_row()?;
        s.text(0, "Controls per owner. Customer share: the customer's part of all the layer duties the framework's controls touch (customer 1, shared 1/2). The charts are on the Charts sheet.", None)?;
        s.next_row()?;
        s.next_row()?;
        s.header(&[
            "framework",
            "candidate",
            "controls",
            "customer",
            "shared",
            "provider",
            "not applicable",
            "customer share %",
        ])?;
        for x in &cmp.summary {
            s.cell(0, &x.framework, None)?;
            s.cell(1, &x.candidate, None)?;
            s.number(2, x.controls as f64)?;
            s.number(3, x.customer as f64)?;
            s.number(4, x.shared as f64)?;
            s.number(5, x.provider as f64)?;
            s.number(6, x.not_applicable as f64)?;
            s.number(7, x.customer_share_pct as f64)?;
            s.next_row()?;
        }
        s.finish(30.0)?;
    }
    {
        // The charts on a sheet of their own: no repeated header row prints over them, and a
        // page break keeps each chart whole.
        let mut s = SheetWriter::new(wb.add_worksheet(), "Charts")?;
        let title = Format::new().set_bold().set_font_size(14);
        s.text(
            0,
            &format!("Who owns what: {}", cmp.candidates.join(" vs ")),
            Some(&title),
        )?;
        s.next_row()?;
        s.next_row()?;
        let share_at = s.row;
        let share_rows = share_height(cmp).div_ceil(20) + 1;
        let owners_at = share_at + share_rows;
        let owners_rows = owner_height(cmp).div_ceil(20) + 1;
        s.row = owners_at + owners_rows;
        let data_at = s.row;
        // Customer share by framework, one column per candidate: the first chart's data.
        let bold = s.bold.clone();
        s.text(
            0,
            "Chart data: customer share % by framework and candidate",
            Some(&bold),
        )?;
        s.next_row()?;
        let header = s.row;
        s.cell(0, "framework", None)?;
        for (i, c) in cmp.candidates.iter().enumerate() {
            s.cell(1 + i as u16, c, None)?;
        }
        s.next_row()?;
        let first = s.row;
        for fw in &cmp.frameworks {
            s.cell(0, fw, None)?;
            for (i, c) in cmp.candidates.iter().enumerate() {
                if let Some(x) = cmp
                    .summary
                    .iter()
                    .find(|x| &x.framework == fw && &x.candidate == c)
                {
                    s.number(1 + i as u16, x.customer_share_pct as f64)?;
                }
            }
            s.next_row()?;
        }
        let last = s.row - 1;
        s.next_row()?;
        // Controls per owner, one row per framework and candidate: the second chart's data.
        s.text(0, "Chart data: controls per owner", Some(&bold))?;
        s.next_row()?;
        let owners_header = s.row;
        for (i, h) in [
            "framework: candidate",
            "customer",
            "shared",
            "provider",
            "not applicable",
        ]
        .iter()
        .enumerate()
        {
            s.cell(i as u16, h, None)?;
        }
        s.next_row()?;
        let owners_first = s.row;
        for x in &cmp.summary {
            s.cell(0, &format!("{}: {}", x.framework, x.candidate), None)?;
            s.number(1, x.customer as f64)?;
            s.number(2, x.shared as f64)?;
            s.number(3, x.provider as f64)?;
            s.number(4, x.not_applicable as f64)?;
            s.next_row()?;
        }
        let owners_last = s.row - 1;
        s.ws.insert_chart(share_at, 0, &share_chart(cmp, header, first, last))?;
        let owners = owner_chart(cmp, owners_header, owners_first, owners_last);
        s.ws.insert_chart(owners_at, 0, &owners)?;
        s.ws.set_page_breaks(&[owners_at, data_at])?;
        s.finish(40.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Attestations")?;
        s.header(&[
            "candidate",
            "provider",
            "attestation",
            "source",
            "report",
            "scope",
            "period start",
            "period end",
            "issued",
            "expires",
            "where to get it",
            "note",
        ])?;
        for r in &cmp.attestations {
            let fill = report_color(r);
            s.cell(0, &r.candidate, None)?;
            s.cell(1, &r.provider, None)?;
            s.cell(2, r.kind.label(), None)?;
            s.cell(3, r.source.label(), Some(fill))?;
            s.cell(4, &r.name, None)?;
            s.cell(5, &r.scope(), Some(fill))?;
            s.date_cell(6, r.period_start)?;
            s.date_cell(7, r.period_end)?;
            s.date_cell(8, r.issued)?;
            s.date_cell(9, r.expires)?;
            link(&mut s, 10, &r.link)?;
            let note = if r.source == ReportSource::Published
                && r.period_end.is_none()
                && r.expires.is_none()
                && r.issued.is_none()
            {
                let dates = "Dates: on the report (srmap's data has none).";
                if r.note.is_empty() {
                    dates.to_string()
                } else {
                    format!("{} {dates}", r.note)
                }
            } else {
                r.note.clone()
            };
            s.cell(11, &note, None)?;
            s.next_row()?;
        }
        s.next_row()?;
        for line in [
            "One row per candidate, provider and attestation kind. Scope: which of the candidate's services the report names.",
            "published: what the provider publishes (srmap's data, providers/attestations.csv).",
            "on file: your register of the copies you hold (--attestations), with their periods.",
            "not listed: srmap's data lists no such report for the provider.",
        ] {
            s.text(0, line, None)?;
            s.next_row()?;
        }
        s.finish(32.0)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Service facts")?;
        let mut header: Vec<String> = vec!["feature".into(), "controls".into(), "differs".into()];
        for c in &cmp.candidates {
            header.push(c.clone());
            header.push(format!("source: {c}"));
        }
        let cols: Vec<&str> = header.iter().map(String::as_str).collect();
        s.header(&cols)?;
        for f in &cmp.service_facts {
            s.cell(0, &f.name, None)?;
            s.number(1, f.controls as f64)?;
            if f.differs {
                s.cell(2, "yes", Some(Color::RGB(0xFFE699)))?;
            } else {
                s.cell(2, "no", None)?;
            }
            for (i, facts) in f.sides.values().enumerate() {
                let col = 3 + 2 * i as u16;
                if facts.is_empty() {
                    s.cell(col, "not stated", Some(party_color(Party::NotApplicable)))?;
                    continue;
                }
                let many = facts.len() > 1;
                let text: Vec<String> = facts
                    .iter()
                    .map(|x| {
                        let t = format!("{} ({})", x.default, x.responsibility);
                        if many {
                            format!("{}: {t}", x.offering)
                        } else {
                            t
                        }
                    })
                    .collect();
                let who = facts[0].responsibility;
                let fill = facts
                    .iter()
                    .all(|x| x.responsibility == who)
                    .then(|| party_color(who));
                s.cell(col, &text.join("\n"), fill)?;
                let detail: Vec<String> = facts
                    .iter()
                    .map(|x| {
                        let who = if many {
                            format!("{}: ", x.offering)
                        } else {
                            String::new()
                        };
                        format!(
                            "{who}Provider: {}\nCustomer: {}",
                            x.provider, x.customer_action
                        )
                    })
                    .collect();
                let note = Note::new(super::note_text(&detail.join("\n\n")))
                    .set_author("srmap")
                    .set_width(420)
                    .set_height(160);
                s.ws.insert_note(s.row, col, &note)?;
                let mut sources: Vec<&str> = Vec::new();
                for x in facts {
                    if !sources.contains(&x.source.as_str()) {
                        sources.push(&x.source);
                    }
                }
                // One link per cell: the first source; the others are written out beside it.
                link(&mut s, col + 1, sources[0])?;
                if sources.len() > 1 {
                    let rest = sources[1..].join("\n");
                    let c =
                        Note::new(super::note_text(&format!("Also: {rest}"))).set_author("srmap");
                    s.ws.insert_note(s.row, col + 1, &c)?;
                }
            }
            s.next_row()?;
        }
        if cmp.service_facts.is_empty() {
            s.text(0, "None of the candidates states a per-service fact.", None)?;
            s.next_row()?;
        }
        s.next_row()?;
        for line in [
            "Every per-service fact the candidates' offerings state (providers/*.toml `[[features]]`): `default (who must act)`.",
            "The note on a cell says what the provider does and what the customer must do; the source column links the provider's page.",
            "`controls` counts the compared controls that depend on the feature.",
        ] {
            s.text(0, line, None)?;
            s.next_row()?;
        }
        s.finish(40.0)?;
        s.ws.set_freeze_panes(1, 1)?;
    }
    {
        let mut s = SheetWriter::new(wb.add_worksheet(), "Facts that differ")?;
        let mut header: Vec<String> = vec!["feature".into(), "controls".into()];
        header.extend(cmp.candidates.iter().cloned());
        header.extend(cmp.candidates.iter().map(|c| format!("source: {c}")));
        let cols: Vec<&str> = header.iter().map(String::as_str).collect();
        s.header(&cols)?;
        for d in &cmp.fact_differences {
            s.cell(0, &d.feature, None)?;
            s.number(1, d.controls as f64)?;
            let n = cmp.candidates.len() as u16;
            for (i, fact) in d.sides.values().enumerate() {
                s.cell(2 + i as u16, &fact.short(), None)?;
                if !fact.customer_action.is_empty() {
                    let note = Note::new(super::note_text(&format!(
                        "Customer: {}",
                        fact.customer_action
                    )))
                    .set_author("srmap")
                    .set_width(420)
                    .set_height(120);
                    s.ws.insert_note(s.row, 2 + i as u16, &note)?;
                }
                s.cell(2 + n + i as u16, &fact.source, None)?;
            }
            s.next_row()?;
        }
        if cmp.fact_differences.is_empty() {
            s.text(
                0,
                "The candidates state the same defaults for every feature.",
                None,
            )?;
            s.next_row()?;
        }
        s.next_row()?;
        s.text(0, "Per-service defaults (providers/*.toml `[[features]]`): `default (who must act)`. `controls` counts the compared controls that depend on the feature.", None)?;
        s.finish(40.0)?;
    }
    let mut taken: Vec<String> = [
        "Summary",
        "Charts",
        "Attestations",
        "Service facts",
        "Facts that differ",
    ]
    .map(String::from)
    .to_vec();
    for fw in &cmp.frameworks {
        let mut s = SheetWriter::new(wb.add_worksheet(), &framework_sheet(fw, &mut taken))?;
        let mut header = vec!["control", "title"];
        header.extend(cmp.candidates.iter().map(String::as_str));
        header.push("differs");
        header.push("differing facts");
        s.header(&header)?;
        let center = Format::new()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::Top)
            .set_bold();
        for r in cmp.rows.iter().filter(|r| &r.framework == fw) {
            s.cell(0, &r.control, None)?;
            s.cell(1, &r.title, None)?;
            for (i, (cand, owner)) in r.owners.iter().enumerate() {
                let col = 2 + i as u16;
                let fmt = center.clone().set_background_color(party_color(*owner));
                s.ws.write_string_with_format(s.row, col, owner.as_str(), &fmt)?;
                if *owner != Party::NotApplicable {
                    let facts = match r.facts[cand].as_str() {
                        "" => String::new(),
                        f => format!("\nFacts: {f}"),
                    };
                    let note = Note::new(super::note_text(&format!(
                        "Customer: {}{facts}",
                        r.customer_duty[cand]
                    )))
                    .set_author("srmap")
                    .set_width(420)
                    .set_height(160);
                    s.ws.insert_note(s.row, col, &note)?;
                }
            }
            let col = 2 + r.owners.len() as u16;
            if r.differs {
                s.cell(col, "yes", Some(Color::RGB(0xFFE699)))?;
            } else {
                s.cell(col, "no", None)?;
            }
            s.cell(col + 1, &r.differing_facts.join(", "), None)?;
            s.next_row()?;
        }
        s.finish(60.0)?;
        // Keep the control and title in view while scrolling across candidates.
        s.ws.set_freeze_panes(1, 2)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Candidate colours for the share chart's series (then repeated).
const SERIES: [u32; 6] = [0x2F5597, 0xC55A11, 0x548235, 0x7030A0, 0xBF9000, 0x2E75B6];

fn share_height(cmp: &Comparison) -> u32 {
    150 + cmp.frameworks.len() as u32 * (18 * cmp.candidates.len() as u32 + 24)
}

fn owner_height(cmp: &Comparison) -> u32 {
    150 + 26 * cmp.summary.len() as u32
}

/// Customer share per framework (the categories), one bar per candidate (the series, named in
/// the legend); the value axis runs from 0 to 100 so a small difference looks small.
fn share_chart(cmp: &Comparison, header: u32, first: u32, last: u32) -> Chart {
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .title()
        .set_name("Customer share of the duties (%), by framework and candidate");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    for i in 0..cmp.candidates.len() {
        let col = 1 + i as u16;
        chart
            .add_series()
            .set_name(("Charts", header, col))
            .set_categories(("Charts", first, 0, last, 0))
            .set_values(("Charts", first, col, last, col))
            .set_format(ChartFormat::new().set_solid_fill(
                ChartSolidFill::new().set_color(Color::RGB(SERIES[i % SERIES.len()])),
            ));
    }
    // A bar chart's value axis is its x axis (horizontal).
    chart
        .x_axis()
        .set_min(0)
        .set_max(100)
        .set_major_unit(10)
        .set_name("% of the layer duties on the customer");
    // Frameworks top to bottom, the value axis still at the foot.
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.set_width(900).set_height(share_height(cmp));
    chart
}

/// Controls per owner, one stacked bar per framework and candidate (both named on the axis),
/// counted from zero.
fn owner_chart(cmp: &Comparison, header: u32, first: u32, last: u32) -> Chart {
    let mut chart = Chart::new(ChartType::BarStacked);
    chart
        .title()
        .set_name("Controls per owner, by framework and candidate");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    let parties = [
        (1u16, Party::Customer),
        (2, Party::Shared),
        (3, Party::Provider),
        (4, Party::NotApplicable),
    ];
    for (col, party) in parties {
        chart
            .add_series()
            .set_name(("Charts", header, col))
            .set_categories(("Charts", first, 0, last, 0))
            .set_values(("Charts", first, col, last, col))
            .set_gap(60)
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(party_color(party))),
            );
    }
    chart.x_axis().set_min(0).set_name("controls");
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.set_width(900).set_height(owner_height(cmp));
    chart
}

/// Green where the report names the candidate's services, amber where the data cannot tell,
/// red where it names none of them, grey where no report is listed.
fn report_color(r: &CandidateReport) -> Color {
    if r.source == ReportSource::NotListed {
        Color::RGB(0xE7E6E6)
    } else if !r.not_covered.is_empty() {
        Color::RGB(0xF4B6B6)
    } else if !r.unknown.is_empty() {
        Color::RGB(0xFFE699)
    } else {
        Color::RGB(0xC6E0B4)
    }
}

/// A clickable link showing the address shortened to its host and last part.
fn link(s: &mut SheetWriter<'_>, col: u16, url: &str) -> Result<(), WorkbookError> {
    if url.is_empty() {
        return Ok(());
    }
    let text = short_url(url);
    let fmt = Format::new()
        .set_hyperlink()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    s.ws.write_url_with_format(s.row, col, Url::new(url).set_text(&text), &fmt)?;
    s.widen(col, &text);
    Ok(())
}

/// `https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html` ->
/// `docs.aws.amazon.com/…/Overview.Encryption.html`.
fn short_url(url: &str) -> String {
    let rest = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [] | [_] | [_, _] => rest.to_string(),
        [host, .., last] => format!("{host}/…/{last}"),
    }
}

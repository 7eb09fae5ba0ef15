//! Markdown output: pipe tables with escaped cells. No text from an input reaches the document
//! as markup: every cell, header and line built from input text goes through [`escape`] (HTML
//! cannot start, a pipe cannot end a cell, a line break cannot end a row), and names shown as
//! code go through [`code`].

use std::io::{self, Write};

use crate::comparison::Comparison;
use crate::fact_difference::FactDifference;
use crate::listing::Matrices;
use crate::migration::{DiffRow, DiffSummary, Migration};
use crate::record::Record;

/// Text as Markdown shows it, never as markup: `<` (the start of every HTML tag, comment and
/// autolink) as `&lt;`, an `&` that would start a character reference as `&amp;`, `\\` and
/// `|` escaped (a pipe would end a table cell), line breaks as spaces (they would end a row).
pub fn escape(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for (i, c) in cell.char_indices() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '&' if starts_reference(&cell[i + 1..]) => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Whether the text after an `&` would make it a character reference (`&lt;`, `&#60;`).
fn starts_reference(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// A name shown as code (`` `aws/ec2` ``); one holding a backtick, which would end the code
/// span, is shown escaped instead.
pub fn code(name: &str) -> String {
    if name.contains('`') || name.contains(['\n', '\r']) {
        escape(name)
    } else {
        format!("`{name}`")
    }
}

pub fn write<R: Record>(rows: &[R], out: &mut dyn Write) -> io::Result<()> {
    write_table(R::columns(), rows.iter().map(|r| r.cells()), out)
}

/// A Markdown table from column names and rows of cells.
pub fn write_table(
    columns: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let header: Vec<String> = columns.iter().map(|c| escape(c)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; columns.len()].join("|"))?;
    for cells in rows {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// The migration review as a Markdown document: summary, provider needs, then every change.
pub fn migration(m: &Migration, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Migration review\n")?;
    writeln!(out, "From {} to {}.\n", code(&m.from), code(&m.to))?;
    if !m.applicability.is_empty() {
        writeln!(out, "{}\n", escape(&m.applicability))?;
    }
    writeln!(out, "## Summary\n")?;
    // The system column only when diffing scopes (empty on every row otherwise).
    let systems = m.summary.iter().any(|s| !s.system.is_empty());
    let skip = usize::from(!systems);
    let rows = m.summary.iter().map(|s| {
        let mut cells = vec![s.system.clone(), s.framework.clone()];
        cells.extend(s.counts().iter().map(|n| n.to_string()));
        cells[skip..].to_vec()
    });
    let mut header = vec!["system", "framework"];
    header.extend(DiffSummary::COUNT_NAMES);
    write_table(&header[skip..], rows, out)?;
    for (label, list) in [
        ("Systems only in the target", &m.systems_added),
        ("Systems only in the source", &m.systems_removed),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n{label}: {}.", escape(&list.join(", ")))?;
        }
    }
    writeln!(out, "\n## What the target needs from its providers\n")?;
    if m.needs.is_empty() {
        writeln!(out, "Nothing the source did not already need.")?;
    } else {
        let rows = m.needs.iter().map(|n| {
            vec![
                n.system.clone(),
                n.framework.clone(),
                n.provider.clone(),
                n.label(),
                if n.agreement {
                    "agreement".into()
                } else {
                    "report".into()
                },
                n.controls.to_string(),
                if n.published.is_empty() {
                    "not listed in srmap's data: ask the provider".into()
                } else {
                    format!("{} ({})", n.published, n.portal)
                },
            ][skip..]
                .to_vec()
        });
        write_table(
            &[
                "system",
                "framework",
                "provider",
                "needs",
                "type",
                "controls relying",
                "published as",
            ][skip..],
            rows,
            out,
        )?;
    }
    if !m.fact_changes.is_empty() {
        writeln!(out, "\n## Per-service facts that change\n")?;
        fact_differences(&m.fact_changes, out)?;
    }
    writeln!(out, "\n## What moves, layer by layer\n")?;
    if m.rows.is_empty() {
        writeln!(out, "None.")?;
        return Ok(());
    }
    let groups = m.groups.iter().map(|g| {
        vec![
            g.system.clone(),
            g.framework.clone(),
            g.moved.clone(),
            format!("{} ({})", g.controls.join(", "), g.controls.len()),
            g.customer_must.clone(),
            g.customer_may_stop.clone(),
        ][skip..]
            .to_vec()
    });
    write_table(
        &[
            "system",
            "framework",
            "what moved",
            "controls",
            "customer must now",
            "customer may stop",
        ][skip..],
        groups,
        out,
    )?;
    writeln!(
        out,
        "\n## Controls whose duties move ({})\n\nWhat each move asks of the customer is in the table above; the CSV and JSON outputs give it per control.\n",
        m.rows.len()
    )?;
    let columns = DiffRow::table_columns();
    write_table(
        &columns[skip..],
        m.rows.iter().map(|r| {
            let mut cells = r.cells();
            cells.truncate(columns.len());
            cells[skip..].to_vec()
        }),
        out,
    )
}

/// The comparison grid, then the per-service facts that differ between the candidates.
pub fn comparison(cmp: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let (header, rows) = cmp.grid();
    let cols: Vec<&str> = header.iter().map(String::as_str).collect();
    write_table(&cols, rows.into_iter(), out)?;
    if !cmp.fact_differences.is_empty() {
        writeln!(out, "\n**Per-service facts that differ**\n")?;
        fact_differences(&cmp.fact_differences, out)?;
    }
    Ok(())
}

/// The offerings' layers, then their per-service facts under a heading.
pub fn matrices(m: &Matrices, out: &mut dyn Write) -> io::Result<()> {
    write(&m.layers(), out)?;
    let facts = m.facts();
    if !facts.is_empty() {
        writeln!(out, "\n**Per-service facts**\n")?;
        write(&facts, out)?;
    }
    Ok(())
}

/// Per-service facts that differ between sides: one row per feature, a column per side
/// (`default (responsibility)`), then each side's source.
pub fn fact_differences(list: &[FactDifference], out: &mut dyn Write) -> io::Result<()> {
    let Some(first) = list.first() else {
        return Ok(());
    };
    let sides: Vec<&String> = first.sides.keys().collect();
    let mut header: Vec<String> = vec!["feature".into(), "controls".into()];
    header.extend(sides.iter().map(|s| s.to_string()));
    header.extend(sides.iter().map(|s| format!("source: {s}")));
    let cols: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = list.iter().map(|d| {
        let mut cells = vec![d.feature.clone(), d.controls.to_string()];
        cells.extend(d.sides.values().map(|f| f.short()));
        cells.extend(d.sides.values().map(|f| f.source.clone()));
        cells
    });
    write_table(&cols, rows, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_input_text_becomes_markup() {
        assert_eq!(
            escape("<script>alert(1)</script> | x"),
            "&lt;script>alert(1)&lt;/script> \\| x"
        );
        assert_eq!(escape("<!-- hidden -->"), "&lt;!-- hidden -->");
        assert_eq!(
            escape("<https://evil.example>"),
            "&lt;https://evil.example>"
        );
        assert_eq!(escape("a\nb\rc"), "a b c");
        assert_eq!(escape("&lt; and &#60;"), "&amp;lt; and &amp;#60;");
        // An ampersand that starts no reference stays as it is.
        assert_eq!(escape("Health & Commerce"), "Health & Commerce");
        assert_eq!(escape("onprem -> aws/ec2"), "onprem -> aws/ec2");
        assert_eq!(code("aws/ec2"), "`aws/ec2`");
        assert_eq!(code("a`<b>"), "a`&lt;b>");
    }

    #[test]
    fn headers_are_escaped_too() {
        let mut out = Vec::new();
        write_table(
            &["system", "<img src=x onerror=alert(1)>"],
            std::iter::once(vec!["a|b".to_string(), "<b>".to_string()]),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("<img") && !text.contains("<b>"), "{text}");
        assert!(text.contains("a\\|b"), "{text}");
    }
}

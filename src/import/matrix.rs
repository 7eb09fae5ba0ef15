//! Any responsibility matrix in CSV or XLSX: a control column and an owner column, named by
//! letter (`B`) or by header, -> an offering matrix with per-control rows.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::framework::Framework;
use crate::import::answer::{combined_owner, control_rows, Answer, Answers, Duties};
use crate::import::data_dir::{self, Drafts, OfferingDraft};
use crate::import::vocabulary;
use crate::import::{parse_model, ImportReport};
use crate::offering::Model;
use crate::table::normalize;
use crate::table::{self, failure, file_name, Row, Table, Workbook};
use crate::text::join_sentences;

/// What `srmap import matrix` reads and writes.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// The matrix (CSV or XLSX)
    pub file: PathBuf,
    /// Column holding the control IDs: a letter (B) or a header name
    #[arg(long, value_name = "COLUMN")]
    pub control_column: String,
    /// Column holding the owner (Customer, CSP-owned, Shared, Yes/Partial/No, ...)
    #[arg(long, value_name = "COLUMN")]
    pub owner_column: String,
    /// Column with what the provider does (optional)
    #[arg(long, value_name = "COLUMN")]
    pub provider_column: Option<String>,
    /// Column with what the customer does (optional)
    #[arg(long, value_name = "COLUMN")]
    pub customer_column: Option<String>,
    /// Framework of the controls (e.g. pci-dss-4.0.1) [default: the one most of the IDs belong to]
    #[arg(long)]
    pub framework: Option<String>,
    /// ID of the offering to write, provider/name (e.g. acme/crm) [default: imported/<file name>]
    #[arg(long, value_name = "ID")]
    pub offering: Option<String>,
    /// Display name of the offering
    #[arg(long)]
    pub name: Option<String>,
    /// Generic model whose layer owners the offering starts from [default: paas]
    #[arg(long, value_parser = parse_model)]
    pub model: Option<Model>,
    /// Sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Row number of the header, 1 to 1048576 (a sheet's last row) [default: 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    pub header_row: Option<u64>,
    /// Data folder to write (use it with --data DIR)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub out: PathBuf,
}

/// Column letters (`B`, `AA`) -> 0-based index.
pub fn letters(spec: &str) -> Option<usize> {
    let s = spec.trim();
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in s.bytes() {
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    Some(n - 1)
}

/// A column by header name (any spelling) or, failing that, by letter.
fn column(grid: &Table, header: &Row, spec: &str, what: &str) -> Result<usize, Diagnostics> {
    let want = normalize(spec);
    if let Some(c) = header.find(|h| h == want) {
        return Ok(c);
    }
    if let Some(c) = letters(spec) {
        return Ok(c);
    }
    let names: Vec<String> = header
        .cells
        .iter()
        .map(|c| c.text())
        .filter(|t| !t.trim().is_empty())
        .collect();
    Err(Diagnostics(vec![Diagnostic::error(
        Code::MissingColumn,
        grid.at(header.line),
        format!(
            "{what}: no column `{spec}` in the header (found: {}); give a header name or a column letter",
            names.join(", ")
        ),
    )]))
}

/// `imported/<file stem in kebab case>`.
fn default_offering(file: &Path) -> String {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("matrix")
        .to_ascii_lowercase();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    format!("imported/{}", id.trim_end_matches('-'))
}

/// The framework most of the IDs resolve in, when one clearly wins (a majority, no tie).
fn detect_framework<'c>(catalog: &'c Catalog, ids: &[String]) -> Option<(&'c Framework, usize)> {
    let mut scored: Vec<(&Framework, usize)> = catalog
        .frameworks()
        .map(|f| (f, ids.iter().filter(|id| f.resolve(id).is_ok()).count()))
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.1));
    match scored.as_slice() {
        [(best, n), (_, m), ..] if *n > *m && *n * 2 > ids.len() => Some((*best, *n)),
        [(best, n)] if *n * 2 > ids.len() => Some((*best, *n)),
        _ => None,
    }
}

/// The columns of a matrix, 0-based, and the index of its header row among the table's rows.
struct Columns {
    header: usize,
    control: usize,
    owner: usize,
    provider: Option<usize>,
    customer: Option<usize>,
}

/// What a matrix says: the table it was read from, the framework of its controls and each
/// control's answers.
pub struct MatrixAnswers {
    pub table: Table,
    pub framework: String,
    pub answers: Answers,
    /// Rows read, imported and skipped; notes on what was detected.
    pub report: ImportReport,
}

/// The sheet (`--sheet`, else the first) or CSV file.
fn open_table(opts: &Options) -> Result<Table, Diagnostics> {
    if !table::is_workbook(&opts.file) {
        return Table::read_csv(&opts.file).map(Table::none_as_empty);
    }
    let mut wb = Workbook::open_for_import(&opts.file)?;
    let sheet = match &opts.sheet {
        Some(s) => s.clone(),
        None => wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| failure(&opts.file, Code::MissingSheet, "has no sheets"))?,
    };
    wb.read(&sheet)
}

/// The header row (`--header-row`) and the columns the options name; every column not found
/// is reported.
fn columns(table: &Table, opts: &Options) -> Result<Columns, Diagnostics> {
    let header_line = opts.header_row.unwrap_or(1);
    let Some(h) = table.rows.iter().position(|r| r.line == header_line) else {
        return Err(Diagnostics(vec![Diagnostic::error(
            Code::MissingHeader,
            table.whole(),
            format!("has no row {header_line} to read the header from"),
        )]));
    };
    let header = &table.rows[h];
    let c_control = column(table, header, &opts.control_column, "--control-column");
    let c_owner = column(table, header, &opts.owner_column, "--owner-column");
    let c_provider = opts
        .provider_column
        .as_deref()
        .map(|s| column(table, header, s, "--provider-column"))
        .transpose();
    let c_customer = opts
        .customer_column
        .as_deref()
        .map(|s| column(table, header, s, "--customer-column"))
        .transpose();
    let mut problems = Diagnostics::default();
    let mut take = |r: Result<Option<usize>, Diagnostics>| match r {
        Ok(c) => c,
        Err(d) => {
            problems.extend(d);
            None
        }
    };
    let c_control = take(c_control.map(Some));
    let c_owner = take(c_owner.map(Some));
    let c_provider = take(c_provider);
    let c_customer = take(c_customer);
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Columns {
        header: h,
        control: c_control.expect("checked"),
        owner: c_owner.expect("checked"),
        provider: c_provider,
        customer: c_customer,
    })
}

/// `--framework`, else the framework most of the control IDs belong to (noted).
fn framework<'c>(
    catalog: &'c Catalog,
    opts: &Options,
    table: &Table,
    cols: &Columns,
    report: &mut ImportReport,
) -> Result<&'c Framework, Diagnostics> {
    if let Some(f) = &opts.framework {
        return catalog
            .framework(f)
            .map_err(|e| failure(&opts.file, Code::UnknownFramework, e.to_string()));
    }
    let ids: Vec<String> = table
        .rows
        .iter()
        .skip(cols.header + 1)
        .map(|r| r.text(cols.control))
        .filter(|t| !t.is_empty())
        .collect();
    let (fw, hits) = detect_framework(catalog, &ids).ok_or_else(|| {
        failure(
            &opts.file,
            Code::UnknownFramework,
            "cannot tell which framework the control IDs belong to: name it with --framework"
                .to_string(),
        )
    })?;
    report.notes.push(format!("framework detected: {} ({hits} of {} control IDs are its own; name another with --framework)", fw.id, ids.len()));
    Ok(fw)
}

/// Each data row's answer, under the control it resolves to; rows that give none are skipped
/// with the reason.
fn answers(table: &Table, cols: &Columns, fw: &Framework, report: &mut ImportReport) -> Answers {
    let mut controls = Answers::new();
    for row in table.rows.iter().skip(cols.header + 1) {
        if row.is_blank() {
            continue;
        }
        report.read += 1;
        let spelling = row.text(cols.control);
        if spelling.is_empty() {
            report.skip(table.at(row.line), "no control in the control column");
            continue;
        }
        let control = match fw.resolve(&spelling) {
            Ok(c) if c.is_informative() => {
                report.skip(
                    table.at(row.line),
                    format!(
                        "{} {} places no duty (informative): nothing to own",
                        fw.id, c.id
                    ),
                );
                continue;
            }
            Ok(c) => c.id.clone(),
            Err(why) => {
                report.skip(table.at(row.line), fw.unresolved_message(&spelling, &why));
                continue;
            }
        };
        let value = row.text(cols.owner);
        if value.is_empty() {
            report.skip(table.at(row.line), "no owner value");
            continue;
        }
        let Some(owner) = vocabulary::owner(&value) else {
            report.skip(table.at(row.line), vocabulary::unknown(&value));
            continue;
        };
        report.imported += 1;
        controls.entry(control).or_default().push(Answer {
            line: row.line,
            owner,
            value,
            label: String::new(),
            provider: cols.provider.map(|c| row.text(c)).unwrap_or_default(),
            customer: cols.customer.map(|c| row.text(c)).unwrap_or_default(),
        });
    }
    controls
}

/// Read a matrix into what it says about each control.
pub fn read(catalog: &Catalog, opts: &Options) -> Result<MatrixAnswers, Diagnostics> {
    let table = open_table(opts)?;
    let cols = columns(&table, opts)?;
    let mut report = ImportReport::default();
    let fw = framework(catalog, opts, &table, &cols, &mut report)?;
    let answers = answers(&table, &cols, fw, &mut report);
    Ok(MatrixAnswers {
        table,
        framework: fw.id.clone(),
        answers,
        report,
    })
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let (drafts, report) = drafts(catalog, opts)?;
    drafts.write(&opts.out, catalog, report)
}

/// What [`import`] would write, assembled but not yet checked with the loaders or written.
pub fn drafts(catalog: &Catalog, opts: &Options) -> Result<(Drafts, ImportReport), Diagnostics> {
    let offering_id = match &opts.offering {
        Some(o) => o.clone(),
        None => default_offering(&opts.file),
    };
    data_dir::check_offering_id(&offering_id)
        .map_err(|m| failure(&opts.file, Code::BadOffering, m))?;
    let MatrixAnswers {
        table,
        framework,
        answers,
        mut report,
    } = read(catalog, opts)?;
    if opts.offering.is_none() {
        report.notes.push(format!(
            "offering ID: {offering_id} (choose another with --offering)"
        ));
    }
    let file = file_name(&opts.file);
    let model = opts.model.unwrap_or(Model::Paas);
    let summary = format!(
        "Imported from {file} by srmap import matrix: {} controls of {framework} with the owner the file gives. Layer owners are copied from srmap's generic {} model, not from the file: review them.",
        answers.len(),
        model.as_str()
    );
    let name = opts
        .name
        .clone()
        .unwrap_or_else(|| format!("{offering_id} (imported from {file})"));
    let mut offering = OfferingDraft::from_model(
        catalog,
        &offering_id,
        &name,
        model,
        &summary,
        (format!("{file} (imported)"), file.clone()),
    )
    .map_err(|m| failure(&opts.file, Code::BadOffering, m))?;
    offering.rows = control_rows(&framework, &table, &answers, |_, list| {
        let owner = combined_owner(list);
        let join = |pick: fn(&Answer) -> &str| join_sentences(list.iter().map(pick));
        let (mut provider, mut customer) = (join(|a| &a.provider), join(|a| &a.customer));
        if provider.is_empty() && owner.provider_involved() {
            provider = format!("The provider carries this control or its part of it, per {file}.");
        }
        if customer.is_empty() && owner.customer_involved() {
            customer = format!("The customer carries this control or its part of it, per {file}.");
        }
        Duties {
            owner,
            provider,
            customer,
        }
    });
    report.notes.push(format!(
        "offering {}: {} controls of {framework}; layers from the generic {} model (choose another with --model)",
        offering_id,
        answers.len(),
        model.as_str()
    ));
    Ok((Drafts::offerings(vec![offering]), report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letters("A"), Some(0));
        assert_eq!(letters("b"), Some(1));
        assert_eq!(letters("AA"), Some(26));
        assert_eq!(letters("Owner column"), None);
        assert_eq!(letters("1"), None);
    }
}

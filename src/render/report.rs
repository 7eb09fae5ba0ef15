//! The render contract: each finished report says which formats it can be written in and
//! writes itself in one of them to any `Write`. The command line picks the format and the
//! destination; which writer serves which format is decided here, once per report.

use std::io::{self, Write};

use jiff::civil::Date;

use super::{csv, json, md, oscal, pdf, table, write_grid, write_rows, xlsx};
use crate::comparison::Comparison;
use crate::gaps::GapReport;
use crate::input::evidence::COLUMNS;
use crate::listing::{ControlMapping, Matrices};
use crate::migration::Migration;
use crate::output::Format;
use crate::pbc::PbcList;
use crate::record::Record;
use crate::soa::StatementOfApplicability;

/// A finished report, written in one of its formats.
pub trait Report {
    /// The formats the report can be written in.
    const FORMATS: &'static [Format];

    /// Write the report in `format` (one of [`Report::FORMATS`]).
    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()>;
}

/// The text formats every list of rows is written in.
pub const ROW_FORMATS: &[Format] = &[Format::Table, Format::Csv, Format::Json, Format::Md];

/// The formats of the reports with a document of their own (gaps, diff): the rows, a workbook
/// and a PDF.
const REPORT_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Md,
    Format::Xlsx,
    Format::Pdf,
];

/// A report with the date its documents are stamped with (XLSX properties, PDF dates), for
/// reports that do not carry one themselves.
#[derive(Debug, Clone, Copy)]
pub struct Dated<'a, R> {
    pub report: &'a R,
    pub date: Date,
}

/// The empty evidence register to fill in: its columns, documented; `date` stamps the workbook.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceTemplate {
    pub date: Date,
}

fn cannot(format: Format) -> io::Error {
    io::Error::other(format!("this report cannot be written as {format}"))
}

impl<R: Record> Report for [R] {
    const FORMATS: &'static [Format] = ROW_FORMATS;

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        write_rows(self, format, out)
    }
}

impl Report for GapReport {
    const FORMATS: &'static [Format] = REPORT_FORMATS;

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Xlsx => xlsx::gap_report(self, out),
            Format::Pdf => pdf::gap_report(self, out),
            text => write_rows(&self.rows(), text, out),
        }
    }
}

impl Report for Dated<'_, Migration> {
    const FORMATS: &'static [Format] = REPORT_FORMATS;

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Xlsx => xlsx::diff_report(self.report, self.date, out),
            Format::Pdf => pdf::diff_report(self.report, self.date, out),
            Format::Md => md::migration(self.report, out),
            text => write_rows(&self.report.rows, text, out),
        }
    }
}

impl Report for Dated<'_, Comparison> {
    const FORMATS: &'static [Format] = &[
        Format::Xlsx,
        Format::Csv,
        Format::Json,
        Format::Md,
        Format::Table,
    ];

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        let cmp = self.report;
        match format {
            Format::Xlsx => xlsx::comparison(cmp, self.date, out),
            Format::Json => json::document(cmp, out),
            Format::Md => md::comparison(cmp, out),
            grid => {
                let (header, rows) = cmp.grid();
                write_grid(&header, &rows, grid, out)
            }
        }
    }
}

impl Report for Dated<'_, PbcList> {
    const FORMATS: &'static [Format] = &[
        Format::Xlsx,
        Format::Csv,
        Format::Json,
        Format::Md,
        Format::Table,
    ];

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Xlsx => xlsx::pbc_list(self.report, self.date, out),
            Format::Json => json::document(self.report, out),
            text => write_rows(&self.report.requests, text, out),
        }
    }
}

/// The Statement of Applicability: every control with its status and reason as rows, the whole
/// statement (settings and counts too) as JSON, and a workbook and a PDF of its own.
impl Report for Dated<'_, StatementOfApplicability> {
    const FORMATS: &'static [Format] = REPORT_FORMATS;

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Xlsx => xlsx::soa(self.report, self.date, out),
            Format::Pdf => pdf::soa(self.report, self.date, out),
            Format::Json => json::document(self.report, out),
            text => write_rows(&self.report.rows, text, out),
        }
    }
}

impl Report for EvidenceTemplate {
    const FORMATS: &'static [Format] = &[Format::Xlsx, Format::Csv];

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Xlsx => xlsx::evidence_template(self.date, out),
            Format::Csv => {
                let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
                writeln!(out, "{}", names.join(","))
            }
            other => Err(cannot(other)),
        }
    }
}

impl Report for Matrices {
    const FORMATS: &'static [Format] = ROW_FORMATS;

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Json => json::document(self, out),
            Format::Csv => csv::write(&self.layers(), out),
            Format::Md => md::matrices(self, out),
            Format::Table => table::matrices(self, out),
            other => Err(cannot(other)),
        }
    }
}

/// A system plan is written as an OSCAL system security plan (pretty-printed JSON); the
/// profile and catalog it imports are its companions (`Ssp::companions`).
impl Report for oscal::Ssp<'_> {
    const FORMATS: &'static [Format] = &[Format::Oscal];

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Oscal => json::document(&oscal::owner_map_ssp(self), out),
            other => Err(cannot(other)),
        }
    }
}

/// A crosswalk listing: rows in the text formats, or an OSCAL mapping collection stamped with
/// the date (the catalogs it names are its companions, `oscal::mapping::companions`).
impl Report for Dated<'_, ControlMapping<'_>> {
    const FORMATS: &'static [Format] = &[
        Format::Table,
        Format::Csv,
        Format::Json,
        Format::Md,
        Format::Oscal,
    ];

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Oscal => {
                json::document(&oscal::mapping_collection(self.report, self.date), out)
            }
            text => write_rows(&self.report.rows, text, out),
        }
    }
}

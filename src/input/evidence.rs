//! The evidence register (CSV or XLSX): what the customer holds for each control.
//!
//! Rows are streamed; each is checked as it is read and every bad cell is reported (file, row,
//! column) before anything is written.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::table::{Parts, Place, Records, Row};
use crate::text::trim;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Approved,
    Pending,
    /// A reviewer turned the document down.
    Rejected,
    Draft,
    /// A test or scan result showing the control is not operating (a failed check).
    Failed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Approved,
        Status::Pending,
        Status::Rejected,
        Status::Draft,
        Status::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
            Status::Rejected => "rejected",
            Status::Draft => "draft",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        let s = trim(s);
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
    }

    /// `approved, pending, rejected, draft or failed`, for messages and help.
    pub fn listed() -> String {
        let words = Status::ALL.map(|st| st.as_str());
        let (last, rest) = words.split_last().expect("statuses");
        format!("{} or {last}", rest.join(", "))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the register, checked. The control and system are as written: the gap engine
/// resolves them against the catalog and the scope.
/// Its text is borrowed from the reader's row: the gap engine copies what it keeps.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow<'r> {
    /// Row number in the file (CSV line or sheet row).
    pub row: u64,
    /// Framework as written (from a `framework` column or the `framework:` prefix); may be empty.
    pub framework: Cow<'r, str>,
    /// Control as written, without its framework prefix.
    pub control: Cow<'r, str>,
    /// Empty: every system in scope.
    pub system: Cow<'r, str>,
    pub evidence_id: Cow<'r, str>,
    pub title: Cow<'r, str>,
    pub owner: Cow<'r, str>,
    pub effective_date: Date,
    pub expires: Option<Date>,
    pub status: Status,
    pub location: Cow<'r, str>,
    /// Where the row's record starts in a CSV register, in bytes (to read it again with
    /// [`read_at`]); None in a workbook.
    pub at: Option<u64>,
}

pub const REQUIRED: [&str; 7] = [
    "control",
    "evidence_id",
    "title",
    "owner",
    "effective_date",
    "status",
    "location",
];

/// Every column of the register: name, required, what it holds, an example. The template and
/// the documentation are made from this list.
pub const COLUMNS: [(&str, bool, &str, &str); 11] = [
    ("control", true, "The control, framework-qualified (framework:control). Any common spelling works: cc_6_1, 164_308_a_1_ii_a, Art. 32.", "pci-dss-4.0.1:8.3.1"),
    ("system", false, "The system in scope it is for; empty means every system in scope.", "payments"),
    ("evidence_id", true, "Your unique ID for the artefact.", "EV-0042"),
    ("title", true, "What the artefact is.", "Q3 access review - payments (signed)"),
    ("kind", false, "policy, procedure, config-export, report, screenshot, ticket, log-extract, training-record, contract...", "report"),
    ("owner", true, "Who produced or owns it.", "P. Singh (Platform)"),
    ("effective_date", true, "When it was produced or took effect (not the upload date), YYYY-MM-DD or a date cell.", "2026-09-12"),
    ("expires", false, "When it stops being valid, if it does; it still counts on that day.", "2027-09-11"),
    ("status", true, "Review status: approved, pending, rejected (a reviewer turned the document down) or draft; failed for a test or scan result that shows the control not operating (a failed check: control-failing). Only approved evidence counts.", "approved"),
    ("location", true, "Where it is stored (link or path).", "https://grc.example/ev/42"),
    ("notes", false, "Anything else; extra columns are kept and ignored.", ""),
];

/// Read a register and hand each good row to `each`. Returns the number of rows read, or every
/// problem found.
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    mut each: impl FnMut(EvidenceRow<'_>),
) -> Result<usize, Diagnostics> {
    let table = Records::open(path, sheet, b',')?;
    let columns = Columns::of(&table.header);
    table.each_row(&REQUIRED, |row, place, diags| {
        if let Some(r) = columns.row(row, place, diags) {
            each(r);
        }
    })
}

/// As [`read`], a CSV register of at least `from` bytes read in two parts at once, on two
/// threads ([`Records::each_row_parts`]): the first part's rows are given to `each` with
/// `first`, the second's with a state made by `fork`. The second part's rows come with their
/// lines counted from its start ([`Second::lines_before`] makes them the file's).
///
/// [`Second::lines_before`]: crate::table::Second::lines_before
pub fn read_parts<S: Send>(
    path: &Path,
    sheet: Option<&str>,
    from: u64,
    first: S,
    fork: impl FnOnce(&S) -> S,
    each: impl Fn(&mut S, EvidenceRow<'_>) + Sync,
) -> Result<Parts<S>, Diagnostics> {
    let table = Records::open(path, sheet, b',')?;
    let columns = Columns::of(&table.header);
    table.each_row_parts(&REQUIRED, from, first, fork, |state, row, place, diags| {
        if let Some(r) = columns.row(row, place, diags) {
            each(state, r);
        }
    })
}

/// Read again the rows of a CSV register that start at `places` (the byte and line of each, an
/// [`EvidenceRow::at`] and row of an earlier [`read`], in the register's order), each from where
/// it starts, and hand each to `each`. The rows between them are not read.
pub fn read_at(
    path: &Path,
    places: impl Iterator<Item = (u64, u64)>,
    mut each: impl FnMut(EvidenceRow<'_>),
) -> Result<usize, Diagnostics> {
    let table = Records::open(path, None, b',')?;
    let columns = Columns::of(&table.header);
    table.each_row_at(&REQUIRED, places, |row, place, diags| {
        if let Some(r) = columns.row(row, place, diags) {
            each(r);
        }
    })
}

/// The register's columns, found in its header.
struct Columns {
    control: Option<usize>,
    framework: Option<usize>,
    system: Option<usize>,
    id: Option<usize>,
    title: Option<usize>,
    owner: Option<usize>,
    effective: Option<usize>,
    expires: Option<usize>,
    status: Option<usize>,
    location: Option<usize>,
}

impl Columns {
    fn of(h: &crate::table::header::Header) -> Columns {
        Columns {
            control: h.get("control"),
            framework: h.get("framework"),
            system: h.get("system"),
            id: h.get("evidence_id"),
            title: h.get("title"),
            owner: h.get("owner"),
            effective: h.get("effective_date"),
            expires: h.get_any(&["expires", "expiry", "expiry_date", "expiration_date"]),
            status: h.get("status"),
            location: h.get("location"),
        }
    }

    /// One row, checked: every bad cell is reported to `diags` and the row is not given.
    fn row<'r>(
        &self,
        row: &'r Row,
        place: &Place<'_>,
        diags: &mut Diagnostics,
    ) -> Option<EvidenceRow<'r>> {
        let (c_control, c_framework, c_system, c_id) =
            (self.control, self.framework, self.system, self.id);
        let (c_title, c_owner, c_eff, c_exp) =
            (self.title, self.owner, self.effective, self.expires);
        let (c_status, c_loc) = (self.status, self.location);
        let mut bad = |col: Option<usize>, field: &str, code: Code, msg: String| {
            diags.push(Diagnostic::error(code, place.at(col, field), msg));
        };
        let raw_control = row.cow(c_control);
        let mut framework = row.cow(c_framework);
        let control: Cow<'_, str> = match (&raw_control, framework.is_empty()) {
            (Cow::Borrowed(raw), true) => match raw.split_once(':') {
                Some((f, c)) => {
                    framework = Cow::Borrowed(trim(f));
                    Cow::Borrowed(trim(c))
                }
                None => Cow::Borrowed(raw),
            },
            (Cow::Owned(raw), true) => match raw.split_once(':') {
                Some((f, c)) => {
                    framework = Cow::Owned(trim(f).to_string());
                    Cow::Owned(trim(c).to_string())
                }
                None => Cow::Owned(raw.clone()),
            },
            (raw, false) => raw.clone(),
        };
        if control.is_empty() {
            bad(
                c_control,
                "control",
                Code::MissingValue,
                "the control is empty".into(),
            );
        }
        let evidence_id = row.cow(c_id);
        if evidence_id.is_empty() {
            bad(
                c_id,
                "evidence_id",
                Code::MissingValue,
                "the evidence ID is empty".into(),
            );
        }
        let effective = match row.get(c_eff).date() {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                bad(
                    c_eff,
                    "effective_date",
                    Code::MissingValue,
                    "the effective date is empty".into(),
                );
                None
            }
            Err(msg) => {
                bad(c_eff, "effective_date", Code::BadDate, msg);
                None
            }
        };
        let expires = match row.get(c_exp).date() {
            Ok(d) => d,
            Err(msg) => {
                bad(c_exp, "expires", Code::BadDate, msg);
                None
            }
        };
        let status_text = row.cow(c_status);
        let status = Status::parse(&status_text);
        if status.is_none() {
            bad(
                c_status,
                "status",
                Code::BadStatus,
                format!(
                    "`{status_text}` is not a review status; expected {}",
                    Status::listed()
                ),
            );
        }
        let (Some(effective_date), Some(status)) = (effective, status) else {
            return None;
        };
        if control.is_empty() || evidence_id.is_empty() {
            return None;
        }
        Some(EvidenceRow {
            row: row.line,
            framework,
            control,
            system: row.cow(c_system),
            evidence_id,
            title: row.cow(c_title),
            owner: row.cow(c_owner),
            effective_date,
            expires,
            status,
            location: row.cow(c_loc),
            at: place.at,
        })
    }
}

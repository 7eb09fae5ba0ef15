//! Diagnostics: every problem found in a data or input file, with a stable kebab-case code
//! and the place it was found (file, line, column or sheet cell).

use std::fmt;

use serde::Serialize;

/// Where a problem was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as the user knows it (a path, or `builtin:frameworks/x.csv`).
    pub file: String,
    /// 1-based line (CSV record line, TOML line) or spreadsheet row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column (character column in TOML, field number in CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The column header (CSV) or key (TOML) when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The spreadsheet sheet, for XLSX inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    pub fn at(file: impl Into<String>, line: u64, column: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            ..Location::default()
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// Spreadsheet column letters of a 1-based column number: 1 -> A, 27 -> AA.
pub fn column_letters(mut col: u64) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = ((col - 1) % 26) as u8;
        out.push(b'A' + rem);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ": sheet {sheet}")?;
            match (self.line, self.column) {
                (Some(row), Some(col)) => write!(f, ", cell {}{row}", column_letters(col))?,
                (Some(row), None) => write!(f, ", row {row}")?,
                _ => {}
            }
            if let Some(field) = &self.field {
                write!(f, " ({field})")?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        Ok(())
    }
}

/// The code of a diagnostic: stable, kebab-case, one per kind of problem. Scripts match on the
/// code (`error[unknown-layer]: ...`), so a code is never renamed; `docs/diagnostics.md` lists
/// them all with what each means (and a test keeps that list whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A file cannot be opened or read.
    UnreadableFile,
    /// A data file is not UTF-8 text.
    NotUtf8,
    /// A table (CSV or sheet) has no header row.
    EmptyFile,
    /// A CSV record cannot be parsed (unbalanced quotes, bad bytes).
    BadCsv,
    /// A TOML file does not parse, or a key has the wrong type.
    BadToml,
    /// A JSON file does not parse.
    BadJson,
    /// A table lacks a column it needs.
    MissingColumn,
    /// No header row with the named columns was found.
    MissingHeader,
    /// A workbook has no sheet of the expected or given name.
    MissingSheet,
    /// A required cell or key is empty.
    MissingValue,
    /// An ID is not lower-case kebab-case, or is not of the expected shape.
    BadId,
    /// The ID inside a file differs from the ID its file name gives.
    IdMismatch,
    /// A date is not one `YYYY-MM-DD` (or a date cell of a workbook) from 1900 to 9999: text after it, or a time other than midnight, is refused.
    BadDate,
    /// An audit or attestation period ends before it starts.
    BadPeriod,
    /// An evidence row's status is not one srmap knows.
    BadStatus,
    /// An attestation row's kind is not one srmap knows.
    BadKind,
    /// A command-line option has a value srmap cannot use (not one of its choices, outside its range, not a date).
    BadOption,
    /// The output path cannot be used: a folder where a file is expected or the reverse, or a
    /// name whose extension is not the format written.
    BadOutput,
    /// The output path is a device, a named pipe or a socket: never replaced.
    OutputNotAFile,
    /// The output path is a symbolic link srmap will not follow.
    OutputSymlink,
    /// The output cannot be written.
    CannotWrite,
    /// A report does not fit in a workbook (Excel's row or column limit).
    XlsxLimit,
    /// A `--data` folder does not exist.
    DataDirMissing,
    /// A `--data` folder has neither `frameworks/` nor `providers/`.
    DataDirEmpty,
    /// A file or folder of a data folder cannot be read.
    DataUnreadable,
    /// What an importer would write does not pass `srmap validate`, so nothing is written.
    ImportInvalid,
    /// There is no `layers.csv`, or it defines no layer.
    NoLayers,
    /// A layer is defined (or named on a control) twice.
    DuplicateLayer,
    /// An owner is not `provider`, `customer`, `shared` or `not-applicable`.
    BadParty,
    /// A layer's `decided_by` is not `matrix` or `scope`.
    BadDecidedBy,
    /// A layer decided by the scope lacks its duty or default.
    BadScopeLayer,
    /// A layer ID is not defined in `layers.csv`.
    UnknownLayer,
    /// A matrix leaves out a layer every matrix must give.
    MissingLayer,
    /// A control names no layer.
    MissingLayers,
    /// A matrix gives an owner to a layer the scope decides (`customer-premises`).
    ScopeLayerInMatrix,
    /// A matrix gives a layer that has one fixed owner on every cloud offering another owner.
    AlwaysOwner,
    /// A feature's `values` column does not read as `default=responsibility|...`.
    BadFeatureValues,
    /// A feature is defined twice, or an offering states one feature twice.
    DuplicateFeature,
    /// A feature ID is not defined in `features.csv`.
    UnknownFeature,
    /// A control names a feature whose layer is not among the control's layers.
    FeatureOutsideLayers,
    /// A fact's default is not one of its feature's values.
    BadFeatureDefault,
    /// A fact's responsibility does not fit its default, as `features.csv` says.
    FactResponsibility,
    /// A fact gives an always-customer layer to the provider, or a part of an always-provider layer to the customer.
    FactAgainstLayer,
    /// A fact refines a layer the offering does not run.
    FactOnAbsentLayer,
    /// A named offering has neither per-service facts nor per-control rows (a warning).
    NoFacts,
    /// A fact, matrix row or published attestation does not cite its source.
    MissingSource,
    /// A fact or matrix row that gives the customer a part does not say what the customer does.
    MissingDuty,
    /// A framework header (`.toml`) has no controls file (`.csv`).
    MissingControlsFile,
    /// A controls file (`.csv`) has no framework header (`.toml`).
    MissingFrameworkHeader,
    /// A control is listed twice in a framework or in a matrix.
    DuplicateControl,
    /// A control's parent is not a control of the same framework.
    UnknownParent,
    /// A control's evidence cadence is not one srmap knows.
    UnknownCadence,
    /// A control's risk weight is not `key`, `standard` or `supporting`.
    UnknownWeight,
    /// An attestation kind is not one srmap knows.
    UnknownAttestationKind,
    /// A provider's published attestation is listed twice.
    DuplicateAttestation,
    /// A framework ID is not in the catalog.
    UnknownFramework,
    /// A control ID is not in its framework.
    UnknownControl,
    /// An offering's service model is not `onprem`, `iaas`, `paas`, `faas` or `saas`.
    UnknownModel,
    /// An offering's provider is not one the catalog knows.
    UnknownProvider,
    /// An offering ID is not in the catalog.
    UnknownOffering,
    /// An offering ID given to an importer is not `provider/service` in kebab-case.
    BadOffering,
    /// Two files define the same offering.
    DuplicateOffering,
    /// An offering's `narrows` names itself, an unknown offering, or one of another provider.
    BadNarrows,
    /// The customer's share of a control grows from one offering to one that should narrow it.
    ShareGrows,
    /// A crosswalk file's header or frameworks are wrong.
    BadCrosswalk,
    /// A crosswalk mapping's relationship is not one srmap knows.
    BadRelationship,
    /// A FIPS 199 impact level is not low, moderate or high (a scope system's `fips-199`).
    BadImpactLevel,
    /// A scope has no systems.
    NoSystems,
    /// A scope names a system twice.
    DuplicateSystem,
    /// A scope key names a system the scope does not list.
    UnknownSystem,
    /// A JSON file is not the OSCAL document an importer expects.
    NotOscal,
    /// A CSV file is not a Prowler compliance export.
    NotProwler,
    /// A CCM or CAIQ workbook gives no ownership answer at all.
    NoOwnershipAnswers,
    /// A CCM or CAIQ workbook names a release srmap does not know; it is read with the v4.0 column rules (a warning).
    UnknownCcmVersion,
    /// A CCM or CAIQ workbook names no release in its title; it is read with the v4.0 column rules (a warning).
    NoCcmVersion,
    /// A control's `applies_to` names a condition `frameworks/applicability.csv` does not define for its framework.
    UnknownApplicability,
    /// A row of `frameworks/applicability.csv` is malformed or repeated, or a scope's `[applicability.<framework>]` gives a setting or value that file does not define for the framework, or a value of the wrong type.
    BadApplicability,
    /// A scope's `[[exclude]]` gives no reason: every exclusion needs a justification an auditor can read.
    ExclusionWithoutReason,
    /// A scope's `[[exclude]]` names a control that cannot be excluded (ISO 27001 clauses 4-10, the management system itself).
    ExclusionNotAllowed,
    /// A scope's `[[exclude]]` names a framework that no system it applies to is assessed against.
    ExclusionOutOfScope,
    /// A control names an evidence artefact that `frameworks/pbc/artefacts.csv` does not define.
    UnknownArtefact,
    /// An evidence artefact is defined twice in `frameworks/pbc/artefacts.csv`.
    DuplicateArtefact,
    /// An evidence artefact's request text is too long to stay readable in one cell of the PBC list.
    RequestTooLong,
    /// A number in an input file is outside the range srmap accepts (the message gives the range).
    OutOfRange,
    /// An attestation row lists an offering of another provider than its own.
    ForeignOffering,
    /// A crosswalk maps the same two controls twice: a warning when the rows agree, an error when their relationships differ.
    DuplicateMapping,
    /// A workbook is over one of srmap's limits: its decompressed size, its parts, its shared strings, the text of a sheet, or the XML of one cell (`docs/reliability.md`).
    WorkbookTooLarge,
    /// A workbook has a cell beyond Excel's last row (1,048,576) or column (XFD).
    CellOutOfRange,
    /// A workbook cell holds more than Excel's 32,767 characters.
    CellTooLong,
    /// A cell of a CSV file or workbook holds a control character (NUL, escape, the C1 characters); tabs and line breaks are text.
    ControlCharacter,
    /// A workbook cell that srmap reads holds a formula's error value (`#REF!`, `#N/A`, ...).
    ErrorCell,
    /// A header names the same column twice (as normalised: `Status` and `status` are one name).
    DuplicateColumn,
    /// A row has a value in a column its header does not name (beyond the header's last column, or under an empty header cell).
    CellBeyondHeader,
    /// A register sheet has merged cells (all but the first cell of a merged area would read as empty).
    MergedCells,
    /// A file has so many problems that srmap stopped reading it after listing the first 1,000.
    TooManyProblems,
}

impl Code {
    /// Every code, in the order of `docs/diagnostics.md`.
    pub const ALL: [Code; 95] = [
        Code::UnreadableFile,
        Code::NotUtf8,
        Code::EmptyFile,
        Code::BadCsv,
        Code::BadToml,
        Code::BadJson,
        Code::MissingColumn,
        Code::MissingHeader,
        Code::MissingSheet,
        Code::MissingValue,
        Code::BadId,
        Code::IdMismatch,
        Code::BadDate,
        Code::BadPeriod,
        Code::BadStatus,
        Code::BadKind,
        Code::BadOption,
        Code::BadOutput,
        Code::OutputNotAFile,
        Code::OutputSymlink,
        Code::CannotWrite,
        Code::XlsxLimit,
        Code::DataDirMissing,
        Code::DataDirEmpty,
        Code::DataUnreadable,
        Code::ImportInvalid,
        Code::NoLayers,
        Code::DuplicateLayer,
        Code::BadParty,
        Code::BadDecidedBy,
        Code::BadScopeLayer,
        Code::UnknownLayer,
        Code::MissingLayer,
        Code::MissingLayers,
        Code::ScopeLayerInMatrix,
        Code::AlwaysOwner,
        Code::BadFeatureValues,
        Code::DuplicateFeature,
        Code::UnknownFeature,
        Code::FeatureOutsideLayers,
        Code::BadFeatureDefault,
        Code::FactResponsibility,
        Code::FactAgainstLayer,
        Code::FactOnAbsentLayer,
        Code::NoFacts,
        Code::MissingSource,
        Code::MissingDuty,
        Code::MissingControlsFile,
        Code::MissingFrameworkHeader,
        Code::DuplicateControl,
        Code::UnknownParent,
        Code::UnknownCadence,
        Code::UnknownWeight,
        Code::UnknownAttestationKind,
        Code::DuplicateAttestation,
        Code::UnknownFramework,
        Code::UnknownControl,
        Code::UnknownModel,
        Code::UnknownProvider,
        Code::UnknownOffering,
        Code::BadOffering,
        Code::DuplicateOffering,
        Code::BadNarrows,
        Code::ShareGrows,
        Code::BadCrosswalk,
        Code::BadRelationship,
        Code::BadImpactLevel,
        Code::NoSystems,
        Code::DuplicateSystem,
        Code::UnknownSystem,
        Code::NotOscal,
        Code::NotProwler,
        Code::NoOwnershipAnswers,
        Code::UnknownCcmVersion,
        Code::NoCcmVersion,
        Code::UnknownApplicability,
        Code::BadApplicability,
        Code::ExclusionWithoutReason,
        Code::ExclusionNotAllowed,
        Code::ExclusionOutOfScope,
        Code::UnknownArtefact,
        Code::DuplicateArtefact,
        Code::RequestTooLong,
        Code::OutOfRange,
        Code::ForeignOffering,
        Code::DuplicateMapping,
        Code::WorkbookTooLarge,
        Code::CellOutOfRange,
        Code::CellTooLong,
        Code::ControlCharacter,
        Code::ErrorCell,
        Code::DuplicateColumn,
        Code::CellBeyondHeader,
        Code::MergedCells,
        Code::TooManyProblems,
    ];

    /// The kebab-case code, as printed (`error[<code>]`) and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnreadableFile => "unreadable-file",
            Code::NotUtf8 => "not-utf8",
            Code::EmptyFile => "empty-file",
            Code::BadCsv => "bad-csv",
            Code::BadToml => "bad-toml",
            Code::BadJson => "bad-json",
            Code::MissingColumn => "missing-column",
            Code::MissingHeader => "missing-header",
            Code::MissingSheet => "missing-sheet",
            Code::MissingValue => "missing-value",
            Code::BadId => "bad-id",
            Code::IdMismatch => "id-mismatch",
            Code::BadDate => "bad-date",
            Code::BadPeriod => "bad-period",
            Code::BadStatus => "bad-status",
            Code::BadKind => "bad-kind",
            Code::BadOption => "bad-option",
            Code::BadOutput => "bad-output",
            Code::OutputNotAFile => "output-not-a-file",
            Code::OutputSymlink => "output-symlink",
            Code::CannotWrite => "cannot-write",
            Code::XlsxLimit => "xlsx-limit",
            Code::DataDirMissing => "data-dir-missing",
            Code::DataDirEmpty => "data-dir-empty",
            Code::DataUnreadable => "data-unreadable",
            Code::ImportInvalid => "import-invalid",
            Code::NoLayers => "no-layers",
            Code::DuplicateLayer => "duplicate-layer",
            Code::BadParty => "bad-party",
            Code::BadDecidedBy => "bad-decided-by",
            Code::BadScopeLayer => "bad-scope-layer",
            Code::UnknownLayer => "unknown-layer",
            Code::MissingLayer => "missing-layer",
            Code::MissingLayers => "missing-layers",
            Code::ScopeLayerInMatrix => "scope-layer-in-matrix",
            Code::AlwaysOwner => "always-owner",
            Code::BadFeatureValues => "bad-feature-values",
            Code::DuplicateFeature => "duplicate-feature",
            Code::UnknownFeature => "unknown-feature",
            Code::FeatureOutsideLayers => "feature-outside-layers",
            Code::BadFeatureDefault => "bad-feature-default",
            Code::FactResponsibility => "fact-responsibility",
            Code::FactAgainstLayer => "fact-against-layer",
            Code::FactOnAbsentLayer => "fact-on-absent-layer",
            Code::NoFacts => "no-facts",
            Code::MissingSource => "missing-source",
            Code::MissingDuty => "missing-duty",
            Code::MissingControlsFile => "missing-controls-file",
            Code::MissingFrameworkHeader => "missing-framework-header",
            Code::DuplicateControl => "duplicate-control",
            Code::UnknownParent => "unknown-parent",
            Code::UnknownCadence => "unknown-cadence",
            Code::UnknownWeight => "unknown-weight",
            Code::UnknownAttestationKind => "unknown-attestation-kind",
            Code::DuplicateAttestation => "duplicate-attestation",
            Code::UnknownFramework => "unknown-framework",
            Code::UnknownControl => "unknown-control",
            Code::UnknownModel => "unknown-model",
            Code::UnknownProvider => "unknown-provider",
            Code::UnknownOffering => "unknown-offering",
            Code::BadOffering => "bad-offering",
            Code::DuplicateOffering => "duplicate-offering",
            Code::BadNarrows => "bad-narrows",
            Code::ShareGrows => "share-grows",
            Code::BadCrosswalk => "bad-crosswalk",
            Code::BadRelationship => "bad-relationship",
            Code::BadImpactLevel => "bad-impact-level",
            Code::NoSystems => "no-systems",
            Code::DuplicateSystem => "duplicate-system",
            Code::UnknownSystem => "unknown-system",
            Code::NotOscal => "not-oscal",
            Code::NotProwler => "not-prowler",
            Code::NoOwnershipAnswers => "no-ownership-answers",
            Code::UnknownCcmVersion => "unknown-ccm-version",
            Code::NoCcmVersion => "no-ccm-version",
            Code::UnknownApplicability => "unknown-applicability",
            Code::BadApplicability => "bad-applicability",
            Code::ExclusionWithoutReason => "exclusion-without-reason",
            Code::ExclusionNotAllowed => "exclusion-not-allowed",
            Code::ExclusionOutOfScope => "exclusion-out-of-scope",
            Code::UnknownArtefact => "unknown-artefact",
            Code::DuplicateArtefact => "duplicate-artefact",
            Code::RequestTooLong => "request-too-long",
            Code::OutOfRange => "out-of-range",
            Code::ForeignOffering => "foreign-offering",
            Code::DuplicateMapping => "duplicate-mapping",
            Code::WorkbookTooLarge => "workbook-too-large",
            Code::CellOutOfRange => "cell-out-of-range",
            Code::CellTooLong => "cell-too-long",
            Code::ControlCharacter => "control-character",
            Code::ErrorCell => "error-cell",
            Code::DuplicateColumn => "duplicate-column",
            Code::CellBeyondHeader => "cell-beyond-header",
            Code::MergedCells => "merged-cells",
            Code::TooManyProblems => "too-many-problems",
        }
    }

    /// What the code means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::UnreadableFile => "A file cannot be opened or read.",
            Code::NotUtf8 => "A data file is not UTF-8 text.",
            Code::EmptyFile => "A table (CSV or sheet) has no header row.",
            Code::BadCsv => "A CSV record cannot be parsed (unbalanced quotes, bad bytes).",
            Code::BadToml => "A TOML file does not parse, or a key has the wrong type.",
            Code::BadJson => "A JSON file does not parse.",
            Code::MissingColumn => "A table lacks a column it needs.",
            Code::MissingHeader => "The header row named with `--header-row` is not in the file.",
            Code::MissingSheet => "A workbook has no sheet of the expected or given name.",
            Code::MissingValue => "A required cell or key is empty.",
            Code::BadId => "An ID is not of the allowed shape (lower-case kebab-case; framework IDs may have dots).",
            Code::IdMismatch => "The ID inside a file differs from the ID its file name gives.",
            Code::BadDate => "A date is not one `YYYY-MM-DD` (or a date cell of a workbook) from 1900 to 9999: text after it, or a time other than midnight, is refused.",
            Code::BadPeriod => "An audit or attestation period ends before it starts.",
            Code::BadStatus => "An evidence row's status is not one srmap knows.",
            Code::BadKind => "An attestation row's kind is not one srmap knows.",
            Code::BadOption => "A command-line option has a value srmap cannot use (not one of its choices, outside its range, not a date).",
            Code::BadOutput => "The output path cannot be used: a folder where a file is expected or the reverse (a file where an importer's data folder is expected), or a name whose extension is not the format written.",
            Code::OutputNotAFile => "The output path (`-o`) is a device, a named pipe (FIFO) or a socket, itself or through a symbolic link: srmap writes a new file and renames it into place, and never replaces one of these (use `-o -` and redirect standard output to write into a pipe or device).",
            Code::OutputSymlink => "The output path is a symbolic link srmap will not follow: it points at nothing, or it sits in a folder anyone can write to (such as /tmp) and belongs to another user. A link to a regular file elsewhere is followed, and srmap says so.",
            Code::CannotWrite => "The output cannot be written (a missing folder, no permission, a full disk, a standard output that fails); nothing is left at the output path.",
            Code::XlsxLimit => "A report does not fit in a workbook: a sheet would need more than Excel's 1,048,576 rows or 16,384 columns. Write it as CSV or JSON.",
            Code::DataDirMissing => "A `--data` folder does not exist.",
            Code::DataDirEmpty => "A `--data` folder has neither `frameworks/` nor `providers/`.",
            Code::DataUnreadable => "A file or folder of a data folder cannot be read.",
            Code::ImportInvalid => "What an importer would write does not pass `srmap validate`, so nothing is written.",
            Code::NoLayers => "There is no `layers.csv`, or it defines no layer.",
            Code::DuplicateLayer => "A layer is defined (or named on a control) twice.",
            Code::BadParty => "An owner is not `provider`, `customer`, `shared` or `not-applicable`.",
            Code::BadDecidedBy => "A layer's `decided_by` is not `offering`, `scope` or empty.",
            Code::BadScopeLayer => "A layer decided by the scope is not always the customer's, or does not give the customer's duty.",
            Code::UnknownLayer => "A layer ID is not defined in `layers.csv`.",
            Code::MissingLayer => "A matrix does not say who owns one of the layers.",
            Code::MissingLayers => "A control names no layer.",
            Code::ScopeLayerInMatrix => "A matrix gives an owner to a layer the scope decides (`customer-premises`).",
            Code::AlwaysOwner => "A matrix gives a layer that has one fixed owner on every cloud offering another owner.",
            Code::BadFeatureValues => "A feature's `values` column does not read as `default=responsibility|...`.",
            Code::DuplicateFeature => "A feature is defined twice, or an offering states one feature twice.",
            Code::UnknownFeature => "A feature ID is not defined in `features.csv`.",
            Code::FeatureOutsideLayers => "A control names a feature whose layer is not among the control's layers.",
            Code::BadFeatureDefault => "A fact's default is not one of its feature's values.",
            Code::FactResponsibility => "A fact's responsibility does not fit its default, as `features.csv` says.",
            Code::FactAgainstLayer => "A fact gives an always-customer layer to the provider, or a part of an always-provider layer to the customer.",
            Code::FactOnAbsentLayer => "A fact gives a part of a layer that is not-applicable on the offering.",
            Code::NoFacts => "A named offering has neither per-service facts nor per-control rows (a warning).",
            Code::MissingSource => "A fact, matrix row or published attestation does not cite its source.",
            Code::MissingDuty => "A fact or matrix row that gives the customer a part does not say what the customer does.",
            Code::MissingControlsFile => "A framework header (`.toml`) has no controls file (`.csv`).",
            Code::MissingFrameworkHeader => "A controls file (`.csv`) has no framework header (`.toml`).",
            Code::DuplicateControl => "A control is listed twice in a framework or in a matrix.",
            Code::UnknownParent => "A control's parent is not a control of the same framework.",
            Code::UnknownCadence => "A control's evidence cadence is not one srmap knows.",
            Code::UnknownWeight => {
                "A control's risk weight is not `key`, `standard` or `supporting`."
            }
            Code::UnknownAttestationKind => "An attestation kind is not one srmap knows.",
            Code::DuplicateAttestation => "A provider's published attestation is listed twice.",
            Code::UnknownFramework => "A framework ID is not in the catalog.",
            Code::UnknownControl => "A control ID is not in its framework.",
            Code::UnknownModel => "An offering's service model is not `onprem`, `iaas`, `paas`, `faas` or `saas`.",
            Code::UnknownProvider => "A published attestation names a provider that no offering has (a warning).",
            Code::UnknownOffering => "An offering ID is not in the catalog.",
            Code::BadOffering => "An offering ID given to (or made by) an importer is not `provider/service` in kebab-case.",
            Code::DuplicateOffering => "Two files define the same offering.",
            Code::BadNarrows => "An offering's `narrows` names the offering itself.",
            Code::ShareGrows => "The customer's share of a control grows from one offering to one that should narrow it.",
            Code::BadCrosswalk => "A crosswalk file's header or frameworks are wrong.",
            Code::BadRelationship => "A crosswalk mapping's relationship is not one srmap knows.",
            Code::BadImpactLevel => "A FIPS 199 impact level is not low, moderate or high (a scope system's `fips-199`).",
            Code::NoSystems => "A scope has no systems.",
            Code::DuplicateSystem => "A scope names a system twice.",
            Code::UnknownSystem => "A scope key names a system the scope does not list.",
            Code::NotOscal => "A JSON file is not the OSCAL document an importer expects.",
            Code::NotProwler => "A CSV file is not a Prowler compliance export.",
            Code::NoOwnershipAnswers => "A CCM or CAIQ workbook gives no ownership answer at all.",
            Code::UnknownCcmVersion => "A CCM or CAIQ workbook names a release srmap does not know; it is read with the v4.0 column rules (a warning).",
            Code::NoCcmVersion => "A CCM or CAIQ workbook names no release in its title; it is read with the v4.0 column rules (a warning).",
            Code::UnknownApplicability => "A control's `applies_to` names a condition `frameworks/applicability.csv` does not define for its framework.",
            Code::BadApplicability => "A row of `frameworks/applicability.csv` is malformed or repeated, or a scope's `[applicability.<framework>]` gives a setting or value that file does not define for the framework, or a value of the wrong type.",
            Code::ExclusionWithoutReason => "A scope's `[[exclude]]` gives no reason: every exclusion needs a justification an auditor can read.",
            Code::ExclusionNotAllowed => "A scope's `[[exclude]]` names a control that cannot be excluded (ISO 27001 clauses 4-10, the management system itself).",
            Code::ExclusionOutOfScope => "A scope's `[[exclude]]` names a framework that no system it applies to is assessed against.",
            Code::UnknownArtefact => "A control names an evidence artefact that `frameworks/pbc/artefacts.csv` does not define.",
            Code::DuplicateArtefact => "An evidence artefact is defined twice in `frameworks/pbc/artefacts.csv`.",
            Code::RequestTooLong => "An evidence artefact's request text is too long to stay readable in one cell of the PBC list.",
            Code::OutOfRange => "A number in an input file is outside the range srmap accepts (the message gives the range).",
            Code::ForeignOffering => "An attestation row lists an offering of another provider than its own.",
            Code::DuplicateMapping => "A crosswalk maps the same two controls twice: a warning when the rows agree, an error when their relationships differ.",
            Code::WorkbookTooLarge => "A workbook is over one of srmap's limits: its decompressed size, its parts, its shared strings, the text of a sheet, or the XML of one cell (`docs/reliability.md`).",
            Code::CellOutOfRange => "A workbook has a cell beyond Excel's last row (1,048,576) or column (XFD).",
            Code::CellTooLong => "A workbook cell holds more than Excel's 32,767 characters.",
            Code::ControlCharacter => "A cell of a CSV file or workbook holds a control character (NUL, escape, the C1 characters); tabs and line breaks are text.",
            Code::ErrorCell => "A workbook cell that srmap reads holds a formula's error value (`#REF!`, `#N/A`, ...).",
            Code::DuplicateColumn => "A header names the same column twice (as normalised: `Status` and `status` are one name).",
            Code::CellBeyondHeader => "A row has a value in a column its header does not name (beyond the header's last column, or under an empty header cell).",
            Code::MergedCells => "A register sheet has merged cells (all but the first cell of a merged area would read as empty).",
            Code::TooManyProblems => "A file has so many problems that srmap stopped reading it after listing the first 1,000.",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            location,
            message: message.into(),
        }
    }

    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Warning,
            location,
            message: message.into(),
        }
    }
}

/// A diagnostic can travel inside an `io::Error` (a renderer's own error, such as a workbook
/// limit), to be reported with its code and place.
impl std::error::Error for Diagnostic {}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// A set of problems, reported together. Used as the error of every loader.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_count(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn render_count(list: &[Diagnostic]) -> String {
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    format!("{errors} error{} found", if errors == 1 { "" } else { "s" })
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sort by file, then line, so reports read top to bottom.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (
                &a.location.file,
                a.location.line,
                a.location.column,
                a.code.as_str(),
            )
                .cmp(&(
                    &b.location.file,
                    b.location.line,
                    b.location.column,
                    b.code.as_str(),
                ))
        });
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() as u64 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 11), (2, 6));
    }

    #[test]
    fn sheet_locations_name_the_cell() {
        let mut at = Location::at("ev.xlsx", 12, 3).with_field("effective_date");
        at.sheet = Some("Evidence".into());
        assert_eq!(
            at.to_string(),
            "ev.xlsx: sheet Evidence, cell C12 (effective_date)"
        );
        assert_eq!(column_letters(27), "AA");
    }

    #[test]
    fn display_has_code_and_place() {
        let d = Diagnostic::error(
            Code::UnknownLayer,
            Location::at("frameworks/x.csv", 4, 6).with_field("layers"),
            "layer `dat` is not defined",
        );
        assert_eq!(
            d.to_string(),
            "error[unknown-layer]: frameworks/x.csv:4:6 (layers): layer `dat` is not defined"
        );
    }

    #[test]
    fn codes_are_unique_kebab_case_and_all_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "`{s}` is spelled twice");
            assert!(
                !s.is_empty()
                    && s.split('-').all(|w| !w.is_empty()
                        && w.chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())),
                "`{s}` is not kebab-case"
            );
            assert!(!c.meaning().is_empty());
        }
        // ALL lists every variant: as many entries as the enum has variants.
        let src = include_str!("diagnostic.rs");
        let body = &src[src.find("pub enum Code {").unwrap()..];
        let body = &body[..body.find("\n}").unwrap()];
        let variants = body
            .lines()
            .filter(|l| l.trim_end().ends_with(',') && !l.trim_start().starts_with("///"))
            .count();
        assert_eq!(variants, Code::ALL.len(), "Code::ALL misses a variant");
        // docs/diagnostics.md has exactly these rows, in this order.
        let doc = include_str!("../docs/diagnostics.md");
        let table = &doc[doc.find("<!-- codes -->").unwrap()..doc.find("<!-- /codes -->").unwrap()];
        let rows: Vec<String> = table
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(str::to_string)
            .collect();
        let expected: Vec<String> = Code::ALL
            .iter()
            .map(|c| format!("| `{c}` | {} |", c.meaning()))
            .collect();
        assert_eq!(rows, expected, "docs/diagnostics.md differs from Code");
    }
}

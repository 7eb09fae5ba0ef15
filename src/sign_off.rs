//! Who prepared, reviewed and approved a report, and its version: the scope's `[report]`
//! section, printed on the gap report's cover as a sign-off block.

use jiff::civil::Date;
use serde::Serialize;

/// One signature line: a role, the person, and the day they signed (if the scope says).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub name: String,
    pub on: Option<Date>,
}

/// The report's version and its sign-off. Empty names leave a line to sign by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignOff {
    /// The report's version as the organisation numbers it (`1.0`, `Q3 draft`); empty: none.
    pub version: String,
    pub prepared: Signature,
    pub reviewed: Signature,
    pub approved: Signature,
}

impl SignOff {
    /// The three lines in order: (role, signature).
    pub fn lines(&self) -> [(&'static str, &Signature); 3] {
        [
            ("Prepared by", &self.prepared),
            ("Reviewed by", &self.reviewed),
            ("Approved by", &self.approved),
        ]
    }
}

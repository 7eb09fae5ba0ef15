//! The CCM v4 sheet `Scope Applicability (Mappings)` -> crosswalks from `csa-ccm-4` to the
//! frameworks srmap has a catalog for.
//!
//! After `Control Domain, Control Title, Control ID, Control Specification` the sheet has three
//! columns per framework (`Control Mapping`, `Gap Level`, `Addendum`) under a row naming the
//! framework. Only IDs and gap levels are read: the addendum text is the CSA's and stays in the
//! user's workbook.
//!
//! CSA's gap level says how far the target framework's mapped controls meet the CCM control
//! (its addenda are what an organisation meeting the target must add to meet the CCM):
//!
//! - `No Gap`: the mapped controls meet the CCM control. With one mapped control the pair is
//!   `subset` (the CCM control is contained in it); with several, they meet it together, not
//!   each alone, so each pair is `intersect`.
//! - `Partial Gap`: `intersect`.
//! - `Full Gap`: the target does not meet the CCM control: no pair, so no owner is carried.

use indexmap::IndexMap;

use crate::catalog::Catalog;
use crate::crosswalk::Relationship;
use crate::diagnostic::{column_letters, Location};
use crate::framework::Framework;
use crate::import::data_dir::{CrosswalkDraft, FrameworkDraft};
use crate::import::ImportReport;
use crate::table::normalize;
use crate::table::{Row, Table};

use super::{parse_id, FRAMEWORK};

/// The sheet's name in the CCM v4 workbook.
pub const SHEET: &str = "Scope Applicability (Mappings)";

/// How a framework's mapping cells write their IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// IDs as the framework writes them (`CC6.1`, `AC-2(1)`, `8.3.1`).
    Plain,
    /// `27001: 9.2` (a clause or Annex A control of ISO/IEC 27001) or `27002: 5.15` (an ISO/IEC
    /// 27002 control, numbered as the Annex A control of 27001 it describes).
    Iso,
}

/// The srmap framework a mapping header names, if srmap has a catalog for it.
fn target(header: &str) -> Option<(&'static str, Dialect)> {
    let n = format!(" {} ", normalize(header));
    let has = |w: &str| n.contains(&format!(" {w} "));
    if (has("aicpa") || has("tsc") || n.contains(" trust services ")) && has("2017") {
        return Some(("soc2-2017", Dialect::Plain));
    }
    if (has("27001") || has("27002")) && has("2022") {
        return Some(("iso27001-2022", Dialect::Iso));
    }
    if n.contains(" 800 53 ")
        && (n.contains(" rev 5 ") || n.contains(" revision 5 ") || has("r5") || has("rev5"))
    {
        return Some(("nist-800-53-r5", Dialect::Plain));
    }
    // v4.0 and v4.0.1 number their requirements the same way.
    if has("pci") && (n.contains(" v4 0 ") || n.contains(" 4 0 ")) {
        return Some(("pci-dss-4.0.1", Dialect::Plain));
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    None,
    Partial,
    Full,
}

fn gap(value: &str) -> Option<Gap> {
    match normalize(value).as_str() {
        "no gap" | "none" => Some(Gap::None),
        "partial gap" | "partial" => Some(Gap::Partial),
        "full gap" | "full" => Some(Gap::Full),
        _ => None,
    }
}

/// One framework's three columns.
pub struct Block {
    /// The framework's name over the block, as written.
    pub header: String,
    /// The `Control Mapping` column.
    pub mapping: usize,
    /// The `Gap Level` column.
    pub gap: Option<usize>,
}

/// What one target's crosswalk got, for the `note:` line.
#[derive(Default)]
struct Tally {
    headers: Vec<String>,
    /// CCM controls with at least one pair.
    rows: usize,
    full_gap: usize,
    no_mapping: usize,
    from_27002: usize,
}

fn is_no_mapping(s: &str) -> bool {
    matches!(
        normalize(s).as_str(),
        "no mapping" | "not mapped" | "n a" | "na"
    )
}

/// The IDs of a mapping cell: one a line (commas and semicolons also separate).
fn items(cell: &str) -> Vec<&str> {
    cell.split(['\n', '\r', ';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty() && !is_no_mapping(s))
        .collect()
}

/// Resolve one ID of a mapping cell in the target framework.
fn resolve(fw: &Framework, dialect: Dialect, item: &str) -> Result<(String, bool), String> {
    if dialect == Dialect::Iso {
        if let Some((left, right)) = item.split_once(':') {
            let std = normalize(left);
            let right = right.trim();
            if std.ends_with("27002") {
                // A 27002:2022 control is the Annex A control of 27001:2022 with that number.
                let bare = right
                    .strip_prefix("A.")
                    .or_else(|| right.strip_prefix("a."))
                    .unwrap_or(right);
                return match fw.resolve(&format!("A.{bare}")) {
                    Ok(c) if c.id.starts_with("A.") => Ok((c.id.clone(), true)),
                    _ => Err(format!(
                        "`{item}` is not an Annex A control of {} (27002 controls are read as the Annex A control with the same number)",
                        fw.id
                    )),
                };
            }
            if std.ends_with("27001") {
                return fw
                    .resolve(right)
                    .map(|c| (c.id.clone(), false))
                    .map_err(|why| fw.unresolved_message(item, &why));
            }
        }
    }
    fw.resolve(item)
        .map(|c| (c.id.clone(), false))
        .map_err(|why| fw.unresolved_message(item, &why))
}

/// Find the header row (`Control ID` and at least one `Control Mapping`), its framework blocks
/// and the row above naming the frameworks.
fn layout(grid: &Table) -> Option<(usize, usize, Vec<Block>)> {
    for (i, row) in grid.rows.iter().take(15).enumerate() {
        let Some(id) = row.find(|s| s == "control id") else {
            continue;
        };
        let maps: Vec<usize> = (0..row.cells.len())
            .filter(|c| normalize(&row.text(*c)) == "control mapping")
            .collect();
        if maps.is_empty() {
            continue;
        }
        // The nearest row above with something over the mapping columns names the frameworks.
        let names: Option<&Row> = grid.rows[..i]
            .iter()
            .rev()
            .find(|r| (maps[0]..r.cells.len()).any(|c| !r.text(c).is_empty()));
        let mut blocks = Vec::new();
        for (k, &m) in maps.iter().enumerate() {
            let end = maps.get(k + 1).copied().unwrap_or(usize::MAX);
            let start = if k == 0 { id + 1 } else { maps[k - 1] + 1 };
            let header = names
                .and_then(|r| {
                    // A merged heading sits over its first column, or starts before it.
                    (m..end.min(m + 3))
                        .map(|c| r.text(c))
                        .find(|t| !t.is_empty())
                        .or_else(|| (start..m).rev().map(|c| r.text(c)).find(|t| !t.is_empty()))
                })
                .unwrap_or_default();
            let gap = (m + 1..end.min(row.cells.len()))
                .find(|c| normalize(&row.text(*c)).starts_with("gap level"));
            blocks.push(Block {
                header,
                mapping: m,
                gap,
            });
        }
        return Some((i, id, blocks));
    }
    None
}

/// What the mappings sheet says: the framework over each block of mapping columns and, per
/// control row, each block's mapping cell and gap level.
pub struct Mappings {
    /// The sheet's name.
    pub sheet: String,
    /// The blocks in column order; none when the sheet has no header with Control ID and
    /// Control Mapping columns.
    pub blocks: Vec<Block>,
    /// The rows with a Control ID (not domain banners nor blank rows), in the sheet's order.
    pub rows: Vec<MappingRow>,
}

/// A control row of the mappings sheet, as written.
pub struct MappingRow {
    pub at: Location,
    /// The Control ID.
    pub id: String,
    /// Per block: the mapping cell and the gap level.
    pub cells: Vec<(String, String)>,
}

/// Read the mappings sheet into what it says, as written.
pub fn read(grid: &Table) -> Mappings {
    let sheet = grid.sheet.clone().unwrap_or_default();
    let Some((header, id_col, blocks)) = layout(grid) else {
        return Mappings {
            sheet,
            blocks: Vec::new(),
            rows: Vec::new(),
        };
    };
    let rows = grid
        .rows
        .iter()
        .skip(header + 1)
        .filter(|row| !row.text(id_col).is_empty())
        .map(|row| MappingRow {
            at: grid.at(row.line),
            id: row.text(id_col),
            cells: blocks
                .iter()
                .map(|b| {
                    let level = b.gap.map(|c| row.text(c)).unwrap_or_default();
                    (row.text(b.mapping), level)
                })
                .collect(),
        })
        .collect();
    Mappings {
        sheet,
        blocks,
        rows,
    }
}

/// A block whose framework srmap has a catalog for.
struct Target<'c> {
    /// The block's place among the sheet's blocks (and each row's cells).
    block: usize,
    framework: &'c Framework,
    dialect: Dialect,
}

/// One target framework's crosswalk and what it got.
struct Walk {
    draft: CrosswalkDraft,
    tally: Tally,
}

/// Crosswalks from `fw` (the CCM framework as imported) to each framework srmap has a catalog
/// for. Unresolved IDs and unknown gap levels are reported as skipped rows; framework columns
/// srmap has no catalog for get one `note:`, and each crosswalk one more.
pub fn crosswalks(
    mappings: &Mappings,
    catalog: &Catalog,
    fw: &FrameworkDraft,
    report: &mut ImportReport,
) -> Vec<CrosswalkDraft> {
    if mappings.blocks.is_empty() {
        report.notes.push(format!(
            "sheet {} has no header with Control ID and Control Mapping columns in its first 15 rows: no crosswalks written",
            mappings.sheet
        ));
        return Vec::new();
    }
    let targets = targets(mappings, catalog, report);
    if targets.is_empty() {
        return Vec::new();
    }
    let mut walks = walks(mappings, &targets);
    let mut seen: Vec<String> = Vec::new();
    for row in &mappings.rows {
        report.read += 1;
        let id = match mapped_control(&row.id, fw, &seen) {
            Ok(id) => id,
            Err(why) => {
                report.skip(row.at.clone(), why);
                continue;
            }
        };
        seen.push(id.clone());
        let mut problems: Vec<String> = Vec::new();
        for t in &targets {
            let walk = walks
                .get_mut(&t.framework.id)
                .expect("a crosswalk per target");
            walk.add_cell(&id, &row.cells[t.block], t, &mut problems);
        }
        if problems.is_empty() {
            report.imported += 1;
        } else {
            report.skip(
                row.at.clone(),
                format!(
                    "{} (the row's other mappings are written)",
                    problems.join("; ")
                ),
            );
        }
    }
    for walk in walks.values() {
        report.notes.push(walk.note());
    }
    walks
        .into_values()
        .map(|w| w.draft)
        .filter(|cw| !cw.pairs.is_empty())
        .collect()
}

/// The blocks whose framework srmap has a catalog for; the others are noted.
fn targets<'c>(
    mappings: &Mappings,
    catalog: &'c Catalog,
    report: &mut ImportReport,
) -> Vec<Target<'c>> {
    let mut known: Vec<Target> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (block, b) in mappings.blocks.iter().enumerate() {
        let hit = target(&b.header).and_then(|(id, d)| catalog.framework_by_id(id).map(|f| (f, d)));
        match hit {
            Some((framework, dialect)) => known.push(Target {
                block,
                framework,
                dialect,
            }),
            None if b.header.is_empty() => unknown.push(format!(
                "(no framework named above column {})",
                column_letters(b.mapping as u64 + 1)
            )),
            None => unknown.push(format!("`{}`", b.header)),
        }
    }
    if !unknown.is_empty() {
        report.notes.push(format!(
            "sheet {}: mapping columns of frameworks srmap has no catalog for were left out: {}",
            mappings.sheet,
            unknown.join(", ")
        ));
    }
    known
}

/// An empty crosswalk per target framework (two blocks may name the same one), in block order.
fn walks(mappings: &Mappings, targets: &[Target]) -> IndexMap<String, Walk> {
    let mut walks: IndexMap<String, Walk> = IndexMap::new();
    for t in targets {
        let to = &t.framework.id;
        let walk = walks.entry(to.clone()).or_insert_with(|| Walk {
            draft: CrosswalkDraft {
                from: FRAMEWORK.into(),
                to: to.clone(),
                pairs: Vec::new(),
            },
            tally: Tally::default(),
        });
        walk.tally
            .headers
            .push(mappings.blocks[t.block].header.clone());
    }
    walks
}

/// The CCM control a row maps, or why its mappings are left out: not a CCM ID, not a control
/// of `fw` as imported, or `seen` on an earlier row.
fn mapped_control(raw: &str, fw: &FrameworkDraft, seen: &[String]) -> Result<String, String> {
    let Some((id, _)) = parse_id(raw) else {
        return Err(format!("`{raw}` is not a CCM v4 control ID"));
    };
    if fw.control(&id).is_none() {
        return Err(format!(
            "{id} is not a control of {FRAMEWORK} as imported: its mappings are left out"
        ));
    }
    if seen.contains(&id) {
        return Err(format!("{id} is listed twice; the first row is kept"));
    }
    Ok(id)
}

impl Walk {
    /// Add the pairs of CCM control `id` that one mapping cell and its gap level give; what
    /// cannot be read goes to `problems`.
    fn add_cell(
        &mut self,
        id: &str,
        (cell, level_text): &(String, String),
        target: &Target,
        problems: &mut Vec<String>,
    ) {
        let f = target.framework;
        let ids = items(cell);
        if ids.is_empty() {
            self.tally.no_mapping += 1;
            return;
        }
        let Some(level) = gap(level_text) else {
            problems.push(format!(
                "{}: {}; its mappings are left out",
                f.id,
                if level_text.is_empty() {
                    "no gap level".to_string()
                } else {
                    format!("gap level `{level_text}` is not No Gap, Partial Gap or Full Gap")
                }
            ));
            return;
        };
        if level == Gap::Full {
            self.tally.full_gap += 1;
            return;
        }
        let mut controls: Vec<String> = Vec::new();
        let mut unresolved = 0;
        for item in ids {
            match resolve(f, target.dialect, item) {
                Ok((c, via_27002)) => {
                    if !controls.contains(&c) {
                        controls.push(c);
                        self.tally.from_27002 += usize::from(via_27002);
                    }
                }
                Err(msg) => {
                    unresolved += 1;
                    problems.push(format!("{}: {msg}", f.id));
                }
            }
        }
        let rel = if level == Gap::None && controls.len() + unresolved == 1 {
            Relationship::Subset
        } else {
            Relationship::Intersect
        };
        if !controls.is_empty() {
            self.tally.rows += 1;
        }
        for c in controls {
            self.pair(id, c, rel);
        }
    }

    /// Add a pair; when two columns for one framework pair the same controls, the weaker claim
    /// stands.
    fn pair(&mut self, id: &str, to: String, rel: Relationship) {
        match self.draft.pairs.iter_mut().find(|p| p.0 == id && p.1 == to) {
            Some(p) if p.2 != rel => p.2 = Relationship::Intersect,
            Some(_) => {}
            None => self.draft.pairs.push((id.to_string(), to, rel)),
        }
    }

    /// The `note:` line on this crosswalk.
    fn note(&self) -> String {
        let (cw, t) = (&self.draft, &self.tally);
        let subset = cw
            .pairs
            .iter()
            .filter(|p| p.2 == Relationship::Subset)
            .count();
        format!(
            "crosswalk {FRAMEWORK} -> {} (from {}): {} pairs ({subset} subset, {} intersect) over {} CCM controls; {} Full Gap and {} No Mapping rows give none{}{}{}",
            cw.to,
            t.headers.join(", "),
            cw.pairs.len(),
            cw.pairs.len() - subset,
            t.rows,
            t.full_gap,
            t.no_mapping,
            if t.from_27002 > 0 {
                format!("; {} 27002 IDs read as Annex A controls", t.from_27002)
            } else {
                String::new()
            },
            if cw.to == "pci-dss-4.0.1" && t.headers.iter().any(|h| !normalize(h).contains("4 0 1")) {
                "; PCI DSS v4.0 IDs are read as 4.0.1 (same numbering)"
            } else {
                ""
            },
            if cw.pairs.is_empty() {
                " (no file written)"
            } else {
                ""
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_headers_srmap_knows() {
        let t = |h: &str| target(h).map(|(id, _)| id);
        assert_eq!(t("AICPA TSC 2017"), Some("soc2-2017"));
        assert_eq!(t("ISO/IEC 27001:2022, 27002:2022"), Some("iso27001-2022"));
        assert_eq!(t("NIST 800-53 rev 5"), Some("nist-800-53-r5"));
        assert_eq!(t("PCI DSS v4.0"), Some("pci-dss-4.0.1"));
        assert_eq!(t("PCI DSS v4.0.1"), Some("pci-dss-4.0.1"));
        for other in [
            "PCI DSS v3.2.1",
            "ISO/IEC 27001:2013",
            "ISO/IEC 27017:2015",
            "NIST 800-53 rev 4",
            "CIS v8.0",
            "CCM v3.0.1",
            "",
        ] {
            assert_eq!(t(other), None, "{other}");
        }
    }

    #[test]
    fn gap_levels_and_cells() {
        assert_eq!(gap("No Gap"), Some(Gap::None));
        assert_eq!(gap(" partial gap "), Some(Gap::Partial));
        assert_eq!(gap("Full Gap"), Some(Gap::Full));
        assert_eq!(gap("Maybe"), None);
        assert_eq!(gap(""), None);
        assert_eq!(
            items("27001: 9.2.1\r\n27002: 5.35\n\n"),
            vec!["27001: 9.2.1", "27002: 5.35"]
        );
        assert!(items("No Mapping").is_empty());
        assert_eq!(
            items("AC-1, AC-2(1); AU-6"),
            vec!["AC-1", "AC-2(1)", "AU-6"]
        );
    }
}

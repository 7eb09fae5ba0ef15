//! The "provided by client" (PBC) request list: what the auditor asks the organisation for, one
//! request per piece of evidence, each naming every control it serves. See `docs/pbc.md`.
//!
//! - **Evidence requests.** Every applicable control the customer owns or shares on a system in
//!   scope is served by the evidence artefacts its framework row names (`artefact` column,
//!   catalog `frameworks/pbc/artefacts.csv`); the list asks for each artefact once, with every
//!   control and system it serves. A control the catalog gives no artefact takes the artefacts
//!   of the controls a crosswalk relates it (or the control it belongs to) to; failing that, it
//!   is asked for with the controls whose topic and expected evidence are those of the control
//!   at the top of its parents (a NIST control and its enhancements in one request).
//! - **Population and sample requests.** An artefact whose controls recur (quarterly reviews,
//!   daily log reviews) is also asked for as the population of its occurrences over the audit
//!   period and a sample of them, sized by [`sample_size`].
//! - **Attestation and bridge-letter requests.** Each provider report or agreement the scope
//!   relies on (the frameworks' attestation kinds, for every offering that runs or shares a
//!   control), and a bridge letter where the report on file (or published) ends before the audit
//!   period does.
//! - **IDs.** `PBC-` and the artefact's catalog ID (`PBC-IAM-004`), with `-P` and `-S` for its
//!   population and sample; `PBC-VEN-<PROVIDER>-<KIND>` (and `-BL`) for attestations; for
//!   controls without an artefact `PBC-<TOPIC>-X` and four hex digits of a hash of topic and
//!   expected evidence. None depends on which other requests the list holds.
//! - **Assignee and due date.** From the scope's `[owners]` and `[worklist]`, by the rules the
//!   gap worklist uses ([`crate::gaps::worklist`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::artefact::{Artefact, Topic};
use crate::attestation::AttestationKind;
use crate::cadence::Cadence;
use crate::catalog::Catalog;
use crate::crosswalk::mapped;
use crate::framework::{Control, Framework};
use crate::gaps::finding::UNASSIGNED;
use crate::gaps::worklist::{evidence_due, hash, provider_due, request_due};
use crate::input::attestations::Attestation;
use crate::input::owners::Target;
use crate::input::scope::{Scope, System};
use crate::ownership::decide_across;
use crate::party::Party;
use crate::record::Record;
use crate::weight::Weight;

/// The longest cell a request row has: a longer list of controls is cut, with a count of the
/// rest (the Controls sheet lists them all).
pub const MAX_CELL: usize = 400;

/// Sample sizes by how often a control operates, for a lower-risk (`supporting`), `standard`
/// and `key` control: the auditor picks that many occurrences from the population. Written in
/// our own words after the usual practice for tests of operating effectiveness; the docs
/// (`docs/pbc.md`) show the same table.
pub const SAMPLE_SIZES: [(Cadence, [u32; 3]); 6] = [
    (Cadence::Continuous, [25, 40, 60]),
    (Cadence::Daily, [20, 30, 40]),
    (Cadence::Weekly, [5, 10, 15]),
    (Cadence::Monthly, [2, 3, 5]),
    (Cadence::Quarterly, [2, 2, 2]),
    (Cadence::Semiannual, [1, 1, 2]),
];

/// How many occurrences of a recurring control the period holds (`None` for `continuous`,
/// which has no count, and for point-in-time cadences).
pub fn occurrences(cadence: Cadence, start: Date, end: Date) -> Option<u32> {
    let days = u32::try_from((end - start).get_days() + 1)
        .unwrap_or(1)
        .max(1);
    match cadence {
        Cadence::Continuous | Cadence::Annual | Cadence::OnEvent => None,
        Cadence::Daily => Some(days),
        Cadence::Weekly => Some(days.div_ceil(7)),
        _ => {
            let mut n = 0;
            while cadence
                .occurrence(start, end, n)
                .is_some_and(|o| o.start <= end)
            {
                n += 1;
            }
            Some(n)
        }
    }
}

/// The sample to ask for: the table's size for the cadence and weight, never more than the
/// period's occurrences. `None` for a point-in-time cadence (no sample: the evidence itself).
pub fn sample_size(cadence: Cadence, weight: Weight, start: Date, end: Date) -> Option<u32> {
    let (_, sizes) = SAMPLE_SIZES.iter().find(|(c, _)| *c == cadence)?;
    let size = match weight {
        Weight::Supporting => sizes[0],
        Weight::Standard => sizes[1],
        Weight::Key => sizes[2],
    };
    Some(match occurrences(cadence, start, end) {
        Some(n) => size.min(n).max(1),
        None => size,
    })
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequestKind {
    /// An artefact: a document, a configuration, a report.
    Evidence,
    /// The complete list of a recurring control's occurrences over the period.
    Population,
    /// Evidence for the occurrences the auditor picks from the population.
    Sample,
    /// A provider's audit report, certificate or signed agreement.
    Attestation,
    /// A provider's letter covering the days after its report's period ends.
    BridgeLetter,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] = [
        RequestKind::Evidence,
        RequestKind::Population,
        RequestKind::Sample,
        RequestKind::Attestation,
        RequestKind::BridgeLetter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Evidence => "evidence",
            RequestKind::Population => "population",
            RequestKind::Sample => "sample",
            RequestKind::Attestation => "attestation",
            RequestKind::BridgeLetter => "bridge-letter",
        }
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RequestKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One request of the list.
#[derive(Debug, Clone, Serialize)]
pub struct PbcRequest {
    /// `PBC-IAM-004`, `PBC-IAM-004-P`, `PBC-VEN-AWS-SOC2`: see the module documentation.
    pub id: String,
    pub topic: Topic,
    pub kind: RequestKind,
    /// A short name: `User access reviews`.
    pub title: String,
    /// What to provide.
    pub request: String,
    /// Every control the request serves, `framework control` (`pci-dss-4.0.1 8.3.1`); for an
    /// attestation, each framework with the number of controls that rely on the provider.
    pub controls: Vec<String>,
    /// The systems it is for, each with its owner of the controls served (`payments (shared)`).
    pub systems: Vec<String>,
    /// How often the controls operate (the most frequent of them); none for an attestation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
    /// The days a population, sample, attestation or bridge letter must cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_end: Option<Date>,
    /// Evidence must be dated on or after this day to be current at the end of the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dated_from: Option<Date>,
    /// For a sample: how many occurrences the auditor picks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u32>,
    /// The provider an attestation or bridge letter comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The copy on file (from `--attestations`) the request follows up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_file: Option<String>,
    pub assignee: String,
    /// Others the scope's `[owners]` names for some of the controls served.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<String>,
    pub due: Date,
}

impl PbcRequest {
    /// `2025-10-01 to 2026-09-30`, or empty.
    pub fn period(&self) -> String {
        match (self.period_start, self.period_end) {
            (Some(s), Some(e)) => format!("{s} to {e}"),
            _ => String::new(),
        }
    }

    /// The controls served, compactly (`pci-dss-4.0.1 1.1.1, 2.1.1; soc2-2017 CC5.3`), cut to
    /// [`MAX_CELL`] characters with a count of those left out.
    pub fn controls_cell(&self) -> String {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in &self.controls {
            let (fw, id) = c.split_once(' ').unwrap_or(("", c.as_str()));
            match groups.iter_mut().find(|(f, _)| *f == fw) {
                Some((_, ids)) => ids.push(id),
                None => groups.push((fw, vec![id])),
            }
        }
        let full = groups
            .iter()
            .map(|(fw, ids)| {
                if fw.is_empty() {
                    ids.join(", ")
                } else {
                    format!("{fw} {}", ids.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        if full.chars().count() <= MAX_CELL {
            return full;
        }
        // Keep whole control IDs, then say how many are left out.
        let mut out = String::new();
        let mut kept = 0;
        'outer: for (fw, ids) in &groups {
            for (i, id) in ids.iter().enumerate() {
                let piece = match (i, out.is_empty()) {
                    (0, true) => format!("{fw} {id}"),
                    (0, false) => format!("; {fw} {id}"),
                    _ => format!(", {id}"),
                };
                if out.chars().count() + piece.chars().count() > MAX_CELL - 40 {
                    break 'outer;
                }
                out.push_str(&piece);
                kept += 1;
            }
        }
        let rest = self.controls.len() - kept;
        format!("{out} … and {rest} more (see the Controls sheet)")
    }
}

/// One control the list asks evidence for, with the requests that serve it: the list's
/// cross-reference, and where a control's full duty is written out.
#[derive(Debug, Clone, Serialize)]
pub struct PbcControl {
    pub framework: String,
    pub control: String,
    pub title: String,
    /// The evidence requests that serve it (their population and sample requests follow them).
    pub requests: Vec<String>,
    /// The systems it is asked for, each with its owner there.
    pub systems: Vec<String>,
    pub cadence: Cadence,
    pub evidence: String,
    /// What the customer does for it: the control's own duty (or its layers' sentences).
    pub customer_duty: String,
    /// What each offering adds to the customer's duty (`aws/ec2: ...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_notes: Vec<String>,
}

/// The PBC request list of a scope: whom it is for, the audit period, the requests, and the
/// controls they serve.
#[derive(Debug, Clone, Serialize)]
pub struct PbcList {
    pub organization: String,
    pub period_start: Date,
    pub period_end: Date,
    /// The scope's frameworks, in order.
    pub frameworks: Vec<String>,
    /// The attestation register the attestation requests follow up, if one was given.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub attestation_file: String,
    pub requests: Vec<PbcRequest>,
    pub controls: Vec<PbcControl>,
}

/// What one applicable control needs from the customer across the systems in scope.
struct Need<'a> {
    fw: &'a Framework,
    control: &'a Control,
    /// Each system with the control's owner there (customer or shared).
    systems: Vec<(&'a System<'a>, Party)>,
    /// What the customer does: the control's own duty, or the first offering's.
    duty: String,
    /// What each offering adds to it (`aws/ec2: ...`), offerings that add the same joined.
    notes: Vec<String>,
}

/// Where a control's evidence is asked for: an artefact of the catalog, or, for a control
/// without one, the request of its topic and expected evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Artefact(Topic, u16),
    Loose(Topic, String),
}

struct Group<'a> {
    artefact: Option<&'a Artefact>,
    topic: Topic,
    needs: Vec<usize>,
}

/// A provider report or agreement the scope relies on, by provider and kind.
#[derive(Default)]
struct Reliance {
    offerings: BTreeSet<String>,
    systems: Vec<String>,
    /// Framework -> controls that rely on the provider there.
    controls: BTreeMap<String, BTreeSet<String>>,
}

impl PbcList {
    /// The scope's request list. `register` is the attestation register (`--attestations`), or
    /// empty; `as_of` dates the requests (their due dates follow the gap worklist's rules).
    pub fn build(
        catalog: &Catalog,
        scope: &Scope<'_>,
        register: &[Attestation],
        attestation_file: &str,
        as_of: Date,
    ) -> PbcList {
        let (needs, reliance) = needs(scope);
        let (mut requests, controls) = evidence_requests(catalog, scope, &needs, as_of);
        requests.extend(attestation_requests(
            catalog, scope, register, reliance, as_of,
        ));
        requests.sort_by_key(sort_key);
        PbcList {
            organization: scope.organization.clone(),
            period_start: scope.period.start,
            period_end: scope.period.end,
            frameworks: scope
                .framework_ids()
                .into_iter()
                .map(String::from)
                .collect(),
            attestation_file: attestation_file.to_string(),
            requests,
            controls,
        }
    }

    /// How many requests of each kind, in [`RequestKind::ALL`] order (kinds with none left out).
    pub fn counts(&self) -> Vec<(RequestKind, usize)> {
        RequestKind::ALL
            .into_iter()
            .map(|k| (k, self.requests.iter().filter(|r| r.kind == k).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Topic, then the catalog's artefacts by number, the rest by ID, each artefact's evidence,
/// population and sample together; attestations by provider and kind.
fn sort_key(r: &PbcRequest) -> (Topic, u8, String, RequestKind) {
    let base =
        r.id.trim_end_matches("-P")
            .trim_end_matches("-S")
            .trim_end_matches("-BL")
            .to_string();
    let class = match r.kind {
        RequestKind::Attestation | RequestKind::BridgeLetter => 2,
        _ if base.rsplit('-').next().is_some_and(|n| n.starts_with('X')) => 1,
        _ => 0,
    };
    (r.topic, class, base, r.kind)
}

/// Every applicable control the customer owns or shares, with its systems and duties; and
/// what the scope relies on each provider for (by provider and attestation kind group).
#[allow(clippy::type_complexity)]
fn needs<'a>(
    scope: &'a Scope<'a>,
) -> (
    Vec<Need<'a>>,
    Vec<(&'a System<'a>, &'a Framework, String, BTreeSet<String>)>,
) {
    let mut out = Vec::new();
    // (system, framework, offering) -> controls the provider runs or shares.
    let mut relied: Vec<(&System<'_>, &Framework, String, BTreeSet<String>)> = Vec::new();
    for fw in scope.frameworks() {
        for control in fw.obligations() {
            let mut systems = Vec::new();
            let mut duty: Option<String> = None;
            let mut notes: Vec<(Vec<String>, String)> = Vec::new();
            for sys in scope
                .systems
                .iter()
                .filter(|s| s.has_framework(&fw.id) && s.applies(fw, control).applies())
            {
                let decided = decide_across(&sys.offerings, fw, control, sys.assumptions());
                for (off, d) in &decided.each {
                    if !d.owner.provider_involved() {
                        continue;
                    }
                    let i = match relied.iter().position(|(s, f, o, _)| {
                        s.name == sys.name && f.id == fw.id && *o == off.id
                    }) {
                        Some(i) => i,
                        None => {
                            relied.push((sys, fw, off.id.clone(), BTreeSet::new()));
                            relied.len() - 1
                        }
                    };
                    relied[i].3.insert(control.id.clone());
                }
                let owner = decided.owner;
                if !owner.customer_involved() {
                    continue;
                }
                systems.push((sys, owner));
                for (off, d) in decided.each {
                    if !d.owner.customer_involved() {
                        continue;
                    }
                    // The control's own duty once, then what each offering adds (its facts),
                    // named after the offerings that add it.
                    let own = control.customer_duty.as_str();
                    let text = match d.customer_duty.strip_prefix(own) {
                        Some(rest) if !own.is_empty() => {
                            duty.get_or_insert_with(|| own.to_string());
                            rest.trim().to_string()
                        }
                        _ if duty.is_none() => {
                            duty = Some(d.customer_duty);
                            continue;
                        }
                        _ => d.customer_duty,
                    };
                    if text.is_empty() || duty.as_deref() == Some(text.as_str()) {
                        continue;
                    }
                    match notes.iter_mut().find(|(_, t)| *t == text) {
                        Some((offs, _)) if offs.contains(&off.id) => {}
                        Some((offs, _)) => offs.push(off.id.clone()),
                        None => notes.push((vec![off.id.clone()], text)),
                    }
                }
            }
            if systems.is_empty() {
                continue;
            }
            out.push(Need {
                fw,
                control,
                systems,
                duty: duty.unwrap_or_default(),
                notes: notes
                    .into_iter()
                    .map(|(offs, text)| format!("{}: {text}", offs.join(", ")))
                    .collect(),
            });
        }
    }
    (out, relied)
}

/// The most frequent cadence of the controls (recurring before point in time).
fn group_cadence(needs: &[&Need<'_>]) -> Cadence {
    needs
        .iter()
        .map(|n| n.control.cadence)
        .min()
        .unwrap_or(Cadence::Annual)
}

/// The heaviest weight of the controls.
fn group_weight(needs: &[&Need<'_>]) -> Weight {
    needs
        .iter()
        .map(|n| n.control.weight)
        .min()
        .unwrap_or_default()
}

/// The systems of the controls, in scope order, each with the owner across them.
fn group_systems(scope: &Scope<'_>, needs: &[&Need<'_>]) -> Vec<String> {
    scope
        .systems
        .iter()
        .filter_map(|sys| {
            let owners: Vec<Party> = needs
                .iter()
                .flat_map(|n| n.systems.iter())
                .filter(|(s, _)| s.name == sys.name)
                .map(|(_, p)| *p)
                .collect();
            (!owners.is_empty()).then(|| format!("{} ({})", sys.name, Party::combine(owners)))
        })
        .collect()
}

/// The person the scope's `[owners]` names most often for the controls on their systems (ties:
/// the first named), and the others named.
fn group_assignee(scope: &Scope<'_>, needs: &[&Need<'_>]) -> (String, Vec<String>) {
    let mut tally: Vec<(String, usize)> = Vec::new();
    for n in needs {
        for (sys, _) in &n.systems {
            let target = Target {
                system: Some(&sys.name),
                framework: Some(&n.fw.id),
                control: Some(n.control),
                provider: false,
            };
            let person = scope.owners.assignee(&target).unwrap_or(UNASSIGNED);
            match tally.iter_mut().find(|(p, _)| p == person) {
                Some((_, k)) => *k += 1,
                None => tally.push((person.to_string(), 1)),
            }
        }
    }
    // Stable sort: equal counts keep the order they were first named in.
    tally.sort_by_key(|t| std::cmp::Reverse(t.1));
    let mut people = tally.into_iter().map(|(p, _)| p);
    let first = people.next().unwrap_or_else(|| UNASSIGNED.to_string());
    (first, people.collect())
}

/// Cut a text to `max` characters at a word, with an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    if let Some(i) = out.rfind(' ') {
        out.truncate(i);
    }
    out.push('…');
    out
}

/// The artefacts the catalog gives a control.
fn artefacts_of<'c>(catalog: &'c Catalog, control: &Control) -> Vec<&'c Artefact> {
    control
        .artefacts
        .iter()
        .filter_map(|a| catalog.artefacts.get(a))
        .collect()
}

/// The artefacts of the controls a crosswalk relates `control` to, each once, by ID.
fn crosswalked<'c>(catalog: &'c Catalog, fw: &Framework, control: &Control) -> Vec<&'c Artefact> {
    let mut out: Vec<&Artefact> = mapped(&catalog.crosswalks, &fw.id, &control.id, None)
        .iter()
        .filter_map(|m| catalog.framework(&m.framework).ok()?.control(&m.control))
        .flat_map(|c| artefacts_of(catalog, c))
        .collect();
    out.sort_by_key(|a| (a.topic, a.number));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The control a sub-item belongs to, at the top of its parents (itself if it has none).
fn root_of<'f>(fw: &'f Framework, control: &'f Control) -> &'f Control {
    let mut at = control;
    for _ in 0..8 {
        match at.parent.as_deref().and_then(|p| fw.control(p)) {
            Some(parent) => at = parent,
            None => break,
        }
    }
    at
}

/// The evidence requests (with the population and sample requests of recurring ones), and the
/// controls list that cross-references them.
fn evidence_requests(
    catalog: &Catalog,
    scope: &Scope<'_>,
    needs: &[Need<'_>],
    as_of: Date,
) -> (Vec<PbcRequest>, Vec<PbcControl>) {
    let mut groups: BTreeMap<GroupKey, Group<'_>> = BTreeMap::new();
    for (i, n) in needs.iter().enumerate() {
        let root = root_of(n.fw, n.control);
        let mut arts = artefacts_of(catalog, n.control);
        if arts.is_empty() {
            arts = crosswalked(catalog, n.fw, n.control);
        }
        if arts.is_empty() && root.id != n.control.id {
            arts = crosswalked(catalog, n.fw, root);
        }
        if arts.is_empty() {
            let topic = Topic::from_layers(&root.layers);
            groups
                .entry(GroupKey::Loose(topic, root.evidence.clone()))
                .or_insert(Group {
                    artefact: None,
                    topic,
                    needs: Vec::new(),
                })
                .needs
                .push(i);
        }
        for a in arts {
            groups
                .entry(GroupKey::Artefact(a.topic, a.number))
                .or_insert(Group {
                    artefact: Some(a),
                    topic: a.topic,
                    needs: Vec::new(),
                })
                .needs
                .push(i);
        }
    }
    let (start, end) = (scope.period.start, scope.period.end);
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    let mut requests = Vec::new();
    let mut served: Vec<Vec<String>> = vec![Vec::new(); needs.len()];
    for (key, group) in &groups {
        let members: Vec<&Need<'_>> = group.needs.iter().map(|&i| &needs[i]).collect();
        let id = match (key, group.artefact) {
            (_, Some(a)) => format!("PBC-{}", a.id),
            (GroupKey::Loose(topic, evidence), None) => {
                let h = hash(&[topic.code(), evidence]);
                let mut id = format!("PBC-{topic}-X{:04X}", h & 0xFFFF);
                if used_ids.contains(&id) {
                    id = format!("PBC-{topic}-X{h:08X}");
                }
                id
            }
            (GroupKey::Artefact(..), None) => unreachable!("artefact groups hold their artefact"),
        };
        used_ids.insert(id.clone());
        for &i in &group.needs {
            served[i].push(id.clone());
        }
        let lead = members[0];
        let (title, text, noun) = match group.artefact {
            Some(a) => (
                a.title.clone(),
                a.request.clone(),
                if a.population.is_empty() {
                    format!("occurrence of {}", a.title.to_lowercase())
                } else {
                    a.population.clone()
                },
            ),
            None => {
                let root = root_of(lead.fw, lead.control);
                (
                    root.title.clone(),
                    cut(&root.evidence, MAX_CELL),
                    "occurrence of the control".to_string(),
                )
            }
        };
        let cadence = group_cadence(&members);
        let weight = group_weight(&members);
        let systems = group_systems(scope, &members);
        let (assignee, contributors) = group_assignee(scope, &members);
        let controls: Vec<String> = members
            .iter()
            .map(|n| format!("{} {}", n.fw.id, n.control.id))
            .collect();
        let due = request_due(scope, evidence_due(scope, Some(cadence), as_of), as_of);
        let base = PbcRequest {
            id: id.clone(),
            topic: group.topic,
            kind: RequestKind::Evidence,
            title: title.clone(),
            request: text,
            controls,
            systems,
            cadence: Some(cadence),
            period_start: None,
            period_end: None,
            dated_from: Some(cadence.evidence_from(start, end)),
            sample_size: None,
            provider: None,
            on_file: None,
            assignee,
            contributors,
            due,
        };
        if cadence.recurs() {
            let pop_id = format!("{id}-P");
            let n = sample_size(cadence, weight, start, end).unwrap_or(1);
            let population = PbcRequest {
                id: pop_id.clone(),
                kind: RequestKind::Population,
                title: format!("Population: {title}"),
                request: format!(
                    "A complete list of every {noun} from {start} to {end} ({cadence}), exported from the system that records them, with the date and system of each: the auditor picks the sample for {id}-S from it."
                ),
                period_start: Some(start),
                period_end: Some(end),
                dated_from: None,
                ..base.clone()
            };
            let sample = PbcRequest {
                id: format!("{id}-S"),
                kind: RequestKind::Sample,
                title: format!("Sample: {title}"),
                request: format!(
                    "For each occurrence the auditor picks from {pop_id} ({n} of them): the evidence that the {noun} was done as {id} describes."
                ),
                period_start: Some(start),
                period_end: Some(end),
                dated_from: None,
                sample_size: Some(n),
                ..base.clone()
            };
            requests.push(base);
            requests.push(population);
            requests.push(sample);
        } else {
            requests.push(base);
        }
    }
    let controls = needs
        .iter()
        .zip(served)
        .map(|(n, requests)| PbcControl {
            framework: n.fw.id.clone(),
            control: n.control.id.clone(),
            title: n.control.title.clone(),
            requests,
            systems: n
                .systems
                .iter()
                .map(|(s, p)| format!("{} ({p})", s.name))
                .collect(),
            cadence: n.control.cadence,
            evidence: n.control.evidence.clone(),
            customer_duty: n.duty.clone(),
            service_notes: n.notes.clone(),
        })
        .collect();
    (requests, controls)
}

/// `aws` -> `AWS`, for IDs.
fn provider_code(provider: &str) -> String {
    provider
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The requests for the provider reports and agreements the scope relies on, and for bridge
/// letters where a report ends before the audit period does.
fn attestation_requests(
    catalog: &Catalog,
    scope: &Scope<'_>,
    register: &[Attestation],
    relied: Vec<(&System<'_>, &Framework, String, BTreeSet<String>)>,
    as_of: Date,
) -> Vec<PbcRequest> {
    // Canonical offering IDs each register row covers (empty with `*`).
    let covers: Vec<Vec<String>> = register
        .iter()
        .map(|row| {
            row.offerings
                .iter()
                .filter_map(|o| catalog.offering(o).ok().map(|x| x.id.clone()))
                .collect()
        })
        .collect();
    let on_file = |provider: &str, off: &str, kinds: &[AttestationKind]| -> Option<usize> {
        (0..register.len())
            .filter(|&i| kinds.contains(&register[i].kind))
            .filter(|&i| register[i].provider == provider || covers[i].iter().any(|c| c == off))
            .filter(|&i| register[i].all || covers[i].iter().any(|c| c == off))
            .max_by_key(|&i| {
                (
                    register[i].period_end,
                    register[i].expires,
                    std::cmp::Reverse(i),
                )
            })
    };
    let mut needed: BTreeMap<(String, AttestationKind), (Reliance, Option<usize>)> =
        BTreeMap::new();
    for (sys, fw, off_id, controls) in &relied {
        let Ok(off) = catalog.offering(off_id) else {
            continue;
        };
        let groups = fw.provider_needs();
        for kinds in groups {
            let held = on_file(&off.provider, &off.id, kinds);
            let kind = match held {
                Some(i) => register[i].kind,
                None => kinds
                    .iter()
                    .copied()
                    .find(|k| catalog.published(&off.provider, *k).is_some())
                    .unwrap_or(kinds[0]),
            };
            let (r, row) = needed
                .entry((off.provider.clone(), kind))
                .or_insert_with(|| (Reliance::default(), None));
            r.offerings.insert(off.id.clone());
            if !r.systems.contains(&sys.name) {
                r.systems.push(sys.name.clone());
            }
            r.controls
                .entry(fw.id.clone())
                .or_default()
                .extend(controls.iter().cloned());
            if let Some(i) = held {
                let better = row.is_none_or(|j| {
                    (register[i].period_end, register[i].expires)
                        > (register[j].period_end, register[j].expires)
                });
                if better {
                    *row = Some(i);
                }
            }
        }
    }
    let (start, end) = (scope.period.start, scope.period.end);
    let assignee = scope
        .owners
        .assignee(&Target {
            provider: true,
            ..Target::default()
        })
        .unwrap_or(UNASSIGNED)
        .to_string();
    let due = request_due(scope, provider_due(scope), as_of);
    let mut out = Vec::new();
    for ((provider, kind), (r, row)) in needed {
        let published = catalog.published(&provider, kind);
        let name = published
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("{provider} {}", kind.label()));
        let offerings = r.offerings.iter().cloned().collect::<Vec<_>>().join(", ");
        let whence = published
            .map(|p| format!(" Where to get it: {}.", p.portal))
            .unwrap_or_else(|| {
                format!(" srmap's data lists none that {provider} publishes: ask the provider.")
            });
        let held = row.map(|i| &register[i]);
        let held_note = match held {
            Some(a) => {
                let mut dates = Vec::new();
                if let (Some(pe), false) = (a.period_end, kind.is_agreement()) {
                    dates.push(format!("period to {pe}"));
                }
                if let Some(x) = a.expires.filter(|x| *x < end) {
                    dates.push(format!("expires {x}"));
                }
                if dates.is_empty() {
                    format!(" On file: {}.", a.reference)
                } else {
                    format!(" On file: {} ({}).", a.reference, dates.join(", "))
                }
            }
            None => String::new(),
        };
        let request = if kind.is_agreement() {
            format!("The signed {}, in force from {start} to {end}, covering {offerings}.{held_note}{whence}", kind.label())
        } else {
            format!("The provider's {} whose scope names {offerings}, for a period covering as much of {start} to {end} as it can.{held_note}{whence}", kind.label())
        };
        let code = format!("PBC-VEN-{}-{}", provider_code(&provider), kind.code());
        let controls: Vec<String> = r
            .controls
            .iter()
            .map(|(fw, set)| {
                format!(
                    "{fw} ({} control{})",
                    set.len(),
                    if set.len() == 1 { "" } else { "s" }
                )
            })
            .collect();
        let systems: Vec<String> = scope
            .systems
            .iter()
            .filter(|s| r.systems.contains(&s.name))
            .map(|s| s.name.clone())
            .collect();
        let base = PbcRequest {
            id: code.clone(),
            topic: Topic::Ven,
            kind: RequestKind::Attestation,
            title: name.clone(),
            request: cut(&request, MAX_CELL),
            controls,
            systems,
            cadence: None,
            period_start: Some(start),
            period_end: Some(end),
            dated_from: None,
            sample_size: None,
            provider: Some(provider.clone()),
            on_file: held.map(|a| a.reference.clone()),
            assignee: assignee.clone(),
            contributors: Vec::new(),
            due,
        };
        // The report's period: the copy on file, or what the provider publishes.
        let report_end = match held {
            Some(a) => a.period_end,
            None => published.and_then(|p| p.period_end),
        };
        let bridge = match report_end {
            Some(pe) if !kind.is_agreement() && pe < end => Some(pe),
            _ => None,
        };
        out.push(base.clone());
        if let Some(pe) = bridge {
            let from = pe.tomorrow().unwrap_or(pe).max(start);
            let report = held
                .map(|a| a.reference.clone())
                .unwrap_or_else(|| name.clone());
            out.push(PbcRequest {
                id: format!("{code}-BL"),
                kind: RequestKind::BridgeLetter,
                title: format!("Bridge letter: {name}"),
                request: cut(
                    &format!("A bridge letter from the provider for {from} to {end}, the days after the period of {report} ends ({pe}), stating that its controls did not change materially and when the next report is due."),
                    MAX_CELL,
                ),
                period_start: Some(from),
                period_end: Some(end),
                ..base
            });
        }
    }
    out
}

impl Record for PbcRequest {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "topic",
            "kind",
            "title",
            "request",
            "controls",
            "systems",
            "cadence",
            "period",
            "dated_from",
            "sample_size",
            "assignee",
            "due",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.topic.code().to_string(),
            self.kind.to_string(),
            self.title.clone(),
            self.request.clone(),
            self.controls_cell(),
            self.systems.join("; "),
            self.cadence.map(|c| c.to_string()).unwrap_or_default(),
            self.period(),
            self.dated_from.map(|d| d.to_string()).unwrap_or_default(),
            self.sample_size.map(|n| n.to_string()).unwrap_or_default(),
            self.assignee.clone(),
            self.due.to_string(),
        ]
    }
    fn table_columns() -> &'static [&'static str] {
        &["id", "kind", "title", "systems", "assignee", "due"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn samples_follow_the_table_and_never_exceed_the_period() {
        let (s, e) = (date(2025, 10, 1), date(2026, 9, 30));
        let size = |c, w| sample_size(c, w, s, e);
        assert_eq!(size(Cadence::Quarterly, Weight::Key), Some(2));
        assert_eq!(size(Cadence::Monthly, Weight::Key), Some(5));
        assert_eq!(size(Cadence::Monthly, Weight::Supporting), Some(2));
        assert_eq!(size(Cadence::Daily, Weight::Standard), Some(30));
        assert_eq!(size(Cadence::Continuous, Weight::Key), Some(60));
        assert_eq!(size(Cadence::Annual, Weight::Key), None);
        assert_eq!(size(Cadence::OnEvent, Weight::Key), None);
        // A three-month period has three months and one quarter.
        let short = |c, w| sample_size(c, w, date(2026, 1, 1), date(2026, 3, 31));
        assert_eq!(short(Cadence::Monthly, Weight::Key), Some(3));
        assert_eq!(short(Cadence::Semiannual, Weight::Key), Some(1));
        assert_eq!(occurrences(Cadence::Quarterly, s, e), Some(4));
        assert_eq!(occurrences(Cadence::Weekly, s, e), Some(53));
        assert_eq!(occurrences(Cadence::Daily, s, e), Some(365));
    }

    #[test]
    fn a_long_control_list_is_cut_with_a_count() {
        let mut r = PbcRequest {
            id: "PBC-GOV-001".into(),
            topic: Topic::Gov,
            kind: RequestKind::Evidence,
            title: String::new(),
            request: String::new(),
            controls: vec![
                "pci-dss-4.0.1 1.1.1".into(),
                "pci-dss-4.0.1 2.1.1".into(),
                "soc2-2017 CC5.3".into(),
            ],
            systems: Vec::new(),
            cadence: None,
            period_start: None,
            period_end: None,
            dated_from: None,
            sample_size: None,
            provider: None,
            on_file: None,
            assignee: String::new(),
            contributors: Vec::new(),
            due: date(2026, 8, 31),
        };
        assert_eq!(
            r.controls_cell(),
            "pci-dss-4.0.1 1.1.1, 2.1.1; soc2-2017 CC5.3"
        );
        r.controls = (0..200).map(|i| format!("nist-800-53-r5 AC-{i}")).collect();
        let cell = r.controls_cell();
        assert!(cell.chars().count() <= MAX_CELL, "{}", cell.len());
        assert!(cell.starts_with("nist-800-53-r5 AC-0, AC-1"), "{cell}");
        assert!(cell.ends_with("more (see the Controls sheet)"), "{cell}");
    }
}

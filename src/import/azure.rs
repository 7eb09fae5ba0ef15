//! Azure security baselines (`<service>-security-baseline.xlsx`, from MicrosoftDocs/
//! SecurityBenchmarks, CC-BY-4.0) -> framework `mcsb-v1` and one offering per baseline,
//! `azure/<service>-baseline`, whose per-control rows combine the responsibility of every
//! feature listed for a benchmark control.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::import::data_dir::{
    self, slug, ControlDraft, ControlRow, FrameworkDraft, OfferingDraft,
};
use crate::import::grid::{fail, file_name, Grid, Workbook};
use crate::import::vocabulary::{self, normalize};
use crate::import::ImportReport;
use crate::offering::{LayerDuty, Model};
use crate::party::Party;

pub const FRAMEWORK: &str = "mcsb-v1";

pub const ATTRIBUTION: &str =
    "Microsoft cloud security benchmark service baselines, MicrosoftDocs/SecurityBenchmarks";

/// Microsoft cloud security benchmark domains: ID prefix, name, layers (srmap's choice) and
/// what evidence of one looks like (srmap's words).
pub const DOMAINS: [(&str, &str, &[&str], &str); 12] = [
    ("NS", "Network Security", &["network-controls"], "Network design, security group and firewall rules, and private access settings."),
    ("IM", "Identity Management", &["identity-infrastructure", "accounts-identities"], "Identity provider settings, authentication methods allowed and managed identity use."),
    ("PA", "Privileged Access", &["accounts-identities"], "Privileged role assignments, their reviews and just-in-time access records."),
    ("DP", "Data Protection", &["data", "encryption-keys"], "Data classification, encryption settings in transit and at rest, and key management records."),
    ("AM", "Asset Management", &["governance-training"], "The asset inventory and the policy assignments that restrict which services may be used."),
    ("LT", "Logging and Threat Detection", &["logging-monitoring"], "Diagnostic and audit log settings, threat detection plans and alert handling records."),
    ("IR", "Incident Response", &["incident-response"], "The incident response plan, contacts and records of incidents handled."),
    ("PV", "Posture and Vulnerability Management", &["operating-system", "application"], "Secure configuration baselines, compliance reports, vulnerability scans and patch records."),
    ("ES", "Endpoint Security", &["operating-system"], "Anti-malware and endpoint detection settings and their health reports for the servers."),
    ("BR", "Backup and Recovery", &["backup-recovery"], "Backup policies, backup job history and restore test results."),
    ("DS", "DevOps Security", &["application"], "Pipeline security settings, code scanning results and deployment approvals."),
    ("GS", "Governance and Strategy", &["governance-training"], "Approved security strategy, roles and policies with their review dates."),
];

fn domain(
    prefix: &str,
) -> Option<&'static (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
)> {
    DOMAINS.iter().find(|d| d.0.eq_ignore_ascii_case(prefix))
}

/// `NS-1`, `ns-01` -> `NS-1`, if the prefix is a benchmark domain.
pub fn parse_id(s: &str) -> Option<String> {
    let (p, n) = s.trim().split_once('-')?;
    let d = domain(p.trim())?;
    let n: u32 = n.trim().parse().ok()?;
    Some(format!("{}-{n}", d.0))
}

pub struct Options<'a> {
    pub files: &'a [PathBuf],
    pub model: Option<Model>,
    pub out: &'a Path,
}

struct Feature {
    name: String,
    owner: Party,
    value: String,
    on_by_default: bool,
    line: u64,
}

struct Profile {
    host_os: Option<String>,
    category: Option<String>,
}

fn profile(wb: &mut Workbook) -> Option<Profile> {
    let grid = wb.read("Security Profile").ok()?;
    let mut p = Profile {
        host_os: None,
        category: None,
    };
    let header = grid.rows.first()?;
    let value_col = header.find(|s| s == "value").unwrap_or(2);
    for row in &grid.rows {
        let key = normalize(&row.text(0));
        if key.starts_with("customer can access host") {
            p.host_os = Some(row.text(value_col));
        } else if key == "product category" {
            p.category = Some(row.text(value_col));
        }
    }
    Some(p)
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn import(catalog: &Catalog, opts: &Options) -> Result<ImportReport, Diagnostics> {
    let mut report = ImportReport::default();
    let mut fw = FrameworkDraft {
        id: FRAMEWORK.into(),
        name: "Microsoft cloud security benchmark".into(),
        version: "1".into(),
        publisher: "Microsoft".into(),
        source: "https://github.com/MicrosoftDocs/SecurityBenchmarks".into(),
        description: format!(
            "Control IDs and titles from the {ATTRIBUTION} (CC-BY-4.0), imported by srmap import azure-baseline. Layers come from srmap's domain table: review them."
        ),
        id_prefixes: vec!["MCSB".into(), "ASB".into()],
        attestations: vec![vec!["soc2-type2".into(), "iso27001-cert".into()]],
        agreements: vec![],
        controls: Vec::new(),
    };
    let mut offerings = Vec::new();
    for path in opts.files {
        offerings.push(one(catalog, path, opts.model, &mut fw, &mut report)?);
    }
    let new = fw.controls.len();
    fw.merge_existing(opts.out);
    let rank = |id: &str| {
        let (p, n) = id.split_once('-').unwrap_or((id, ""));
        (
            DOMAINS.iter().position(|d| d.0 == p).unwrap_or(usize::MAX),
            n.parse::<u32>().unwrap_or(u32::MAX),
        )
    };
    fw.controls.sort_by_key(|c| rank(&c.id));
    report.notes.push(format!(
        "framework {FRAMEWORK}: {new} benchmark controls from {} baseline{}{}",
        opts.files.len(),
        if opts.files.len() == 1 { "" } else { "s" },
        match fw.controls.len() - new {
            0 => String::new(),
            n => format!(" (and {n} kept from the earlier import in the output folder)"),
        }
    ));
    data_dir::write(opts.out, catalog, &[fw], &offerings, &mut report)?;
    Ok(report)
}

fn one(
    catalog: &Catalog,
    path: &Path,
    model: Option<Model>,
    fw: &mut FrameworkDraft,
    report: &mut ImportReport,
) -> Result<OfferingDraft, Diagnostics> {
    let mut wb = Workbook::open(path)?;
    let grid: Grid = wb.read("Feature Summary")?;
    let Some((h, header)) = grid
        .rows
        .iter()
        .enumerate()
        .take(10)
        .find(|(_, r)| r.find(|s| s == "asb control id").is_some())
    else {
        return Err(missing(&grid, "ASB Control ID"));
    };
    let col = |name: &str| header.find(|s| s == name);
    let id_col = col("asb control id").expect("found above");
    let Some(resp_col) = col("responsibility") else {
        return Err(missing(&grid, "Responsibility"));
    };
    let title_col = col("asb control title");
    let domain_col = col("control domain");
    let feature_col = col("feature name");
    let default_col = col("feature enabled by default");
    let file = file_name(path);
    let mut controls: IndexMap<String, Vec<Feature>> = IndexMap::new();
    for row in grid.rows.iter().skip(h + 1) {
        if row.is_blank() {
            continue;
        }
        report.read += 1;
        let raw = row.text(id_col);
        let feature = feature_col.map(|c| row.text(c)).unwrap_or_default();
        if raw.is_empty() {
            report.skip(
                grid.at(row.line),
                format!("no ASB control ID (feature `{feature}`)"),
            );
            continue;
        }
        let Some(id) = parse_id(&raw) else {
            report.skip(
                grid.at(row.line),
                format!("`{raw}` is not a Microsoft cloud security benchmark control ID"),
            );
            continue;
        };
        let value = row.text(resp_col);
        if value.is_empty() {
            report.skip(grid.at(row.line), "no Responsibility value");
            continue;
        }
        let Some(owner) = vocabulary::owner(&value) else {
            report.skip(grid.at(row.line), vocabulary::unknown(&value));
            continue;
        };
        report.imported += 1;
        let prefix = id.split('-').next().unwrap_or("");
        let d = domain(prefix).expect("parse_id gives known prefixes");
        let title = title_col.map(|c| row.text(c)).unwrap_or_default();
        fw.add(ControlDraft {
            id: id.clone(),
            title: if title.is_empty() {
                format!("Benchmark control {id}")
            } else {
                title
            },
            group: domain_col
                .map(|c| row.text(c))
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| d.1.to_string()),
            kind: "control".into(),
            parent: String::new(),
            layers: d.2.iter().map(|l| l.to_string()).collect(),
            cadence: "annual".into(),
            evidence: d.3.to_string(),
        });
        let name = if feature.is_empty() || normalize(&feature) == "no related feature" {
            "(no related feature)".to_string()
        } else {
            feature
        };
        controls.entry(id).or_default().push(Feature {
            name,
            owner,
            value,
            on_by_default: default_col
                .map(|c| normalize(&row.text(c)) == "true")
                .unwrap_or(false),
            line: row.line,
        });
    }

    let stem = Path::new(&file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let service = slug(stem.trim_end_matches("-security-baseline"));
    let id = format!("azure/{service}-baseline");
    let prof = profile(&mut wb);
    let host = prof.as_ref().and_then(|p| p.host_os.clone());
    let category = prof
        .as_ref()
        .and_then(|p| p.category.clone())
        .unwrap_or_default();
    let model = model.unwrap_or_else(|| match host.as_deref().map(normalize).as_deref() {
        Some("full access") => Model::Iaas,
        _ if normalize(&category).contains("containers") => Model::Containers,
        _ => Model::Paas,
    });
    let summary = format!(
        "{} as its Azure security baseline describes it ({ATTRIBUTION}, CC-BY-4.0), imported from {file} by srmap import azure-baseline: {} benchmark controls. Layer owners are copied from srmap's generic {} model{}: review them.",
        title_case(&service),
        controls.len(),
        model.as_str(),
        if host.is_some() { ", except the operating system, which follows the baseline's security profile" } else { "" }
    );
    let mut offering = OfferingDraft::from_model(
        catalog,
        &id,
        &format!("{} (Azure security baseline)", title_case(&service)),
        model,
        &summary,
        (format!("{ATTRIBUTION}: {file}"), file.clone()),
    )
    .map_err(|m| fail(path, "bad-offering", m))?;
    if let Some(h) = &host {
        let (owner, provider, customer) = match normalize(h).as_str() {
            "no access" => (
                Party::Provider,
                "Microsoft runs and patches the hosts and operating systems under the service.",
                "Nothing to patch: the service gives no access to the host or its operating system.",
            ),
            "full access" => (
                Party::Customer,
                "Microsoft supplies the images and platform updates.",
                "Harden, patch and protect the operating system you have full access to.",
            ),
            _ => (
                Party::Shared,
                "Microsoft runs the hosts and most of the operating system under the service.",
                "Secure the parts of the host or operating system the service lets you reach.",
            ),
        };
        offering.layers.insert(
            "operating-system".into(),
            LayerDuty {
                owner,
                provider: provider.into(),
                customer: customer.into(),
                scope: false,
            },
        );
        report.notes.push(format!(
            "{id}: operating-system layer is {owner} (security profile: customer can access host / OS = {h})"
        ));
    }
    for (control, features) in &controls {
        let owner = Party::combine(features.iter().map(|f| f.owner));
        let list = |pick: fn(Party) -> bool| {
            features
                .iter()
                .filter(|f| pick(f.owner))
                .map(|f| {
                    if f.on_by_default && f.owner.provider_involved() {
                        format!("{} (on by default)", f.name)
                    } else {
                        f.name.clone()
                    }
                })
                .collect::<Vec<_>>()
        };
        let provider = match list(Party::provider_involved).as_slice() {
            [] => String::new(),
            l => format!("Microsoft provides: {}.", l.join("; ")),
        };
        let customer = match list(Party::customer_involved).as_slice() {
            [] => String::new(),
            l => format!(
                "Configure and operate: {} (see the baseline's guidance).",
                l.join("; ")
            ),
        };
        let lines: Vec<u64> = features.iter().map(|f| f.line).collect();
        offering.rows.push(ControlRow {
            framework: FRAMEWORK.into(),
            control: control.clone(),
            owner,
            provider,
            customer,
            source: grid.source_rows(&lines),
            source_value: features
                .iter()
                .map(|f| format!("{}: {}", f.name, f.value))
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    report.notes.push(format!(
        "offering {id}: {} controls, layers from the generic {} model",
        controls.len(),
        model.as_str()
    ));
    Ok(offering)
}

fn missing(grid: &Grid, column: &str) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        "missing-column",
        grid.whole(),
        format!("has no `{column}` column in its header"),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_ids() {
        assert_eq!(parse_id("NS-1"), Some("NS-1".into()));
        assert_eq!(parse_id("im-08"), Some("IM-8".into()));
        assert_eq!(parse_id("None"), None);
        assert_eq!(parse_id("XX-1"), None);
        assert_eq!(title_case("app-service"), "App Service");
    }
}

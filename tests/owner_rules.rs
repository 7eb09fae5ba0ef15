//! The owner map is right where the answer is not in doubt. These run on the built-in data.

use srmap::framework::Framework;
use srmap::offering::Offering;
use srmap::ownership::{customer_share_across, decide, decide_with, Assumptions};
use srmap::{Catalog, Party};

fn catalog() -> Catalog {
    match Catalog::load_with(&[] as &[&str]) {
        Ok(c) => c,
        Err(d) => panic!(
            "built-in data does not load:\n{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

const PHYSICAL: [&str; 3] = ["physical-facilities", "physical-network", "physical-hosts"];
const ALWAYS_CUSTOMER: [&str; 4] = [
    "data",
    "accounts-identities",
    "endpoints-devices",
    "governance-training",
];

fn owner(c: &Catalog, off: &str, fw: &str, ctl: &str) -> Party {
    let fw = c.framework(fw).unwrap();
    let control = fw
        .resolve(ctl)
        .unwrap_or_else(|_| panic!("{ctl} not in {}", fw.id));
    decide(c.offering(off).unwrap(), fw, control).owner
}

#[test]
fn control_counts_per_framework() {
    let c = catalog();
    let count = |id: &str| c.framework(id).unwrap().control_count();
    let kinds = |id: &str, kind: &str| {
        c.framework(id)
            .unwrap()
            .controls
            .iter()
            .filter(|x| x.kind == kind)
            .count()
    };
    assert_eq!(count("soc2-2017"), 61);
    assert_eq!(kinds("iso27001-2022", "annex-a"), 93);
    assert_eq!(kinds("iso27001-2022", "clause"), 30);
    assert_eq!(kinds("hipaa-security", "standard"), 22);
    assert_eq!(
        kinds("hipaa-security", "required") + kinds("hipaa-security", "addressable"),
        46
    );
    assert_eq!(
        c.framework("gdpr").unwrap().controls.len(),
        99,
        "all 99 GDPR articles are listed"
    );
    assert_eq!(count("gdpr"), 41);
    assert_eq!(
        kinds("pci-dss-4.0.1", "requirement"),
        count("pci-dss-4.0.1")
    );
    assert_eq!(count("pci-dss-4.0.1"), PCI_REQUIREMENTS);
}

/// Defined requirements of PCI DSS v4.0.1: Requirements 1-12 and Appendices A1-A3.
const PCI_REQUIREMENTS: usize = 280;

#[test]
fn pci_has_every_principal_requirement_and_appendix() {
    let c = catalog();
    let pci = c.framework("pci-dss-4.0.1").unwrap();
    for n in 1..=12 {
        assert!(
            pci.control(&format!("{n}.1.1")).is_some(),
            "{n}.1.1 (policies for Requirement {n})"
        );
    }
    for id in [
        "8.3.1", "8.4.2", "10.4.1", "11.3.1", "11.4.1", "12.10.1", "A1.1.1", "A2.1.1", "A3.1.1",
        "A3.5.1",
    ] {
        assert!(pci.control(id).is_some(), "{id}");
    }
}

#[test]
fn contract_offering_ids_exist() {
    let c = catalog();
    for id in [
        "onprem",
        "iaas",
        "paas",
        "faas",
        "containers",
        "saas",
        "aws/ec2",
        "aws/rds",
        "aws/s3",
        "aws/lambda",
        "aws/eks",
        "aws/dynamodb",
        "aws/fargate",
        "azure/virtual-machines",
        "azure/app-service",
        "azure/sql-database",
        "azure/blob-storage",
        "azure/functions",
        "azure/aks",
        "azure/cosmos-db",
        "gcp/compute-engine",
        "gcp/cloud-sql",
        "gcp/cloud-storage",
        "gcp/cloud-functions",
        "gcp/cloud-run",
        "gcp/gke",
        "gcp/bigquery",
        "microsoft/m365",
        "google/workspace",
        "salesforce/sales-cloud",
    ] {
        let o = c.offering(id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.id, id);
        assert_eq!(o.layers.len(), c.layers.len(), "{id} names every layer");
        assert!(
            o.sources.iter().all(|s| s.url.starts_with("https://")),
            "{id} cites https sources"
        );
    }
}

fn every(c: &Catalog) -> impl Iterator<Item = (&Framework, &srmap::framework::Control)> {
    c.frameworks()
        .flat_map(|f| f.obligations().map(move |x| (f, x)))
}

#[test]
fn physical_controls_are_the_providers_on_cloud_and_the_customers_on_premises() {
    let c = catalog();
    let mut checked = 0;
    for (fw, control) in every(&c) {
        if !control
            .layers
            .iter()
            .all(|l| PHYSICAL.contains(&l.as_str()))
        {
            continue;
        }
        checked += 1;
        for off in c.offerings() {
            let got = decide(off, fw, control).owner;
            let want = if off.model.is_cloud() {
                Party::Provider
            } else {
                Party::Customer
            };
            assert_eq!(got, want, "{} {} on {}", fw.id, control.id, off.id);
        }
    }
    assert!(checked >= 5, "only {checked} physical controls found");
}

/// Facility controls name the provider's data centres and the customer's own premises: shared
/// on cloud when the premises are in scope (the default for frameworks that certify the
/// organisation), the provider's when they are not, the customer's on premises.
#[test]
fn facility_controls_follow_the_customers_premises() {
    let c = catalog();
    let on = |off: &str, fw: &str, ctl: &str, premises: Option<bool>| {
        let fw = c.framework(fw).unwrap();
        let control = fw.resolve(ctl).unwrap();
        decide_with(
            c.offering(off).unwrap(),
            fw,
            control,
            Assumptions::premises(premises),
        )
    };
    for (fw, ctl) in [
        ("pci-dss-4.0.1", "9.2.1"),
        ("iso27001-2022", "A.7.1"),
        ("iso27001-2022", "A.7.2"),
        ("hipaa-security", "164.310(a)(1)"),
        ("soc2-2017", "CC6.4"),
    ] {
        for off in ["aws/ec2", "azure/sql-database", "gcp/cloud-storage", "saas"] {
            let d = on(off, fw, ctl, None);
            assert_eq!(d.owner, Party::Shared, "{fw} {ctl} on {off} (default)");
            assert!(
                d.basis.describe().contains("own premises in scope"),
                "{}",
                d.basis.describe()
            );
            let d = on(off, fw, ctl, Some(false));
            assert_eq!(
                d.owner,
                Party::Provider,
                "{fw} {ctl} on {off} (no premises)"
            );
            assert!(d.basis.describe().contains("out of scope"));
        }
        assert_eq!(on("onprem", fw, ctl, None).owner, Party::Customer);
        assert_eq!(on("onprem", fw, ctl, Some(false)).owner, Party::Customer);
    }
    // NIST 800-53 assesses a system: its premises are out of scope unless asked.
    assert_eq!(
        on("aws/ec2", "nist-800-53-r5", "PE-3", None).owner,
        Party::Provider
    );
    assert_eq!(
        on("aws/ec2", "nist-800-53-r5", "PE-3", Some(true)).owner,
        Party::Shared
    );
}

#[test]
fn data_records_and_accounts_are_never_the_providers() {
    let c = catalog();
    for (fw, control) in every(&c) {
        let touches = control
            .layers
            .iter()
            .any(|l| ALWAYS_CUSTOMER.contains(&l.as_str()));
        let only = control
            .layers
            .iter()
            .all(|l| ALWAYS_CUSTOMER.contains(&l.as_str()));
        for off in c.offerings() {
            let got = decide(off, fw, control).owner;
            if touches {
                assert_ne!(
                    got,
                    Party::Provider,
                    "{} {} on {}",
                    fw.id,
                    control.id,
                    off.id
                );
            }
            if only {
                assert_eq!(
                    got,
                    Party::Customer,
                    "{} {} on {}",
                    fw.id,
                    control.id,
                    off.id
                );
            }
        }
    }
    // Classification, records of processing, user accounts, by name.
    for (fw, ctl) in [
        ("iso27001-2022", "A.5.12"),
        ("gdpr", "Art. 30"),
        ("pci-dss-4.0.1", "8.2.1"),
        ("pci-dss-4.0.1", "7.2.4"),
        ("soc2-2017", "CC6.2"),
        ("hipaa-security", "164.308(a)(4)(ii)(C)"),
    ] {
        for off in [
            "aws/ec2",
            "aws/rds",
            "saas",
            "microsoft/m365",
            "gcp/bigquery",
        ] {
            assert_eq!(
                owner(&c, off, fw, ctl),
                Party::Customer,
                "{fw} {ctl} on {off}"
            );
        }
    }
}

/// The customer's share of every layer of every control (customer 2, shared 1, per layer).
fn total_share(fw: &Framework, off: &Offering) -> u32 {
    fw.obligations()
        .map(|x| customer_share_across(&[off], fw, x, Assumptions::default()))
        .sum()
}

/// Along `chain`, no control moves toward the customer (neither its owner nor its layers), and
/// every framework's total customer share of layers shrinks.
fn assert_shrinks(c: &Catalog, chain: &[&str]) {
    for fw in c.frameworks() {
        for pair in chain.windows(2) {
            let (a, b) = (c.offering(pair[0]).unwrap(), c.offering(pair[1]).unwrap());
            for control in fw.obligations() {
                let (oa, ob) = (decide(a, fw, control).owner, decide(b, fw, control).owner);
                assert!(
                    ob.customer_share() <= oa.customer_share(),
                    "{} {}: {} on {} but {} on {}",
                    fw.id,
                    control.id,
                    oa,
                    a.id,
                    ob,
                    b.id
                );
                let share =
                    |o: &Offering| customer_share_across(&[o], fw, control, Assumptions::default());
                assert!(share(b) <= share(a), "{} {}", fw.id, control.id);
            }
            let (ta, tb) = (total_share(fw, a), total_share(fw, b));
            assert!(
                tb < ta,
                "{}: customer share {ta} on {} is not more than {tb} on {}",
                fw.id,
                a.id,
                b.id
            );
        }
    }
}

#[test]
fn customer_share_shrinks_from_onprem_to_iaas_to_paas_to_saas() {
    assert_shrinks(&catalog(), &["onprem", "iaas", "paas", "saas"]);
}

#[test]
fn customer_share_shrinks_from_ec2_to_rds() {
    assert_shrinks(&catalog(), &["aws/ec2", "aws/rds"]);
}

#[test]
fn named_services_differ_where_providers_say_they_do() {
    let c = catalog();
    let layer = |off: &str, l: &str| c.offering(off).unwrap().layer(l).unwrap().owner;
    assert_eq!(
        layer("aws/ec2", "operating-system"),
        Party::Customer,
        "EC2: customer patches the guest OS"
    );
    assert_eq!(
        layer("aws/rds", "operating-system"),
        Party::Provider,
        "RDS: AWS patches the database host OS"
    );
    assert_eq!(
        layer("aws/fargate", "operating-system"),
        Party::Provider,
        "Fargate takes node management"
    );
    assert_ne!(
        layer("aws/eks", "operating-system"),
        Party::Customer,
        "EKS managed node groups share OS work"
    );
    assert_eq!(
        layer("azure/virtual-machines", "operating-system"),
        Party::Customer
    );
    assert_eq!(
        layer("gcp/compute-engine", "operating-system"),
        Party::Customer
    );
    assert_eq!(layer("gcp/cloud-sql", "operating-system"), Party::Provider);
    // A patching control is shared on both (AWS patches what it runs), but AWS takes the
    // database host's OS and engine patches on RDS.
    let pci = c.framework("pci-dss-4.0.1").unwrap();
    let patches = pci.resolve("6.3.3").unwrap();
    let share = |o: &str| {
        customer_share_across(
            &[c.offering(o).unwrap()],
            pci,
            patches,
            Assumptions::default(),
        )
    };
    assert_eq!(
        owner(&c, "aws/ec2", "pci-dss-4.0.1", "6.3.3"),
        Party::Shared
    );
    assert_eq!(
        owner(&c, "aws/rds", "pci-dss-4.0.1", "6.3.3"),
        Party::Shared
    );
    assert!(share("aws/rds") < share("aws/ec2"));
}

#[test]
fn every_map_row_says_why_and_what_each_party_does() {
    let c = catalog();
    let fws: Vec<&Framework> = c.frameworks().collect();
    let offs: Vec<&Offering> = c.offerings().collect();
    let rows = srmap::owner_map::owner_map(&fws, &offs, &[], Assumptions::default());
    let expected: usize =
        c.frameworks().map(|f| f.control_count()).sum::<usize>() * c.offerings().len();
    assert_eq!(rows.len(), expected);
    for r in &rows {
        assert!(
            r.basis.starts_with("layers: ")
                || r.basis.starts_with("matrix row")
                || r.basis.starts_with("via crosswalk"),
            "{r:?}"
        );
        assert!(
            !r.customer_duty.is_empty() && !r.provider_duty.is_empty(),
            "{r:?}"
        );
        assert!(!r.title.is_empty() && !r.evidence.is_empty(), "{r:?}");
    }
}

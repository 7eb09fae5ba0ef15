//! Evidence artefacts: the things an auditor asks for, each serving controls of several
//! frameworks (one security policy set answers PCI DSS 1.1.1, ISO 27001 A.5.1 and SOC 2 CC5.3).
//! The PBC list asks for each artefact once. The catalog of artefacts is
//! `frameworks/pbc/artefacts.csv`; a control names the artefacts that serve it in the
//! `artefact` column of its framework's CSV.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// The subject an artefact belongs to; its code is the first part of the artefact's ID and of
/// every PBC request ID (`PBC-IAM-004`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Gov,
    Ven,
    Hr,
    Ast,
    Iam,
    Net,
    Cfg,
    Chg,
    Dev,
    Vul,
    Log,
    Enc,
    Dat,
    Prv,
    Bck,
    Inc,
    Phy,
}

impl Topic {
    /// Every topic, in the order a request list shows them.
    pub const ALL: [Topic; 17] = [
        Topic::Gov,
        Topic::Ven,
        Topic::Hr,
        Topic::Ast,
        Topic::Iam,
        Topic::Net,
        Topic::Cfg,
        Topic::Chg,
        Topic::Dev,
        Topic::Vul,
        Topic::Log,
        Topic::Enc,
        Topic::Dat,
        Topic::Prv,
        Topic::Bck,
        Topic::Inc,
        Topic::Phy,
    ];

    /// The upper-case code of IDs: `IAM`.
    pub fn code(self) -> &'static str {
        match self {
            Topic::Gov => "GOV",
            Topic::Ven => "VEN",
            Topic::Hr => "HR",
            Topic::Ast => "AST",
            Topic::Iam => "IAM",
            Topic::Net => "NET",
            Topic::Cfg => "CFG",
            Topic::Chg => "CHG",
            Topic::Dev => "DEV",
            Topic::Vul => "VUL",
            Topic::Log => "LOG",
            Topic::Enc => "ENC",
            Topic::Dat => "DAT",
            Topic::Prv => "PRV",
            Topic::Bck => "BCK",
            Topic::Inc => "INC",
            Topic::Phy => "PHY",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Topic::Gov => "Governance and risk",
            Topic::Ven => "Vendors and providers",
            Topic::Hr => "People and training",
            Topic::Ast => "Assets and endpoints",
            Topic::Iam => "Identity and access",
            Topic::Net => "Network security",
            Topic::Cfg => "Configuration and capacity",
            Topic::Chg => "Change management",
            Topic::Dev => "Development and processing",
            Topic::Vul => "Vulnerabilities and malware",
            Topic::Log => "Logging and monitoring",
            Topic::Enc => "Encryption and keys",
            Topic::Dat => "Data protection",
            Topic::Prv => "Privacy",
            Topic::Bck => "Backup and continuity",
            Topic::Inc => "Incident response",
            Topic::Phy => "Physical and media security",
        }
    }

    /// The topic of a control no artefact is given for, from its layers: the first of them, in
    /// the order below, that names one (governance last, as most controls name it beside a
    /// more telling layer).
    pub fn from_layers(layers: &[String]) -> Topic {
        const ORDER: [(&str, Topic); 20] = [
            ("personnel", Topic::Hr),
            ("accounts-identities", Topic::Iam),
            ("identity-infrastructure", Topic::Iam),
            ("incident-response", Topic::Inc),
            ("backup-recovery", Topic::Bck),
            ("logging-monitoring", Topic::Log),
            ("encryption-keys", Topic::Enc),
            ("network-controls", Topic::Net),
            ("physical-network", Topic::Net),
            ("application", Topic::Dev),
            ("data", Topic::Dat),
            ("endpoints-devices", Topic::Ast),
            ("customer-premises", Topic::Phy),
            ("physical-facilities", Topic::Phy),
            ("operating-system", Topic::Cfg),
            ("runtime-middleware", Topic::Cfg),
            ("container-orchestration", Topic::Cfg),
            ("virtualization", Topic::Cfg),
            ("physical-hosts", Topic::Phy),
            ("governance-training", Topic::Gov),
        ];
        ORDER
            .iter()
            .find(|(layer, _)| layers.iter().any(|l| l == layer))
            .map(|(_, t)| *t)
            .unwrap_or(Topic::Gov)
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl FromStr for Topic {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_uppercase();
        Topic::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| {
                format!(
                    "`{}` is not a topic; expected one of {}",
                    s.trim(),
                    Topic::ALL.map(|t| t.code()).join(", ")
                )
            })
    }
}

/// One evidence artefact of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Artefact {
    /// `IAM-004`: the topic's code and a number fixed in the catalog.
    pub id: String,
    pub topic: Topic,
    pub number: u16,
    /// A short name: `User access reviews`.
    pub title: String,
    /// What to provide, in a sentence or two (at most about 350 characters).
    pub request: String,
    /// For an artefact that recurs: what one occurrence is (`access review`), for the
    /// population request. Empty: the title stands in.
    pub population: String,
    #[serde(skip)]
    pub line: u64,
}

impl Artefact {
    /// Split `IAM-004` into its topic and number.
    pub fn parse_id(id: &str) -> Result<(Topic, u16), String> {
        let bad = || {
            format!("`{id}` is not an artefact ID: write a topic code, a hyphen and three digits (IAM-004)")
        };
        let (code, number) = id.trim().split_once('-').ok_or_else(bad)?;
        let topic: Topic = code.parse()?;
        if number.len() != 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u16 = number.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        Ok((topic, n))
    }
}

/// The artefact catalog, in file order.
#[derive(Debug, Clone, Default)]
pub struct Artefacts {
    list: Vec<Artefact>,
}

impl Artefacts {
    pub fn new(list: Vec<Artefact>) -> Artefacts {
        Artefacts { list }
    }

    pub fn get(&self, id: &str) -> Option<&Artefact> {
        self.list
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id.trim()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Artefact> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_a_topic_and_three_digits() {
        assert_eq!(Artefact::parse_id("IAM-004"), Ok((Topic::Iam, 4)));
        assert_eq!(Artefact::parse_id("hr-012"), Ok((Topic::Hr, 12)));
        assert!(Artefact::parse_id("IAM-4").is_err());
        assert!(Artefact::parse_id("IAM-000").is_err());
        assert!(Artefact::parse_id("XYZ-001")
            .unwrap_err()
            .contains("not a topic"));
        assert!(Artefact::parse_id("IAM004").is_err());
    }

    #[test]
    fn a_control_without_an_artefact_takes_its_topic_from_its_most_telling_layer() {
        let l = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Topic::from_layers(&l(&["governance-training", "accounts-identities"])),
            Topic::Iam
        );
        assert_eq!(
            Topic::from_layers(&l(&["physical-hosts", "operating-system"])),
            Topic::Cfg
        );
        assert_eq!(Topic::from_layers(&l(&["governance-training"])), Topic::Gov);
        assert_eq!(Topic::from_layers(&[]), Topic::Gov);
        for t in Topic::ALL {
            assert_eq!(t.code().parse::<Topic>(), Ok(t));
        }
    }
}

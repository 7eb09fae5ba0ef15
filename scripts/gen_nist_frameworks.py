#!/usr/bin/env python3
"""Generate srmap's NIST SP 800-53 Rev. 5 and FedRAMP Rev5 baseline frameworks.

Requirements: Python 3.11 and openpyxl (`pip install openpyxl`).

Usage (from anywhere):  python3 scripts/gen_nist_frameworks.py

Reads the published reference files from ../shared/reference (relative to the repository root):
  oscal/NIST_SP-800-53_rev5_catalog.json            NIST's OSCAL catalog: every active control
                                                     and enhancement (IDs, titles, families)
  fedramp/FedRAMP_Security_Controls_Baseline.xlsx    FedRAMP Rev5 baselines (High, Moderate, Low,
                                                     LI-SaaS sheets) and the "NIST Catalog - Excel"
                                                     sheet, which also lists the withdrawn IDs
  fedramp/FedRAMP_rev5_MODERATE-baseline_profile-min.json   cross-check of the Moderate baseline
and, beside this script:
  scripts/nist-800-53-releases.toml                  what NIST's releases newer than that catalog
                                                     added and revised (5.1.1, 5.2.0), applied as
                                                     a patch; a newer catalog makes it a no-op

Writes (and nothing else):
  frameworks/nist-800-53-r5.{toml,csv}
  frameworks/fedramp-r5-{low,moderate,high,li-saas}.{toml,csv}

NIST and FedRAMP content is public domain, so control IDs and titles are used as published.
The layers, features, cadence, evidence and weight columns are srmap's own judgement, encoded in
the tables below (the weight rule: docs/severity.md) (owner model v2: docs/owner-model.md; the review is docs/layer-review/nist-800-53-r5.md).
Layer and feature IDs are checked against frameworks/layers.csv and frameworks/features.csv.
The script is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from pathlib import Path

try:
    import openpyxl
except ImportError:  # pragma: no cover
    sys.exit("openpyxl is required: pip install openpyxl")

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT.parent / "shared" / "reference"
OUT = ROOT / "frameworks"

CATALOG = REF / "oscal" / "NIST_SP-800-53_rev5_catalog.json"
WORKBOOK = REF / "fedramp" / "FedRAMP_Security_Controls_Baseline.xlsx"
MODERATE_PROFILE = REF / "fedramp" / "FedRAMP_rev5_MODERATE-baseline_profile-min.json"
RELEASES = ROOT / "scripts" / "nist-800-53-releases.toml"

HEADER = ["id", "title", "group", "kind", "parent", "layers", "features", "cadence", "evidence",
          "weight"]


def _read_ids(name: str, column: str | None = None) -> dict[str, str]:
    with open(OUT / name, encoding="utf-8", newline="") as f:
        return {r["id"]: (r[column] if column else "") for r in csv.DictReader(f)}


LAYER_IDS = set(_read_ids("layers.csv"))
FEATURE_LAYER = _read_ids("features.csv", "layer")   # feature ID -> the layer it refines
CADENCES = {"annual", "semiannual", "quarterly", "monthly", "weekly", "daily"}
WEIGHTS = {"key", "standard", "supporting"}

# Expected sizes (README of the reference folder, checked against the sources themselves): the
# active controls of NIST's catalog as it stands after the releases of RELEASES are applied
# (1,007 in the reference catalog, + 4 in 5.1.1, + 3 in 5.2.0).
EXPECTED_ACTIVE = 1014
EXPECTED_BASELINES = {"high": 410, "moderate": 323, "low": 156, "li-saas": 156}

# ---------------------------------------------------------------------------------------------
# Layers (owner model v2: a control names every layer it applies to, the provider's side
# included; `personnel` carries training and personnel security, `customer-premises` the
# organisation's own offices, which a NIST / FedRAMP system assessment leaves out by default).
# Order of precedence for a row:
#   1. ENHANCEMENT_LAYERS[id]            (an enhancement that is clearly different from its parent)
#   2. an enhancement inherits its parent's layers
#   3. every XX-1 "Policy and Procedures" control -> governance-training
#   4. CONTROL_LAYERS[id]                (a base control that differs from its family)
#   5. FAMILY_LAYERS[family]
# ---------------------------------------------------------------------------------------------

GOV = "governance-training"

FAMILY_LAYERS = {
    "AC": "accounts-identities",
    "AT": "personnel",                               # training: each party trains its own staff
    "AU": "logging-monitoring",
    "CA": GOV,
    "CM": "physical-hosts;virtualization;operating-system;runtime-middleware",  # provider's hosts and hypervisor too
    "CP": "physical-facilities;physical-hosts;backup-recovery",  # provider's sites and hardware, customer's workload
    "IA": "identity-infrastructure;accounts-identities",
    "IR": "incident-response",
    "MA": "physical-hosts",
    "MP": "physical-hosts;endpoints-devices;customer-premises",
    "PE": "physical-facilities",
    "PL": GOV,
    "PM": GOV,
    "PS": "personnel",                               # screening, exit, sanctions of each party's staff
    "PT": "data",
    "RA": GOV,
    "SA": GOV,
    "SC": "network-controls",
    "SI": "operating-system",
    "SR": GOV,
}

CONTROL_LAYERS = {
    # AC Access Control
    "AC-4": "network-controls",                      # information flow enforcement
    "AC-7": "identity-infrastructure;accounts-identities",  # lockout is enforced by the identity system
    "AC-8": "application;operating-system",          # sign-in banner on the OS and the application
    "AC-9": "identity-infrastructure",               # previous logon notice is shown by the sign-in service
    "AC-10": "identity-infrastructure;application",  # concurrent session limits
    "AC-11": "application;endpoints-devices",        # device lock
    "AC-12": "application;endpoints-devices",        # session termination
    "AC-14": "application",                          # what anonymous users may do in the system
    "AC-16": "data",                                 # security and privacy attributes (labels) on information
    "AC-17": "network-controls",                     # remote access
    "AC-18": "endpoints-devices;network-controls",   # wireless
    "AC-19": "endpoints-devices;network-controls",   # mobile devices
    "AC-20": GOV,                                    # terms for using external systems
    "AC-21": "data",                                 # information sharing decisions
    "AC-22": "data",                                 # publicly accessible content
    "AC-23": "application",                          # data mining protection in data stores
    "AC-24": "identity-infrastructure",              # access control decision mechanisms
    "AC-25": "operating-system",                     # reference monitor
    # AU Audit and Accountability: family default (logging-monitoring) except the clock
    "AU-8": "physical-hosts;operating-system",       # time stamps come from host and OS clocks
    # event logging and record generation: a shared control, the provider logs the hosts and
    # hypervisor it runs, the customer what it runs (as PCI 10.2.x and ISO A.8.15)
    "AU-2": "physical-hosts;virtualization;logging-monitoring",
    "AU-12": "physical-hosts;virtualization;logging-monitoring",
    # configuration baselines and settings cover network rules and the IAM / tenant sign-in
    # settings too, which the customer sets even on storage and SaaS services
    "CM-2": "physical-hosts;virtualization;operating-system;runtime-middleware;network-controls;identity-infrastructure",
    "CM-6": "physical-hosts;virtualization;operating-system;runtime-middleware;network-controls;identity-infrastructure",
    "CM-7": "physical-hosts;virtualization;operating-system;runtime-middleware;network-controls;identity-infrastructure",
    # CA Assessment, Authorization, and Monitoring
    "CA-7": "governance-training;logging-monitoring",  # continuous monitoring
    "CA-8": "physical-network;operating-system;runtime-middleware;network-controls",  # penetration testing (as PCI 11.4.1)
    "CA-9": "network-controls",                      # internal system connections
    # CM Configuration Management
    "CM-3": "physical-hosts;virtualization;application;operating-system",  # change control
    "CM-4": "physical-hosts;virtualization;application;operating-system",  # impact analyses of changes
    "CM-5": "physical-hosts;virtualization;application;operating-system",  # who may change production
    "CM-8": "physical-hosts;virtualization;operating-system;runtime-middleware",  # component inventory
    "CM-9": GOV,                                     # configuration management plan
    "CM-10": GOV,                                    # software licences and usage restrictions
    "CM-11": "endpoints-devices;operating-system",   # user-installed software
    "CM-12": "data",                                 # information location
    "CM-13": "data",                                 # data action mapping
    # CP Contingency Planning
    "CP-3": "personnel",                             # contingency training
    "CP-7": "physical-facilities;backup-recovery",   # alternate processing site
    "CP-8": "physical-network;backup-recovery",      # telecommunications services
    "CP-9": "physical-hosts;backup-recovery",        # system backup: provider's storage, customer's jobs
    "CP-11": "physical-network;network-controls;backup-recovery",  # alternate communications protocols
    "CP-12": "operating-system",                     # safe mode
    "CP-13": "backup-recovery",                      # alternative security mechanisms
    # IA Identification and Authentication
    "IA-3": "identity-infrastructure;network-controls",  # device identification and authentication
    "IA-4": "accounts-identities",                   # identifier management
    "IA-6": "identity-infrastructure",               # masking of authentication feedback
    "IA-7": "encryption-keys",                       # cryptographic module authentication
    "IA-9": "identity-infrastructure;application",   # service identification and authentication
    "IA-10": "identity-infrastructure",              # adaptive authentication
    "IA-11": "identity-infrastructure",              # re-authentication
    "IA-12": "accounts-identities",                  # identity proofing of users
    "IA-13": "identity-infrastructure",              # identity providers and authorization servers (5.1.1)
    # IR Incident Response
    "IR-2": "personnel",                             # incident response training
    # MA: physical-hosts throughout (maintenance of system hardware)
    # MP Media Protection: family default (the provider's media, the organisation's devices and
    # its own offices' media stores) except media use, which is a device setting
    "MP-7": "physical-hosts;endpoints-devices",      # restrict removable media on components
    # PE Physical and Environmental Protection: entry, visitors and delivery also apply to the
    # organisation's own offices (customer-premises); power, fire, water and climate are the
    # hosting facility's only.
    "PE-2": "physical-facilities;customer-premises",  # physical access authorisations
    "PE-3": "physical-facilities;customer-premises",  # physical access control
    "PE-4": "physical-network;customer-premises",    # protection of cabling and transmission lines
    "PE-5": "endpoints-devices;customer-premises",   # printers and screens (output devices)
    "PE-6": "physical-facilities;customer-premises",  # monitoring physical access
    "PE-8": "physical-facilities;customer-premises",  # visitor access records
    "PE-16": "physical-facilities;customer-premises",  # delivery and removal
    "PE-17": "endpoints-devices",                    # alternate work site (home working)
    "PE-20": "physical-hosts",                       # asset location tracking
    "PE-22": "physical-hosts",                       # marking of hardware components
    # PM Program Management (privacy records are data)
    "PM-21": "data",                                 # accounting of disclosures
    "PM-22": "data",                                 # PII quality management
    "PM-25": "data",                                 # minimise PII in testing, training, research
    # RA Risk Assessment
    "RA-5": "physical-hosts;virtualization;operating-system;runtime-middleware;application",  # vulnerability scanning
    "RA-6": "physical-facilities",                   # technical surveillance countermeasures survey
    "RA-10": "logging-monitoring",                   # threat hunting
    # SA System and Services Acquisition
    "SA-3": "application",                           # system development life cycle
    "SA-8": "application",                           # security and privacy engineering principles
    "SA-10": "application",                          # developer configuration management
    "SA-11": "application",                          # developer testing
    "SA-15": "application",                          # development process, standards and tools
    "SA-17": "application",                          # developer architecture and design
    "SA-20": "application",                          # custom development of critical components
    "SA-21": "personnel",                            # developer screening
    "SA-22": "physical-hosts;virtualization;operating-system;runtime-middleware",  # unsupported components
    "SA-23": "application",                          # specialization
    "SA-24": "application",                          # design for cyber resiliency (5.2.0), as SA-8 and SA-17
    # SC System and Communications Protection
    "SC-2": "application",                           # separate user and admin functions
    "SC-3": "application",                           # security function isolation
    "SC-4": "virtualization;operating-system",       # residual information in shared resources
    "SC-5": "physical-network;network-controls",     # denial of service
    "SC-6": "virtualization;operating-system",       # resource availability (quotas, priorities)
    "SC-8": "encryption-keys",                       # transmission confidentiality and integrity
    "SC-11": "application",                          # trusted path
    "SC-12": "encryption-keys",                      # key management
    "SC-13": "encryption-keys",                      # cryptographic protection
    "SC-15": "endpoints-devices",                    # cameras and microphones
    "SC-16": "application",                          # attributes sent with information
    "SC-17": "encryption-keys",                      # PKI certificates
    "SC-18": "application;endpoints-devices",        # mobile code
    "SC-23": "application",                          # session authenticity
    "SC-24": "application;operating-system",         # fail in known state
    "SC-25": "endpoints-devices",                    # thin nodes
    "SC-27": "application",                          # platform-independent applications
    "SC-28": "encryption-keys",                      # protection of information at rest
    "SC-29": "operating-system;runtime-middleware",  # heterogeneity
    "SC-31": "operating-system",                     # covert channel analysis
    "SC-34": "operating-system",                     # non-modifiable executable programs
    "SC-36": "physical-hosts;backup-recovery",       # distributed processing and storage
    "SC-38": GOV,                                    # operations security
    "SC-39": "operating-system",                     # process isolation
    "SC-41": "endpoints-devices;physical-hosts",     # port and I/O device access
    "SC-42": "endpoints-devices",                    # sensor capability and data
    "SC-43": GOV,                                    # usage restrictions for risky components
    "SC-45": "physical-hosts;operating-system",      # time synchronisation
    "SC-48": "logging-monitoring",                   # sensor relocation
    "SC-51": "physical-hosts",                       # hardware-based (firmware) protection
    # SI System and Information Integrity
    "SI-2": "physical-hosts;virtualization;operating-system;runtime-middleware;application",  # flaw remediation, firmware included
    "SI-3": "physical-hosts;virtualization;operating-system;endpoints-devices",  # malicious code protection
    "SI-4": "logging-monitoring",                    # system monitoring
    "SI-5": GOV,                                     # receiving and passing on security advisories
    "SI-7": "physical-hosts;operating-system;application",  # software, firmware and information integrity
    "SI-8": "network-controls",                      # spam protection at mail entry points
    "SI-10": "application",                          # input validation
    "SI-11": "application",                          # error handling
    "SI-12": "data",                                 # information management and retention
    "SI-13": "physical-hosts;backup-recovery",       # predictable failure prevention, failover
    "SI-15": "application",                          # output filtering
    "SI-17": "application;operating-system",         # fail-safe procedures
    "SI-18": "data",                                 # PII quality operations
    "SI-19": "data",                                 # de-identification
    "SI-20": "data",                                 # tainting
    "SI-21": "data",                                 # information refresh
    "SI-22": "data",                                 # information diversity
    "SI-23": "data",                                 # information fragmentation
    # SR Supply Chain Risk Management: the hardware-handling controls
    "SR-9": "physical-hosts",                        # tamper resistance and detection
    "SR-10": "physical-hosts",                       # inspection of components
    "SR-12": "physical-hosts",                       # component disposal
}

ENHANCEMENT_LAYERS = {
    "AC-2(4)": "accounts-identities;logging-monitoring",   # automated audit of account actions
    "AC-2(12)": "accounts-identities;logging-monitoring",  # monitoring for atypical usage
    "AC-3(10)": "accounts-identities;logging-monitoring",  # audited override
    "AC-3(12)": "application",                             # applications assert the access they need
    "AC-3(14)": "data",                                    # individuals' access to their PII
    "AC-4(26)": "network-controls;logging-monitoring",     # audit of filtering actions
    "AC-6(4)": "operating-system",                         # separate processing domains
    "AC-6(8)": "operating-system",                         # privilege levels for code execution
    "AC-6(9)": "logging-monitoring",                       # log use of privileged functions
    "AC-7(2)": "endpoints-devices",                        # wipe a mobile device after failed logons
    "AC-17(1)": "network-controls;logging-monitoring",     # monitoring of remote access
    "AC-17(2)": "network-controls;encryption-keys",        # encrypted remote access
    "AC-17(4)": "network-controls;accounts-identities",    # privileged commands via remote access
    "AC-19(4)": "endpoints-devices",                       # classified information on mobile devices
    "AC-19(5)": "endpoints-devices",                       # full-device or container encryption
    "AC-20(2)": "endpoints-devices",                       # portable storage: restricted use
    "AC-20(3)": "endpoints-devices",                       # personally owned systems
    "AC-20(4)": "endpoints-devices",                       # network-accessible storage devices
    "AC-20(5)": "endpoints-devices",                       # portable storage: prohibited use
    "AU-9(3)": "logging-monitoring;encryption-keys",       # cryptographic protection of logs
    "CA-8(3)": "physical-facilities",                      # facility penetration testing
    "CM-2(7)": "endpoints-devices",                        # devices taken to high-risk areas
    "CM-3(6)": "encryption-keys",                          # cryptography under change control
    "CM-7(9)": "physical-hosts;endpoints-devices",         # unauthorised hardware
    "CM-8(3)": "network-controls;physical-network",        # detect unauthorised components on each party's network
    "CM-8(8)": "physical-hosts",                           # automated location tracking
    "CP-2(2)": "physical-hosts;virtualization;operating-system;runtime-middleware",  # capacity planning, not backup
    "CP-9(8)": "backup-recovery;encryption-keys",          # encrypted backups
    "IA-3(3)": "network-controls",                         # dynamic address allocation (DHCP)
    "IA-4(8)": "identity-infrastructure",                  # pairwise pseudonymous identifiers
    "IA-4(9)": "identity-infrastructure",                  # attribute maintenance and protection
    "IA-5(2)": "identity-infrastructure;encryption-keys",  # public key-based authentication
    "IA-5(7)": "application",                              # no secrets embedded in code or scripts
    "IA-5(13)": "identity-infrastructure",                 # expiry of cached authenticators
    "IA-5(14)": "encryption-keys",                         # PKI trust stores
    "IA-5(15)": "identity-infrastructure",                 # GSA-approved products
    "IA-13(1)": "identity-infrastructure;encryption-keys", # keys that sign assertions and tokens (5.1.1)
    "IA-13(2)": "identity-infrastructure;application",     # relying applications verify assertions and tokens (5.1.1)
    "MP-6(8)": "endpoints-devices",                        # remote wipe
    "PE-3(4)": "physical-hosts",                           # lockable casings
    "PE-3(5)": "physical-hosts",                           # tamper protection of hardware
    "PM-5(1)": "data",                                     # inventory of PII
    "RA-5(8)": "logging-monitoring",                       # review historic audit logs
    "SA-3(2)": "data",                                     # live data in pre-production
    "SA-3(3)": "operating-system;runtime-middleware",      # technology refresh
    "SA-9(5)": "data",                                     # processing and storage location
    "SA-9(6)": "encryption-keys",                          # organisation-controlled keys
    "SA-9(8)": "data",                                     # U.S. jurisdiction
    "SA-10(3)": "physical-hosts",                          # hardware integrity verification
    "SA-15(12)": "data",                                   # minimise PII in development
    "SC-7(12)": "operating-system",                        # host-based boundary protection
    "SC-7(14)": "physical-network",                        # unauthorised physical connections
    "SC-8(5)": "physical-network",                         # protected distribution system
    "SC-23(5)": "encryption-keys",                         # allowed certificate authorities
    "SC-28(2)": "backup-recovery",                         # offline storage
    "SC-29(1)": "virtualization",                          # virtualization techniques
    "SC-30(3)": "virtualization",                          # change processing and storage locations
    "SI-7(8)": "logging-monitoring",                       # audit integrity events
    "SI-7(9)": "operating-system;physical-hosts",          # verify boot process
    "SI-7(10)": "physical-hosts",                          # protection of boot firmware
    "SI-7(17)": "application",                             # runtime application self-protection
    "SR-11(2)": "physical-hosts",                          # configuration control of serviced parts
    "SR-11(3)": "physical-hosts",                          # anti-counterfeit scanning
}

# ---------------------------------------------------------------------------------------------
# Features (frameworks/features.csv): the per-service facts a control depends on. A feature must
# refine one of the row's layers. Order of precedence for a row:
#   1. ENHANCEMENT_FEATURES[id]
#   2. an enhancement takes its parent's features that refine one of its own layers, unless the
#      parent is in FEATURES_NOT_INHERITED (only the enhancements listed in 1 get them)
#   3. FEATURES[id] for a base control; otherwise none
# ---------------------------------------------------------------------------------------------

FEATURES = {
    "AU-2": "audit-logging",                         # event logging
    "AU-12": "audit-logging",                        # audit record generation
    "CM-6": "host-access",                           # configuration settings: who can reach the OS
    "CM-7": "host-access",                           # least functionality
    "CP-9": "backups",                               # system backup
    "IA-2": "identity-integration",                  # sign-in of organisational users
    "SC-7": "public-access",                         # boundary protection
    "SC-8": "encryption-in-transit",                 # transmission confidentiality and integrity
    "SC-12": "customer-managed-keys",                # key establishment and management
    "SC-28": "encryption-at-rest;customer-managed-keys",  # protection of information at rest
    "SI-2": "os-patching;engine-patching",           # flaw remediation
}
ENHANCEMENT_FEATURES = {
    "AC-17(2)": "encryption-in-transit",             # encrypted remote access
    "CP-9(8)": "backups;encryption-at-rest",         # encrypted backups
    "SA-9(6)": "customer-managed-keys",              # organisation-controlled keys
    "SC-7(3)": "public-access",                      # access points
    "SC-7(4)": "public-access",                      # external telecommunications services
    "SC-7(5)": "public-access",                      # deny by default
    "SC-7(11)": "public-access",                     # restrict incoming traffic
    "SC-7(28)": "public-access",                     # connections to public networks
}
FEATURES_NOT_INHERITED = {"SC-7"}   # most boundary enhancements are not about public exposure

# ---------------------------------------------------------------------------------------------
# Cadence: annual unless listed. CADENCE_TREE applies to a control and all its enhancements;
# CADENCE_EXACT to one row (and wins over CADENCE_TREE).
# ---------------------------------------------------------------------------------------------

CADENCE_TREE = {
    "RA-5": "monthly",   # vulnerability scanning (FedRAMP continuous monitoring: monthly scans)
    "AU-6": "weekly",    # audit record review
}
CADENCE_EXACT = {
    "CA-7": "monthly",      # continuous monitoring
    "CA-7(4)": "monthly",   # risk monitoring
    "CA-7(6)": "monthly",   # automated monitoring support
    "AU-6(7)": "annual",    # defining permitted actions is not a review
    "AC-2": "quarterly",    # account reviews
    "AC-6(7)": "quarterly", # review of user privileges
}

# ---------------------------------------------------------------------------------------------
# Risk weight (docs/severity.md): key when a failure directly exposes data or access, supporting
# for governance paperwork, standard otherwise. A base control's weight applies to all its
# enhancements; every XX-1 "Policy and Procedures" control is supporting.
# ---------------------------------------------------------------------------------------------

WEIGHT_KEY = {
    "AC-2", "AC-3", "AC-4", "AC-5", "AC-6", "AC-7", "AC-17", "AC-18",   # access control, remote access
    "AU-2", "AU-3", "AU-5", "AU-6", "AU-9", "AU-11", "AU-12",           # logging and log review
    "CP-9", "CP-10",                                                    # backup and recovery
    "IA-2", "IA-3", "IA-4", "IA-5", "IA-8", "IA-13",                    # authentication, MFA, identity providers
    "IR-4", "IR-5", "IR-6",                                             # incident handling
    "RA-5",                                                             # vulnerability scanning
    "SC-7", "SC-8", "SC-12", "SC-13", "SC-28",                          # boundaries, encryption, keys
    "SI-2", "SI-3", "SI-4",                                             # patching, malware, monitoring
}
WEIGHT_SUPPORTING = {
    "AT-4",                                                             # training records
    "PL-2", "PL-4", "PL-7",                                             # plans, rules of behaviour
    "PM-1", "PM-2", "PM-18", "PM-19", "PM-20", "PM-29",                 # programme plans and roles
}

# ---------------------------------------------------------------------------------------------
# Evidence. Base controls: one sentence each (srmap's words). XX-1: a template.
# Enhancements: an artefact phrase (by family and layer) plus the enhancement's title.
# ---------------------------------------------------------------------------------------------

EVIDENCE = {
    # AC
    "AC-2": "Account lists with owners and approvals, joiner, mover and leaver tickets, and the latest access review.",
    "AC-3": "Access control settings and a sample of users whose rights match what was approved.",
    "AC-4": "Data flow diagrams and the rules that allow or block traffic between network zones.",
    "AC-5": "A separation-of-duties matrix and role assignments showing nobody holds conflicting roles.",
    "AC-6": "Role definitions and privileged account lists showing people hold only the rights their job needs.",
    "AC-7": "Lockout settings for failed sign-ins and a sample of lockout events.",
    "AC-8": "Screenshots of the notice or banner users see before they sign in.",
    "AC-9": "Screenshots showing users are told about their previous sign-in when they log in.",
    "AC-10": "Settings that limit how many sessions one account may hold at once.",
    "AC-11": "Screen-lock and idle-timeout settings on devices and in the application.",
    "AC-12": "Session timeout settings and a test showing idle sessions end automatically.",
    "AC-14": "A list of the actions allowed without signing in, with the reason each is permitted.",
    "AC-16": "The labelling scheme for information and examples of labels applied to records.",
    "AC-17": "Remote access configuration (VPN or bastion), the list of who may use it and connection logs.",
    "AC-18": "Wireless network settings, the approved access points and their authentication configuration.",
    "AC-19": "Mobile device management settings and the list of enrolled devices.",
    "AC-20": "Rules or agreements for using systems the organisation does not control, with user acknowledgements.",
    "AC-21": "The process for approving information sharing with partners and a sample of sharing decisions.",
    "AC-22": "The list of people allowed to publish public content, with review records showing no non-public information was posted.",
    "AC-23": "Controls that detect or limit bulk extraction from databases, with sample alerts.",
    "AC-24": "Design records showing how access decisions are made and enforced across components.",
    "AC-25": "Architecture documents showing a reference monitor checks every access and cannot be bypassed or altered.",
    # AT
    "AT-2": "Security awareness training content and completion records for all staff in the period.",
    "AT-3": "Role-based training plans and completion records for staff with security or privacy duties.",
    "AT-4": "Training records for each person, kept for the period the policy requires.",
    "AT-6": "Feedback collected on training and the changes made to the programme because of it.",
    # AU
    "AU-2": "The list of events the system logs and the date the list was last reviewed.",
    "AU-3": "Sample log records that each name the event, time, place, source, result and person involved.",
    "AU-4": "Log storage capacity settings and monitoring that warns before space runs out.",
    "AU-5": "Alert settings for logging failures and a sample alert with the response to it.",
    "AU-6": "Records of regular log review, the findings raised and how they were followed up.",
    "AU-7": "Reports and searches produced from logs for reviews and investigations.",
    "AU-8": "Time source settings showing systems stamp logs from a common, authoritative clock.",
    "AU-9": "Access rights and settings that stop logs being changed or deleted by unauthorised people.",
    "AU-10": "Records that tie actions such as approvals or signatures to the person who performed them.",
    "AU-11": "Log retention settings that match the retention period, with the oldest logs still available.",
    "AU-12": "Logging turned on for in-scope components, with the list of sources feeding the central log store.",
    "AU-13": "Records of monitoring public sources for leaked organisational information.",
    "AU-14": "Session recording settings and a sample recorded session with its review.",
    "AU-16": "Agreements and methods for sharing audit records with other organisations.",
    # CA
    "CA-2": "The control assessment plan, the latest assessment report and its findings.",
    "CA-3": "Interconnection or information exchange agreements for each external connection.",
    "CA-5": "The plan of action and milestones with open items, owners and due dates.",
    "CA-6": "The signed authorisation to operate and the date it was last reassessed.",
    "CA-7": "The continuous monitoring strategy and the monthly monitoring reports sent to the authorising official.",
    "CA-8": "Penetration test scope, the latest report and evidence that findings were fixed.",
    "CA-9": "A list of authorised internal connections with their purpose and interface details.",
    # CM
    "CM-2": "Documented baseline configurations for each type of component, with the date of the last review.",
    "CM-3": "Change tickets showing approval, testing and review before changes reached production.",
    "CM-4": "Impact analyses recorded on changes before they were approved.",
    "CM-5": "The list of people who can change production systems and the settings that enforce it.",
    "CM-6": "Hardening standards and scan results showing systems match the required settings.",
    "CM-7": "Lists of allowed ports, protocols and services, and scans showing nothing else is enabled.",
    "CM-8": "The system component inventory with owners, and proof that it matches what is deployed.",
    "CM-9": "The configuration management plan with its roles, processes and the items under control.",
    "CM-10": "Software licence records and checks that use stays within the licence terms.",
    "CM-11": "The rules for software that users may install and the settings that enforce them.",
    "CM-12": "Records of where sensitive information is stored and processed, by component.",
    "CM-13": "A map of the processing actions performed on personal data across the system.",
    "CM-14": "Settings that block installation of software or firmware without a trusted signature.",
    # CP
    "CP-2": "The approved contingency plan with recovery roles, priorities and contacts.",
    "CP-3": "Contingency training materials and attendance records for people with recovery roles.",
    "CP-4": "The latest contingency plan test or exercise report with lessons learned.",
    "CP-6": "Details of the backup storage location showing it is separate from the primary site.",
    "CP-7": "Agreements and readiness records for an alternate site where processing can resume.",
    "CP-8": "Contracts for primary and alternate telecommunications services, with priority-of-service terms.",
    "CP-9": "Backup job settings and reports, and a sample restore from the period.",
    "CP-10": "Recovery procedures and records of a system restored to a known good state.",
    "CP-11": "Configuration showing alternate communication protocols can be used if the usual ones fail.",
    "CP-12": "The documented conditions that trigger safe mode and the settings that enforce it.",
    "CP-13": "Records of the fallback security mechanisms kept ready for when the primary ones fail.",
    # IA
    "IA-2": "Directory settings showing every staff member signs in with a unique ID and multi-factor authentication.",
    "IA-3": "Device authentication settings, such as certificates or network access control, for devices that connect.",
    "IA-4": "Rules for issuing, reusing and disabling user identifiers, and a sample of identifiers.",
    "IA-5": "Password and credential rules, and records of how credentials are issued, reset and revoked.",
    "IA-6": "Screenshots showing passwords and other secrets are masked while they are typed.",
    "IA-7": "Evidence that cryptographic modules authenticate their operators with validated mechanisms.",
    "IA-8": "Sign-in settings for external users such as customers, partners and contractors.",
    "IA-9": "Service account and service-to-service authentication settings (keys, certificates or tokens).",
    "IA-10": "Rules that ask for stronger authentication when sign-in risk is high, with sample events.",
    "IA-11": "Settings that make users sign in again in set situations, such as a role change or a timeout.",
    "IA-12": "Identity proofing procedures and a sample of records showing identity was checked before an account was issued.",
    "IA-13": "The identity providers and authorization servers in use, with the settings that govern the identities, attributes and access rights they manage.",
    # IR
    "IR-2": "Incident response training content and completion records for responders.",
    "IR-3": "The latest incident response test or tabletop exercise report and the actions taken.",
    "IR-4": "Incident tickets showing detection, analysis, containment, recovery and lessons learned.",
    "IR-5": "The incident register with the status and history of each incident in the period.",
    "IR-6": "Records of incidents reported to the required authorities within the set time.",
    "IR-7": "Details of the help desk or team that supports users reporting incidents.",
    "IR-8": "The approved incident response plan, its distribution list and the date of its last review.",
    "IR-9": "Procedures for handling information spills and records of any spills handled.",
    # MA
    "MA-2": "Hardware maintenance records with approvals, dates and the checks done after the work.",
    "MA-3": "The list of approved maintenance tools and records of their inspection.",
    "MA-4": "Records of remote maintenance sessions with strong authentication and session logs.",
    "MA-5": "The list of authorised maintenance staff and escort records for anyone else.",
    "MA-6": "Maintenance contracts or spare-part arrangements with response times for key components.",
    "MA-7": "Approvals for maintenance done in the field and records of that work.",
    # MP
    "MP-2": "Access rules for removable and backup media and records of who used them.",
    "MP-3": "Examples of media labelled with their classification and handling restrictions.",
    "MP-4": "Locked storage for media and access records for the storage area.",
    "MP-5": "Media transport logs showing custody, packaging and encryption.",
    "MP-6": "Sanitisation and destruction records or certificates for disposed media.",
    "MP-7": "Device settings that block or limit the use of removable media.",
    "MP-8": "Procedures and records for downgrading media before release.",
    # PE
    "PE-2": "The list of people with physical access to the facility and its last review.",
    "PE-3": "Entry control systems, guard logs and badge records for the facility.",
    "PE-4": "Protection of cabling and network lines inside the facility, such as locked conduits or rooms.",
    "PE-5": "Placement and access controls for printers and screens that show sensitive information.",
    "PE-6": "Physical access monitoring (cameras, alarms) with records of reviews and follow-up.",
    "PE-8": "Visitor logs for the facility and records of their review.",
    "PE-9": "Inspection records showing power equipment and cabling are protected from damage and tampering.",
    "PE-10": "The location and test records of emergency power shut-off switches.",
    "PE-11": "UPS and generator specifications and test records.",
    "PE-12": "Emergency lighting inspection and test records.",
    "PE-13": "Fire detection and suppression inspection and test records.",
    "PE-14": "Temperature and humidity monitoring records for equipment rooms.",
    "PE-15": "Water leak detection and shut-off valve inspection records.",
    "PE-16": "Records of equipment delivered to and removed from the facility, with approvals.",
    "PE-17": "Rules and technical settings for working from home or other alternate sites.",
    "PE-18": "Floor plans or site assessments showing where components sit relative to physical hazards.",
    "PE-19": "Assessments of, and protections against, information leaking through electromagnetic emanations.",
    "PE-20": "Records from asset tracking technology showing where hardware is located.",
    "PE-21": "Design or test records for protection against electromagnetic pulses.",
    "PE-22": "Examples of hardware components marked with their classification or handling level.",
    "PE-23": "Site selection records showing physical and environmental hazards were considered.",
    # PL
    "PL-2": "The approved system security and privacy plan and the date of its last review.",
    "PL-4": "Rules of behaviour signed by users before they were given access.",
    "PL-7": "The system's concept of operations document and its last update.",
    "PL-8": "The security and privacy architecture description and its last review.",
    "PL-9": "A list of centrally managed controls and how they are applied to systems.",
    "PL-10": "The record of the control baseline chosen for the system and why.",
    "PL-11": "The tailored control baseline with the reason for each change.",
    # PM
    "PM-1": "The organisation-wide information security programme plan and its approval.",
    "PM-2": "The appointment of a senior information security officer with defined responsibilities.",
    "PM-3": "Budget and staffing records showing resources assigned to security and privacy.",
    "PM-4": "The process for keeping plans of action current across systems and a sample report.",
    "PM-5": "The organisation's inventory of systems and the date of its last update.",
    "PM-6": "Security and privacy metrics with recent results reported to management.",
    "PM-7": "The enterprise architecture with security and privacy built into it.",
    "PM-8": "The critical infrastructure protection plan and its security content.",
    "PM-9": "The approved risk management strategy and evidence that it is applied.",
    "PM-10": "Records of the authorisation process and the officials who sign off systems.",
    "PM-11": "Documented mission and business processes with their protection needs.",
    "PM-12": "The insider threat programme charter, its team and records of recent activity.",
    "PM-13": "Workforce development plans and role definitions for security and privacy staff.",
    "PM-14": "The schedule and results of organisation-wide testing, training and monitoring.",
    "PM-15": "Memberships of security groups and records of information exchanged with them.",
    "PM-16": "The threat awareness programme and records of threat information shared.",
    "PM-17": "Policy and contract terms for protecting controlled information on external systems.",
    "PM-18": "The approved privacy programme plan.",
    "PM-19": "The appointment of a senior privacy official with defined responsibilities.",
    "PM-20": "Published privacy programme information, such as the privacy web page and contact details.",
    "PM-21": "Records of disclosures of personal data with the date, recipient and purpose of each.",
    "PM-22": "Procedures and records for keeping personal data accurate and up to date.",
    "PM-23": "The data governance body's charter, membership and minutes.",
    "PM-24": "The data integrity board's charter and records of its reviews of matching programmes.",
    "PM-25": "Procedures and approvals that limit the use of personal data in testing, training and research.",
    "PM-26": "The privacy complaint process and a log of complaints received and answered.",
    "PM-27": "Privacy reports sent to oversight bodies in the period.",
    "PM-28": "Documented risk framing: assumptions, constraints, risk tolerance and priorities.",
    "PM-29": "The appointment of risk management leadership roles and records of their work.",
    "PM-30": "The supply chain risk management strategy and its approval.",
    "PM-31": "The organisation-wide continuous monitoring strategy and recent results.",
    "PM-32": "Reviews confirming that systems and components are used only for their intended purpose.",
    # PS
    "PS-2": "Risk designations for each position and the date of their last review.",
    "PS-3": "Background screening records for sampled staff, before access and at rescreening.",
    "PS-4": "Leaver records showing access removed and property returned on time.",
    "PS-5": "Mover records showing access reviewed and adjusted when staff changed roles.",
    "PS-6": "Signed access agreements, such as confidentiality and acceptable use, for sampled staff.",
    "PS-7": "Contract terms and monitoring records for the security duties of contractors and other external staff.",
    "PS-8": "The disciplinary process and records of sanctions for security breaches.",
    "PS-9": "Job descriptions that include security and privacy responsibilities.",
    # PT
    "PT-2": "Records of the legal authority for each activity that processes personal data.",
    "PT-3": "Documented purposes for processing personal data, and checks that use stays within them.",
    "PT-4": "Consent wording, consent records and the way people withdraw consent.",
    "PT-5": "The privacy notice and where and when it is shown to people.",
    "PT-6": "Published system of records notices and their reviews.",
    "PT-7": "Rules and approvals for processing sensitive categories of personal data.",
    "PT-8": "Computer matching agreements and their approvals.",
    # RA
    "RA-2": "The security categorisation of the system and its information types, with its approval.",
    "RA-3": "The latest risk assessment report and the risk register with treatment decisions.",
    "RA-5": "Monthly vulnerability scan reports and tickets showing findings fixed within the set times.",
    "RA-6": "Reports of technical surveillance countermeasure surveys of the facility.",
    "RA-7": "Risk responses recorded for assessment and audit findings, with owners and dates.",
    "RA-8": "Privacy impact assessments completed before new processing of personal data began.",
    "RA-9": "The criticality analysis that identifies critical components and functions.",
    "RA-10": "Threat hunting procedures and reports from hunts carried out in the period.",
    # SA
    "SA-2": "Budget and planning records showing security and privacy resources for the system.",
    "SA-3": "The documented development life cycle with its security and privacy steps and roles.",
    "SA-4": "Contracts or purchase documents that include security and privacy requirements.",
    "SA-5": "Administrator and user documentation for the system and its security functions.",
    "SA-8": "Design documents showing how security and privacy engineering principles were applied.",
    "SA-9": "Contracts and monitoring records for external services, including their security obligations.",
    "SA-10": "Source control and change records showing the developer manages configuration and changes.",
    "SA-11": "Developer test plans and results, including security testing, with flaws tracked to closure.",
    "SA-15": "The developer's documented process, standards and tools, and their last review.",
    "SA-16": "Training the developer provided on the system's security and privacy functions.",
    "SA-17": "The developer's security and privacy architecture and design documents.",
    "SA-20": "Records of the critical components developed in-house and why.",
    "SA-21": "Screening records for developers with access to the system.",
    "SA-22": "The list of components with their end-of-support dates and plans to replace unsupported ones.",
    "SA-23": "Records of components specialised or modified to make them more trustworthy.",
    "SA-24": "The cyber resiliency goals, objectives, techniques and design principles chosen for the system, and design records showing where they were applied.",
    # SC
    "SC-2": "Architecture records showing user functions are kept apart from administration functions.",
    "SC-3": "Design records showing security functions run isolated from other functions.",
    "SC-4": "Settings that stop information left in shared memory or storage leaking between users.",
    "SC-5": "Denial-of-service protection settings and records of attacks mitigated.",
    "SC-6": "Resource quotas or priorities that keep resources available for key functions.",
    "SC-7": "Network diagrams with boundary devices, firewall rules and the reviews of those rules.",
    "SC-8": "TLS or other encryption settings for data in transit, with scan results.",
    "SC-10": "Settings that end network sessions at the end of a session or after inactivity.",
    "SC-11": "Design records showing a trusted communication path for sign-in and security functions.",
    "SC-12": "Key management procedures and records of key creation, rotation and destruction.",
    "SC-13": "A list of the cryptography in use and evidence it meets the required standards, such as validated modules.",
    "SC-15": "Settings that stop remote activation of cameras and microphones and show users when they are on.",
    "SC-16": "Design records showing security and privacy attributes travel with exchanged information.",
    "SC-17": "The certificate policy and records of certificates issued by an approved authority.",
    "SC-18": "Rules for acceptable mobile code such as scripts and macros, and the settings that enforce them.",
    "SC-20": "DNS zone settings showing signed (DNSSEC) answers from the authoritative name service.",
    "SC-21": "Resolver settings showing DNS answers are checked for origin and integrity.",
    "SC-22": "Architecture records showing name servers are redundant and separated by role.",
    "SC-23": "Application settings that protect session identifiers against hijacking and replay.",
    "SC-24": "Design and test records showing the system fails into a known, secure state.",
    "SC-25": "The list of thin clients in use and their configuration.",
    "SC-26": "Deployment and alert records for decoy systems such as honeypots.",
    "SC-27": "The list of platform-independent applications in use.",
    "SC-28": "Encryption-at-rest settings for storage, databases and backups.",
    "SC-29": "Records of the variety of technologies used to avoid common weaknesses.",
    "SC-30": "Records of the concealment or misdirection techniques used and where.",
    "SC-31": "Covert channel analysis reports for the system.",
    "SC-32": "Architecture records showing the system is split into separately protected partitions.",
    "SC-34": "Settings that load the operating system and applications from read-only media.",
    "SC-35": "Records of tools that look for malicious code on external sites, such as honeyclients, and their findings.",
    "SC-36": "Architecture records showing processing and storage are spread across locations.",
    "SC-37": "Records of out-of-band channels used to deliver sensitive items such as keys or credentials.",
    "SC-38": "Operations security procedures and training records.",
    "SC-39": "Configuration showing each process runs in its own execution domain.",
    "SC-40": "Protections for wireless links against jamming, interception and spoofing.",
    "SC-41": "Settings that disable or restrict USB and other I/O ports.",
    "SC-42": "Settings that block remote activation of device sensors, and records of permitted uses.",
    "SC-43": "Usage restrictions for risky components and records of how their use is monitored.",
    "SC-44": "Configuration of detonation chambers (sandboxes) for email attachments and downloads.",
    "SC-45": "Time synchronisation settings that point to an authoritative time source.",
    "SC-46": "Cross-domain solution configuration and the policies it enforces.",
    "SC-47": "Documented alternate communication paths and tests of their use.",
    "SC-48": "Records of sensors or monitoring tools relocated in response to threats.",
    "SC-49": "Hardware-based separation mechanisms between security domains and their configuration.",
    "SC-50": "Software-based separation mechanisms between security domains and their configuration.",
    "SC-51": "Hardware write-protection for firmware and the procedure for changing it.",
    # SI
    "SI-2": "Patch reports and tickets showing flaws were fixed within the required times.",
    "SI-3": "Anti-malware coverage, update status and recent detection reports.",
    "SI-4": "Monitoring tool coverage, alert rules and a sample of alerts that were investigated.",
    "SI-5": "Subscriptions to security advisories and records of how each relevant one was acted on.",
    "SI-6": "Results of checks that security functions work correctly, with failures followed up.",
    "SI-7": "Integrity monitoring settings and a sample of integrity alerts that were reviewed.",
    "SI-8": "Spam filter configuration and update status for the mail gateways.",
    "SI-10": "Input validation rules in the code and test results for malformed input.",
    "SI-11": "Sample error messages showing they reveal nothing sensitive, and where detailed errors are logged.",
    "SI-12": "Retention schedules and records of information kept and disposed of according to them.",
    "SI-13": "Records of component failure rates and of standby capacity or failover tests.",
    "SI-14": "Settings showing components are rebuilt from a known clean state at set intervals.",
    "SI-15": "Output filtering rules and tests showing unexpected content is blocked.",
    "SI-16": "Settings showing memory protections such as DEP and ASLR are turned on.",
    "SI-17": "Documented fail-safe procedures and records of their use or testing.",
    "SI-18": "Checks of the accuracy of personal data and records of corrections made.",
    "SI-19": "The de-identification methods used on data sets and reviews of re-identification risk.",
    "SI-20": "Records of data tainting used to detect information leaving the system.",
    "SI-21": "Schedules and records showing information is refreshed, or deleted when no longer needed.",
    "SI-22": "Records showing diverse sources are used for critical information.",
    "SI-23": "Records of information split across systems or locations to protect it.",
    # SR
    "SR-2": "The supply chain risk management plan and the date of its last review.",
    "SR-3": "Documented supply chain controls and evidence they are applied to suppliers.",
    "SR-4": "Provenance records for key components, such as origin and chain of custody.",
    "SR-5": "Procurement records showing supply chain risk was weighed in buying decisions.",
    "SR-6": "Supplier assessment reports and their review dates.",
    "SR-7": "Operations security measures that protect information about the supply chain.",
    "SR-8": "Agreements with suppliers to notify the organisation of compromises and incidents.",
    "SR-9": "Tamper-protection measures used for system components and records of their inspection.",
    "SR-10": "Records of inspections of components for signs of tampering.",
    "SR-11": "The anti-counterfeit policy and reports of any counterfeit components found.",
    "SR-12": "Disposal records for system components showing the method used.",
}

# Artefacts an auditor asks for, by the first layer of an enhancement...
LAYER_ARTEFACTS = {
    "physical-facilities": "Facility access and inspection records",
    "physical-network": "Network hardware and cabling records",
    "physical-hosts": "Hardware maintenance and media handling records",
    "virtualization": "Platform isolation settings and the provider's attestation",
    "operating-system": "Server configuration and scan results",
    "container-orchestration": "Cluster configuration and scan results",
    "runtime-middleware": "Software configuration and scan results",
    "network-controls": "Network configuration and rule reviews",
    "application": "Design documents and test results",
    "identity-infrastructure": "Identity provider settings and sign-in records",
    "accounts-identities": "Account settings and a sample of access records",
    "endpoints-devices": "Device management settings and the list of enrolled devices",
    "data": "Data inventory and processing records",
    "encryption-keys": "Encryption settings and key management records",
    "logging-monitoring": "Logging settings and review records",
    "backup-recovery": "Recovery plans and test results",
    "incident-response": "Incident response procedures and ticket records",
    "governance-training": "Approved documents and review records",
    "personnel": "Personnel files and training records",
    "customer-premises": "Office access and media handling records",
}
# ... or, more precisely, by family and first layer.
FAMILY_ARTEFACTS = {
    ("AC", "governance-training"): "Agreements and approval records",
    ("AT", "governance-training"): "Training materials and completion records",
    ("AT", "personnel"): "Training materials and completion records",
    ("CA", "governance-training"): "Assessment reports and authorisation records",
    ("CM", "governance-training"): "Inventory and configuration management records",
    ("CM", "operating-system"): "Configuration baselines and change records",
    ("CM", "application"): "Change tickets and test records",
    ("CP", "governance-training"): "Training materials and attendance records",
    ("CP", "backup-recovery"): "Contingency plans and test results",
    ("CP", "personnel"): "Training materials and attendance records",
    ("IA", "identity-infrastructure"): "Identity provider settings and authentication records",
    ("IR", "governance-training"): "Training materials and completion records",
    ("IR", "personnel"): "Training materials and completion records",
    ("MP", "physical-hosts"): "Media handling and sanitisation records",
    ("PE", "physical-facilities"): "Facility inspection and access records",
    ("PL", "governance-training"): "The approved plan and its sign-off records",
    ("PM", "governance-training"): "Programme documents and management reports",
    ("PS", "governance-training"): "Personnel files and screening records",
    ("PS", "personnel"): "Personnel files and screening records",
    ("PT", "data"): "Privacy notices and consent or processing records",
    ("RA", "governance-training"): "Risk assessment reports and risk register entries",
    ("RA", "operating-system"): "Scan reports and remediation tickets",
    ("SA", "governance-training"): "Contracts and developer documentation",
    ("SA", "application"): "Developer documentation and test results",
    ("SC", "governance-training"): "Procedures and training records",
    ("SI", "data"): "Data handling procedures and records",
    ("SR", "governance-training"): "Supplier assessments and contract terms",
}

# ... or, best, by the parent control when the enhancement keeps its parent's layers.
PARENT_ARTEFACTS = {
    "AC-2": "Account lists and account management records",
    "AC-3": "Access control settings and a sample of access decisions",
    "AC-4": "Data flow diagrams and flow control rules",
    "AC-6": "Role definitions and privileged account lists",
    "AC-16": "The labelling scheme and examples of labelled information",
    "AC-17": "Remote access settings and connection logs",
    "AC-18": "Wireless network settings and access point lists",
    "AC-20": "Usage rules and user acknowledgements",
    "AT-2": "Awareness training content and completion records",
    "AT-3": "Role-based training content and completion records",
    "AU-5": "Logging failure alert settings and sample alerts",
    "AU-6": "Log review records and follow-up tickets",
    "AU-9": "Log protection settings and access lists",
    "AU-12": "Logging settings and the list of log sources",
    "CA-2": "Assessment plans and reports",
    "CA-7": "Continuous monitoring reports",
    "CA-8": "Penetration test scopes and reports",
    "CM-2": "Baseline configurations and their review records",
    "CM-3": "Change tickets and approval records",
    "CM-4": "Change tickets and test records",
    "CM-5": "Change tickets and test records",
    "CM-6": "Hardening standards and configuration scan results",
    "CM-7": "Allowed software and service lists and scan results",
    "CM-8": "The component inventory and discovery scan results",
    "CP-2": "The contingency plan and its review records",
    "CP-4": "Contingency test plans and reports",
    "CP-6": "Backup storage site details and agreements",
    "CP-7": "Alternate site agreements and readiness records",
    "CP-8": "Telecommunications contracts and test records",
    "CP-9": "Backup settings, job reports and restore tests",
    "CP-10": "Recovery procedures and restore records",
    "IA-2": "Directory settings and sign-in records",
    "IA-5": "Credential rules and authenticator management records",
    "IA-8": "External user sign-in settings and records",
    "IA-12": "Identity proofing procedures and records",
    "IA-13": "Identity provider and authorization server settings",
    "IR-4": "Incident tickets and handling procedures",
    "IR-6": "Incident reports and reporting records",
    "IR-9": "Spill handling procedures and records",
    "MA-3": "Maintenance tool lists and inspection records",
    "MA-4": "Remote maintenance session records",
    "MA-5": "Maintenance staff authorisations and escort records",
    "MP-6": "Sanitisation procedures and destruction records",
    "PE-3": "Entry control records and guard logs",
    "PE-6": "Camera, alarm and physical access monitoring records",
    "PE-13": "Fire protection inspection and test records",
    "RA-5": "Scan reports and remediation tickets",
    "SA-4": "Contracts and acquisition documents",
    "SA-8": "Design documents and engineering reviews",
    "SA-9": "Service contracts and provider monitoring records",
    "SA-10": "Source control and change records",
    "SA-11": "Developer test plans and results",
    "SA-15": "The developer's process documents and tool records",
    "SA-17": "Architecture and design documents",
    "SC-7": "Network diagrams and firewall rules",
    "SC-8": "Encryption-in-transit settings and scan results",
    "SC-12": "Key management procedures and key records",
    "SC-18": "Mobile code rules and enforcing settings",
    "SC-36": "Recovery plans and test results",
    "SC-45": "Time source settings and synchronisation records",
    "SI-2": "Patch reports and remediation tickets",
    "SI-3": "Anti-malware settings and detection reports",
    "SI-4": "Monitoring tool settings and alert records",
    "SI-7": "Integrity monitoring settings and alert records",
    "SI-10": "Input validation rules and test results",
    "SI-13": "Recovery plans and test results",
    "SI-18": "Data accuracy checks and correction records",
    "SI-19": "De-identification methods and review records",
    "SR-4": "Provenance and chain-of-custody records",
    "SR-11": "Anti-counterfeit procedures and records",
}

# ... or, for one enhancement whose own layers start on the provider's side.
ENHANCEMENT_ARTEFACTS = {
    "CP-2(2)": "Capacity plans and resource usage records",
    "SA-15(13)": "The developer's logging format standard and sample application logs",
    "SI-2(7)": "Root cause analyses of flaws and failed updates, with the actions taken,",
}

ACRONYM_WORDS = {"I/O", "PIV-I", "U.S."}


def lower_title(title: str) -> str:
    """Lower-case a title for use inside a sentence, keeping acronyms (PIV, PKI, SCRM, I/O)."""
    out = []
    for word in title.split(" "):
        if word in ACRONYM_WORDS:
            out.append(word)
            continue
        parts = re.split(r"([-/])", word)
        parts = [p if (len(re.sub(r"[^A-Za-z]", "", p)) >= 2 and p.isupper()) else p.lower()
                 for p in parts]
        out.append("".join(parts))
    return " ".join(out)


def policy_evidence(family_title: str) -> str:
    return (f"The approved {lower_title(family_title)} policy and procedures, with their owner, "
            "the date of their last review and how staff were told about them.")


def enhancement_evidence(enh_id: str, family: str, layers: str, parent: str,
                         parent_layers: str, enh_title: str) -> str:
    first = layers.split(";")[0]
    art = FAMILY_ARTEFACTS.get((family, first), LAYER_ARTEFACTS[first])
    if layers == parent_layers and parent in PARENT_ARTEFACTS:
        art = PARENT_ARTEFACTS[parent]
    art = ENHANCEMENT_ARTEFACTS.get(enh_id, art)
    return f'{art} showing the "{lower_title(enh_title)}" enhancement is in place.'


# ---------------------------------------------------------------------------------------------
# Reading the sources
# ---------------------------------------------------------------------------------------------

def canon(label: str) -> str:
    """`AC-2 (1)`, `AC-02 (01)`, `ac-2.1` -> `AC-2(1)`."""
    s = label.strip()
    m = re.fullmatch(r"([A-Za-z]{2})-0*(\d+)(?:\s*\(0*(\d+)\)|\.0*(\d+))?", s)
    if not m:
        raise ValueError(f"not a control ID: {label!r}")
    fam, num, e1, e2 = m.groups()
    enh = e1 or e2
    return f"{fam.upper()}-{num}" + (f"({enh})" if enh else "")


def sort_key(cid: str, families: list[str]) -> tuple:
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", cid)
    fam, num, enh = m.groups()
    return (families.index(fam), int(num), int(enh or 0))


def fix_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t).strip()
    return t.replace("Gsa-approved", "GSA-approved")


def read_catalog():
    """Active controls from NIST's OSCAL catalog: {id: row}, family order, family titles, and
    the catalog's version."""
    cat = json.loads(CATALOG.read_text(encoding="utf-8"))["catalog"]
    rows: dict[str, dict] = {}
    families: list[str] = []
    family_titles: dict[str, str] = {}
    for g in cat["groups"]:
        fam = g["id"].upper()
        families.append(fam)
        family_titles[fam] = g["title"]
        for c in g["controls"]:
            add_control(c, fam, None, rows)
    return rows, families, family_titles, cat["metadata"]["version"]


def version_key(version: str) -> tuple[int, ...]:
    """`5.1.1` -> (5, 1, 1), for comparing release numbers."""
    return tuple(int(x) for x in re.findall(r"\d+", version))


def apply_releases(rows: dict, catalog_version: str) -> dict:
    """Apply RELEASES to the catalog's rows: add each control a release added that the catalog
    lacks, check the ones it has (same title) and the revised ones (present). Returns the release
    the rows now reflect, the IDs the releases added (whether the catalog or the patch supplied
    them) and those the patch supplied."""
    releases = tomllib.loads(RELEASES.read_text(encoding="utf-8"))["release"]
    release = catalog_version
    versions: list[str] = []
    added_by_releases: list[str] = []
    patched: list[str] = []
    for rel in releases:
        for a in rel["added"]:
            cid = canon(a["id"])
            assert cid.startswith(a["family"] + "-"), (cid, a["family"])
            parent = canon(a["parent"]) if a.get("parent") else None
            assert (parent is None) == ("(" not in cid), (cid, parent)
            title = fix_title(a["title"])
            added_by_releases.append(cid)
            if cid in rows:
                have = rows[cid]
                assert not have["withdrawn"], f"{cid}: release {rel['version']} added it, the catalog withdraws it"
                assert have["own_title"].lower() == title.lower(), \
                    f"{cid}: the catalog calls it {have['own_title']!r}, {RELEASES.name} {title!r}"
                continue
            assert parent is None or (parent in rows and not rows[parent]["withdrawn"]), (cid, parent)
            rows[cid] = {
                "id": cid,
                "family": a["family"],
                "own_title": title,
                "title": title if parent is None else f"{rows[parent]['own_title']} | {title}",
                "parent": parent,
                "withdrawn": False,
                "withdrawn_note": None,
            }
            patched.append(cid)
        for r in rel["revised"]:
            cid = canon(r["id"])
            assert cid in rows and not rows[cid]["withdrawn"], f"{cid}: revised in {rel['version']} but not active"
            assert r["what"].strip(), cid
        if rel["added"]:
            versions.append(rel["version"])
        if version_key(rel["version"]) > version_key(release):
            release = rel["version"]
    return {"release": release, "catalog_version": catalog_version, "versions": versions,
            "added": added_by_releases, "patched": patched}


def add_control(c: dict, fam: str, parent: dict | None, rows: dict) -> None:
    labels = [p["value"] for p in c.get("props", []) if p["name"] == "label" and "class" not in p]
    cid = canon(labels[0] if labels else c["id"])
    assert cid == canon(c["id"]), (cid, c["id"])
    withdrawn = any(p["name"] == "status" and p["value"] == "withdrawn" for p in c.get("props", []))
    own = fix_title(c["title"])
    rows[cid] = {
        "id": cid,
        "family": fam,
        "own_title": own,
        "title": own if parent is None else f"{parent['own_title']} | {own}",
        "parent": None if parent is None else parent["id"],
        "withdrawn": withdrawn,
        "withdrawn_note": None,
    }
    for e in c.get("controls", []):
        add_control(e, fam, rows[cid], rows)


def read_workbook():
    wb = openpyxl.load_workbook(WORKBOOK, read_only=True)
    # NIST catalog sheet: every control ID including the withdrawn ones.
    nist = {}
    for r in list(wb["NIST Catalog - Excel"].iter_rows(values_only=True))[2:]:
        if not r[0]:
            continue
        nist[canon(r[0])] = (fix_title(str(r[1])), str(r[2] or "").strip())
    baselines = {}
    for key, sheet in (("high", "High Baseline"), ("moderate", "Moderate Baseline"),
                       ("low", "Low Baseline")):
        ids = [canon(r[2]) for r in list(wb[sheet].iter_rows(values_only=True))[2:] if r[2]]
        baselines[key] = ids
    li = list(wb["LI-SaaS Baseline"].iter_rows(values_only=True))
    assert li[1][1] == "Control ID", li[1]
    baselines["li-saas"] = [canon(r[1]) for r in li[2:] if r[1]]
    return nist, baselines


def read_profile_ids(path: Path) -> list[str]:
    prof = json.loads(path.read_text(encoding="utf-8"))["profile"]
    ids = []
    for imp in prof["imports"]:
        for inc in imp.get("include-controls", []):
            ids += [canon(i) for i in inc["with-ids"]]
    return ids


def withdrawn_evidence(note: str) -> str:
    """`[Withdrawn: Incorporated into AC-2 and AU-6.]` -> a sentence that names the target."""
    text = note.strip().strip("[]. ").rstrip("]").strip()
    text = re.sub(r"^\[?Withdrawn:\s*", "", text).rstrip(".]").strip()
    text = re.sub(r"\b([A-Z]{2}-\d+)\s+\((\d+)\)", r"\1(\2)", text)   # AC-3 (10) -> AC-3(10)
    text = re.sub(r"\b([A-Z]{2}-\d+)([a-z])\b", r"item \2 of \1", text)  # AC-2k -> item k of AC-2
    m = re.match(r"(Incorporated into|Moved to)\s+(.*)$", text)
    if m:
        how, target = m.groups()
        if target == "SR Family":
            target = "the SR (Supply Chain Risk Management) family"
        if how == "Moved to":
            return f"Withdrawn: see {target}, where it was moved."
        return f"Withdrawn: see {target}, which it was incorporated into."
    if text.lower().startswith("addressed through tailoring"):
        return "Withdrawn: now handled through baseline tailoring; there is no replacement control."
    if text.lower().startswith("technology-specific"):
        return ("Withdrawn: technology-specific; the technology is covered like any other, "
                "so there is no replacement control.")
    raise ValueError(f"unexpected withdrawal note: {note!r}")


def referenced_ids(evidence: str) -> list[str]:
    return re.findall(r"\b[A-Z]{2}-\d+(?:\(\d+\))?", evidence)


# ---------------------------------------------------------------------------------------------
# Building rows
# ---------------------------------------------------------------------------------------------

def layers_for(row: dict, rows: dict) -> str:
    cid = row["id"]
    if cid in ENHANCEMENT_LAYERS:
        return ENHANCEMENT_LAYERS[cid]
    if row["parent"]:
        return layers_for(rows[row["parent"]], rows)
    if row["own_title"] == "Policy and Procedures":
        return GOV
    return CONTROL_LAYERS.get(cid, FAMILY_LAYERS[row["family"]])


def features_for(row: dict, rows: dict) -> str:
    cid = row["id"]
    if cid in ENHANCEMENT_FEATURES:
        return ENHANCEMENT_FEATURES[cid]
    if row["parent"]:
        if row["parent"] in FEATURES_NOT_INHERITED:
            return ""
        own = set(layers_for(row, rows).split(";"))
        inherited = features_for(rows[row["parent"]], rows).split(";")
        return ";".join(f for f in inherited if f and FEATURE_LAYER[f] in own)
    return FEATURES.get(cid, "")


def cadence_for(row: dict) -> str:
    cid = row["id"]
    if cid in CADENCE_EXACT:
        return CADENCE_EXACT[cid]
    base = row["parent"] or cid
    return CADENCE_TREE.get(base, "annual")


def weight_for(row: dict, rows: dict) -> str:
    base = rows[row["parent"]] if row["parent"] else row
    if base["id"] in WEIGHT_KEY:
        return "key"
    if base["own_title"] == "Policy and Procedures" or base["id"] in WEIGHT_SUPPORTING:
        return "supporting"
    return "standard"


def evidence_for(row: dict, layers: str, rows: dict, family_titles: dict) -> str:
    cid = row["id"]
    if row["parent"] is None:
        if row["own_title"] == "Policy and Procedures":
            return policy_evidence(family_titles[row["family"]])
        return EVIDENCE[cid]
    parent_layers = layers_for(rows[row["parent"]], rows)
    return enhancement_evidence(cid, row["family"], layers, row["parent"], parent_layers,
                                row["own_title"])


def check_tables(rows: dict) -> None:
    for table in (CONTROL_LAYERS, ENHANCEMENT_LAYERS, FEATURES, ENHANCEMENT_FEATURES,
                  WEIGHT_KEY, WEIGHT_SUPPORTING):
        unknown = [k for k in table if k not in rows or rows[k]["withdrawn"]]
        assert not unknown, f"table keys that are not active controls: {unknown}"
    assert all(not rows[k]["parent"]
               for k in list(CONTROL_LAYERS) + list(FEATURES) + list(WEIGHT_KEY) + list(WEIGHT_SUPPORTING))
    assert not WEIGHT_KEY & WEIGHT_SUPPORTING
    assert all(rows[k]["parent"] for k in list(ENHANCEMENT_LAYERS) + list(ENHANCEMENT_FEATURES))
    for table in (FAMILY_LAYERS, CONTROL_LAYERS, ENHANCEMENT_LAYERS):
        for k, v in table.items():
            assert all(x in LAYER_IDS for x in v.split(";")), (k, v)


def build():
    rows, families, family_titles, catalog_version = read_catalog()
    releases = apply_releases(rows, catalog_version)
    nist_sheet, baselines = read_workbook()

    check_tables(rows)
    active = [r for r in rows.values() if not r["withdrawn"]]
    assert len(active) == EXPECTED_ACTIVE, f"{len(active)} active controls, expected {EXPECTED_ACTIVE}"

    # Withdrawn IDs: taken from the catalog where it marks them (status = withdrawn); this copy
    # of NIST's OSCAL catalog carries none, so they come from the workbook's NIST catalog sheet.
    for cid, (title, text) in nist_sheet.items():
        is_withdrawn = text.lower().lstrip("[").startswith("withdrawn")
        if cid in rows:
            assert not is_withdrawn or rows[cid]["withdrawn"], f"{cid} active in OSCAL, withdrawn in workbook"
            if rows[cid]["withdrawn"]:
                rows[cid]["withdrawn_note"] = text
            continue
        assert is_withdrawn, f"{cid} is in the workbook catalog but not the OSCAL catalog"
        fam = cid[:2]
        parent = cid.split("(")[0] if "(" in cid else None
        own = title.split(" | ", 1)[1] if parent else title
        rows[cid] = {
            "id": cid, "family": fam, "own_title": own, "title": title,
            "parent": parent, "withdrawn": True, "withdrawn_note": text,
        }
    for r in rows.values():
        if r["withdrawn"] and r["parent"] in rows:
            # use the catalog's spelling of the parent title ("(Organizational Users)")
            r["title"] = f"{rows[r['parent']]['own_title']} | {r['own_title']}"
    # the workbook's catalog sheet predates the releases: what they added is not in it
    missing_active = [c for c in (x["id"] for x in active)
                      if c not in nist_sheet and c not in releases["added"]]
    assert not missing_active, f"active controls missing from the workbook catalog: {missing_active}"

    out = []
    for cid in sorted(rows, key=lambda c: sort_key(c, families)):
        r = rows[cid]
        group = f"{r['family']} {family_titles[r['family']]}"
        if r["withdrawn"]:
            ev = withdrawn_evidence(r["withdrawn_note"] or "")
            out.append({"id": cid, "title": r["title"], "group": group, "kind": "informative",
                        "parent": r["parent"] or "", "layers": "", "features": "",
                        "cadence": "annual", "evidence": ev, "weight": ""})
            continue
        layers = layers_for(r, rows)
        out.append({
            "id": cid,
            "title": r["title"],
            "group": group,
            "kind": "enhancement" if r["parent"] else "control",
            "parent": r["parent"] or "",
            "layers": layers,
            "features": features_for(r, rows),
            "cadence": cadence_for(r),
            "evidence": evidence_for(r, layers, rows, family_titles),
            "weight": weight_for(r, rows),
        })
    return out, baselines, releases


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def toml_list(items) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def write_framework(stem: str, header: dict, rows: list[dict]) -> None:
    lines = [
        f"id = {toml_str(stem)}",
        f"name = {toml_str(header['name'])}",
        f"version = {toml_str(header['version'])}",
        f"publisher = {toml_str(header['publisher'])}",
        f"source = {toml_str(header['source'])}",
        f"description = {toml_str(header['description'])}",
        "# spellings that real files put in front of control IDs; stripped before matching (case-insensitive)",
        f"id_prefixes = {toml_list(header['id_prefixes'])}",
        "attestations = [" + ", ".join(toml_list(g) for g in header["attestations"]) + "]",
        f"agreements = {toml_list(header['agreements'])}",
        "",
    ]
    (OUT / f"{stem}.toml").write_text(
        "# Generated by scripts/gen_nist_frameworks.py from the published NIST and FedRAMP files; "
        "edit the script, not this file.\n" + "\n".join(lines), encoding="utf-8")
    with open(OUT / f"{stem}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for r in rows:
            w.writerow([r[h] for h in HEADER])


def check(stem: str, rows: list[dict]) -> None:
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"{stem}: duplicate IDs"
    idset = set(ids)
    for r in rows:
        for h in HEADER:
            assert r[h] == r[h].strip(), f"{stem} {r['id']}: spaces around {h}"
        assert r["title"] and r["evidence"] and r["group"], f"{stem} {r['id']}: empty cell"
        assert r["kind"] in {"control", "enhancement", "informative"}
        assert r["cadence"] in CADENCES, r
        assert r["weight"] in ({""} if r["kind"] == "informative" else WEIGHTS), r
        layers = [x for x in r["layers"].split(";") if x]
        assert all(x in LAYER_IDS for x in layers), r
        assert len(layers) == len(set(layers)), r
        assert bool(layers) == (r["kind"] != "informative"), r
        features = [x for x in r["features"].split(";") if x]
        assert len(features) == len(set(features)), r
        for ft in features:
            assert ft in FEATURE_LAYER, f"{stem} {r['id']}: unknown feature {ft}"
            assert FEATURE_LAYER[ft] in layers, f"{stem} {r['id']}: {ft} refines none of its layers"
        assert not r["parent"] or r["parent"] in idset, f"{stem} {r['id']}: parent {r['parent']} missing"
        if stem == NIST_ID and r["kind"] != "informative":
            assert (r["kind"] == "enhancement") == bool(r["parent"]), r


NIST_ID = "nist-800-53-r5"


def main() -> None:
    nist_rows, baselines, releases = build()
    by_id = {r["id"]: r for r in nist_rows}

    # every ID a withdrawn row points to must exist (active) in the catalog
    for r in nist_rows:
        if r["kind"] == "informative":
            for ref in referenced_ids(r["evidence"]):
                assert ref in by_id and by_id[ref]["kind"] != "informative", (r["id"], ref)

    # baselines: the workbook's own counts, no duplicates, all active controls
    for key, ids in baselines.items():
        assert len(ids) == len(set(ids)), f"{key}: duplicate IDs in the workbook"
        assert len(ids) == EXPECTED_BASELINES[key], f"{key}: {len(ids)} rows, expected {EXPECTED_BASELINES[key]}"
        bad = [i for i in ids if i not in by_id or by_id[i]["kind"] == "informative"]
        assert not bad, f"{key}: not active NIST controls: {bad}"
    prof = read_profile_ids(MODERATE_PROFILE)
    assert set(prof) == set(baselines["moderate"]) and len(prof) == len(set(prof)), \
        "Moderate baseline differs between the workbook and the FedRAMP OSCAL profile"

    active = sum(1 for r in nist_rows if r["kind"] != "informative")
    withdrawn = len(nist_rows) - active
    release = releases["release"]
    origin = "from NIST's OSCAL catalog"
    if releases["patched"]:
        origin = (f"from NIST's OSCAL catalog {releases['catalog_version']} and the "
                  f"{len(releases['patched'])} controls later releases added "
                  f"({', '.join(releases['patched'])}), listed in scripts/{RELEASES.name}")
    write_framework(NIST_ID, {
        "name": "NIST SP 800-53",
        "version": f"Rev. 5 release {release}",
        "publisher": "NIST",
        "source": "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        "description": (f"Every control and control enhancement of NIST SP 800-53 Rev. 5 release "
                        f"{release} ({active:,} active, {origin}) plus the {withdrawn} withdrawn "
                        "IDs as informative rows that point to where they went; layers, features, "
                        "cadence and evidence are srmap's own."),
        "id_prefixes": ["NIST SP 800-53 Rev. 5", "NIST_SP_800-53_R5", "800-53", "NIST"],
        "attestations": [["fedramp-ato", "soc2-type2"]],
        "agreements": [],
    }, nist_rows)
    check(NIST_ID, nist_rows)
    counts = {NIST_ID: (len(nist_rows), active, withdrawn)}

    names = {"low": "Low", "moderate": "Moderate", "high": "High", "li-saas": "LI-SaaS"}
    for key in ("low", "moderate", "high", "li-saas"):
        members = set(baselines[key])
        rows = []
        for r in nist_rows:
            if r["id"] not in members:
                continue
            r = dict(r)
            if r["parent"] and r["parent"] not in members:
                r["parent"] = ""
            rows.append(r)
        assert len(rows) == len(members)
        stem = f"fedramp-r5-{key}"
        extra = ""
        left_out = [c for c in releases["added"] if c not in members]
        if left_out:
            extra += (f" The {len(left_out)} controls NIST added in releases "
                      f"{' and '.join(releases['versions'])} ({', '.join(left_out)}) are not in it: "
                      "FedRAMP's baseline does not list them.")
        if key == "li-saas":
            extra += (" The workbook's tailoring actions (Attest, Document and Assess, NSO, FED) "
                     "are not carried over: every listed control is included.")
        write_framework(stem, {
            "name": f"FedRAMP Rev5 {names[key]} baseline",
            "version": "Rev5",
            "publisher": "GSA FedRAMP",
            "source": "https://www.fedramp.gov/documents-templates/",
            "description": (f"The {len(rows)} NIST SP 800-53 Rev. 5 controls and enhancements of the "
                            f"FedRAMP Rev5 {names[key]} baseline, from the FedRAMP Security Controls "
                            "Baseline workbook; layers, features, cadence and evidence are srmap's own."
                            + extra),
            "id_prefixes": ["FedRAMP", "NIST SP 800-53 Rev. 5", "800-53"],
            "attestations": [["fedramp-ato"]],
            "agreements": [],
        }, rows)
        check(stem, rows)
        counts[stem] = (len(rows), sum(1 for r in rows if r["kind"] == "control"),
                        sum(1 for r in rows if r["kind"] == "enhancement"))

    for stem, c in counts.items():
        if stem == NIST_ID:
            print(f"{stem}: {c[0]} rows ({c[1]} active, {c[2]} withdrawn)")
        else:
            print(f"{stem}: {c[0]} rows ({c[1]} controls, {c[2]} enhancements)")


if __name__ == "__main__":
    main()

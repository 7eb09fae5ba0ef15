#!/usr/bin/env python3
"""Write a realistic, deterministic audit workload for `srmap gaps`: a scope, an evidence
register and an attestations register for a fictional estate of N systems.

Usage:
    scripts/gen_workload.py OUTDIR [--systems 100] [--rows 200000] [--seed 1]

Writes OUTDIR/scope.toml, OUTDIR/evidence.csv and OUTDIR/attestations.csv in the formats of
samples/northwind/. Then:

    srmap gaps --scope OUTDIR/scope.toml --evidence OUTDIR/evidence.csv \\
        --attestations OUTDIR/attestations.csv --as-of 2026-09-30 --format csv

The estate (Fabrikam Group, fictional) runs payments, health, federal and corporate systems over
five frameworks (pci-dss-4.0.1, soc2-2017, hipaa-security, iso27001-2022, fedramp-r5-moderate,
the NIST SP 800-53 Rev. 5 moderate baseline). Each system runs on one of 18 offering sets of one
to three built-in offerings (AWS, Azure, GCP and SaaS); many systems share a set, as in a real
estate. The audit period is 2025-10-01 to 2026-09-30.

The register holds evidence for the controls the customer owns or shares on each system (worked
out from the layers of the built-in matrices: an approximation of srmap's owner model, which
also weighs per-service facts and per-control rows), organisation-wide rows (empty `system`) for
governance and people controls, an occurrence per quarter, half or month for recurring
controls, one row per offering for technical controls, and earlier years' copies. Most rows are
good. Deliberate problems, at realistic rates: controls with no evidence, expired, stale
(last year's), pending, draft or rejected evidence, failed checks, missed occurrences, rows dated
after the as-of date, rows naming unknown controls (typos and retired framework versions) or
decommissioned systems, and rows for frameworks a system is not assessed against. None of them
is an input error: every row parses, so srmap reports them as findings.

The same arguments always write the same files (Python's random with a fixed seed; no clock).
Python 3 standard library only.
"""

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIOD_START = dt.date(2025, 10, 1)
PERIOD_END = dt.date(2026, 9, 30)
AS_OF = dt.date(2026, 9, 30)
ORG = "Fabrikam Group (fictional)"

FRAMEWORKS = ["pci-dss-4.0.1", "soc2-2017", "hipaa-security", "iso27001-2022", "fedramp-r5-moderate"]
# Whether the organisation's premises count by default (as the frameworks' headers say).
PREMISES = {f: f != "fedramp-r5-moderate" for f in FRAMEWORKS}

# The organisation's applicability settings, and the conditions they make true (applies_to).
SOC2_CATEGORIES = ["security", "availability", "confidentiality"]
TRUE_CONDITIONS = {
    "pci-dss-4.0.1": set(),  # a merchant: no service-provider, multi-tenant, early-TLS or DESV rows
    "soc2-2017": set(SOC2_CATEGORIES),
    "hipaa-security": set(),  # a covered entity, not a government body
    "iso27001-2022": set(),
    "fedramp-r5-moderate": set(),
}

# The offering sets systems run on: (offerings, domains that use it, weight).
OFFERING_SETS = [
    (["aws/ec2", "aws/rds", "aws/s3"], "payments health federal corporate", 10),
    (["aws/eks", "aws/aurora", "aws/s3"], "payments health corporate", 9),
    (["aws/lambda", "aws/dynamodb", "aws/api-gateway"], "payments health corporate", 7),
    (["aws/ecs", "aws/rds", "aws/sqs"], "payments health federal corporate", 6),
    (["aws/s3", "aws/cloudfront"], "payments health corporate", 4),
    (["aws/redshift", "aws/s3", "aws/kinesis-data-streams"], "health corporate", 3),
    (["azure/app-service", "azure/sql-database"], "payments health federal corporate", 8),
    (["azure/aks", "azure/cosmos-db", "azure/blob-storage"], "payments health corporate", 5),
    (["azure/virtual-machines", "azure/sql-database"], "federal health corporate", 4),
    (["azure/functions", "azure/blob-storage"], "health corporate", 3),
    (["gcp/cloud-run", "gcp/cloud-storage", "gcp/bigquery"], "health corporate", 5),
    (["gcp/gke", "gcp/cloud-sql"], "payments corporate federal", 4),
    (["gcp/compute-engine", "gcp/persistent-disk"], "federal corporate", 2),
    (["microsoft/m365"], "corporate", 3),
    (["salesforce/sales-cloud"], "corporate payments", 2),
    (["atlassian/cloud"], "corporate", 2),
    (["servicenow/now-platform"], "corporate", 2),
    (["workday/hcm"], "corporate", 1),
]

# System names by domain; each gets suffixes (api, web, ...) until there are enough systems.
DOMAINS = {
    "payments": ["checkout", "card-vault", "settlement", "refunds", "billing", "payouts",
                 "merchant-portal", "fraud-scoring", "invoicing", "wallet"],
    "health": ["patient-portal", "claims", "pharmacy", "ehr-sync", "lab-results", "telehealth",
               "member-services", "care-plans", "eligibility", "prior-auth"],
    "federal": ["benefits", "case-management", "grants", "records-archive", "citizen-identity"],
    "corporate": ["crm", "hr", "erp", "data-lake", "search", "notifications", "support-desk",
                  "marketing", "document-store", "ci-cd", "observability", "identity", "intranet",
                  "procurement", "finance-reporting"],
}
SUFFIXES = ["", "-api", "-web", "-batch", "-events", "-reporting", "-eu", "-us", "-mobile",
            "-archive", "-admin", "-gateway"]

PEOPLE = {
    "grc": "M. Chen (GRC Lead)",
    "ciso": "J. Alvarez (CISO)",
    "vendor": "F. Ibrahim (Vendor Risk Manager)",
    "hr": "S. Novak (HR Director)",
    "iam": "K. Mensah (Identity and Access)",
    "privacy": "N. Patel (HIPAA Privacy Officer)",
    "pci": "D. Romero (PCI Programme Manager)",
    "fedramp": "L. Haddad (FedRAMP Compliance Lead)",
    "soc": "T. Okonkwo (Security Operations)",
    "audit": "B. Walsh (Internal Audit)",
    "facilities": "G. Moreau (Facilities Manager)",
}
TEAM_LEADS = ["A. Kowalski", "P. Singh", "R. Tanaka", "E. Lindqvist", "C. Duarte", "H. Nakamura",
              "O. Adeyemi", "V. Petrova", "Y. Cohen", "I. Rossi", "W. Zhang", "Z. Hussain",
              "L. Fischer", "M. Santos", "N. Dubois", "Q. Larsen", "S. Iyer", "U. Keller"]
TEAMS = {"payments": "Payments Platform", "health": "Health Engineering",
         "federal": "Public Sector Delivery", "corporate": "Corporate IT"}

# Control IDs that name nothing: typos, retired versions, frameworks not in the catalog.
UNKNOWN_CONTROLS = [
    "pci-dss-4.0.1:8.3.13", "pci-dss-4.0.1:12.10.8", "pci-dss-3.2.1:8.2.3", "pci-dss-3.2.1:10.6.1",
    "iso27001-2013:A.9.2.1", "iso27001-2013:A.12.4.1", "iso27001-2022:A.5.38", "iso27001-2022:A.8.35",
    "soc2-2017:CC10.1", "soc2-2017:CC6.9", "hipaa-security:164.308(a)(9)", "nist-800-53-r4:AC-2",
    "fedramp-r5-moderate:AC-2(14)", "fedramp-r5-moderate:XX-1", "cis-v8:5.3", "SOC 2 CC 6.1.1",
]
RETIRED_SYSTEMS = ["legacy-billing", "payments-v1", "old-intranet", "claims-mainframe",
                   "hr-onprem", "sftp-gateway"]
# Rows for a framework no system is assessed against, or one a system is not assessed against.
UNUSED_CONTROLS = ["gdpr:Art. 32", "gdpr:Art. 30", "gdpr:Art. 5", "mcsb-v1:IM-1", "mcsb-v1:LT-4"]

KIND_BY_LAYER = {
    "governance-training": ["policy", "procedure", "report"],
    "personnel": ["training-record", "report", "procedure"],
    "customer-premises": ["report", "screenshot", "log-extract"],
    "endpoints-devices": ["config-export", "report", "screenshot"],
    "accounts-identities": ["report", "config-export", "ticket"],
    "data": ["report", "config-export", "procedure"],
    "logging-monitoring": ["log-extract", "config-export", "screenshot"],
    "network-controls": ["config-export", "screenshot", "report"],
    "encryption-keys": ["config-export", "screenshot", "report"],
    "backup-recovery": ["report", "log-extract", "ticket"],
    "incident-response": ["ticket", "report", "procedure"],
    "application": ["ticket", "report", "config-export"],
}
KIND_WORDS = {
    "policy": "Policy", "procedure": "Procedure", "report": "Report", "screenshot": "Screenshot",
    "config-export": "Configuration export", "ticket": "Ticket", "log-extract": "Log extract",
    "training-record": "Training records", "contract": "Contract",
}
ORG_WIDE_LAYERS = {"governance-training", "personnel", "customer-premises", "endpoints-devices"}
RECURRING_MONTHS = {"quarterly": 3, "semiannual": 6, "monthly": 1, "daily": 1, "continuous": 1}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", type=Path)
    p.add_argument("--systems", type=int, default=100)
    p.add_argument("--rows", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    if a.systems < 1 or a.rows < 1:
        p.error("--systems and --rows must be at least 1")
    return a


def read_controls(fw):
    """The controls of a framework that may need evidence: (id, layers, cadence, title,
    condition); condition is the `applies_to` setting it needs, empty when it always applies."""
    out = []
    with open(ROOT / "frameworks" / f"{fw}.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "informative":
                continue
            cond = (r.get("applies_to") or "").strip()
            layers = [x.strip() for x in r["layers"].split(";") if x.strip()]
            out.append((r["id"], layers, r["cadence"], r["title"], cond))
    return out


def read_matrices(wanted):
    """Layer -> owner of each wanted built-in matrix (providers/**/*.toml, found by its `id`)."""
    out = {}
    for path in sorted((ROOT / "providers").rglob("*.toml")):
        owners, table, ident = {}, None, None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+\s*$", line)
            if m:
                table = m.group(1)
                continue
            m = re.match(r'\s*(id|owner)\s*=\s*"([^"]+)"', line)
            if not m:
                continue
            if m.group(1) == "id" and table is None:
                ident = m.group(2)
            elif m.group(1) == "owner" and table and table.startswith("layers."):
                owners[table[len("layers."):]] = m.group(2)
        if ident in wanted:
            out[ident] = owners
    missing = sorted(set(wanted) - set(out))
    if missing:
        sys.exit(f"no built-in matrix for {', '.join(missing)}")
    return out


def check_planted():
    """The planted unknown controls must stay unknown, and the unused ones known, as the data
    grows: stop with a message otherwise."""
    def ids(fw):
        path = ROOT / "frameworks" / f"{fw}.csv"
        if not path.exists():
            return None
        with open(path, newline="", encoding="utf-8") as f:
            return {r["id"] for r in csv.DictReader(f)}
    for c in UNKNOWN_CONTROLS + UNUSED_CONTROLS:
        fw, _, cid = c.partition(":")
        known = ids(fw) if cid else None
        if (c in UNUSED_CONTROLS) != bool(known and cid in known):
            sys.exit(f"gen_workload.py: update the planted control `{c}` for today's data")


def customer_layers(layers, matrices, premises):
    """The layers of a control the customer owns or shares on one of the offerings (the layer
    rule); empty when the provider runs it alone."""
    out = set()
    for layer in layers:
        if layer == "customer-premises":
            if premises:
                out.add(layer)
        elif any(m.get(layer) in ("customer", "shared") for m in matrices):
            out.add(layer)
    return out


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


def day(rng, start, end):
    """A random date in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def occurrences(cadence):
    """The occurrences of a recurring cadence in the period: (start, end) pairs; [] otherwise."""
    if cadence == "weekly":
        weeks, d = [], PERIOD_START
        while d <= PERIOD_END:
            weeks.append((d, min(d + dt.timedelta(days=6), PERIOD_END)))
            d += dt.timedelta(days=7)
        return weeks
    span = RECURRING_MONTHS.get(cadence)
    if not span:
        return []
    out, d = [], PERIOD_START
    while d <= PERIOD_END:
        nxt = add_months(d, span)
        out.append((d, min(nxt - dt.timedelta(days=1), PERIOD_END)))
        d = nxt
    return out


def build_systems(rng, n):
    """n systems: (name, domain, offering set index, frameworks), round-robin over domains first."""
    order = ["payments", "health", "federal", "corporate"]
    weights = {"payments": 3, "health": 3, "federal": 1, "corporate": 4}
    names_by_domain = {d: [b + s for s in SUFFIXES for b in DOMAINS[d]] for d in DOMAINS}
    used, systems = {d: 0 for d in DOMAINS}, []
    for i in range(n):
        domain = order[i] if i < len(order) else rng.choices(order, [weights[d] for d in order])[0]
        names = names_by_domain[domain]
        k = used[domain]
        used[domain] += 1
        name = names[k] if k < len(names) else f"{names[k % len(names)]}-{k // len(names) + 1}"
        sets = [j for j, (_, doms, _) in enumerate(OFFERING_SETS) if domain in doms.split()]
        set_index = rng.choices(sets, [OFFERING_SETS[j][2] for j in sets])[0]
        fws = ["iso27001-2022"] if rng.random() < 0.9 or domain == "corporate" else []
        if domain == "payments":
            fws.append("pci-dss-4.0.1")
        elif domain == "health":
            fws.append("hipaa-security")
        elif domain == "federal":
            fws.append("fedramp-r5-moderate")
        elif rng.random() < 0.1:
            fws.append("pci-dss-4.0.1")  # a corporate system connected to the card environment
        if domain != "federal" and rng.random() < 0.75 or domain == "corporate" and not fws:
            fws.append("soc2-2017")
        if domain == "federal" and rng.random() < 0.3:
            fws.append("soc2-2017")
        fws = sorted(set(fws), key=FRAMEWORKS.index)
        systems.append({"name": name, "domain": domain, "set": set_index, "frameworks": fws})
    return systems


def system_description(s):
    offs = OFFERING_SETS[s["set"]][0]
    what = {"payments": "Takes or settles card payments", "health": "Holds patient and member health data",
            "federal": "Runs a federal agency's programme", "corporate": "Internal business operations"}
    return f"{what[s['domain']]}: runs on {', '.join(offs)}."


def write_scope(path, systems, leads):
    L = []
    w = L.append
    w("# Fabrikam Group (fictional): a generated audit workload for srmap (scripts/gen_workload.py).")
    w(f"# {len(systems)} systems over {len(FRAMEWORKS)} frameworks; every name in it is made up.")
    w(f"organization = {toml_str(ORG)}")
    w(f'period = {{ start = "{PERIOD_START}", end = "{PERIOD_END}" }}')
    for s in systems:
        w("")
        w("[[systems]]")
        w(f"name = {toml_str(s['name'])}")
        w(f"description = {toml_str(system_description(s))}")
        w(f"offerings = {toml_list(OFFERING_SETS[s['set']][0])}")
        w(f"frameworks = {toml_list(s['frameworks'])}")
        if s.get("pi"):
            w("")
            w("# It computes what customers pay: its SOC 2 report adds processing integrity.")
            w('[systems.applicability."soc2-2017"]')
            w(f"categories = {toml_list(SOC2_CATEGORIES + ['processing-integrity'])}")
    w("")
    w("# Who findings go to when the register names nobody (see samples/northwind/scope.toml).")
    w("[owners]")
    w(f"default = {toml_str(PEOPLE['grc'])}")
    w(f"vendor-management = {toml_str(PEOPLE['vendor'])}")
    w("")
    w("[owners.systems]")
    for s in systems:
        w(f"{toml_str(s['name'])} = {toml_str(leads[s['name']])}")
    w("")
    w("[owners.frameworks]")
    w(f'"iso27001-2022" = {toml_str(PEOPLE["ciso"])}')
    w(f'"pci-dss-4.0.1" = {toml_str(PEOPLE["pci"])}')
    w(f'"fedramp-r5-moderate" = {toml_str(PEOPLE["fedramp"])}')
    w("")
    w("[owners.layers]")
    w(f"personnel = {toml_str(PEOPLE['hr'])}")
    w(f"customer-premises = {toml_str(PEOPLE['facilities'])}")
    w(f"logging-monitoring = {toml_str(PEOPLE['soc'])}")
    w("")
    w("[owners.controls]")
    w(f'"pci-dss-4.0.1:8" = {toml_str(PEOPLE["iam"])}')
    w(f'"soc2-2017:CC6" = {toml_str(PEOPLE["iam"])}')
    w(f'"fedramp-r5-moderate:AC" = {toml_str(PEOPLE["iam"])}')
    w(f'"hipaa-security:164.308" = {toml_str(PEOPLE["privacy"])}')
    w("")
    w("[worklist]")
    w("due-before-period-end-days = 30")
    w("row-fixes-due-in-days = 14")
    w("")
    w("# A merchant taking card-not-present payments only.")
    w('[applicability."pci-dss-4.0.1"]')
    w('entity = "merchant"')
    w("multi-tenant-provider = false")
    w("early-tls-pos-terminals = false")
    w("designated-entity = false")
    w("")
    w('[applicability."soc2-2017"]')
    w(f"categories = {toml_list(SOC2_CATEGORIES)}")
    w("")
    w('[applicability."hipaa-security"]')
    w('entity = "covered-entity"')
    w("government-entity = false")
    w("")
    w("[[exclude]]")
    w('framework = "iso27001-2022"')
    w('control = "A.8.30"')
    w('reason = "No development is outsourced: Fabrikam\'s own engineers build every system."')
    saas = [s["name"] for s in systems if OFFERING_SETS[s["set"]][0][0].split("/")[0]
            not in ("aws", "azure", "gcp") and "iso27001-2022" in s["frameworks"]]
    if saas:
        w("")
        w("[[exclude]]")
        w('framework = "iso27001-2022"')
        w('control = "A.8.28"')
        w(f"systems = {toml_list(saas)}")
        w('reason = "SaaS used as delivered: Fabrikam writes no code for these systems."')
    path.write_text("\n".join(L) + "\n", encoding="utf-8")
    return {("iso27001-2022", "A.8.30", None)} | {("iso27001-2022", "A.8.28", n) for n in saas}


def write_attestations(path, providers):
    """The reports, certificates and agreements on file: mostly good, a few deliberately not."""
    rows = []
    full = ("2025-10-01", "2026-09-30", "2027-06-30")
    refs = {"aws": "AWS", "azure": "Microsoft Azure", "gcp": "Google Cloud", "microsoft": "Microsoft 365",
            "salesforce": "Salesforce", "atlassian": "Atlassian Cloud", "servicenow": "ServiceNow",
            "workday": "Workday"}
    for p in sorted(providers):
        name = refs.get(p, p)
        offs = sorted(providers[p])
        if p == "gcp":
            # Period ends before the audit period does: a bridge letter is needed.
            rows.append([p, "soc2-type2", "*", "2025-04-01", "2026-03-31", "2027-03-31",
                         f"{name} SOC 2 Type II (Apr 2025 - Mar 2026)", "Bridge letter requested"])
        elif p == "aws" and len(offs) > 1:
            # Our copy leaves out one service the estate uses.
            rows.append([p, "soc2-type2", ";".join(offs[:-1]), *full,
                         f"{name} SOC 2 Type II (Fall 2026)", "Check the services list"])
        else:
            rows.append([p, "soc2-type2", "*", *full, f"{name} SOC 2 Type II (FY2026)", ""])
        rows.append([p, "iso27001-cert", "*", "2025-01-15", "2028-01-14", "2028-01-14",
                     f"{name} ISO/IEC 27001:2022 certificate", ""])
        if p in ("aws", "gcp", "salesforce"):
            rows.append([p, "pci-aoc", "*", "2025-10-01", "2026-09-30", "2026-12-31",
                         f"{name} PCI DSS v4.0.1 Attestation of Compliance", ""])
        elif p == "azure":
            rows.append([p, "pci-aoc", ";".join(offs), "2025-06-01", "2026-05-31", "2026-08-31",
                         f"{name} PCI DSS v4.0.1 AOC (2025)", "Lapsed: request the 2026 AOC"])
        if p in ("aws", "azure", "gcp", "microsoft", "salesforce", "servicenow"):
            rows.append([p, "hipaa-baa", "*", "", "", "",
                         f"{name} Business Associate Addendum", "Accepted in the provider portal"])
        if p in ("aws", "azure", "gcp"):
            rows.append([p, "fedramp-ato", "*", "2025-10-01", "2026-09-30", "2027-09-30",
                         f"{name} FedRAMP Moderate P-ATO package", ""])
    # A retired service, and a provider the estate no longer uses.
    rows.append(["aws", "soc2-type2", "aws/simpledb", *full, "AWS SOC 2 Type II (SimpleDB bridge)",
                 "SimpleDB was retired"])
    rows.append(["box", "soc2-type2", "*", *full, "Box SOC 2 Type II", "Box was retired in 2025"])
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["provider", "kind", "offerings", "period_start", "period_end", "expires",
                      "reference", "notes"])
        out.writerows(rows)


class Register:
    """Rows as lists: control, system, title, kind, owner, effective, expires, status, notes,
    spare (the evidence ID and location are given when written, in date order). A spare row is
    a good row of a control with no deliberate problem: copies of it change no finding."""

    def __init__(self):
        self.rows = []
        self.marked = 0

    def add(self, control, system, title, kind, owner, effective, status="approved", expires=None,
            notes=""):
        self.rows.append([control, system, title, kind, owner, effective, expires, status, notes,
                          False])

    def mark_spare(self, spare):
        """Mark the good rows added since the last call spare: `point` (point-in-time control),
        `recurring`, or not (False)."""
        for r in self.rows[self.marked:]:
            r[9] = spare if r[7] == "approved" and r[6] is None else False
        self.marked = len(self.rows)


NOTES = ["Reviewed at the steering committee, no changes", "Sampled by internal audit; no exceptions",
         'Exported by "grc-bot", checked by the owner', "Covers prod, staging and DR",
         "Replaces the copy filed last year"]


def pick_defect(rng, org_wide, recurring, technical):
    """The deliberate problem of one control on one system, if any (rates of such controls).
    Organisation-wide evidence is better kept (and one gap there is a gap on every system)."""
    r = rng.random() / (0.3 if org_wide else 1.0)
    for name, rate in [("missing", 0.03), ("expired", 0.02), ("stale", 0.03), ("unapproved", 0.02),
                       ("failed", 0.01 if technical else 0.0), ("future", 0.005),
                       ("gap", 0.04 if recurring else 0.0)]:
        if r < rate:
            return name
        r -= rate
    return None


def recurring_rows(reg, rng, occ, defect, control, system, title, kind, owner, notes):
    """One row per occurrence of a recurring control (week, month, quarter or half). srmap
    checks weekly controls month by month, so a weekly control's gap is a month of weeks."""
    weekly = (occ[0][1] - occ[0][0]).days < 7
    bucket = [(a.year, a.month) if weekly else i for i, (a, _) in enumerate(occ)]
    buckets = sorted(set(bucket))
    skip = set()
    if defect == "gap":
        skip = {rng.choice(buckets)}
    elif defect == "stale":
        skip = set(buckets[-2:])  # the last two occurrences slipped
    for i, (a, b) in enumerate(occ):
        if bucket[i] in skip:
            continue
        last = i == len(occ) - 1
        eff, status, exp = day(rng, a, min(b, AS_OF)), "approved", None
        if last and defect == "unapproved":
            status = rng.choice(["pending", "draft", "rejected"])
        elif last and defect == "failed":
            status = "failed"
        elif last and defect == "expired":
            exp = day(rng, max(eff, AS_OF - dt.timedelta(days=60)), AS_OF - dt.timedelta(days=1))
        elif last and defect == "future":
            eff = AS_OF + dt.timedelta(days=rng.randint(1, 20))
        label = f"week of {a:%d %b %Y}" if weekly else f"{a:%b %Y}"
        reg.add(control, system, f"{title} - {label}", kind, owner, eff, status, exp,
                notes if last else "")


def point_rows(reg, rng, defect, control, system, title, kind, owner, notes):
    """A point-in-time control: the current artefact, and last years' copies (superseded)."""
    eff, status, exp = day(rng, PERIOD_START, AS_OF), "approved", None
    if kind in ("policy", "procedure", "contract") and rng.random() < 0.6:
        exp = eff + dt.timedelta(days=365 + rng.randint(0, 60))
    if defect == "stale":
        eff, exp = day(rng, PERIOD_START - dt.timedelta(days=300), PERIOD_START - dt.timedelta(days=1)), None
    elif defect == "expired":
        exp = day(rng, max(eff, AS_OF - dt.timedelta(days=90)), AS_OF - dt.timedelta(days=1))
    elif defect == "unapproved":
        status = rng.choice(["pending", "pending", "draft", "rejected"])
    elif defect == "failed":
        # Passed earlier in the period, failed at the last check.
        eff = day(rng, PERIOD_START + dt.timedelta(days=60), AS_OF)
        reg.add(control, system, title, kind, owner, day(rng, PERIOD_START, eff - dt.timedelta(days=30)))
        status = "failed"
    elif defect == "future":
        eff = AS_OF + dt.timedelta(days=rng.randint(1, 20))
    reg.add(control, system, title, kind, owner, eff, status, exp, notes)
    for y in range(rng.choice([0, 1, 1, 2])):
        old = eff - dt.timedelta(days=365 * (y + 1) + rng.randint(-20, 20))
        reg.add(control, system, f"{title} ({old.year})", kind, owner, old, "approved",
                old + dt.timedelta(days=365) if kind == "policy" else None)


def location(system, control, kind, effective, n):
    slug = re.sub(r"[^a-z0-9]+", "-", control.lower()).strip("-")
    where = system or "org"
    q = f"{effective.year}-Q{(effective.month - 1) // 3 + 1}"
    if kind in ("config-export", "log-extract", "screenshot"):
        ext = {"config-export": "json", "log-extract": "csv", "screenshot": "png"}[kind]
        return f"s3://fabrikam-grc-evidence/{q}/{where}/{slug}/{kind}-{effective}-{n}.{ext}"
    return f"https://grc.fabrikam.example/evidence/{q}/{where}/{slug}/{n}"


def generate(args):
    check_planted()
    rng = random.Random(args.seed)
    systems = build_systems(rng, args.systems)
    for s in systems:
        s["pi"] = s["domain"] == "payments" and "soc2-2017" in s["frameworks"] and rng.random() < 0.5
    leads = {s["name"]: f"{rng.choice(TEAM_LEADS)} ({TEAMS[s['domain']]})" for s in systems}

    args.outdir.mkdir(parents=True, exist_ok=True)
    excluded = write_scope(args.outdir / "scope.toml", systems, leads)

    providers = {}
    for s in systems:
        for o in OFFERING_SETS[s["set"]][0]:
            providers.setdefault(o.split("/")[0], set()).add(o)
    write_attestations(args.outdir / "attestations.csv", providers)

    controls = {fw: read_controls(fw) for fw in FRAMEWORKS}
    matrices = read_matrices({o for offs, _, _ in OFFERING_SETS for o in offs})

    # Slots: one control of one framework on one system (or organisation-wide: system "").
    slots = []
    org_wide_done = set()
    for s in systems:
        offs = OFFERING_SETS[s["set"]][0]
        ms = [matrices[o] for o in offs]
        for fw in s["frameworks"]:
            true = TRUE_CONDITIONS[fw] | ({"processing-integrity"} if s["pi"] and fw == "soc2-2017" else set())
            for cid, layers, cadence, title, cond in controls[fw]:
                if cond and cond not in true:
                    continue
                if (fw, cid, None) in excluded or (fw, cid, s["name"]) in excluded:
                    continue
                ours = customer_layers(layers, ms, PREMISES[fw])
                if not ours:
                    continue
                if ours <= ORG_WIDE_LAYERS:
                    if (fw, cid) in org_wide_done:
                        continue
                    org_wide_done.add((fw, cid))
                    slots.append((fw, cid, layers, cadence, title, None, [None]))
                else:
                    technical = not ours <= ORG_WIDE_LAYERS | {"data", "accounts-identities",
                                                                 "incident-response"}
                    per = offs if technical else [None]
                    slots.append((fw, cid, layers, cadence, title, s, per))

    reg = Register()
    people_for = {"governance-training": PEOPLE["grc"], "personnel": PEOPLE["hr"],
                  "customer-premises": PEOPLE["facilities"], "endpoints-devices": PEOPLE["ciso"],
                  "accounts-identities": PEOPLE["iam"], "logging-monitoring": PEOPLE["soc"],
                  "incident-response": PEOPLE["soc"]}
    for fw, cid, layers, cadence, title, s, per in slots:
        control = f"{fw}:{cid}"
        sysname = s["name"] if s else ""
        owner = leads[sysname] if s and rng.random() < 0.7 else people_for.get(layers[0], PEOPLE["grc"])
        kinds = KIND_BY_LAYER.get(layers[0], ["report"])
        occ = occurrences(cadence)
        defect = pick_defect(rng, org_wide=s is None, recurring=bool(occ), technical=per != [None])
        if defect == "missing":
            continue
        clean = defect is None
        for off in per:
            kind = rng.choice(kinds)
            if off and kind in ("policy", "procedure", "training-record"):
                kind = "config-export"
            where = f"{sysname}, {off}" if off else sysname or "organisation-wide"
            t = f"{KIND_WORDS[kind]}: {title} ({where})"
            notes = ""
            if rng.random() < 0.05:
                notes = rng.choice(NOTES)
            if occ:
                recurring_rows(reg, rng, occ, defect, control, sysname, t, kind, owner, notes)
            else:
                point_rows(reg, rng, defect, control, sysname, t, kind, owner, notes)
        # Rows of a clean slot may be copied to reach --rows without changing any finding.
        reg.mark_spare(clean and ("recurring" if occ else "point"))

    # Reach --rows (less the rows below): drop rows evenly when there are too many; else copy
    # good rows of controls with no deliberate problem: last years' copies of point-in-time
    # evidence (superseded) and second artefacts of the same date (a sample, a ticket, a
    # sign-off). The copies change no finding.
    noise = min(args.rows, max(5, args.rows // 400))
    want = args.rows - noise
    rows = reg.rows
    if len(rows) > want:
        keep = sorted(rng.sample(range(len(rows)), want))
        rows = [rows[i] for i in keep]
    else:
        spare = [r for r in rows if r[9]]
        while len(rows) < want and spare:
            r = list(rng.choice(spare))
            if r[9] == "point" and rng.random() < 0.5:
                r[5] = r[5] - dt.timedelta(days=rng.randint(366, 1100))
                r[2] = f"{r[2]} ({r[5].year}, superseded)"
            else:
                r[3] = rng.choice(["ticket", "screenshot", "report", "log-extract"])
                r[2] = f"{r[2]} - supporting {KIND_WORDS[r[3]].lower()}"
            r[8], r[9] = "", False
            rows.append(r)

    # Rows that point at nothing, or at what no system needs: 3 in 5 name unknown controls, 1 a
    # decommissioned system, 1 a framework the system is not assessed against.
    names = [s["name"] for s in systems]
    extra = Register()
    for i in range(noise):
        eff = day(rng, PERIOD_START, AS_OF)
        if i % 5 < 3:
            extra.add(rng.choice(UNKNOWN_CONTROLS), rng.choice(names + [""]), "Access review export",
                      "report", PEOPLE["grc"], eff)
        elif i % 5 == 3:
            fw = rng.choice(FRAMEWORKS)
            cid = rng.choice(controls[fw])[0]
            extra.add(f"{fw}:{cid}", rng.choice(RETIRED_SYSTEMS),
                      "Configuration export (decommissioned system)", "config-export", PEOPLE["grc"], eff)
        else:
            extra.add(rng.choice(UNUSED_CONTROLS), rng.choice(names), "Records of processing extract",
                      "report", PEOPLE["privacy"], eff)
    rows += extra.rows

    # Entry order: by date, then as generated; IDs follow it.
    order = sorted(range(len(rows)), key=lambda i: rows[i][5])
    with open(args.outdir / "evidence.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["control", "system", "evidence_id", "title", "kind", "owner", "effective_date",
                      "expires", "status", "location", "notes"])
        for n, i in enumerate(order, 1):
            control, system, title, kind, owner, eff, exp, status, notes, _ = rows[i]
            ev = f"EV-{n:06d}"
            out.writerow([control, system, ev, title, kind, owner, eff.isoformat(),
                          exp.isoformat() if exp else "", status,
                          location(system, control, kind, eff, n), notes])
    return systems, len(rows), len(slots)


def main(argv):
    args = parse_args(argv)
    systems, rows, slots = generate(args)
    sets = len({s["set"] for s in systems})
    print(f"{args.outdir}: {len(systems)} systems on {sets} offering sets, {slots} controls to "
          f"evidence, {rows} evidence rows", file=sys.stderr)
    if rows < 2 * slots:
        print("(fewer rows than the controls need: many controls have no evidence)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

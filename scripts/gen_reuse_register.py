#!/usr/bin/env python3
"""A random evidence register that stresses the gap engine's rules (not a realistic workload):
rows of NIST 800-53 controls that HIPAA and ISO 27001 controls reuse through the built-in
crosswalks, rows for one system or every system, failed checks, expiries before and after the
as-of date, and every review status. Deterministic for a seed.

    scripts/gen_reuse_register.py SEED OUTDIR ROWS

Writes OUTDIR/scope.toml (3 systems) and OUTDIR/evidence.csv. Used by
scripts/engine_identity.sh and for tests/fixtures/reuse-stress (seed 2, 600 rows)."""
import csv, random, sys, datetime
seed = int(sys.argv[1]); out = sys.argv[2]; n = int(sys.argv[3])
rnd = random.Random(seed)
hip = [r[0] for r in csv.reader(open('/work/main/frameworks/crosswalks/hipaa-security_to_nist-800-53-r5.csv'))][1:]
nist_from_h = [r[1] for r in csv.reader(open('/work/main/frameworks/crosswalks/hipaa-security_to_nist-800-53-r5.csv'))][1:]
nist = [r[0] for r in csv.reader(open('/work/main/frameworks/crosswalks/nist-800-53-r5_to_iso27001-2022.csv'))][1:]
iso = [r[1] for r in csv.reader(open('/work/main/frameworks/crosswalks/nist-800-53-r5_to_iso27001-2022.csv'))][1:]
hip = sorted(set(hip))[:25]; nist = sorted(set(nist + nist_from_h))[:60]; iso = sorted(set(iso))[:25]
systems = ["a", "b", "c", ""]
open(out + "/scope.toml", "w").write('''organization = "Fuzz"
period = { start = "2025-10-01", end = "2026-09-30" }
[[systems]]
name = "a"
offerings = ["aws/ec2", "aws/rds"]
frameworks = ["hipaa-security", "iso27001-2022"]
[[systems]]
name = "b"
offerings = ["azure/app-service"]
frameworks = ["nist-800-53-r5", "iso27001-2022"]
[[systems]]
name = "c"
offerings = ["aws/s3"]
frameworks = ["hipaa-security"]
''')
w = csv.writer(open(out + "/evidence.csv", "w", newline=""))
w.writerow(["control","system","evidence_id","title","owner","effective_date","expires","status","location"])
base = datetime.date(2025, 1, 1)
for i in range(n):
    fw, ctl = rnd.choice([("hipaa-security", hip), ("nist-800-53-r5", nist), ("iso27001-2022", iso)])
    c = rnd.choice(ctl)
    d = base + datetime.timedelta(days=rnd.randrange(0, 760))
    exp = "" if rnd.random() < 0.7 else str(d + datetime.timedelta(days=rnd.randrange(-30, 500)))
    st = rnd.choice(["approved"] * 6 + ["pending", "rejected", "draft", "failed", "failed"])
    sysn = rnd.choice(systems)
    eid = f"E-{rnd.randrange(0, n // 2 + 1)}"
    w.writerow([f"{fw}:{c}", sysn, eid, f"t{i}", rnd.choice(["o1", "o2", " o3 "]), str(d), exp, st, f"https://x/{i}"])

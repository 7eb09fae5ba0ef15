#!/usr/bin/env python3
"""Write a large synthetic evidence register for benchmarks: N rows over SOC 2 controls.

Usage: scripts/gen_big_register.py 1000000 > /tmp/big.csv
Then:  /usr/bin/time -v target/release/srmap gaps --scope tests/fixtures/gaps-edges/scope.toml \
           --evidence /tmp/big.csv --as-of 2026-06-30 --format csv > /dev/null
"""
import csv
import random
import sys
from pathlib import Path

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
random.seed(1)
root = Path(__file__).resolve().parent.parent
ids = [line.split(",")[0] for line in (root / "frameworks/soc2-2017.csv").read_text().splitlines()[1:]]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["control", "system", "evidence_id", "title", "owner", "effective_date", "expires", "status", "location"])
for i in range(n):
    w.writerow([
        f"soc2-2017:{random.choice(ids)}", "app", f"E-{i}", "Automated control check", "bot",
        f"2026-0{random.randint(1, 6)}-1{random.randint(0, 9)}", "", "approved", f"s3://bucket/e/{i}.json",
    ])

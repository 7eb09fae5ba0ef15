#!/usr/bin/env python3
"""The core evidence join of `srmap gaps`, in pandas: a yardstick for issue 12's benchmark
(scripts/bench_scale.sh), not a replacement for srmap.

Usage:
    scripts/join_pandas.py --controls CONTROLS.csv --evidence EVIDENCE.csv \\
        --period-start 2025-10-01 --as-of 2026-09-30 [--period-end DATE] [-o OUT.csv]

The same join as scripts/join_duckdb.py (read its docstring for what it does and does not do
compared with srmap), written the way a pandas user would: read the five columns the join needs,
parse the dates, keep the counting rows, take the latest per control and system (ties: the
greatest evidence ID), join the controls to the rows of their system and to the rows with an
empty system. Its output is byte for byte that of join_duckdb.py.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

KEY = ["system", "framework", "control"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--controls", type=Path, required=True)
    p.add_argument("--evidence", type=Path, required=True)
    p.add_argument("--period-start", required=True)
    p.add_argument("--period-end")
    p.add_argument("--as-of", required=True)
    p.add_argument("-o", "--output", type=Path, default=Path("/dev/stdout"))
    return p.parse_args(argv)


def latest(df):
    """The latest row of each control and system (ties: the greatest evidence ID)."""
    return df.sort_values(["effective_date", "evidence_id"]).drop_duplicates(KEY, keep="last")


def main(argv):
    a = parse_args(argv)
    start = pd.Timestamp(a.period_start)
    end = pd.Timestamp(min(a.as_of, a.period_end or a.as_of))
    as_of = pd.Timestamp(a.as_of)

    controls = pd.read_csv(a.controls, dtype=str, keep_default_na=False)
    if "code" in controls.columns:
        controls = controls[controls["code"] == "missing-evidence"]
    controls = controls[KEY].drop_duplicates()

    ev = pd.read_csv(
        a.evidence,
        usecols=["control", "system", "evidence_id", "effective_date", "expires", "status"],
        dtype=str,
        keep_default_na=False,
    )
    eff = pd.to_datetime(ev["effective_date"], format="%Y-%m-%d")
    exp = pd.to_datetime(ev["expires"].where(ev["expires"] != ""), format="%Y-%m-%d")
    counts = (
        (ev["status"] == "approved")
        & ev["control"].str.contains(":", regex=False)
        & (eff >= start)
        & (eff <= end)
        & (exp.isna() | (exp >= as_of))
    )
    ev = ev[counts]
    fw_ctl = ev["control"].str.split(":", n=1, expand=True)
    ev = pd.DataFrame(
        {
            "system": ev["system"],
            "framework": fw_ctl[0],
            "control": fw_ctl[1],
            "evidence_id": ev["evidence_id"],
            "effective_date": eff[counts],
        }
    )
    ev = latest(ev)

    own = controls.merge(ev[ev["system"] != ""], on=KEY, how="inner")
    org = controls.merge(
        ev[ev["system"] == ""].drop(columns="system"), on=["framework", "control"], how="inner"
    )
    best = latest(pd.concat([own, org], ignore_index=True))
    result = controls.merge(best, on=KEY, how="left").sort_values(KEY)
    result["effective_date"] = result["effective_date"].dt.strftime("%Y-%m-%d")
    result.to_csv(a.output, index=False, lineterminator="\n")
    none = int(result["evidence_id"].isna().sum())
    print(f"pandas: {len(result)} controls, {none} with no counting evidence", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

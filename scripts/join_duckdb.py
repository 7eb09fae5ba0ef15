#!/usr/bin/env python3
"""The core evidence join of `srmap gaps`, in DuckDB: a yardstick for issue 12's benchmark
(scripts/bench_scale.sh), not a replacement for srmap.

Usage:
    scripts/join_duckdb.py --controls CONTROLS.csv --evidence EVIDENCE.csv \\
        --period-start 2025-10-01 --as-of 2026-09-30 [--period-end DATE] [-o OUT.csv]

CONTROLS.csv lists the controls srmap checks evidence for: columns system, framework, control
(the missing-evidence rows of `srmap gaps --scope S --as-of D --format csv` run without a
register are exactly those: every applicable control the customer owns or shares on each system;
a `code` column, if there, is used to keep only those rows).

What it does, as srmap does: a register row points at `framework:control` on its system, or on
every system when `system` is empty; it counts when its status is `approved`, it is dated in the
audit period up to the as-of date (period start <= effective_date <= min(as-of, period end)) and
it has not expired (`expires` empty or on or after the as-of date). For each control on each
system it finds the latest counting row (ties: the greatest evidence ID) and writes
system,framework,control,evidence_id,effective_date sorted by system, framework and control,
with the two last fields empty when none counts. It prints how many controls have none.

What it does not do (srmap's full rules, docs/severity.md and the README): occurrences of
recurring controls (a row in every quarter or month), freshness by cadence when the as-of date is
before the period's end (the workload judges at the period's end, where the window above is
srmap's for every cadence), a later failed check overruling passing rows, evidence coming due,
one finding per row that does not count (stale, expired, not approved, failing) with its detail
and action, unknown controls and systems and unused evidence, framework-less control IDs,
attestations, crosswalk reuse, owners and due dates, finding IDs, the worklist and the report
formats. It writes one line per control, not srmap's findings, so its output is not srmap's.
"""

import argparse
import sys
from pathlib import Path

import duckdb


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--controls", type=Path, required=True)
    p.add_argument("--evidence", type=Path, required=True)
    p.add_argument("--period-start", required=True)
    p.add_argument("--period-end")
    p.add_argument("--as-of", required=True)
    p.add_argument("-o", "--output", type=Path, default=Path("/dev/stdout"))
    p.add_argument("--threads", type=int, help="DuckDB threads [default: DuckDB's: every core]")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    end = min(a.as_of, a.period_end or a.as_of)
    con = duckdb.connect()
    if a.threads:
        con.execute(f"SET threads = {int(a.threads)}")
    cols = con.execute(
        "SELECT * FROM read_csv(?, header = true, all_varchar = true) LIMIT 0", [str(a.controls)]
    ).description
    where_code = "WHERE code = 'missing-evidence'" if any(c[0] == "code" for c in cols) else ""
    con.execute(
        f"""
        CREATE TEMP TABLE controls AS
        SELECT system, framework, control
        FROM read_csv(?, header = true, all_varchar = true) {where_code}
        """,
        [str(a.controls)],
    )
    con.execute(
        """
        CREATE TEMP TABLE latest AS
        WITH ev AS (
            SELECT split_part(control, ':', 1) AS framework,
                   substr(control, strpos(control, ':') + 1) AS control,
                   coalesce(system, '') AS system,
                   evidence_id,
                   CAST(effective_date AS DATE) AS effective_date
            FROM read_csv(?, header = true, all_varchar = true)
            WHERE status = 'approved'
              AND strpos(control, ':') > 0
              AND CAST(effective_date AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
              AND (expires IS NULL OR CAST(expires AS DATE) >= CAST(? AS DATE))
        )
        SELECT framework, control, system,
               arg_max(evidence_id, struct_pack(d := effective_date, id := evidence_id)) AS evidence_id,
               max(effective_date) AS effective_date
        FROM ev GROUP BY ALL
        """,
        [str(a.evidence), a.period_start, end, a.as_of],
    )
    con.execute(
        """
        CREATE TEMP TABLE result AS
        SELECT c.system, c.framework, c.control,
               arg_max(l.evidence_id, struct_pack(d := l.effective_date, id := l.evidence_id)) AS evidence_id,
               max(l.effective_date) AS effective_date
        FROM controls c
        LEFT JOIN latest l
          ON l.framework = c.framework AND l.control = c.control
         AND (l.system = c.system OR l.system = '')
        GROUP BY ALL
        """
    )
    out = str(a.output)
    con.execute(
        f"COPY (SELECT * FROM result ORDER BY system, framework, control) TO '{out}' "
        "(HEADER, DELIMITER ',', FORMAT csv)"
    )
    total, none = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE evidence_id IS NULL) FROM result"
    ).fetchone()
    print(f"duckdb: {total} controls, {none} with no counting evidence", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

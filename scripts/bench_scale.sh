#!/usr/bin/env bash
# Issue 12's benchmark: `srmap gaps` on the audit workload (scripts/gen_workload.py: 100 systems,
# 5 frameworks) at several register sizes, side by side in one run with
#   - the floor: one streaming pass of the `csv` crate over the register (examples/register_floor.rs),
#   - the same evidence join in DuckDB (scripts/join_duckdb.py) and in pandas (scripts/join_pandas.py);
# then srmap on a 200,000-row XLSX register (scripts/register_xlsx.py) against a plain calamine
# read of it (python-calamine, scripts/read_calamine.py) and calamine's streaming cell reader
# (the floor's XLSX mode); instruction counts (callgrind) of `map`, of the 10^5 run and of the
# XLSX runs (steady where wall times on a shared machine are not); and the sha256 of srmap's CSV
# findings on the 10^6 workload, compared with BASELINE's when given.
#
# Usage: scripts/bench_scale.sh [ROWS...]          (default: 100000 1000000 10000000)
# Environment:
#   RUNS=5           timed runs per command (hyperfine; the table gives the median), WARMUP=1
#   BASELINE=PATH    another srmap binary (say, a build of the commit before an optimisation):
#                    its CSV findings on the IDENTITY_ROWS workload must be byte for byte ours
#   IDENTITY_ROWS=1000000   the workload of the identity check (run when it is one of ROWS)
#   XLSX_ROWS=200000 the XLSX comparison's register size (0: skip it)
#   CALLGRIND=1      0 skips the instruction counts
#   BENCH_CACHE=DIR  where generated workloads are kept (default: $TMPDIR or /tmp, srmap-bench);
#                    a 10^7-row register is about 3.3 GB, the generator needs several GB of memory
#   BENCH_VENV=DIR   the Python virtual environment for duckdb, pandas, openpyxl and
#                    python-calamine (default target/bench-venv; made with pip when missing)
# Writes target/bench-scale/: report.md (also printed), hyperfine JSON, outputs, callgrind files.
# Needs hyperfine and /usr/bin/time (GNU time); valgrind for the instruction counts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
IDENTITY_ROWS=${IDENTITY_ROWS:-1000000}
XLSX_ROWS=${XLSX_ROWS:-200000}
CALLGRIND=${CALLGRIND:-1}
AS_OF=2026-09-30
PERIOD_START=2025-10-01

command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed: apt-get install time" >&2; exit 2; }

cargo build --release --quiet --bin srmap --example register_floor
bin=$root/target/release/srmap
floor=$root/target/release/examples/register_floor
out=$root/target/bench-scale
mkdir -p "$out"
rm -f "$out"/time-*.json "$out"/rss-* "$out"/ir-* "$out"/identity-* "$out"/report.md

# Workloads are cached by the generator and the built-in data they are made from.
key=$(cat scripts/gen_workload.py frameworks/*.csv $(find providers -name '*.toml' | sort) | sha256sum | cut -c1-12)
cache=${BENCH_CACHE:-${TMPDIR:-/tmp}/srmap-bench}/$key
workload() {
    local dir=$cache/rows-$1
    if [ ! -f "$dir/.complete" ]; then
        echo "generating the $1-row workload in $dir" >&2
        python3 scripts/gen_workload.py "$dir" --rows "$1" >&2
        touch "$dir/.complete"
    fi
    echo "$dir"
}
# The controls srmap checks evidence for (every applicable control the customer owns or shares
# on each system): the missing-evidence findings of a run without a register.
controls() {
    "$bin" gaps --scope "$1/scope.toml" --as-of "$AS_OF" --format csv | python3 -c '
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["system", "framework", "control"])
for r in csv.DictReader(sys.stdin):
    if r["code"] == "missing-evidence":
        w.writerow([r["system"], r["framework"], r["control"]])' >"$2"
}
# Peak memory (max RSS, KB) of one run.
rss() {
    local name=$1
    shift
    /usr/bin/time -f %M -o "$out/rss-$name" "$@" >/dev/null 2>"$out/rss-$name.err" ||
        { echo "failed: $* (see $out/rss-$name.err)" >&2; exit 1; }
}

# Python side: DuckDB, pandas, openpyxl and python-calamine in a virtual environment.
venv=${BENCH_VENV:-$root/target/bench-venv}
py=""
pkgs="duckdb pandas openpyxl python-calamine"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import duckdb, pandas, openpyxl, python_calamine' 2>/dev/null; then
    py=$venv/bin/python
elif python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install --quiet $pkgs >&2; then
    py=$venv/bin/python
else
    echo "note: could not install $pkgs with pip into $venv (no pip, venv or network):" \
        "DuckDB, pandas and the XLSX comparison are skipped" >&2
fi

cat >"$out/meta.txt" <<EOF
date: $(date -u +%Y-%m-%d)
commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')
machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, load at start $(cut -d' ' -f1-3 /proc/loadavg)
runs: $RUNS timed (after $WARMUP warm-up) per command
EOF
if [ -n "$py" ]; then
    "$py" -c 'import duckdb, pandas, openpyxl, sys
from importlib.metadata import version
print("python", sys.version.split()[0], "duckdb", duckdb.__version__, "pandas", pandas.__version__,
      "openpyxl", openpyxl.__version__, "python-calamine", version("python-calamine"))' >>"$out/meta.txt"
fi

for n in "${sizes[@]}"; do
    dir=$(workload "$n")
    controls "$dir" "$out/controls-$n.csv"
    gaps_args=(gaps --scope "$dir/scope.toml" --evidence "$dir/evidence.csv"
        --attestations "$dir/attestations.csv" --as-of "$AS_OF" --format csv)
    join_args=(--controls "$out/controls-$n.csv" --evidence "$dir/evidence.csv"
        --period-start "$PERIOD_START" --as-of "$AS_OF")
    cmds=(-n floor "$floor $dir/evidence.csv"
        -n srmap "$bin ${gaps_args[*]} -o $out/srmap-$n.csv")
    if [ -n "$py" ]; then
        cmds+=(-n duckdb "$py scripts/join_duckdb.py ${join_args[*]} -o $out/duckdb-$n.csv"
            -n pandas "$py scripts/join_pandas.py ${join_args[*]} -o $out/pandas-$n.csv")
    fi
    echo "== $n rows ($(du -h "$dir/evidence.csv" | cut -f1) register)" >&2
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/time-$n.json" "${cmds[@]}" >&2
    rss "floor-$n" "$floor" "$dir/evidence.csv"
    rss "srmap-$n" "$bin" "${gaps_args[@]}" -o "$out/srmap-$n.csv"
    if [ -n "$py" ]; then
        rss "duckdb-$n" "$py" scripts/join_duckdb.py "${join_args[@]}" -o "$out/duckdb-$n.csv"
        rss "pandas-$n" "$py" scripts/join_pandas.py "${join_args[@]}" -o "$out/pandas-$n.csv"
        if ! cmp -s "$out/duckdb-$n.csv" "$out/pandas-$n.csv"; then
            echo "warning: DuckDB's and pandas' joins differ on $n rows ($out/duckdb-$n.csv, $out/pandas-$n.csv)" >&2
        fi
    fi
    if [ "$n" = "$IDENTITY_ROWS" ]; then
        sha256sum "$out/srmap-$n.csv" | cut -d' ' -f1 >"$out/identity-srmap"
        # The same with the workload's folder taken out of the `source` column: comparable
        # across machines and caches.
        sed "s|$dir/||g" "$out/srmap-$n.csv" | sha256sum | cut -d' ' -f1 >"$out/identity-portable"
        if [ -n "${BASELINE:-}" ]; then
            "$BASELINE" "${gaps_args[@]}" -o "$out/baseline-$n.csv"
            sha256sum "$out/baseline-$n.csv" | cut -d' ' -f1 >"$out/identity-baseline"
        fi
    fi
done

if [ -n "$py" ] && [ "$XLSX_ROWS" != 0 ]; then
    dir=$(workload "$XLSX_ROWS")
    if [ ! -f "$dir/evidence.xlsx" ]; then
        echo "writing $dir/evidence.xlsx" >&2
        "$py" scripts/register_xlsx.py "$dir/evidence.csv" "$dir/evidence.xlsx.part"
        mv "$dir/evidence.xlsx.part" "$dir/evidence.xlsx"
    fi
    xargs_=(gaps --scope "$dir/scope.toml" --evidence "$dir/evidence.xlsx"
        --attestations "$dir/attestations.csv" --as-of "$AS_OF" --format csv)
    echo "== XLSX register, $XLSX_ROWS rows ($(du -h "$dir/evidence.xlsx" | cut -f1))" >&2
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/time-xlsx.json" \
        -n calamine "$py scripts/read_calamine.py $dir/evidence.xlsx" \
        -n floor "$floor $dir/evidence.xlsx" \
        -n srmap "$bin ${xargs_[*]} -o $out/srmap-xlsx.csv" >&2
    rss calamine-xlsx "$py" scripts/read_calamine.py "$dir/evidence.xlsx"
    rss floor-xlsx "$floor" "$dir/evidence.xlsx"
    rss srmap-xlsx "$bin" "${xargs_[@]}" -o "$out/srmap-xlsx.csv"
fi

if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null; then
    echo "== callgrind" >&2
    cg() {
        local name=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file="$out/callgrind-$name.out" "$@" >/dev/null 2>"$out/callgrind-$name.err"
        awk '/^(summary|totals):/{print $2; exit}' "$out/callgrind-$name.out" >"$out/ir-$name"
    }
    cg map "$bin" map --offering aws/rds --framework pci-dss-4.0.1 --format csv
    dir=$(workload 100000)
    # The fixed cost of a gap run: the data, the scope and every control's owner, no register.
    cg srmap-no-register "$bin" gaps --scope "$dir/scope.toml" --attestations "$dir/attestations.csv" \
        --as-of "$AS_OF" --format csv
    cg floor-100000 "$floor" "$dir/evidence.csv"
    cg srmap-100000 "$bin" gaps --scope "$dir/scope.toml" --evidence "$dir/evidence.csv" \
        --attestations "$dir/attestations.csv" --as-of "$AS_OF" --format csv
    if [ -n "$py" ] && [ "$XLSX_ROWS" != 0 ]; then
        dir=$(workload "$XLSX_ROWS")
        cg calamine-xlsx "$py" scripts/read_calamine.py "$dir/evidence.xlsx"
        cg floor-xlsx "$floor" "$dir/evidence.xlsx"
        cg srmap-xlsx "$bin" gaps --scope "$dir/scope.toml" --evidence "$dir/evidence.xlsx" \
            --attestations "$dir/attestations.csv" --as-of "$AS_OF" --format csv
    fi
elif [ "$CALLGRIND" != 0 ]; then
    echo "note: valgrind is not installed: no instruction counts" >&2
fi

# The report: medians from hyperfine, peak memory from GNU time.
python3 - "$out" "${sizes[@]}" <<'EOF' | tee "$out/report.md"
import json, os, sys

out, sizes = sys.argv[1], sys.argv[2:]
def read(name):
    p = os.path.join(out, name)
    return open(p).read().strip() if os.path.exists(p) else None
def mb(kb):
    return f"{int(kb) / 1024:,.0f} MB" if kb else "?"
def secs(s):
    return f"{s:.3f} s" if s < 1 else f"{s:.2f} s"
def results(name):
    with open(os.path.join(out, name)) as f:
        return {r["command"]: r for r in json.load(f)["results"]}

what = {"floor": "floor: one `csv` crate pass (examples/register_floor.rs)",
        "srmap": "`srmap gaps --format csv`",
        "duckdb": "the same join in DuckDB (scripts/join_duckdb.py)",
        "pandas": "the same join in pandas (scripts/join_pandas.py)",
        "calamine": "plain calamine read (scripts/read_calamine.py)"}
print(read("meta.txt"))
print()
print("| rows | run | wall (median) | range | × floor | CPU (user + sys) | peak RSS |")
print("|---:|---|---:|---:|---:|---:|---:|")
for n in sizes:
    r = results(f"time-{n}.json")
    base = r["floor"]["median"]
    for name, x in r.items():
        print(f"| {int(n):,} | {what[name]} | {secs(x['median'])} | {secs(x['min'])} to "
              f"{secs(x['max'])} | {x['median'] / base:.1f}× | {secs(x['user'] + x['system'])} | "
              f"{mb(read(f'rss-{name}-{n}'))} |")
summary = []
for n in sizes:
    r = results(f"time-{n}.json")
    s = r["srmap"]["median"]
    vs = ", ".join(f"{s / r[k]['median']:.1f}× {k}" for k in ("floor", "duckdb", "pandas") if k in r)
    summary.append(f"- {int(n):,} rows: srmap takes {vs}")
print()
print("\n".join(summary))
if os.path.exists(os.path.join(out, "time-xlsx.json")):
    r = results("time-xlsx.json")
    c = r["calamine"]["median"]
    label = {"calamine": "plain calamine read, every cell to Python (scripts/read_calamine.py)",
             "floor": "floor: calamine's streaming cell reader (examples/register_floor.rs)",
             "srmap": "`srmap gaps --evidence X.xlsx --format csv`"}
    print()
    print("| XLSX register | wall (median) | range | × calamine | CPU (user + sys) | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, x in r.items():
        print(f"| {label[name]} | {secs(x['median'])} | {secs(x['min'])} to {secs(x['max'])} | "
              f"{x['median'] / c:.2f}× | {secs(x['user'] + x['system'])} | {mb(read(f'rss-{name}-xlsx'))} |")
    s = r["srmap"]["median"]
    print(f"\nsrmap on the XLSX register: {s / c:.2f}× python-calamine, {s / r['floor']['median']:.1f}× the floor")
irs = [(k, read(f"ir-{k}")) for k in ("map", "srmap-no-register", "floor-100000", "srmap-100000", "calamine-xlsx",
                                       "floor-xlsx", "srmap-xlsx")]
if any(v for _, v in irs):
    print()
    print("| instructions (callgrind) | Ir |")
    print("|---|---:|")
    label = {"map": "`srmap map --offering aws/rds --framework pci-dss-4.0.1 --format csv`",
             "srmap-no-register": "`srmap gaps --format csv` without a register (data, scope, owners)",
             "floor-100000": "floor, 100,000-row CSV",
             "srmap-100000": "`srmap gaps --format csv`, 100,000-row CSV",
             "calamine-xlsx": "python-calamine read, XLSX register",
             "floor-xlsx": "floor (streaming cell reader), XLSX register",
             "srmap-xlsx": "`srmap gaps --format csv`, XLSX register"}
    for k, v in irs:
        if v:
            print(f"| {label[k]} | {int(v):,} |")
ours, theirs = read("identity-srmap"), read("identity-baseline")
if ours:
    print()
    print(f"srmap's CSV findings on the identity workload: sha256 {ours} "
          f"({read('identity-portable')} with the workload's folder taken out)")
    if theirs:
        print("BASELINE's: " + ("identical" if theirs == ours else f"DIFFERENT (sha256 {theirs})"))
EOF
if [ -f "$out/identity-baseline" ] && ! cmp -s "$out/identity-srmap" "$out/identity-baseline"; then
    echo "srmap's findings differ from BASELINE's: compare $out/srmap-$IDENTITY_ROWS.csv and $out/baseline-$IDENTITY_ROWS.csv" >&2
    exit 1
fi

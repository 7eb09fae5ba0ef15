#!/usr/bin/env bash
# Differential check of the gap engine: run two srmap binaries (the one before a change and the
# one after) on generated registers and compare every output byte for byte.
#
#   scripts/engine_identity.sh OLD_BIN NEW_BIN [SEEDS]
#
# Registers: scripts/gen_reuse_register.py (reuse across crosswalks, rows for every system,
# failed checks, expiries, every status; seeds 1..SEEDS, 300*seed rows each) and
# scripts/gen_workload.py (12 systems, 6,000 rows). Each is run without reuse and with both
# reuse rules, at three as-of dates, to JSON (the findings) and XLSX (every row's outcome and the
# evidence each control counted). Prints each differing output and exits 1 if any differ.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); seeds=${3:-6}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for s in $(seq 1 "$seeds"); do
  mkdir -p "$work/reuse$s"; python3 "$here/gen_reuse_register.py" "$s" "$work/reuse$s" $((s * 300))
done
python3 "$here/gen_workload.py" "$work/workload" --systems 12 --rows 6000 --seed 3 > /dev/null
differ=0; runs=0
for d in "$work"/reuse* "$work/workload"; do
  att=(); [ -f "$d/attestations.csv" ] && att=(--attestations "$d/attestations.csv")
  for reuse in "" --reuse-mapped --reuse-mapped=intersect; do
    for as_of in 2026-03-31 2026-09-30 2026-12-31; do
      for fmt in json xlsx; do
        args=(gaps --scope "$d/scope.toml" --evidence "$d/evidence.csv" "${att[@]}" --as-of "$as_of"
              --due-within 90 --format "$fmt" ${reuse:+"$reuse"})
        "$old" "${args[@]}" -o "$work/old.$fmt" 2> /dev/null || true
        "$new" "${args[@]}" -o "$work/new.$fmt" 2> /dev/null || true
        runs=$((runs + 1))
        if ! cmp -s "$work/old.$fmt" "$work/new.$fmt"; then
          echo "differs: $(basename "$d") ${reuse:-no-reuse} $as_of $fmt"; differ=1
        fi
      done
    done
  done
done
echo "$runs outputs compared"
exit $differ

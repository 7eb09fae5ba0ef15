#!/usr/bin/env bash
# Regenerate the built-in Azure offerings (providers/azure/*.toml) and the built-in framework
# mcsb-v1 (frameworks/mcsb-v1.toml, .csv) from the Microsoft cloud security benchmark service
# baselines (Microsoft cloud security benchmark service baselines, MicrosoftDocs/SecurityBenchmarks,
# CC-BY-4.0), one `srmap import azure-baseline` per row of scripts/azure-services.csv.
#
#   scripts/gen_azure_offerings.sh [BASELINES_DIR]
#
# BASELINES_DIR defaults to ../shared/reference/azure-baselines/services (relative to the project
# root). SRMAP=path/to/srmap uses that binary; otherwise the release binary is built first, so
# that it embeds the data as it is now (a row with a base offering starts from the built-in one).
# Running it twice gives the same files: tests/azure_builtin.rs checks that they match.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
baselines=${1:-$root/../shared/reference/azure-baselines/services}
table=$root/scripts/azure-services.csv
if [ ! -d "$baselines" ]; then
    echo "no baselines folder: $baselines" >&2
    exit 2
fi
if grep -q '"' "$table"; then
    echo "$table: quoted fields are not supported here" >&2
    exit 2
fi
srmap=${SRMAP:-}
if [ -z "$srmap" ]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml"
    srmap=$root/target/release/srmap
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
n=0
while IFS=, read -r file id name model base aliases; do
    args=(import azure-baseline "$baselines/$file" --offering "$id" --name "$name" -o "$out")
    [ -n "$model" ] && args+=(--model "$model")
    [ -n "$base" ] && args+=(--base "$base")
    if [ -n "$aliases" ]; then
        IFS=';' read -ra list <<<"$aliases"
        for a in "${list[@]}"; do
            args+=(--alias "$a")
        done
    fi
    if ! "$srmap" "${args[@]}" 2>"$tmp/log"; then
        cat "$tmp/log" >&2
        echo "failed: $file" >&2
        exit 1
    fi
    echo "$id: $(tail -n 1 "$tmp/log")"
    n=$((n + 1))
done < <(tail -n +2 "$table")

mkdir -p "$root/providers/azure" "$root/frameworks"
cp "$out"/providers/azure/*.toml "$root/providers/azure/"
cp "$out/frameworks/mcsb-v1.toml" "$out/frameworks/mcsb-v1.csv" "$root/frameworks/"
echo "$n offerings written to providers/azure/, framework mcsb-v1 to frameworks/"

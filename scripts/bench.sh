#!/usr/bin/env bash
# Time srmap's commands on the built-in data and the sample with hyperfine
# (apt-get install hyperfine). Usage: scripts/bench.sh   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/srmap
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 2; }
sample="--scope samples/northwind/scope.toml --evidence samples/northwind/evidence.xlsx --attestations samples/northwind/attestations.csv --as-of 2026-09-30"
out=$(mktemp -d)
hyperfine --warmup 5 --min-runs 30 -N \
  "$bin map --offering aws/rds --framework pci-dss-4.0.1 --format csv" \
  "$bin map --offering aws/ec2 --offering aws/rds --framework pci-dss-4.0.1 --format json" \
  "$bin validate" \
  "$bin gaps $sample --format csv"
hyperfine --warmup 2 --min-runs 10 -N \
  "$bin gaps $sample -o $out/gaps.pdf" \
  "$bin gaps $sample -o $out/gaps.xlsx"
rm -rf "$out"

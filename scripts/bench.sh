#!/usr/bin/env bash
# Time srmap's commands on the built-in data with hyperfine (apt-get install hyperfine).
# Usage: scripts/bench.sh            (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/srmap
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 2; }
hyperfine --warmup 5 --min-runs 30 -N \
  "$bin map --offering aws/rds --framework pci-dss-4.0.1 --format csv" \
  "$bin map --offering aws/ec2 --offering aws/rds --framework pci-dss-4.0.1 --format json" \
  "$bin validate" \
  "$bin map --offering saas --format csv"

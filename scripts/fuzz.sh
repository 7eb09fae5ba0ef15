#!/usr/bin/env bash
# Run srmap's fuzz targets (fuzz/fuzz_targets/, cargo-fuzz and libFuzzer) one after the other
# and record each run in docs/reliability.md (section "Fuzzing").
#
# Usage:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
#   SECONDS_PER_TARGET  how long each target runs (default 1800: the 30 minutes of issue 13)
#   TARGET...           the targets to run (default: all of them; `cargo +nightly fuzz list`)
#
# Needs the nightly toolchain (`rustup toolchain install nightly`), cargo-fuzz
# (`cargo install cargo-fuzz`) and python3 (for the seeds). Each run:
#   - writes the seeds (scripts/fuzz_seeds.py -> fuzz/seeds/TARGET/, from the fixtures, the
#     samples and ../shared/reference/ when it is there; and fuzz/seeds/TARGET.dict, their
#     words as a libFuzzer dictionary) and keeps the corpus it grows in
#     fuzz/corpus/TARGET/ (both ignored by git); the inputs of tests/fixtures/fuzz-regressions/
#     TARGET/ (earlier crashes) are run first;
#   - runs one libFuzzer process (no -jobs/-fork: the machine's other work keeps its cores)
#     with -rss_limit_mb (and so -malloc_limit_mb) of FUZZ_RSS_MB (default 2048), a -timeout
#     of FUZZ_TIMEOUT seconds per input (default 30: issue 13's bound for any input), and a
#     -max_len of 64 KB for text inputs and 256 KB for targets that take workbooks;
#   - logs to fuzz/logs/TARGET-TIME.log and writes a crashing input to fuzz/artifacts/TARGET/;
#   - appends a row (date, commit, target, seconds, executions, exec/s, corpus, peak RSS,
#     result) to the table of docs/reliability.md's "Fuzzing" section, unless FUZZ_RECORD=0.
# FUZZ_JOBS=N runs N targets side by side (default 1), each still one libFuzzer process for
# SECONDS_PER_TARGET; the recorded result says how many ran at a time on how many cores.
# FUZZ_ARGS adds libFuzzer flags: FUZZ_ARGS="-fork=1 -ignore_ooms=1" keeps a target going past
# out-of-memory inputs (one child process at a time; each is counted and written to
# fuzz/artifacts/TARGET/), for a known memory bug that another change fixes.
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

usage() { sed -n '5,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

seconds=1800
if [[ $# -gt 0 ]]; then
    [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
    seconds=$1
    shift
fi

command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }
rustup run nightly rustc --version >/dev/null 2>&1 || { echo "fuzz.sh: the nightly toolchain is missing: rustup toolchain install nightly" >&2; exit 2; }

all=$(cargo +nightly fuzz list)
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets <<<"$all"
fi
for t in "${targets[@]}"; do
    grep -qx "$t" <<<"$all" || { echo "fuzz.sh: no target \`$t\` (targets: $(echo $all))" >&2; exit 2; }
done

rss=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-30}
doc="$root/docs/reliability.md"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src fuzz || echo '+changes')"

rm -rf fuzz/seeds
python3 scripts/fuzz_seeds.py fuzz/seeds >/dev/null
mkdir -p fuzz/logs
# Debug assertions on (-a): overflow and other checks that release builds leave out.
cargo +nightly fuzz build -a
bin="fuzz/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
# What `cargo fuzz run` adds to ASAN_OPTIONS (the targets are run directly, below).
asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"
# Known false reports of LeakSanitizer (fuzz/lsan.supp says why each is not a leak).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$root/fuzz/lsan.supp"

record() {
    # The table of the "Fuzzing" section ends with the line `<!-- /fuzz-runs -->`.
    local row=$1
    [[ ${FUZZ_RECORD:-1} == 0 ]] && return
    if [[ ! -f $doc ]]; then
        printf '# Reliability\n\n' >"$doc"
    fi
    if ! grep -q '^<!-- /fuzz-runs -->$' "$doc"; then
        printf '\n## Fuzzing\n\nRuns of `scripts/fuzz.sh`, newest last.\n\n%s\n%s\n<!-- /fuzz-runs -->\n' \
            '| date | commit | target | seconds | executions | exec/s | corpus | peak RSS (MB) | result |' \
            '|---|---|---|--:|--:|--:|--:|--:|---|' >>"$doc"
    fi
    ROW="$row" python3 - "$doc" <<'EOF'
import os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
end = "<!-- /fuzz-runs -->"
i = text.index("\n" + end) + 1
open(path, "w", encoding="utf-8").write(text[:i] + os.environ["ROW"] + "\n" + text[i:])
EOF
}

stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

# What one crashing input does: its panic or sanitizer summary and the first frame outside the
# standard library and libFuzzer (`calamine-0.38.0/src/lib.rs:1051`, `src/import/ccm.rs:73`),
# from a run of the target on it alone.
triage() {
    local out what where
    out=$(ASAN_OPTIONS=$asan timeout 120 "$bin/$1" -rss_limit_mb="$rss" \
        -timeout="$timeout" "$2" 2>&1 || true)
    what=$(grep -m1 -A1 'panicked at' <<<"$out" | tail -1 | cut -c1-80)
    [[ -z $what ]] && what=$(grep -m1 -oE 'SUMMARY: AddressSanitizer: [a-z-]+|ERROR: libFuzzer: [a-z -]+[a-z]' <<<"$out")
    where=$(grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in ' <<<"$out" |
        grep -vE 'libfuzzer-sys|/rustc/|compiler-rt|sanitizer' | head -1 |
        sed -E 's/.* ([^ ]+):([0-9]+):[0-9]+$/\1:\2/; s#.*/registry/src/[^/]+/##; s#^'"$root"'/##')
    echo "${what:-no crash on its own} at ${where:-?}"
}

# One target's run: its log, the row recorded; returns 1 when it crashed.
run_target() {
    local t=$1 max_len regressions dict log start stamp rc took execs rate peak forked corpus
    local found new known same a r groups plural result crashed=0
    case $t in
        evidence_xlsx | attestations | import_ccm | import_fedramp | import_azure | import_matrix) max_len=262144 ;;
        *) max_len=65536 ;;
    esac
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    # Inputs that crashed a target once are run first, every time (a returning crash stops the
    # run at once).
    regressions=()
    [[ -d tests/fixtures/fuzz-regressions/$t ]] && regressions=("tests/fixtures/fuzz-regressions/$t")
    # The words of the seeds (TOML keys, CSV headers, XML names...) as a libFuzzer dictionary.
    dict=()
    [[ -s fuzz/seeds/$t.dict ]] && dict=("-dict=$root/fuzz/seeds/$t.dict")
    log="fuzz/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log"
    echo "fuzz.sh: $t for ${seconds}s (log: $log)" >&2
    start=$(date +%s)
    stamp=$(mktemp)
    # The target's scratch files (and fork mode's) go here, removed after the run and its
    # replays even when a crash left them.
    local TMPDIR="$root/fuzz/tmp/$t"
    export TMPDIR
    mkdir -p "$TMPDIR"
    set +e
    # The target built above, run as `cargo fuzz run -a` runs it, minus the cargo processes
    # between.
    # shellcheck disable=SC2086
    ASAN_OPTIONS=$asan \
        "$bin/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" "${regressions[@]}" \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb="$rss" \
        -timeout="$timeout" -print_final_stats=1 \
        -artifact_prefix="$root/fuzz/artifacts/$t/" "${dict[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - start))
    # One process prints stat:: lines at its end; -fork=N (in FUZZ_ARGS) prints `#N: cov: ...
    # oom/timeout/crash: a/b/c` lines instead.
    execs=$(stat number_of_executed_units "$log")
    [[ -z $execs ]] && execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
    rate=$(stat average_exec_per_sec "$log")
    [[ -z $rate && -n $execs ]] && rate=$((execs / (took > 0 ? took : 1)))
    peak=$(stat peak_rss_mb "$log")
    forked=$(grep -o 'oom/timeout/crash: [0-9/]*' "$log" | tail -1 | grep -v ': 0/0/0' || true)
    corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
    mapfile -t found < <(find "fuzz/artifacts/$t" -type f -newer "$stamp" | sort)
    rm -f "$stamp"
    # An artifact that is one of the regression inputs is a known crash still open.
    new=() known=()
    for a in "${found[@]}"; do
        same=""
        for r in "tests/fixtures/fuzz-regressions/$t"/*; do
            [[ -f $r ]] && cmp -s "$a" "$r" && same=$r
        done
        if [[ -n $same ]]; then known+=("\`$same\`"); else new+=("$a"); fi
    done
    if [[ $rc -eq 0 && ${#found[@]} -eq 0 ]]; then
        result="no crash"
    elif [[ ${#found[@]} -eq 0 ]]; then
        crashed=1
        result="**exit $rc** and no crashing input written: see the log"
    elif [[ ${#new[@]} -eq 0 && ${#known[@]} -gt 0 ]]; then
        crashed=1
        result="no new crash; still crashes on ${known[*]}"
    else
        crashed=1
        # Each new crashing input replayed alone, grouped by what it does and where.
        groups=$(for a in "${new[@]}"; do echo "$(triage "$t" "$a")"$'\t'"$a"; done |
            sort | awk -F'\t' '{n[$1]++; if (!($1 in first)) first[$1]=$2}
                END {for (k in n) printf "%s%d× %s (`%s`)", (i++ ? "; " : ""), n[k], k, first[k]}')
        plural=s
        [[ ${#new[@]} -eq 1 ]] && plural=""
        result="**${#new[@]} crashing input$plural**${forked:+ ($forked)}: $groups"
        [[ ${#known[@]} -gt 0 ]] && result+="; still crashes on ${known[*]}"
    fi
    [[ -n ${FUZZ_ARGS:-} ]] && result="\`${FUZZ_ARGS}\`: $result"
    result=${result//|/\\|}
    echo "fuzz.sh: $t: ${execs:-?} executions in ${took}s: $result" >&2
    [[ $jobs -gt 1 ]] && result="$jobs targets at a time on $(nproc) cores: $result"
    # Runs side by side record one at a time.
    (
        flock 9
        record "| $(date -u +%F) | $commit | $t | $took | ${execs:-?} | ${rate:-?} | $corpus | ${peak:-?} | $result |"
    ) 9>"$root/fuzz/logs/.record.lock"
    rm -rf "$TMPDIR"
    return $crashed
}

# FUZZ_JOBS targets run side by side (default 1: one after the other).
jobs=${FUZZ_JOBS:-1}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: FUZZ_JOBS must be a number from 1" >&2; exit 2; }
crashed=0
if [[ $jobs -eq 1 ]]; then
    for t in "${targets[@]}"; do
        run_target "$t" || crashed=1
    done
else
    running=0
    for t in "${targets[@]}"; do
        if [[ $running -ge $jobs ]]; then
            wait -n || crashed=1
            running=$((running - 1))
        fi
        run_target "$t" &
        running=$((running + 1))
    done
    while [[ $running -gt 0 ]]; do
        wait -n || crashed=1
        running=$((running - 1))
    done
fi
exit $crashed

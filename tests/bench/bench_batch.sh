#!/usr/bin/env bash
# decide-batch end to end on generated JSONL caseloads (100,000 and 1,000,000 households
# from tests/bench/gen_cases.c): cases/s with 1 and 2 threads, peak memory (maximum
# resident set size, from GNU time, or VmHWM read from /proc while it runs), and the
# check that 1 and 2 threads give byte-identical output. Prints figures; not a test.
# Usage: bash tests/bench/bench_batch.sh [BUILD_DIR (Release)] [SIZES (100000 1000000)]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
sizes=${2:-"100000 1000000"}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the generator is plain C without libdecide: built here when the build tree lacks it
gen="$build/tests/gen_cases"
if [ ! -x "$gen" ]; then
  gen="$tmp/gen_cases"
  ${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L tests/bench/gen_cases.c -o "$gen"
fi
# peak resident memory in kB of a command: GNU time when installed, else VmHWM polled
peak_run() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$tmp/peak" "$@"
  else
    "$@" & pid=$!; hwm=0
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && hwm=$v; sleep 0.05
    done
    wait "$pid" || true; echo "$hwm" > "$tmp/peak"
  fi
}
for n in $sizes; do
  "$gen" "$n" > "$tmp/cases.jsonl"
  printf 'caseload: %d households, %d MB of JSONL\n' "$n" $(( $(stat -c %s "$tmp/cases.jsonl") / 1048576 ))
  for t in 1 2; do
    start=$(date +%s.%N)
    peak_run "$build/decide-batch" rulesets/fr/allocations-familiales.xml --threads "$t" \
      --input "$tmp/cases.jsonl" --output "$tmp/out-$t.jsonl" 2>"$tmp/err-$t" || true
    end=$(date +%s.%N)
    awk -v n="$n" -v t="$t" -v s="$start" -v e="$end" -v kb="$(cat "$tmp/peak")" \
      'BEGIN { printf "  decide-batch --threads %d: %8.0f cases/s (%.2f s), peak memory %.1f MB\n", t, n / (e - s), e - s, kb / 1024 }'
  done
  tail -1 "$tmp/err-1" | sed 's/^/  /'
  if cmp -s "$tmp/out-1.jsonl" "$tmp/out-2.jsonl"; then echo "  outputs with 1 and 2 threads are byte-identical"
  else echo "  OUTPUTS DIFFER between 1 and 2 threads"; fi
done

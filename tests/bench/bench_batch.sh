#!/usr/bin/env bash
# decide-batch end to end on generated JSONL caseloads (100,000 and 1,000,000 households,
# the generator of bench_af): cases/s with 1 and 2 threads and peak memory. Prints
# figures; not a test. Usage: bash tests/bench/bench_batch.sh [BUILD_DIR] (Release build)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for n in 100000 1000000; do
  "$build/tests/bench_af" x "$n" 0 --jsonl > "$tmp/cases.jsonl"
  for t in 1 2; do
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$build/decide-batch" rulesets/fr/allocations-familiales.xml \
      --threads "$t" --input "$tmp/cases.jsonl" --output "$tmp/out-$t.jsonl" 2>/dev/null || true
    read -r secs kb < "$tmp/time"
    awk -v n="$n" -v t="$t" -v s="$secs" -v kb="$kb" \
      'BEGIN { printf "decide-batch %8d cases, %d thread(s): %7.0f cases/s, peak memory %d MB\n", n, t, n / s, kb / 1024 }'
  done
  cmp -s "$tmp/out-1.jsonl" "$tmp/out-2.jsonl" && echo "  outputs with 1 and 2 threads are byte-identical"
done

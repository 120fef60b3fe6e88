#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for a bounded time
# from the repository's own inputs as seed corpus. Not part of `make test` (CI time);
# run it by hand: bash tests/fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build-fuzz
cmake -S . -B $out -DCMAKE_C_COMPILER=clang -DDECIDE_FUZZ=ON -DDECIDE_TESTS=OFF >/dev/null
cmake --build $out -j2 --target fuzz_ruleset fuzz_case fuzz_expr
mkdir -p $out/corpus/ruleset $out/corpus/case $out/corpus/expr
cp rulesets/fr/*.xml tests/rulesets/engine/*.xml tests/unit/fixtures/*.xml $out/corpus/ruleset/ 2>/dev/null || true
cp examples/af/*.json tests/cli/data/*.json tests/cli/data/*.xml $out/corpus/case/ 2>/dev/null || true
grep -ho '<then>[^<]*</then>' rulesets/fr/allocations-familiales.xml | sed 's/<[^>]*>//g' | head -200 |
  awk '{ f = sprintf("'$out'/corpus/expr/%04d", NR); print > f }'
for t in ruleset case expr; do
  echo "== fuzz_$t for ${secs}s"
  $out/fuzz_$t -max_total_time="$secs" -max_len=65536 $out/corpus/$t
done

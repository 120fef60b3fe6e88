#!/usr/bin/env bash
# decide-batch tests. Expected records are worked out from the engine test rule set
# (tests/rulesets/engine/semantics.xml, same arithmetic as its data-driven cases):
#  line 1: two dependents, zone est: 474,37 × 32 % = 151,7984 → 151,80; one younger
#          dependent: 151,80 × 1 + trunc(151,80 × 0,5 % = 0,759) = 152,55 → GRANTED
#  line 2: one dependent in zone est: no rule grants → DENIED
#  line 3: b missing: maj.b may apply (2) or not (0) → REVIEW, missing b (article t-3)
#  line 4: truncated JSON → error record;   line 5: blank → error record
#  line 6: a and b true: conflict on majoration → REVIEW with the conflict
set -u
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/../.."
B="${DECIDE_WRAPPER:-} $build/decide-batch"
R=tests/rulesets/engine/semantics.xml
IN=tests/batch/cases.jsonl
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1"; fi; }

$B $R --input $IN --output "$tmp/o1.jsonl" 2>"$tmp/err1"; rc=$?
check "exit 1 when some lines are errors" '[ $rc = 1 ]'
check "one output line per input line" '[ "$(wc -l < "$tmp/o1.jsonl")" = "$(wc -l < $IN)" ]'
check "line 1 granted 152.55" 'sed -n 1p "$tmp/o1.jsonl" | grep -q "^{\"line\":1,\"outcome\":\"GRANTED\",\"amount\":\"152.55\""'
check "line 2 denied" 'sed -n 2p "$tmp/o1.jsonl" | grep -q "\"line\":2,\"outcome\":\"DENIED\",\"amount\":null"'
check "line 3 review on b" 'sed -n 3p "$tmp/o1.jsonl" | grep -q "\"outcome\":\"REVIEW\".*\"missing\":\[{\"input\":\"b\",\"reason\":\"missing\",\"needed_by\":\[\"t-3\"\]}\]"'
check "line 4 error with position" 'sed -n 4p "$tmp/o1.jsonl" | grep -q "^{\"line\":4,\"error\":\"column [0-9]*: malformed JSON"'
check "line 5 blank is an error record" 'sed -n 5p "$tmp/o1.jsonl" | grep -q "^{\"line\":5,\"error\":\"blank line"'
check "line 6 conflict" 'sed -n 6p "$tmp/o1.jsonl" | grep -q "\"conflicts\":\[\"majoration\"\]"'
check "counts on stderr" 'grep -q "6 line(s) in .*: 1 granted, 1 denied, 2 review, 2 error(s)" "$tmp/err1"'
check "no temporary file left" '[ -z "$(ls "$tmp" | grep tmp)" ]'

$B $R --input $IN --threads 4 --output "$tmp/o4.jsonl" 2>/dev/null
check "4 threads byte-identical to 1" 'cmp -s "$tmp/o1.jsonl" "$tmp/o4.jsonl"'
for k in $(seq 1 300); do cat $IN; done > "$tmp/big.jsonl"
$B $R --input "$tmp/big.jsonl" --output "$tmp/b1.jsonl" 2>/dev/null
$B $R --input "$tmp/big.jsonl" --threads 3 --output "$tmp/b3.jsonl" 2>/dev/null
check "1800 lines over several batches, 3 threads identical" 'cmp -s "$tmp/b1.jsonl" "$tmp/b3.jsonl" && [ "$(wc -l < "$tmp/b3.jsonl")" = 1800 ]'
check "line numbers run on across batches" 'tail -1 "$tmp/b3.jsonl" | grep -q "^{\"line\":1800,"'

$B $R --trace full < $IN > "$tmp/full.jsonl" 2>/dev/null
check "full trace: one JSON decision per line" 'python3 -c "
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert len(rows)==6 and rows[0][\"decision\"][\"amount\"]==\"152.55\" and rows[0][\"decision\"][\"motivation\"][\"operations\"]
assert \"error\" in rows[3]" "$tmp/full.jsonl"'

echo '{"date":"2025-06-01"}' > "$tmp/one.jsonl"
$B tests/cli/data/broken.xml --input "$tmp/one.jsonl" --output "$tmp/never.jsonl" 2>/dev/null; rc=$?
check "bad rule set: exit 2, no output file" '[ $rc = 2 ] && [ ! -e "$tmp/never.jsonl" ] && [ -z "$(ls "$tmp" | grep never)" ]'
$B 2>/dev/null; rc=$?
check "usage error: exit 2" '[ $rc = 2 ]'
$B $R --threads 0 2>/dev/null; rc=$?
check "bad --threads: exit 2" '[ $rc = 2 ]'
$B --help | grep -q "Usage: decide-batch"; check "--help" '[ $? = 0 ]'
head -3 $IN | $B $R > "$tmp/ok.jsonl" 2>/dev/null; rc=$?
check "all lines decided: exit 0" '[ $rc = 0 ] && [ "$(wc -l < "$tmp/ok.jsonl")" = 3 ]'

echo "batch: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# decide-batch tests. Usage: run.sh BUILD_DIR. DECIDE_WRAPPER (e.g. valgrind) prefixes
# every decide-batch run.
#
# tests/batch/cases.jsonl, against the engine test rule set tests/rulesets/engine/semantics.xml
# (same arithmetic as its data-driven cases):
#  line 1: two dependents, zone est: 474,37 × 32 % = 151,7984 → 151,80; one younger
#          dependent: 151,80 × 1 + trunc(151,80 × 0,5 % = 0,759) = 152,55 → GRANTED
#  line 2: one dependent in zone est: no rule grants → DENIED
#  line 3: b missing: maj.b may apply (2) or not (0) → REVIEW, missing b (article t-3)
#  line 4: truncated JSON → error record;   line 5: blank → error record
#  line 6: a and b true: conflict on majoration → REVIEW with the conflict
#
# tests/batch/af.jsonl, allocations familiales cases taken from tests/rulesets/af (whose
# files carry the arithmetic from the law), with ids; af.expected.jsonl is the expected
# output, reviewed line by line against those files:
#  1 "A-001" = case 001: 2 children, tranche 1, 474,37 × 32 % → 151,80 GRANTED
#  2 10 (a numeric id) = case 010: one child in the métropole → DENIED
#  3 "A-071" = case 071: conditions_titre_I missing → REVIEW, needed by L521-2
#  4 blank line → error record;   5 "A-019" = case 019: 151,80 + forfaitaire 95,98 = 247,78
#  6 two commas: error at column 59 (the second comma), no id since the line is unreadable
#  7 an id with quotes, escaped back = case 098: 422,19;   8 CRLF line, no id = case 002: 75,90
set -u
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/../.."
B="${DECIDE_WRAPPER:-} $build/decide-batch"
R=tests/rulesets/engine/semantics.xml
AF=rulesets/fr/allocations-familiales.xml
IN=tests/batch/cases.jsonl
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1"; fi; }
line() { sed -n "$1p" "$2"; }

# --- records, line numbers, errors, exit status, counts
$B $R --input $IN --output "$tmp/o1.jsonl" 2>"$tmp/err1"; rc=$?
check "exit 1 when some lines are errors" '[ $rc = 1 ]'
check "one output line per input line" '[ "$(wc -l < "$tmp/o1.jsonl")" = "$(wc -l < $IN)" ]'
check "line 1 granted 152.55" '[ "$(line 1 "$tmp/o1.jsonl")" = "{\"line\":1,\"id\":null,\"outcome\":\"GRANTED\",\"amount\":\"152.55\",\"missing\":[],\"conflicts\":[]}" ]'
check "line 2 denied" '[ "$(line 2 "$tmp/o1.jsonl")" = "{\"line\":2,\"id\":null,\"outcome\":\"DENIED\",\"amount\":null,\"missing\":[],\"conflicts\":[]}" ]'
check "line 3 review on b" 'line 3 "$tmp/o1.jsonl" | grep -qF "\"outcome\":\"REVIEW\",\"amount\":null,\"missing\":[{\"input\":\"b\",\"reason\":\"missing\",\"needed_by\":[\"t-3\"]}]"'
check "line 4 error with its column" 'line 4 "$tmp/o1.jsonl" | grep -q "^{\"line\":4,\"id\":null,\"error\":\"column [0-9]*: malformed JSON"'
check "line 5 blank is an error record" '[ "$(line 5 "$tmp/o1.jsonl")" = "{\"line\":5,\"id\":null,\"error\":\"blank line: no case record\"}" ]'
check "line 6 conflict" 'line 6 "$tmp/o1.jsonl" | grep -qF "\"conflicts\":[\"majoration\"]"'
check "counts on stderr" 'grep -qx "decide-batch: 6 line(s): 1 granted, 1 denied, 2 review, 2 error(s)" "$tmp/err1"'
check "no progress line off a terminal" '[ "$(wc -l < "$tmp/err1")" = 1 ]'
check "no temporary file left" '[ -z "$(ls "$tmp" | grep tmp)" ]'

$B $AF --input tests/batch/af.jsonl > "$tmp/af.jsonl" 2>"$tmp/af.err"; rc=$?
check "AF caseload: expected records (ids, errors, blank, CRLF)" 'cmp -s "$tmp/af.jsonl" tests/batch/af.expected.jsonl || { diff tests/batch/af.expected.jsonl "$tmp/af.jsonl"; false; }'
check "AF caseload: exit 1 and counts" '[ $rc = 1 ] && grep -qx "decide-batch: 8 line(s): 4 granted, 1 denied, 1 review, 2 error(s)" "$tmp/af.err"'
grep -v '^$' tests/batch/af.jsonl | grep -v ',,' > "$tmp/good.jsonl"
$B $AF < "$tmp/good.jsonl" > "$tmp/good.out" 2>/dev/null; rc=$?
check "every line decided (REVIEW included): exit 0" '[ $rc = 0 ] && [ "$(wc -l < "$tmp/good.out")" = 6 ]'
$B $AF --date 2025-07-01 --input tests/batch/af.jsonl 2>/dev/null | line 1 /dev/stdin > "$tmp/d.out"
check "--date overrides the case date" 'grep -qF "\"id\":\"A-001\",\"outcome\":\"GRANTED\",\"amount\":\"151.80\"" "$tmp/d.out"'

# --- order and determinism: many batches, several threads
$B $R --input $IN --threads 4 --output "$tmp/o4.jsonl" 2>/dev/null
check "4 threads byte-identical to 1" 'cmp -s "$tmp/o1.jsonl" "$tmp/o4.jsonl"'
for k in $(seq 1 500); do cat $IN; cat tests/batch/af.jsonl; done > "$tmp/big.jsonl"
$B $AF --input "$tmp/big.jsonl" --output "$tmp/b1.jsonl" 2>"$tmp/b1.err"
$B $AF --input "$tmp/big.jsonl" --threads 4 --output "$tmp/b4.jsonl" 2>"$tmp/b4.err"
check "7000 lines over many batches: 1 and 4 threads byte-identical" 'cmp -s "$tmp/b1.jsonl" "$tmp/b4.jsonl" && [ "$(wc -l < "$tmp/b4.jsonl")" = 7000 ]'
check "line numbers follow the input across batches" '[ "$(cut -d, -f1 "$tmp/b4.jsonl" | sed "s/{\"line\"://" | awk "\$1 != NR" | wc -l)" = 0 ]'
check "same counts with 1 and 4 threads" 'cmp -s "$tmp/b1.err" "$tmp/b4.err"'
check "record of the last AF line in place" '[ "$(tail -1 "$tmp/b4.jsonl")" = "$(tail -1 tests/batch/af.expected.jsonl | sed "s/\"line\":8,/\"line\":7000,/")" ]'

# --- traced records: the renderer's JSON decision, one line each
for t in summary full; do
  $B $AF --trace $t --threads 2 < tests/batch/af.jsonl > "$tmp/$t.jsonl" 2>/dev/null
  check "--trace $t: one valid JSON record per line" 'python3 -c "
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert len(rows)==8
assert rows[0][\"id\"]==\"A-001\" and rows[0][\"decision\"][\"outcome\"]==\"GRANTED\" and rows[0][\"decision\"][\"amount\"]==\"151.80\"
assert rows[1][\"id\"]==10 and rows[1][\"decision\"][\"outcome\"]==\"DENIED\"
assert rows[2][\"decision\"][\"missing\"][0][\"input\"]==\"conditions_titre_I\"
assert \"error\" in rows[3] and \"error\" in rows[5] and rows[6][\"id\"]==\"dossier \\\"98\\\"\"
assert rows[0][\"decision\"][\"motivation\"][\"operations\"]" "$tmp/$t.jsonl"'
done
$B $AF --trace full --threads 1 < tests/batch/af.jsonl > "$tmp/full1.jsonl" 2>/dev/null
check "--trace full: 1 and 2 threads byte-identical" 'cmp -s "$tmp/full1.jsonl" "$tmp/full.jsonl"'

# --- output file: temporary file renamed at the end, nothing left on failure
echo '{"date":"2025-06-01"}' > "$tmp/one.jsonl"
$B tests/cli/data/broken.xml --input "$tmp/one.jsonl" --output "$tmp/never.jsonl" 2>/dev/null; rc=$?
check "bad rule set: exit 2, no output file, no temporary file" '[ $rc = 2 ] && [ -z "$(ls "$tmp" | grep never)" ]'
$B $R --input "$tmp/no-such-file.jsonl" --output "$tmp/never.jsonl" 2>/dev/null; rc=$?
check "unreadable input: exit 2, no output file" '[ $rc = 2 ] && [ -z "$(ls "$tmp" | grep never)" ]'
$B $R --input $IN --output "$tmp/no-such-dir/out.jsonl" 2>/dev/null; rc=$?
check "output directory missing: exit 2" '[ $rc = 2 ]'
echo "stale" > "$tmp/kept.jsonl"
$B $R --input $IN --output "$tmp/kept.jsonl" 2>/dev/null
check "existing output replaced whole on success" 'cmp -s "$tmp/kept.jsonl" "$tmp/o1.jsonl"'
check "output file has the usual mode (umask), not mkstemp 0600" '[ "$(stat -c %a "$tmp/kept.jsonl")" = "$(printf "%o" $(( 0666 & ~$(umask) )))" ]'

# --- usage
$B 2>/dev/null; rc=$?
check "no rule set: exit 2" '[ $rc = 2 ]'
for bad in "--threads 0" "--threads 257" "--threads x" "--trace loud" "--date 2025-13-01" "--date yesterday" "--frobnicate" "--input"; do
  # shellcheck disable=SC2086
  $B $R $bad < /dev/null 2>/dev/null; rc=$?
  check "bad usage '$bad': exit 2" '[ $rc = 2 ]'
done
$B --help > "$tmp/help" 2>&1; rc=$?
check "--help" '[ $rc = 0 ] && grep -q "^Usage: decide-batch" "$tmp/help"'
$B --version > "$tmp/version" 2>&1; rc=$?
check "--version" '[ $rc = 0 ] && grep -q "^decide-batch (libdecide) [0-9]" "$tmp/version"'
: | $B $R > "$tmp/empty.out" 2>"$tmp/empty.err"; rc=$?
check "empty input: no record, exit 0" '[ $rc = 0 ] && [ ! -s "$tmp/empty.out" ] && grep -q "0 line(s)" "$tmp/empty.err"'

echo "batch: $passed passed, $failed failed"
[ "$failed" = 0 ]

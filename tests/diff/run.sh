#!/usr/bin/env bash
# decide-diff tests: planted changes between rule set versions, an impact run whose
# counts were worked out by hand, and planted drifts between a rule set and a statute
# corpus. Usage: tests/diff/run.sh BUILD_DIR (the directory holding decide-diff).
# DECIDE_WRAPPER (e.g. "valgrind --error-exitcode=99 -q") prefixes every run.
set -u
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/../.."
tool="${DECIDE_WRAPPER:-} $build/decide-diff"
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { passed=$((passed+1)); }
fail() { failed=$((failed+1)); echo "FAIL: $*"; }
# run NAME EXPECTED_EXIT ARGS...: output in $tmp/NAME.out
run() {
  local name=$1 want=$2; shift 2
  $tool "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  local got=$?
  if [ "$got" = "$want" ]; then ok; else fail "$name: exit $got, expected $want"; sed -n 1,10p "$tmp/$name.err"; fi
}
# has NAME FIXED-STRING: the text output contains the line part
has() { if grep -qF -- "$2" "$tmp/$1.out"; then ok; else fail "$1: no line with: $2"; fi; }
hasnt() { if grep -qF -- "$2" "$tmp/$1.out"; then fail "$1: unexpected: $2"; else ok; fi; }
# json NAME PYTHON-EXPRESSION (d = the parsed document) must be true
json() {
  if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$tmp/$1.out"; then ok
  else fail "$1: JSON check failed: $2"; fi
}
F='lambda d, k, **kw: [f for f in d["findings"] if f["kind"] == k and all(f.get(a) == b for a, b in kw.items())]'

sem=tests/rulesets/engine/semantics.xml

# ---------------------------------------------------------------- usage and errors
run help 0 --help;                       has help "Usage: decide-diff"
run version 0 --version;                 has version "decide-diff (libdecide)"
run usage-none 2
run usage-three 2 $sem $sem $sem
run bad-option 2 --frobnicate $sem $sem
run bad-format 2 --format xml $sem $sem
run bad-date 2 --date 2025-02-30 $sem $sem
run unreadable 2 $sem tests/diff/does-not-exist.xml
run bad-ruleset 2 $sem tests/unit/fixtures/check_errors.xml
run no-cases-file 2 $sem $sem --cases tests/diff/does-not-exist.jsonl
run no-statutes-path 2 $sem --statutes tests/diff/does-not-exist

# ---------------------------------------------------------------- rule set against itself
run same 0 $sem $sem;                    has same "No difference."
run same-af 0 rulesets/fr/allocations-familiales.xml rulesets/fr/allocations-familiales.xml

# ---------------------------------------------------------------- planted changes
# tests/diff/semantics-v2.xml = semantics.xml with one change of each kind.
run v2 1 $sem tests/diff/semantics-v2.xml
has v2 "rule droit.general: condition: nb_a_charge >= 2  →  nb_a_charge >= 3 [rule-condition]"
has v2 "rule base.exception.nord: value: round_cent(montant * taux) + 10.00 €  →  round_cent(montant * taux) + 12.00 € [rule-value]"
has v2 "rule base.exception.nord: validity: always  →  2025-01-01 .. open [rule-validity]"
has v2 "rule base.exception.nord: exception of: base.calcul  →  (top level) [rule-parent]"
has v2 "rule droit.sud: source: t-1 al. 2  →  t-1 al. 1 [rule-source]"
has v2 "rule maj.a: explanation: Majoration de 1.  →  Majoration de un point. [rule-explain]"
has v2 "Majoration de [-1-]{+un point+}."
has v2 "rule maj.b: rule removed: if b then 2 [rule-removed]"
has v2 "rule maj.both: rule added: if a and b then 3 [rule-added]"
has v2 "parameter plafond: value from 2025-01-01: 1100.00  →  1150.00 [parameter-value-changed]"
has v2 "parameter plafond: value from 2026-01-01 added: 1200.00 [parameter-value-added]"
has v2 "parameter plafond: value from 2024-01-01 removed: 1000.00 [parameter-value-removed]"
has v2 "input zone: changed: enum (nord sud est)  →  enum (nord sud est ouest) [input-changed]"
has v2 "article t-2: LEGI id: (none)  →  LEGIARTI900000000002 [article-legi]"
has v2 "article t-2: quoted alinéa 1 [article-quote]"
has v2 "article t-4: article added [article-added]"
# grouping: the removed rule's group (T3, a critical finding) comes first; the added rule
# is grouped under the article it cites in NEW (t-4).
if [ "$(grep -m1 -n '^article' "$tmp/v2.out" | cut -d: -f2-)" = "article T. 3 du code de test [t-3]" ]; then ok; else fail "v2: T3 group not first"; fi
if awk '/^article T. 4/{g=1} g && /maj.both/{f=1} END{exit !f}' "$tmp/v2.out"; then ok; else fail "v2: maj.both not under T4"; fi
run v2-json 1 --format json $sem tests/diff/semantics-v2.xml
json v2-json "d['mode'] == 'rulesets' and d['differences'] == 15 and len(d['findings']) == 15"
json v2-json "len(($F)(d, 'rule-condition', subject='rule droit.general', old='nb_a_charge >= 2', new='nb_a_charge >= 3', article='t-1')) == 1"
json v2-json "len(($F)(d, 'rule-removed', subject='rule maj.b', severity='critical', article='t-3')) == 1"
json v2-json "len(($F)(d, 'parameter-value-changed', field='value from 2025-01-01', old='1100.00', new='1150.00')) == 1"
json v2-json "len(($F)(d, 'article-legi', old='(none)', new='LEGIARTI900000000002')) == 1"
json v2-json "d['findings'][0]['severity'] == 'critical'"

# The real rule set with two planted changes.
run af-v2 1 rulesets/fr/allocations-familiales.xml tests/diff/af-v2.xml
has af-v2 "parameter bmaf: value from 2026-04-01: 478.16  →  480.00 [parameter-value-changed]"
has af-v2 "article css-L521-1: LEGI id: LEGIARTI000029963006  →  LEGIARTI000099999999 [article-legi]"
has af-v2 "2 difference(s), 2 finding(s) in 2 group(s)."

# ---------------------------------------------------------------- impact
# semantics-seuil-3.xml changes only droit.general (nb_a_charge >= 2 -> >= 3). Every case
# is dated 2025-06-01 (plafond 1 100,00 €), montant 474,37 €, taux 32 %, so base =
# round_cent(151.7984) = 151,80 € (161,80 € in zone nord) and the amount is
# base × nb_cadets + trunc_cent(base × 0,5 %) + majoration. Children: p15 (born
# 2010-01-01, 15 y), p13 (2012-05-05, 13 y), p10 (2015-03-03), p17 (2008-02-02).
#  line  case                          OLD                        NEW            direction
#   1  est, p15 p13                    GRANTED 151.80+0.75=152.55 DENIED         granted→denied  −152.55
#   2  sud, p15 p13                    GRANTED 152.55             GRANTED 152.55 (droit.sud)  unchanged
#   3  est, 3 children                 GRANTED 303.60+0.75=304.35 GRANTED 304.35 unchanged
#   4  est, 1 child                    DENIED                     DENIED         unchanged
#   5  nord, p15 p13                   GRANTED 161.80+0.80=162.60 DENIED         granted→denied  −162.60
#   6  zone missing, p15 p13           REVIEW (base: nord unknown) REVIEW (sud possible) unchanged
#   7  est, a=true                     GRANTED 152.55+1=153.55    DENIED         granted→denied  −153.55
#   8  est, a=b=true (majoration conflict) REVIEW                 DENIED (droit false) review→
#   9  est, montant missing            REVIEW                     DENIED         review→
#  10  est, p13 earns 1 200 > plafond  DENIED (1 child)           DENIED         unchanged
#  11  est, 4 children                 GRANTED 455.40+0.75=456.15 GRANTED        unchanged
#  12  est, personnes missing          REVIEW                     REVIEW         unchanged
#  13  blank line: not a case
#  14  malformed JSON: counted, line 14 reported
#  15  est, montant 10.00: base 3.20, +trunc(0.016)=0.01 → 3.21   DENIED  granted→denied  −3.21
#  16  est, montant 1.00: base 0.32, +trunc(0.0016)=0 → 0.32      DENIED  granted→denied  −0.32
#  17  est, montant 100.00: base 32.00 + 0.16 → 32.16             DENIED  granted→denied  −32.16
#  18  est, montant 200.00: base 64.00 + 0.32 → 64.32             DENIED  granted→denied  −64.32
# Totals: 16 cases evaluated, 9 changed (7 granted→denied, 2 review→), 7 unchanged; 7
# amount differences, min −162.60, max −0.32; buckets <1 €: 1 (0.32), 1–10: 1 (3.21),
# 10–50: 1 (32.16), 50–100: 1 (64.32), >100: 3 (152.55, 153.55, 162.60).
imp="$sem tests/diff/impact/semantics-seuil-3.xml --cases tests/diff/impact/cases.jsonl"
run impact 1 $imp
has impact "Impact on tests/diff/impact/cases.jsonl: 16 case(s) evaluated, 9 decision(s) changed, 1 line(s) not evaluated"
has impact "  granted → denied     7"
has impact "  denied → granted     0"
has impact "  review →             2"
has impact "  unchanged            7"
has impact "Amount paid changes in 7 case(s) (new − old): min -162.60 €, max -0.32 €"
has impact "  > 100 €              3"
has impact "line 14: not evaluated:"
has impact "=== line 1: GRANTED 152.55 € → DENIED (granted → denied)"
has impact "=== line 5: GRANTED 162.60 € → DENIED (granted → denied)"
has impact "=== line 7: GRANTED 153.55 € → DENIED (granted → denied)"
hasnt impact "=== line 8:"
has impact "--- OLD"
has impact "--- NEW"
run impact-ex1 1 $imp --examples 1
if [ "$(grep -c '^=== line' "$tmp/impact-ex1.out")" = 1 ]; then ok; else fail "impact-ex1: not one example"; fi
run impact-json 1 $imp --format json
json impact-json "d['impact']['cases'] == 16 and d['impact']['changed'] == 9 and d['impact']['not_evaluated'] == 1"
json impact-json "d['impact']['directions'] == {'unchanged': 7, 'granted-to-denied': 7, 'denied-to-granted': 0, 'to-review': 0, 'from-review': 2, 'amount-up': 0, 'amount-down': 0}"
json impact-json "d['impact']['min_diff_cents'] == -16260 and d['impact']['max_diff_cents'] == -32 and d['impact']['amount_changes'] == 7"
json impact-json "[b['count'] for b in d['impact']['buckets']] == [1, 1, 1, 1, 3]"
json impact-json "[m['line'] for m in d['impact']['malformed']] == [14]"
json impact-json "[e['line'] for e in d['impact']['examples']] == [1, 5, 7]"
# the same version on both sides: nothing changes, exit 0
run impact-same 0 $sem $sem --cases tests/diff/impact/cases.jsonl
has impact-same "16 case(s) evaluated, 0 decision(s) changed"

# ---------------------------------------------------------------- statutes (planted drifts)
st="tests/diff/statutes/rules.xml --statutes tests/diff/statutes/corpus --date 2025-06-01"
run drift 1 $st
has drift "article A1: amended since the cited version: LEGIARTI900000000101 (MODIFIE, 2020-01-01 .. 2024-01-01)  →  LEGIARTI900000000102 (VIGUEUR, 2024-01-01 .. open) [article-amended]"
has drift "… est due à partir de [-deux-]{+trois+} enfants à charge."
has drift "article A2: abrogated: LEGIARTI900000000201 (ABROGE, 2015-01-01 .. 2023-01-01) [article-abrogated]"
has drift "article A3: alinéa 1: 33 (percent)"
has drift "article A3: parameter taux (from 2020-01-01): constant: 32 % [constant-unmatched]"
has drift "article A3: quoted alinéa 1 vs alinéa 1 of LEGIARTI900000000301 [text-changed]"
has drift "article A4: alinéa 1: 1 500 (amount)"
has drift "article A4: rule droit.plafond: constant: 1 050,00 € [constant-unmatched]"
has drift "article A4: alinéa 2: Ce plafond est revalorisé chaque année. [alinea-uncovered]"
has drift "article A5: not in the corpus: LEGIARTI900000000501 [article-missing]"
has drift "tests/diff/statutes/corpus/broken.xml: statute file not read [statute-file-error]"
has drift "article A9: article cited by no rule"
# most serious first: the first group holds a critical finding
if [ "$(sed -n 5p "$tmp/drift.out" | grep -c critical)" = 1 ]; then ok; else fail "drift: first group not critical"; fi
run drift-json 1 --format json $st
json drift-json "d['mode'] == 'statutes' and d['date'] == '2025-06-01'"
for k in article-amended article-abrogated text-changed law-number-unmatched constant-unmatched alinea-uncovered article-missing statute-file-error article-uncovered; do
  json drift-json "len(($F)(d, '$k')) >= 1"
done
json drift-json "len(($F)(d, 'law-number-unmatched', article='a3')) == 1 and ($F)(d, 'constant-unmatched', article='a3')[0]['new'] == '32 %'"
# before the amendment (2023-06-01) A1 is the version cited: no amended finding
run drift-2023 1 tests/diff/statutes/rules.xml --statutes tests/diff/statutes/corpus --date 2023-06-01
hasnt drift-2023 "[article-amended]"
# --scope restricts the coverage to matching numbers
run drift-scope 1 tests/diff/statutes/rules.xml --statutes tests/diff/statutes/corpus --date 2025-06-01 --scope A1
hasnt drift-scope "article A9: article cited by no rule"

# The real rule set against its statute fixtures: expected false alarms are listed in
# tests/diff/README.md; no article is missing, abrogated or amended, no quote differs.
run af 1 rulesets/fr/allocations-familiales.xml --statutes rulesets/fr/statutes --date 2025-06-01
hasnt af "[article-missing]"
hasnt af "[text-changed]"
hasnt af "[article-amended]"
hasnt af "[article-abrogated]"
hasnt af "[statute-file-error]"
has af "article D521-3: alinéa 1: 55 950 (amount)"
# From 2026-03-01 the R521-1 in force (décret n° 2026-138) is not in the corpus.
run af-2026 1 rulesets/fr/allocations-familiales.xml --statutes rulesets/fr/statutes --date 2026-03-01
has af-2026 "article R521-1: no version in force [article-not-in-force]"

echo "diff: $passed passed, $failed failed"
[ "$failed" = 0 ]

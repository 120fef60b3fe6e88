#!/usr/bin/env bash
# Runs the C integration example (examples/backend) on the five AF example cases and
# checks its files: four decisions (amounts checked by hand in tests/cli/golden) and one
# REVIEW routed to the work queue with the two facts the law needs.
set -eu
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
${DECIDE_WRAPPER:-} "$build/backend_example" rulesets/fr/allocations-familiales.xml examples/backend/caseload.jsonl "$out" 3
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1] + "/results.jsonl")]
queue = [json.loads(l) for l in open(sys.argv[1] + "/review-queue.jsonl")]
# caseload order: dom-enfant-unique, famille-2-enfants, famille-3-enfants-tranche2, garde-alternee, revision
assert [r["amount"] for r in rows] == ["45.39", "151.80", "249.05", "113.85", None], rows
assert [r["outcome"] for r in rows][-1] == "REVIEW" and rows[1]["motivation"]["motivation"]["operations"]
assert len(queue) == 1 and queue[0]["case"] == 5
assert [m["input"] for m in queue[0]["missing"]] == ["enfants[0].remuneration_mensuelle", "ressources"]
assert queue[0]["missing"][1]["needed_by"] == ["css-D521-1"]
print("backend example: 1 passed, 0 failed")
PY

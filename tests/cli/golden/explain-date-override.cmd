exit=0
decide-explain tests/rulesets/engine/semantics.xml tests/cli/data/general.json --date 2026-06-01 --format json

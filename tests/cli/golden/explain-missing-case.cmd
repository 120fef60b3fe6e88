exit=3
decide-explain tests/rulesets/engine/semantics.xml tests/cli/data/nonexistent.json

exit=1
decide-explain tests/rulesets/engine/semantics.xml tests/cli/data/general.json --format pdf

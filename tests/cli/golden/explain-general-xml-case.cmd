exit=0
decide-explain tests/rulesets/engine/semantics.xml tests/cli/data/general.xml --trace summary

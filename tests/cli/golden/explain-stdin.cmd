exit=0
decide-explain tests/rulesets/engine/semantics.xml - --format json < tests/cli/data/general.json

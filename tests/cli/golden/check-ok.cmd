exit=0
decide-check tests/rulesets/engine/semantics.xml

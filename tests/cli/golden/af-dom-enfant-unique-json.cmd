exit=0
decide-explain rulesets/fr/allocations-familiales.xml examples/af/dom-enfant-unique.json --format json

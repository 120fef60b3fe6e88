exit=0
decide-explain rulesets/fr/allocations-familiales.xml examples/af/garde-alternee.json

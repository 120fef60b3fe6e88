exit=0
decide-explain rulesets/fr/allocations-familiales.xml examples/af/famille-3-enfants-tranche2.json --format json

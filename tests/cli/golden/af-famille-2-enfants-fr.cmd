exit=0
decide-explain rulesets/fr/allocations-familiales.xml examples/af/famille-2-enfants.json

exit=0
decide-explain rulesets/fr/allocations-familiales.xml examples/af/revision-donnees-manquantes.json

exit=0
decide-check --help

exit=0
decide-explain --help

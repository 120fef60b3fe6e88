exit=0
decide-explain --version

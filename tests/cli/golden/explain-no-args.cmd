exit=1
decide-explain

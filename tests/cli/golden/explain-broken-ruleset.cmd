exit=2
decide-explain tests/cli/data/broken.xml tests/cli/data/general.json

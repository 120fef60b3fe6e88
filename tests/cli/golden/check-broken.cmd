exit=1
decide-check tests/cli/data/broken.xml

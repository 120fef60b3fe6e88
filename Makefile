# Thin wrapper over CMake (the real build): the README's two commands.
BUILD ?= build
EXAMPLE ?= examples/af/famille-2-enfants.json

.PHONY: all deps build demo test clean
all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j2

demo: build
	$(BUILD)/decide-explain rulesets/fr/allocations-familiales.xml $(EXAMPLE)

test: deps
	bash scripts/test.sh

clean:
	rm -rf build build-asan build-clang

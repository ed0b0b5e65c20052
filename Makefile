# The two commands a newcomer needs:
#   make run   installs what is missing, builds (release) and serves on http://127.0.0.1:8000
#   make test  installs what is missing, builds (debug, ASan+UBSan) and runs every test
#   make bench runs the server scenarios (under 10 minutes) and regenerates docs/benchmarks.md
#   make fuzz  builds the libFuzzer targets (clang) and runs each for FUZZ_SECONDS (docs/fuzzing.md)
JOBS ?= $(shell nproc)
ARGS ?=
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: all deps deps-test build run test build-debug lint format clean bench fuzz

all: build

deps:
	./scripts/install-deps.sh

# The tests also need Chromium (browser tests) and CJK fonts for its screenshots.
deps-test:
	./scripts/install-deps.sh --test

build: deps
	cmake --preset release
	cmake --build --preset release --target salesboost -j $(JOBS)

run: build
	./build/release/src/salesboost serve $(ARGS)

build-debug: deps-test
	cmake --preset debug
	cmake --build --preset debug -j $(JOBS)

test: build-debug
	ctest --preset debug

# The load scenarios against the release build; results in build/bench, tables in docs/benchmarks.md.
bench:
	./scripts/install-deps.sh --bench
	cmake --preset release
	cmake --build --preset release --target salesboost salesboost-load mock-llm -j $(JOBS)
	for s in idle offline llm soak; do bench/load.sh $$s build/bench || exit 1; done
	bench/report.py build/bench docs/benchmarks.md

# Every fuzz target for FUZZ_SECONDS (FUZZ_TARGETS="pdf html" for some); findings stay in build/fuzz.
# Fails when a target crashes. `make test` replays the committed corpora (label fuzz) without clang.
fuzz:
	./scripts/install-deps.sh --fuzz
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	./scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# clang-format must agree with the tree; clang-tidy's bug-finding checks (.clang-tidy) must pass.
lint: build-debug
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')
	run-clang-tidy -quiet -p build/debug -j $(JOBS) "$(CURDIR)/(src|tests)/.*\.cpp" > build/clang-tidy.log 2>&1 \
	  || { grep -E 'warning:|error:' build/clang-tidy.log; exit 1; }

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build

# The two commands a newcomer needs:
#   make run   installs what is missing, builds (release) and serves on http://127.0.0.1:8000
#   make test  installs what is missing, builds (debug, ASan+UBSan) and runs every test
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: all deps build run test build-debug format clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release --target salesboost -j $(JOBS)

run: build
	./build/release/src/salesboost serve $(ARGS)

build-debug: deps
	cmake --preset debug
	cmake --build --preset debug -j $(JOBS)

test: build-debug
	ctest --preset debug

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build

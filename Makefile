# Homeward — two commands: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
SWIFT ?= swift
SEEDS ?= 10000
PORT ?= 8420
PATIENTS ?= 2000

.PHONY: run test build build-server deps-build deps-run deps-test sim bench fuzz clean

run: deps-run build build-server
	@scripts/run-demo.sh

test: deps-test
	@scripts/test.sh

build: deps-build
	$(SWIFT) build

build-server: deps-build
	cd sync-server && $(SWIFT) build

deps-build:
	@scripts/install-deps.sh build

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

# Many seeds of the deterministic sync simulation: `make sim SEEDS=10000`.
sim: deps-build
	@SEEDS=$(SEEDS) scripts/sim.sh

# Performance figures with same-run baselines (release builds; several minutes).
bench: deps-run
	@scripts/bench.sh

# Schemathesis against docs/openapi.yaml on a live demo server (loopback, ~2 min).
fuzz: deps-run
	@sync-server/scripts/fuzz-api.sh

clean:
	rm -rf .build sync-server/.build .run test-output bench-output

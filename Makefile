.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## Debug build
	swift build

release: ## Release build of the hoist binary
	swift build -c release --product hoist

run: ## Start the server on :8080 with the embedded SQLite default
	swift run hoist

test: ## Run every test (Swift + compatibility suite), as CI does
	bash scripts/test.sh

bench: ## In-process benchmarks (Benchmarks/ package, ~5 min incl. build): table for BENCHMARKS.md
	bash scripts/bench-inprocess.sh

bench-smoke: ## Benchmarks in smoke mode (few iterations, no thresholds), as CI runs them
	bash scripts/bench-smoke.sh

bench-http: ## HTTP/scale/resource/write-path benchmarks vs nginx (release build + ~8 min of runs; needs wrk, nginx)
	bash scripts/bench-http.sh

.PHONY: help build release run test bench bench-smoke bench-http

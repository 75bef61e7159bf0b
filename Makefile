.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## Debug build
	swift build

release: ## Release build of the hoist binary
	swift build -c release --product hoist

run: ## Start the server on :8080 with the embedded SQLite default
	swift run hoist

test: ## Run every test (Swift + compatibility suite), as CI does
	bash scripts/test.sh

.PHONY: help build release run test

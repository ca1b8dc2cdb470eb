# The local system (local/): `make up`, the edge and supervisor tests, and the end-to-end browser test.
.PHONY: up test-local test-e2e
up: deps-node deps-python web-build ## run the whole system locally (PostgreSQL, API, edge) and print its URL
	node --import tsx local/src/up.ts

test-local: deps-node ## local edge (routing, fallback, cache and security headers), supervisor, PostgreSQL runner
	npm run -s typecheck -w @innovate/local
	cd local && vitest run

TEST_TARGETS += test-local

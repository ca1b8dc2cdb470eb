# The local system (local/): `make up`, the edge and supervisor tests, and the end-to-end browser test.
.PHONY: up test-local test-e2e
up: deps-node deps-python web-build ## run the whole system locally (PostgreSQL, API, edge) and print its URL
	node --import tsx local/src/up.ts

test-local: deps-node deps-python web-build ## local edge (routing, fallback, cache and security headers), supervisor (incl. DATABASE_URL override), PostgreSQL runner
	npm run -s typecheck -w @innovate/local
	cd local && vitest run

TEST_TARGETS += test-local

# The user's main path in Debian's Chromium against the stack the supervisor runs (own port, temp data folder);
# screenshots go to .artifacts/e2e/.
test-e2e: deps-node deps-python deps-chromium web-build ## browser test: create, add, move, reload, restart
	cd web && vitest run --config e2e/vitest.config.ts

TEST_TARGETS += test-e2e

.PHONY: bench-local
bench-local: deps-node deps-python web-build ## local system: start/stop times, edge overhead; writes docs/benchmarks.md
	node --import tsx local/bench/local-system.ts

BENCH_TARGETS += bench-local

# The development loop around `make up` (docs/development.md).
.PHONY: dev seed reset-local
dev: deps-node deps-python ## make up with the SPA from Vite's dev server (hot reload) behind the same edge, URL and sign-in
	node --import tsx local/src/up.ts --dev

seed: deps-node ## a demo project with tasks in the running make up (PORT or SEED_URL), as its development user; twice changes nothing
	node --import tsx local/src/seed.ts

reset-local: deps-node ## delete the local data folder (.local/ or LOCAL_DATA_DIR); refused while a make up uses it
	node --import tsx local/src/reset.ts

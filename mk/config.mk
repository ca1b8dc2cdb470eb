# The typed platform configuration (config/) and the repository-wide TypeScript lint.
.PHONY: test-config lint-ts
test-config: deps-node ## validate the config and run its tests
	npm run -s show -w @innovate/config >/dev/null
	npm run -s typecheck -w @innovate/config
	cd config && npx vitest run

lint-ts: deps-node
	npx biome check .

TEST_TARGETS += test-config
LINT_TARGETS += lint-ts

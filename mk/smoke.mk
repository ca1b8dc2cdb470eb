# Smoke tests against a running environment (ADR 0093): what promote.yml's staging delivery runs (smoke.yml), and
# what `make test` proves against the local system. URL=<app url> (or SMOKE_APP_URL, as smoke.yml sets it); the test
# users' credentials come from SMOKE_USER_{EMAIL,PASSWORD,TOTP_SECRET} and SMOKE_OTHER_USER_{...}.
SMOKE_URL = $(or $(URL),$(SMOKE_APP_URL))
SMOKE_URL_REQUIRED = @test -n "$(SMOKE_URL)" || { echo "$@: set URL=<the environment's app URL> (or SMOKE_APP_URL)" >&2; exit 2; }

.PHONY: smoke-api smoke-browser test-smoke
smoke-api: deps-python deps-node deps-chromium ## smoke: 401/404 refusals, schemathesis happy paths (bounded) and cleanup against URL=<app url>
	$(SMOKE_URL_REQUIRED)
	cd api && SMOKE_APP_URL='$(SMOKE_URL)' uv run --frozen --quiet python -m tools.smoke

smoke-browser: deps-node deps-chromium ## smoke: the browser suite (web/e2e) against URL=<app url>, signed in as the test user
	$(SMOKE_URL_REQUIRED)
	cd web && SMOKE_APP_URL='$(SMOKE_URL)' vitest run --config e2e/vitest.config.ts

# Both smoke targets against the local system (`make up`'s supervisor on a free port) as its two local users.
test-smoke: deps-node deps-python deps-chromium web-build ## smoke-api then smoke-browser against the local system, as the staging delivery runs them
	node --import tsx web/e2e/smoke-local.ts

TEST_TARGETS += test-smoke

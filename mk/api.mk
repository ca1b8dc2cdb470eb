# The Flask API (api/): a uv project with a committed uv.lock. Every target syncs the locked environment first.
API_RUN := cd api && uv run --frozen --quiet

.PHONY: test-api lint-api
test-api: deps-python deps-node ## API: pytest against real PostgreSQL (incl. DB-restart fault and SIGTERM shutdown tests)
	$(API_RUN) pytest

lint-api: deps-python ## API: ruff lint + format check, mypy (strict)
	$(API_RUN) ruff check src tests tools
	$(API_RUN) ruff format --check src tests tools

TEST_TARGETS += test-api
LINT_TARGETS += lint-api

.PHONY: test-api-contract
test-api-contract: deps-python deps-node ## API: schemathesis (all checks, >=1,000 cases) against the running API
	$(API_RUN) python -m tools.contract

TEST_TARGETS += test-api-contract

# The Flask API (api/): a uv project with a committed uv.lock. Every target syncs the locked environment first.
API_RUN := cd api && uv run --frozen --quiet

.PHONY: test-api test-api-contract lint-api lint-migrations bench-api deps-wrk
test-api: deps-python deps-node ## API: pytest against real PostgreSQL (incl. DB-restart fault and SIGTERM shutdown tests)
	$(API_RUN) pytest

test-api-contract: deps-python deps-node ## API: schemathesis (all checks, >=1,000 cases) against the running API
	$(API_RUN) python -m tools.contract

lint-api: deps-python ## API: ruff lint + format check, mypy (strict)
	$(API_RUN) ruff check src tests tools
	$(API_RUN) ruff format --check src tests tools
	$(API_RUN) mypy

lint-migrations: deps-python ## API: squawk (PostgreSQL 18) over each migration's offline SQL; drops only in contract migrations
	$(API_RUN) python -m tools.lint_migrations

bench-api: deps-python deps-node deps-wrk ## API: wrk, list/create tasks vs a bare Flask+psycopg baseline (docs/benchmarks.md)
	$(API_RUN) python -m tools.bench

# wrk from Debian, installed only when missing.
deps-wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

TEST_TARGETS += test-api test-api-contract
LINT_TARGETS += lint-api
CHECK_TARGETS += lint-migrations
BENCH_TARGETS += bench-api

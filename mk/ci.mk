# CI/CD (.github/, api/Dockerfile): a static gate over the workflows and the drift tests (ADR 0091).
# actionlint is built from the Go module proxy at a pinned version and cached; it runs shellcheck over every
# `run:` script when shellcheck is installed (Debian package, installed only when missing).
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := $(TOOLS)/bin/actionlint
ACTIONLINT_STAMP := $(TOOLS)/bin/.actionlint-$(ACTIONLINT_VERSION)

.PHONY: check-workflows test-ci deps-actionlint deps-shellcheck
deps-actionlint: $(ACTIONLINT_STAMP)
$(ACTIONLINT_STAMP):
	$(call first_build,actionlint $(ACTIONLINT_VERSION),10 s)
	GOBIN=$(TOOLS)/bin go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@touch $@

deps-shellcheck:
	@command -v shellcheck >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends shellcheck >/dev/null; }

check-workflows: deps-actionlint deps-shellcheck deps-node ## actionlint (+ shellcheck) over .github/workflows, actions and scripts
	$(ACTIONLINT) -shellcheck=$$(command -v shellcheck) .github/workflows/*.yml
	@echo "check-workflows: $$(ls .github/workflows/*.yml | wc -l) workflows, 0 findings"
	npx tsx .github/scripts/shellcheck-actions.ts $$(command -v shellcheck)
	shellcheck .github/scripts/*.sh
	@echo "check-workflows: shellcheck over $$(ls .github/scripts/*.sh | wc -l) workflow scripts, 0 findings"

test-ci: deps-node ## workflows and api/Dockerfile vs config, infra's OIDC trust, the render and the edge's cache rules
	npx tsc -p .github/tsconfig.json
	npx vitest run --root .github

CHECK_TARGETS += check-workflows
TEST_TARGETS += test-ci

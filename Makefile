# Innovate platform — the one front door. People, CI (.ci/run) and tools call these names.
# Each part of the repository adds its own targets in mk/<part>.mk and registers them in the
# lists below, so this file stays short and no two parts edit the same lines.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

ROOT := $(CURDIR)
TOOLS := $(ROOT)/.tools
export PATH := $(TOOLS)/bin:$(ROOT)/node_modules/.bin:$(PATH)
# uv must use the machine's CPython, never download a toolchain.
export UV_PYTHON_DOWNLOADS := never

# Filled by mk/*.mk. Order matters for TEST_TARGETS: cheap, static gates first.
CHECK_TARGETS :=
TEST_TARGETS :=
LINT_TARGETS :=
BENCH_TARGETS :=

include mk/tools.mk
include $(filter-out mk/tools.mk,$(sort $(wildcard mk/*.mk)))

.PHONY: help deps check test lint bench
help: ## list the targets
	@grep -hE '^[a-z][a-zA-Z0-9_-]*:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: deps-node deps-python ## install every dependency that is missing

check: $(CHECK_TARGETS) ## every static gate (synth, cdk-nag, cfn-lint, checkov, schemas, policies)

test: lint check $(TEST_TARGETS) ## every lint, gate and test (what CI runs)
	@echo "make test: all gates and tests passed"

lint: $(LINT_TARGETS) ## linters and formatters in check mode

bench: $(BENCH_TARGETS) ## benchmarks; results go to docs/benchmarks.md

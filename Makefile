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
help: ## list the targets, grouped
	@awk -f mk/help.awk $(MAKEFILE_LIST)

deps: deps-node deps-python ## install every dependency that is missing

# check, lint and test run their targets as numbered, timed stages (mk/stages.sh) and end with a timing table.
check: ## every static gate (synth, cdk-nag, cfn-lint, checkov, schemas, policies)
	@bash mk/stages.sh check $(CHECK_TARGETS)

test: ## every lint, gate and test (what CI runs)
	@bash mk/stages.sh test $(LINT_TARGETS) $(CHECK_TARGETS) $(TEST_TARGETS)

lint: ## linters and formatters in check mode
	@bash mk/stages.sh lint $(LINT_TARGETS)

bench: $(BENCH_TARGETS) ## benchmarks; results go to docs/benchmarks.md

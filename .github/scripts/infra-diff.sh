#!/usr/bin/env bash
# `make diff` of one environment for the infra-plan workflow, its whole output (cdk writes the diff to stderr) kept in
# a file for the pull request comment. Read-only: the plan role cannot create change sets, so the diff compares
# templates (--no-change-set). Exits with make's status.
#   .github/scripts/infra-diff.sh <env> <output file>
set -uo pipefail
env_name="${1:?usage: infra-diff.sh <env> <output file>}"
out="${2:?usage: infra-diff.sh <env> <output file>}"
make diff ENV="$env_name" DIFF_FLAGS="--no-change-set --no-color" 2>&1 | tee "$out"
exit "${PIPESTATUS[0]}"

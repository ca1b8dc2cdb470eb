#!/usr/bin/env bash
# The cost difference a pull request makes: synthesizes the base commit in a worktree of its own (its own lock file
# and node_modules), then `make cost-compare` of base vs the head's infra/cdk.out (synthesized by `make diff` or
# `make synth` before). Writes the comparison (markdown) to the output file.
#   .github/scripts/infra-cost-compare.sh <base sha> <output file>
set -euo pipefail
base_sha="${1:?usage: infra-cost-compare.sh <base sha> <output file>}"
out="${2:?usage: infra-cost-compare.sh <base sha> <output file>}"
base_dir="${RUNNER_TEMP:-/tmp}/infra-plan-base"
rm -rf "$base_dir"
git worktree add --detach "$base_dir" "$base_sha" >/dev/null
trap 'git worktree remove --force "$base_dir"' EXIT
(cd "$base_dir" && make --no-print-directory synth >/dev/null)
[ -f infra/cdk.out/manifest.json ] || make --no-print-directory synth >/dev/null
make --no-print-directory cost-compare BASE="$base_dir/infra/cdk.out" HEAD=infra/cdk.out >/dev/null
cp .cost/compare.md "$out"

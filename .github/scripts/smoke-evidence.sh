#!/usr/bin/env bash
# The evidence that an environment's smoke tests passed for one API image (ADR 0093): smoke.yml uploads, as its
# last step, an artifact named after the environment, the suite and the digest the environment served; the
# staging -> prod promotion (promote.yml) looks both suites' artifacts up through the GitHub API before it copies.
# One script names them for both sides, so the name cannot drift between the writer and the reader.
#
#   smoke-evidence.sh name <environment> <api|browser> <sha256:digest>   print the artifact's name
#   smoke-evidence.sh check <environment> <sha256:digest>               fail in one line unless both suites passed
#
# check needs GITHUB_REPOSITORY and a token for gh with actions: read.
set -euo pipefail

usage() {
  echo "usage: smoke-evidence.sh name <environment> <suite> <digest> | check <environment> <digest>" >&2
  exit 2
}

artifact_name() {
  [[ $3 =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "smoke-evidence: not an image digest: $3" >&2; exit 2; }
  printf 'smoke-%s-%s-%s\n' "$1" "$2" "${3#sha256:}"
}

case "${1:-}" in
  name)
    [[ $# -eq 4 ]] || usage
    artifact_name "$2" "$3" "$4"
    ;;
  check)
    [[ $# -eq 3 ]] || usage
    environment=$2
    digest=$3
    for suite in api browser; do
      artifact=$(artifact_name "$environment" "$suite" "$digest")
      # Only evidence from a run on main counts (a branch's workflow cannot vouch for a promotion), and only while
      # GitHub still keeps it (expired artifacts are listed with expired: true).
      passed=$(gh api "repos/${GITHUB_REPOSITORY}/actions/artifacts?name=${artifact}" |
        jq '[.artifacts[] | select(.expired == false and .workflow_run.head_branch == "main")] | length')
      if [[ $passed -eq 0 ]]; then
        echo "smoke-evidence: ${environment}'s ${suite} smoke has not passed for ${digest} (no artifact ${artifact} from main): deliver it to ${environment} first" >&2
        exit 1
      fi
    done
    echo "smoke-evidence: ${environment}'s api and browser smoke passed for ${digest}"
    ;;
  *) usage ;;
esac

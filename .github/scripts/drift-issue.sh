#!/usr/bin/env bash
# One open issue per environment for drift, found by its label and exact title: created on the first drift, then
# its body replaced by the latest report and a comment added on every later run that still finds drift. Closing it
# is a person's act once the drift is reconciled (deploy the code, or change the code to what is wanted).
#   .github/scripts/drift-issue.sh <env> <report file> <run url>   (GH_TOKEN and GITHUB_REPOSITORY set)
set -euo pipefail
env_name="${1:?usage: drift-issue.sh <env> <report file> <run url>}"
report="${2:?usage: drift-issue.sh <env> <report file> <run url>}"
run_url="${3:?usage: drift-issue.sh <env> <report file> <run url>}"
label=drift
title="Infrastructure drift: $env_name"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
{
  printf 'The scheduled drift check found resources of **%s** that differ from their CloudFormation templates ' "$env_name"
  printf '(run: %s).\n\n' "$run_url"
  cat "$report"
  # shellcheck disable=SC2016 # the backticks are markdown, not a command substitution
  printf '\nReconcile with `make diff ENV=%s` / `make deploy ENV=%s`, or change the code to what is wanted; ' "$env_name" "$env_name"
  printf 'close this issue when the next run finds none.\n'
} >"$body"
gh label create "$label" --repo "$GITHUB_REPOSITORY" --color B60205 \
  --description 'Infrastructure differs from its templates (drift workflow)' --force >/dev/null
number="$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --label "$label" --limit 100 \
  --json number,title --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)"
if [ -n "$number" ]; then
  gh issue edit "$number" --repo "$GITHUB_REPOSITORY" --body-file "$body" >/dev/null
  gh issue comment "$number" --repo "$GITHUB_REPOSITORY" --body "Still drifted: $run_url" >/dev/null
  echo "drift-issue: updated #$number"
else
  gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --label "$label" --body-file "$body"
fi

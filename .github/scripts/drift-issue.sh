#!/usr/bin/env bash
# One open issue per environment for drift, whatever found it, by its label and exact title. Its body holds one
# section per source, between `<!-- drift:<section> -->` markers: `cloudformation` (the scheduled stack drift
# detection) and `argocd/<application>` (each Application Argo CD reports through repository_dispatch). A report
# replaces its own section and leaves the others; every later report also adds a comment, so no report is lost even
# when two runs edit the body at once. Closing it is a person's act once the drift is reconciled.
#   .github/scripts/drift-issue.sh <env> <section> <report file> <run url>   (GH_TOKEN and GITHUB_REPOSITORY set)
set -euo pipefail
usage='usage: drift-issue.sh <env> <section> <report file> <run url>'
env_name="${1:?$usage}"
section="${2:?$usage}"
report="${3:?$usage}"
run_url="${4:?$usage}"
[[ "$section" =~ ^(cloudformation|argocd/[a-z0-9][-a-z0-9.]*)$ ]] || { echo "drift-issue: unknown section $section" >&2; exit 1; }
label=drift
title="Infrastructure drift: $env_name"
begin="<!-- drift:$section -->"
end="<!-- /drift:$section -->"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  printf '%s\n' "$begin"
  cat "$report"
  printf '\n_Reported by %s._\n%s\n' "$run_url" "$end"
} >"$work/section"

gh label create "$label" --repo "$GITHUB_REPOSITORY" --color B60205 \
  --description 'Infrastructure or cluster differs from the code (drift workflow)' --force >/dev/null
number="$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --label "$label" --limit 100 \
  --json number,title --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)"
if [ -n "$number" ]; then
  gh issue view "$number" --repo "$GITHUB_REPOSITORY" --json body --jq .body >"$work/old"
else
  {
    printf 'Drift found in **%s**: what runs differs from the code. One section per source, each replaced by its ' "$env_name"
    printf 'latest report. Reconcile (deploy the code, or change the code to what is wanted), then close this issue.\n'
  } >"$work/old"
fi
# The section replaces its previous copy in place, or is appended.
awk -v begin="$begin" -v end="$end" -v file="$work/section" '
  function emit(  line) { while ((getline line < file) > 0) print line; close(file); done = 1 }
  $0 == begin { skipping = 1; emit(); next }
  skipping && $0 == end { skipping = 0; next }
  !skipping { print }
  END { if (!done) { print ""; emit() } }
' "$work/old" >"$work/body"

if [ -n "$number" ]; then
  gh issue edit "$number" --repo "$GITHUB_REPOSITORY" --body-file "$work/body" >/dev/null
  gh issue comment "$number" --repo "$GITHUB_REPOSITORY" --body-file "$work/section" >/dev/null
  echo "drift-issue: updated #$number ($section)"
else
  gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --label "$label" --body-file "$work/body"
fi

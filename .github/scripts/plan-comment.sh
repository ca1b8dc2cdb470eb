#!/usr/bin/env bash
# Writes the infra-plan result as ONE comment on the pull request, updated in place on every run: the comment is
# found by the hidden marker on its first line. Sections: each environment's diff (or the preflight's refusal), then
# the cost comparison. GitHub refuses comments over 65536 characters, so each section is cut to its share.
#   .github/scripts/plan-comment.sh <pull request number> <plan dir>   (GH_TOKEN and GITHUB_REPOSITORY set)
set -euo pipefail
pr="${1:?usage: plan-comment.sh <pull request number> <plan dir>}"
dir="${2:?usage: plan-comment.sh <pull request number> <plan dir>}"
marker='<!-- infra-plan -->'
max_section=15000

section() { # <title> <file>
  local title="$1" file="$2"
  printf '<details><summary>%s</summary>\n\n```diff\n' "$title"
  if [ -s "$file" ]; then
    head -c "$max_section" "$file"
    [ "$(wc -c <"$file")" -le "$max_section" ] || printf '\n… cut at %s characters; the whole output is in the job log\n' "$max_section"
  else
    printf 'no output (the step did not run: see the job log)\n'
  fi
  printf '\n```\n</details>\n\n'
}

body="$dir/comment.md"
{
  printf '%s\n## Infrastructure plan for %s\n\n' "$marker" "$(git rev-parse --short HEAD)"
  if [ -s "$dir/preflight.txt" ]; then section 'preflight' "$dir/preflight.txt"; fi
  for env_name in dev staging prod; do section "cdk diff: $env_name" "$dir/$env_name.diff"; done
  printf '### Cost (make cost-compare, base vs head)\n\n'
  if [ -s "$dir/cost.md" ]; then head -c "$max_section" "$dir/cost.md"; else printf 'not computed (see the job log)\n'; fi
} >"$body"

existing="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" >/dev/null
  echo "plan-comment: updated comment $existing"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body" >/dev/null
  echo "plan-comment: created a comment on #$pr"
fi

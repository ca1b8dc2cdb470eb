#!/usr/bin/env bash
# Validates the client_payload Argo CD's notifications controller sends with repository_dispatch `argocd-drift`
# (deploy/src/charts/argocd-notifications.ts) and writes the Argo CD section of the environment's drift issue.
# Anyone holding a token with Contents: write can send such an event, so nothing is trusted: the environment must be
# one config/environments/ defines, every name must be a Kubernetes name, every status one Argo CD uses; anything
# else fails in one line naming the field. Prints `environment=<env>` and `section=argocd/<application>` for
# $GITHUB_OUTPUT.
#   .github/scripts/argocd-drift-report.sh <payload json file> <report file>
set -euo pipefail
payload="${1:?usage: argocd-drift-report.sh <payload json file> <report file>}"
report="${2:?usage: argocd-drift-report.sh <payload json file> <report file>}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
environments_dir="${DRIFT_ENVIRONMENTS_DIR:-$script_dir/../../config/environments}"
environments="$(find "$environments_dir" -maxdepth 1 -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//' | sort | paste -sd ' ')"
[ -n "$environments" ] || { echo "argocd-drift: no environments under $environments_dir" >&2; exit 1; }

# The first rule the payload breaks, as one line; empty when it is valid.
problem="$(jq -r --arg envs "$environments" '
  def name: type == "string" and test("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  def check(cond; field; why): if cond then empty else "client_payload.\(field) \(why)" end;
  if type != "object" then "client_payload is not a JSON object" else
  [ check(.environment | type == "string" and (. as $e | $envs | split(" ") | index($e)) != null;
          "environment"; "\(.environment | tojson) is not one of: \($envs)"),
    check(.application | name; "application"; "\(.application | tojson) is not a Kubernetes name"),
    check(.sync_status | IN("Synced", "OutOfSync", "Unknown"); "sync_status"; "\(.sync_status | tojson) is not an Argo CD sync status"),
    check(.health | IN("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
          "health"; "\(.health | tojson) is not an Argo CD health status"),
    check(.revision | type == "string" and test("^[0-9a-f]{0,64}$"); "revision"; "\(.revision | tojson) is not a commit id"),
    check(.operation | . == null or IN("Running", "Terminating", "Failed", "Error", "Succeeded");
          "operation"; "\(.operation | tojson) is not an Argo CD operation phase"),
    check(.message | . == null or type == "string"; "message"; "is not a string"),
    check(.out_of_sync | type == "array" and length <= 500; "out_of_sync"; "is not a list of at most 500 resources"),
    ( .out_of_sync | if type == "array" then to_entries[] else empty end
      | .key as $i | .value
      | check(type == "object" and (.kind | type == "string" and test("^[A-Za-z][A-Za-z0-9]{0,62}$"))
              and (.name | name)
              and (.namespace | . == "" or name)
              and (.group | . == "" or name);
              "out_of_sync[\($i)]"; "is not {group, kind, namespace, name} of a Kubernetes object") )
  ] | first // empty end' "$payload" 2>/dev/null)" || problem="client_payload is not valid JSON"
if [ -n "$problem" ]; then
  echo "argocd-drift: $problem" >&2
  exit 1
fi

env_name="$(jq -r .environment "$payload")"
application="$(jq -r .application "$payload")"
{
  printf '### Argo CD: %s\n\n' "$application"
  jq -r '"Sync **\(.sync_status)**, health **\(.health)**, last operation **\(.operation // "none")**, revision `\(if .revision == "" then "unknown" else .revision end)`.\n"' "$payload"
  if jq -e '.out_of_sync | length > 0' "$payload" >/dev/null; then
    printf '| group | kind | namespace | name |\n| --- | --- | --- | --- |\n'
    jq -r '.out_of_sync[] | "| \(if .group == "" then "core" else .group end) | \(.kind) | \(.namespace) | \(.name) |"' "$payload"
  else
    printf 'No resource is OutOfSync (the sync itself failed).\n'
  fi
  # The operation message is free text: shown in a fence, with backticks removed so it cannot close it.
  message="$(jq -r '.message // "" | gsub("`"; "'"'"'") | .[0:2000]' "$payload")"
  if [ -n "$message" ]; then
    # shellcheck disable=SC2016 # the backticks are a markdown fence
    printf '\nLast operation message:\n\n```\n%s\n```\n' "$message"
  fi
  # shellcheck disable=SC2016 # the backticks are markdown, not a command substitution
  printf '\nSee the live diff with `argocd app diff %s --core` through the cluster tunnel (docs/deployment.md), then ' "$application"
  printf 'fix Git (the render) or let Argo CD sync it back.\n'
} >"$report"
echo "environment=$env_name"
echo "section=argocd/$application"

#!/usr/bin/env bash
# CloudFormation drift detection on every stack of one environment, in deploy order (infra/scripts/deploy-order.ts
# over infra/cdk.out, so `make synth` first): detect-stack-drift, wait for the detection, then the resources that are
# MODIFIED or DELETED with their property differences. A stack not deployed yet is listed as such, not as drift.
# Writes a markdown report (the `cloudformation` section of the drift issue, drift-issue.sh); exits 0 when every
# stack is in sync, 3 when any drifted, 1 on an error.
#   .github/scripts/stack-drift.sh <env> <report file>   (credentials of the environment's plan role)
set -euo pipefail
env_name="${1:?usage: stack-drift.sh <env> <report file>}"
report="${2:?usage: stack-drift.sh <env> <report file>}"
manifest=infra/cdk.out/manifest.json
# A failing deploy-order (a stack it does not name) must fail the run, not look like "no stacks, no drift".
order="$(cd infra && npx tsx scripts/deploy-order.ts "$env_name")"
mapfile -t stacks <<<"$order"
drifted=0
{
  printf '### CloudFormation\n\nStacks of **%s** whose resources differ from their templates (drift detection).\n\n' "$env_name"
  printf '| stack | region | drift |\n| --- | --- | --- |\n'
} >"$report"
details="$(mktemp)"
for stack in "${stacks[@]}"; do
  region="$(jq -r --arg id "$stack" '.artifacts[$id].environment | split("/")[3]' "$manifest")"
  if ! aws cloudformation describe-stacks --region "$region" --stack-name "$stack" >/dev/null 2>&1; then
    printf '| %s | %s | not deployed |\n' "$stack" "$region" >>"$report"
    continue
  fi
  detection="$(aws cloudformation detect-stack-drift --region "$region" --stack-name "$stack" \
    --query StackDriftDetectionId --output text)"
  while :; do
    read -r detection_status drift_status < <(aws cloudformation describe-stack-drift-detection-status \
      --region "$region" --stack-drift-detection-id "$detection" \
      --query '[DetectionStatus, StackDriftStatus]' --output text)
    [ "$detection_status" = DETECTION_IN_PROGRESS ] || break
    sleep 10
  done
  # DETECTION_FAILED still reports the resources it could check; the status says so.
  printf '| %s | %s | %s (%s) |\n' "$stack" "$region" "$drift_status" "$detection_status" >>"$report"
  if [ "$drift_status" = DRIFTED ]; then
    drifted=1
    {
      printf '\n### %s\n\n```\n' "$stack"
      # shellcheck disable=SC2016 # JMESPath literals are backticked, not a command substitution
      aws cloudformation describe-stack-resource-drifts --region "$region" --stack-name "$stack" \
        --stack-resource-drift-status-filters MODIFIED DELETED \
        --query 'StackResourceDrifts[].[LogicalResourceId, ResourceType, StackResourceDriftStatus, join(`, `, PropertyDifferences[].PropertyPath || `[]`)]' \
        --output text
      printf '```\n'
    } >>"$details"
  fi
done
cat "$details" >>"$report"
rm -f "$details"
# shellcheck disable=SC2016 # the backticks are markdown, not a command substitution
printf '\nReconcile with `make diff ENV=%s` / `make deploy ENV=%s`, or change the code to what is wanted.\n' \
  "$env_name" "$env_name" >>"$report"
cat "$report"
[ "$drifted" -eq 0 ] || exit 3

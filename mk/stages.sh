#!/usr/bin/env bash
# Runs make targets one after another as numbered, timed stages and ends with a timing table, so a person (or a CI
# log) sees where a long run is and what took the time. Stops at the first failing stage, like make would.
# Usage: bash mk/stages.sh <name> <target>...   (a target listed twice runs once, at its first place)
set -uo pipefail

name=$1
shift
declare -A seen=()
targets=()
for target in "$@"; do
  [[ -n ${seen[$target]:-} ]] && continue
  seen[$target]=1
  targets+=("$target")
done

total=${#targets[@]}
names=()
seconds=()
now() { echo $((${EPOCHREALTIME/./} / 100000)); } # tenths of a second, no bc needed
tenths() { printf '%d.%d' $(($1 / 10)) $(($1 % 10)); }
started=$(now)

table() {
  printf '\n%-28s %9s\n' "stage" "seconds"
  for i in "${!names[@]}"; do printf '%-28s %9s\n' "${names[$i]}" "${seconds[$i]}"; done
  printf '%-28s %9s\n' "total" "$(tenths $(($(now) - started)))"
}

for i in "${!targets[@]}"; do
  target=${targets[$i]}
  printf '\n==> make %s: stage %d/%d: %s\n' "$name" $((i + 1)) "$total" "$target"
  stage_start=$(now)
  make --no-print-directory "$target"
  status=$?
  elapsed=$(tenths $(($(now) - stage_start)))
  names+=("$target")
  seconds+=("$elapsed")
  if [[ $status -ne 0 ]]; then
    table
    printf '\nmake %s: stage %d/%d (%s) failed after %s s\n' "$name" $((i + 1)) "$total" "$target" "$elapsed" >&2
    exit "$status"
  fi
  printf '<== %s: done in %s s\n' "$target" "$elapsed"
done
table
printf '\nmake %s: all %d stages passed\n' "$name" "$total"

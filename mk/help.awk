# `make help`: every `target: ... ## description` line of the makefiles, grouped by what a person wants to do.
# A target's group comes from its name (one table here, so no makefile needs a group annotation); the first
# matching pattern wins and anything unmatched lands in "other".
BEGIN {
  split("run test deploy cost bench setup other", order, " ")
  title["run"] = "Run it locally"
  title["test"] = "Test and gates"
  title["deploy"] = "Build and deploy"
  title["cost"] = "Cost"
  title["bench"] = "Benchmarks"
  title["setup"] = "Install"
  title["other"] = "Other"
  width = 0
}
function group_of(target) {
  if (target ~ /^(up|dev|seed|reset-local|gameday)$/) return "run"
  if (target ~ /^bench/) return "bench"
  if (target ~ /^cost/) return "cost"
  if (target ~ /^deps/) return "setup"
  if (target ~ /^(test|check|lint|smoke)/ || target ~ /-(check|size|lint)$/ || target ~ /^(synth-repeatable|rehearse|infra-(nag|cfn-lint|checkov))$/) return "test"
  if (target ~ /^(docs|synth|render|diff|deploy|web-build|web-client|infra-docs|alert-rules|images|wake|lambda-assets|lock-)/) return "deploy"
  return "other"
}
/^[a-z][a-zA-Z0-9_-]*:.*## / {
  target = $0
  sub(/:.*/, "", target)
  description = $0
  sub(/^[^#]*## /, "", description)
  if (target in described) next
  described[target] = description
  g = group_of(target)
  members[g] = members[g] " " target
  if (length(target) > width) width = length(target)
}
END {
  for (i = 1; i <= 7; i++) {
    g = order[i]
    if (!(g in members)) continue
    printf "%s\n", title[g]
    n = split(substr(members[g], 2), list, " ")
    # Sorted within a group (insertion sort: awk has no portable sort).
    for (a = 2; a <= n; a++) { v = list[a]; b = a - 1; while (b > 0 && list[b] > v) { list[b + 1] = list[b]; b-- } list[b + 1] = v }
    for (a = 1; a <= n; a++) printf "  make %-*s  %s\n", width, list[a], described[list[a]]
    printf "\n"
  }
}

package k8srequiredprobes_test

import data.k8srequiredprobes
import data.lib.fixtures

parameters := {"probes": ["livenessProbe", "readinessProbe"]}

test_allows_probes if {
	count(k8srequiredprobes.violation) == 0 with input as fixtures.review_with(fixtures.good, parameters)
}

test_denies_missing_readiness if {
	container := fixtures.container_without("/readinessProbe")
	count(k8srequiredprobes.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_denies_missing_both if {
	container := json.patch(fixtures.good_container, [{"op": "remove", "path": "/readinessProbe"}, {"op": "remove", "path": "/livenessProbe"}])
	count(k8srequiredprobes.violation) == 2 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

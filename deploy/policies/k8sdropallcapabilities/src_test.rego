package k8sdropallcapabilities_test

import data.k8sdropallcapabilities
import data.lib.fixtures

test_allows_drop_all if count(k8sdropallcapabilities.violation) == 0 with input as fixtures.review(fixtures.good)

test_denies_missing_drop if {
	container := fixtures.container_without("/securityContext/capabilities")
	count(k8sdropallcapabilities.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_drop_of_only_some if {
	container := fixtures.container_with("/securityContext/capabilities/drop", ["SYS_ADMIN"])
	count(k8sdropallcapabilities.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_adding_net_raw if {
	container := fixtures.container_with("/securityContext/capabilities/add", ["NET_RAW"])
	count(k8sdropallcapabilities.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

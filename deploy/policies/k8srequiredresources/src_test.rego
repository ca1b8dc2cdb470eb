package k8srequiredresources_test

import data.k8srequiredresources
import data.lib.fixtures

test_allows_requests_and_limits if count(k8srequiredresources.violation) == 0 with input as fixtures.review(fixtures.good)

test_denies_missing_memory_limit if {
	container := fixtures.container_without("/resources/limits/memory")
	count(k8srequiredresources.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_missing_resources if {
	container := fixtures.container_without("/resources")
	count(k8srequiredresources.violation) == 4 with input as fixtures.review(fixtures.rollout(container, {}))
}

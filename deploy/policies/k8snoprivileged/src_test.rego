package k8snoprivileged_test

import data.k8snoprivileged
import data.lib.fixtures

test_allows_unprivileged if count(k8snoprivileged.violation) == 0 with input as fixtures.review(fixtures.good)

test_denies_privileged if {
	container := fixtures.container_with("/securityContext/privileged", true)
	count(k8snoprivileged.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_privilege_escalation_unset if {
	container := fixtures.container_without("/securityContext/allowPrivilegeEscalation")
	count(k8snoprivileged.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_privileged_init_container if {
	bad := fixtures.container_with("/securityContext/privileged", true)
	obj := fixtures.rollout(fixtures.good_container, {"initContainers": [object.union(bad, {"name": "init"})]})
	count(k8snoprivileged.violation) == 1 with input as fixtures.review(obj)
}

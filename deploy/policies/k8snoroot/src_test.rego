package k8snoroot_test

import data.k8snoroot
import data.lib.fixtures

test_allows_non_root if count(k8snoroot.violation) == 0 with input as fixtures.review(fixtures.good)

test_denies_missing_run_as_non_root if {
	container := fixtures.container_without("/securityContext/runAsNonRoot")
	obj := json.patch(fixtures.rollout(container, {}), [{"op": "remove", "path": "/spec/template/spec/securityContext/runAsNonRoot"}])
	count(k8snoroot.violation) == 1 with input as fixtures.review(obj)
}

test_denies_container_overriding_to_root if {
	container := fixtures.container_with("/securityContext/runAsNonRoot", false)
	count(k8snoroot.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_denies_uid_zero if {
	container := fixtures.container_with("/securityContext/runAsUser", 0)
	count(k8snoroot.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_pod_level_non_root_is_inherited if {
	container := fixtures.container_without("/securityContext/runAsNonRoot")
	count(k8snoroot.violation) == 0 with input as fixtures.review(fixtures.rollout(container, {}))
}

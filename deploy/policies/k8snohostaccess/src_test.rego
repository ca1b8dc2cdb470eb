package k8snohostaccess_test

import data.k8snohostaccess
import data.lib.fixtures

test_allows_no_host_access if count(k8snohostaccess.violation) == 0 with input as fixtures.review(fixtures.good)

test_denies_host_network if {
	count(k8snohostaccess.violation) == 1 with input as fixtures.review(fixtures.rollout(fixtures.good_container, {"hostNetwork": true}))
}

test_denies_host_pid if {
	count(k8snohostaccess.violation) == 1 with input as fixtures.review(fixtures.rollout(fixtures.good_container, {"hostPID": true}))
}

test_denies_host_path if {
	obj := fixtures.rollout(fixtures.good_container, {"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]})
	count(k8snohostaccess.violation) == 1 with input as fixtures.review(obj)
}

test_denies_host_port if {
	container := fixtures.container_with("/ports", [{"containerPort": 8000, "hostPort": 8000}])
	count(k8snohostaccess.violation) == 1 with input as fixtures.review(fixtures.rollout(container, {}))
}

test_allows_empty_dir if {
	obj := fixtures.rollout(fixtures.good_container, {"volumes": [{"name": "tmp", "emptyDir": {}}]})
	count(k8snohostaccess.violation) == 0 with input as fixtures.review(obj)
}

logs := {"readOnlyHostPaths": ["/var/log"]}

mounted(read_only) := fixtures.container_with("/volumeMounts", [{"name": "logs", "mountPath": "/var/log", "readOnly": read_only}])

test_allows_listed_host_path_read_only if {
	obj := fixtures.rollout(mounted(true), {"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]})
	count(k8snohostaccess.violation) == 0 with input as fixtures.review_with(obj, logs)
}

test_denies_listed_host_path_writable if {
	obj := fixtures.rollout(mounted(false), {"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]})
	count(k8snohostaccess.violation) == 1 with input as fixtures.review_with(obj, logs)
}

test_denies_unlisted_host_path_where_one_is_listed if {
	obj := fixtures.rollout(mounted(true), {"volumes": [{"name": "logs", "hostPath": {"path": "/var/lib"}}]})
	count(k8snohostaccess.violation) == 1 with input as fixtures.review_with(obj, logs)
}

test_listed_host_path_still_denies_host_network if {
	obj := fixtures.rollout(mounted(true), {"hostNetwork": true, "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]})
	count(k8snohostaccess.violation) == 1 with input as fixtures.review_with(obj, logs)
}

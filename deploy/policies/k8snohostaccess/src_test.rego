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

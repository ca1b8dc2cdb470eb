package k8sallowedimages_test

import data.k8sallowedimages
import data.lib.fixtures

parameters := {"repositories": ["100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api"]}

digest := "@sha256:f143893158783bfe6bed1b44dbc16f5cee6ac2433a580a704386af51b8f5a0b9"

test_allows_own_registry_by_digest if {
	count(k8sallowedimages.violation) == 0 with input as fixtures.review_with(fixtures.good, parameters)
}

test_denies_other_registry if {
	container := fixtures.container_with("/image", concat("", ["docker.io/library/python", digest]))
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_denies_other_account_same_repo_name if {
	container := fixtures.container_with("/image", concat("", ["999999999999.dkr.ecr.us-east-1.amazonaws.com/innovate/api", digest]))
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_denies_tag if {
	container := fixtures.container_with("/image", "100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api:latest")
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_denies_tag_and_digest_lookalike if {
	container := fixtures.container_with("/image", "100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api@sha256:abc")
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_denies_repository_sharing_the_prefix if {
	container := fixtures.container_with("/image", concat("", ["100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api-other", digest]))
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_allows_tag_and_digest if {
	container := fixtures.container_with("/image", concat("", ["100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api:v1", digest]))
	count(k8sallowedimages.violation) == 0 with input as fixtures.review_with(fixtures.rollout(container, {}), parameters)
}

test_registry_port_is_not_a_tag if {
	k8sallowedimages.repository("registry.local:5000/team/app:v1@sha256:0") == "registry.local:5000/team/app"
	k8sallowedimages.repository("quay.io/argoproj/argo-rollouts") == "quay.io/argoproj/argo-rollouts"
}

test_denies_image_of_another_namespace if {
	other := {"repositories": ["registry.k8s.io/external-dns/external-dns"]}
	count(k8sallowedimages.violation) == 1 with input as fixtures.review_with(fixtures.good, other)
}

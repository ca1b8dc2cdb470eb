package k8sverifiedimages_test

import data.k8sverifiedimages
import data.lib.fixtures

parameters := {"provider": "ratify-provider"}

# Stand-ins for Ratify's answers, in the external data response format Gatekeeper passes to the policy.
signed(request) := {"responses": [[key, {"isSuccess": true}] | some key in request.keys], "errors": [], "system_error": ""}

unsigned(request) := {
	"responses": [[key, {"isSuccess": false, "message": "no signature"}] | some key in request.keys],
	"errors": [],
	"system_error": "",
}

provider_down(_) := {"responses": [], "errors": [], "system_error": "ratify unreachable"}

test_allows_signed if {
	count(k8sverifiedimages.violation) == 0 with input as fixtures.review_with(fixtures.good, parameters)
		with external_data as signed
}

test_denies_unsigned if {
	count(k8sverifiedimages.violation) == 1 with input as fixtures.review_with(fixtures.good, parameters)
		with external_data as unsigned
}

test_fails_closed_when_provider_is_down if {
	count(k8sverifiedimages.violation) == 1 with input as fixtures.review_with(fixtures.good, parameters)
		with external_data as provider_down
}

test_asks_about_every_image if {
	obj := fixtures.rollout(fixtures.good_container, {"initContainers": [object.union(fixtures.good_container, {"name": "init", "image": "100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/init@sha256:1111111111111111111111111111111111111111111111111111111111111111"})]})
	count(k8sverifiedimages.violation) == 2 with input as fixtures.review_with(obj, parameters)
		with external_data as unsigned
}

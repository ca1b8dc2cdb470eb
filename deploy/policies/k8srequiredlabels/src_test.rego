package k8srequiredlabels_test

import data.k8srequiredlabels
import data.lib.fixtures

parameters := {"labels": ["app", "team", "cost-center"]}

test_allows_labelled if {
	count(k8srequiredlabels.violation) == 0 with input as fixtures.review_with(fixtures.good, parameters)
}

test_denies_missing_cost_center_on_object if {
	obj := json.patch(fixtures.good, [{"op": "remove", "path": "/metadata/labels/cost-center"}])
	count(k8srequiredlabels.violation) == 1 with input as fixtures.review_with(obj, parameters)
}

test_denies_missing_team_on_pod_template if {
	obj := json.patch(fixtures.good, [{"op": "remove", "path": "/spec/template/metadata/labels/team"}])
	count(k8srequiredlabels.violation) == 1 with input as fixtures.review_with(obj, parameters)
}

# Objects and their pod templates carry the ownership and cost labels (requirements EKS-5, COST-1).
package k8srequiredlabels

import data.lib.workload

violation contains {"msg": msg} if {
	some label in input.parameters.labels
	not input.review.object.metadata.labels[label]
	msg := sprintf("%v %q must have label %q", [input.review.object.kind, input.review.object.metadata.name, label])
}

violation contains {"msg": msg} if {
	input.review.object.kind in workload.workload_kinds
	some label in input.parameters.labels
	not input.review.object.spec.template.metadata.labels[label]
	msg := sprintf("the pod template of %q must have label %q", [input.review.object.metadata.name, label])
}

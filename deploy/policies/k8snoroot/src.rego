# No container may run as root: runAsNonRoot must be true and runAsUser, if set, must not be 0.
package k8snoroot

import data.lib.workload

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some container in workload.containers(spec)
	not workload.effective(spec, container, "runAsNonRoot") == true
	msg := sprintf("container %q must set securityContext.runAsNonRoot: true (pod or container)", [container.name])
}

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some container in workload.containers(spec)
	workload.effective(spec, container, "runAsUser") == 0
	msg := sprintf("container %q must not run as UID 0", [container.name])
}

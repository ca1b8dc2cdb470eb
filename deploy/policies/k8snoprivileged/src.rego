# No privileged container and no privilege escalation (allowPrivilegeEscalation must be false explicitly).
package k8snoprivileged

import data.lib.workload

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	container.securityContext.privileged == true
	msg := sprintf("container %q must not be privileged", [container.name])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not container.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q must set securityContext.allowPrivilegeEscalation: false", [container.name])
}

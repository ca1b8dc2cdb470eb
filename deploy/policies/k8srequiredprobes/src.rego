# Long-running containers declare liveness and readiness probes (init and ephemeral containers excepted).
package k8srequiredprobes

import data.lib.workload

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some container in spec.containers
	some probe in input.parameters.probes
	not container[probe]
	msg := sprintf("container %q must define %v", [container.name, probe])
}

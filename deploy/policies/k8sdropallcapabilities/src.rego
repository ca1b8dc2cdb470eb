# Every container drops ALL Linux capabilities (so no NET_RAW) and adds none back.
package k8sdropallcapabilities

import data.lib.workload

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not "ALL" in object.get(container, ["securityContext", "capabilities", "drop"], [])
	msg := sprintf("container %q must drop ALL capabilities", [container.name])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	some capability in object.get(container, ["securityContext", "capabilities", "add"], [])
	msg := sprintf("container %q must not add capability %v", [container.name, capability])
}

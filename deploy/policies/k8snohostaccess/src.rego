# No access to the node: no hostNetwork, hostPID, hostIPC, hostPath volumes or hostPorts.
package k8snohostaccess

import data.lib.workload

host_namespaces := ["hostNetwork", "hostPID", "hostIPC"]

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some field in host_namespaces
	spec[field] == true
	msg := sprintf("pod must not set %v: true", [field])
}

violation contains {"msg": msg} if {
	some volume in workload.pod_spec(input.review.object).volumes
	volume.hostPath
	msg := sprintf("volume %q must not be a hostPath", [volume.name])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	some port in container.ports
	port.hostPort
	msg := sprintf("container %q must not use hostPort %v", [container.name, port.hostPort])
}

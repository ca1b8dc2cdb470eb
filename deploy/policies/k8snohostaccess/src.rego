# No access to the node: no hostNetwork, hostPID, hostIPC, hostPath volumes or hostPorts. The one opening a
# constraint may grant: hostPath volumes of exactly the paths in `readOnlyHostPaths`, mounted read-only by every
# container that mounts them (the log shipper reading /var/log).
package k8snohostaccess

import data.lib.workload

host_namespaces := ["hostNetwork", "hostPID", "hostIPC"]

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some field in host_namespaces
	spec[field] == true
	msg := sprintf("pod must not set %v: true", [field])
}

read_only_paths := object.get(input, ["parameters", "readOnlyHostPaths"], [])

violation contains {"msg": msg} if {
	some volume in workload.pod_spec(input.review.object).volumes
	volume.hostPath
	not volume.hostPath.path in read_only_paths
	msg := sprintf("volume %q must not be a hostPath", [volume.name])
}

violation contains {"msg": msg} if {
	spec := workload.pod_spec(input.review.object)
	some volume in spec.volumes
	volume.hostPath.path in read_only_paths
	some container in workload.containers(spec)
	some mount in object.get(container, "volumeMounts", [])
	mount.name == volume.name
	not mount.readOnly == true
	msg := sprintf("container %q must mount hostPath volume %q (%v) readOnly", [container.name, volume.name, volume.hostPath.path])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	some port in container.ports
	port.hostPort
	msg := sprintf("container %q must not use hostPort %v", [container.name, port.hostPort])
}

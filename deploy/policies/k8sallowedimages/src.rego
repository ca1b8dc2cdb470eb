# Images come only from the repositories allowed in the constraint's namespaces, and are pinned by digest.
# The repository is compared whole (registry and path, without tag or digest): `innovate/api` does not admit
# `innovate/api-other`, and another account's registry with the same path is another repository.
package k8sallowedimages

import data.lib.workload

# `registry/path[:tag][@digest]` → `registry/path`. A colon counts as a tag only after the last slash (a registry
# may carry a port).
repository(image) := name if {
	without_digest := split(image, "@")[0]
	parts := split(without_digest, "/")
	last := parts[count(parts) - 1]
	name := concat("/", array.concat(array.slice(parts, 0, count(parts) - 1), [split(last, ":")[0]]))
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not repository(container.image) in input.parameters.repositories
	msg := sprintf("container %q image %q is not from an allowed repository %v", [container.name, container.image, input.parameters.repositories])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not regex.match(`@sha256:[a-f0-9]{64}$`, container.image)
	msg := sprintf("container %q image %q must be pinned by digest (@sha256:...)", [container.name, container.image])
}

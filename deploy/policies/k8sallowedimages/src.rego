# Images come only from the environment's own registry repositories and are pinned by digest.
package k8sallowedimages

import data.lib.workload

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not strings.any_prefix_match(container.image, input.parameters.repositories)
	msg := sprintf("container %q image %q is not from an allowed repository %v", [container.name, container.image, input.parameters.repositories])
}

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	not regex.match(`@sha256:[a-f0-9]{64}$`, container.image)
	msg := sprintf("container %q image %q must be pinned by digest (@sha256:...)", [container.name, container.image])
}

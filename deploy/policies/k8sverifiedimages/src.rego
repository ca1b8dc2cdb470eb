# Deny unsigned images (requirement EKS-5): every image must carry a valid Notation signature from the environment's AWS
# Signer profile. Verification happens in Ratify, which Gatekeeper calls through its external data provider.
package k8sverifiedimages

import data.lib.workload

images := [container.image | some container in workload.containers(workload.pod_spec(input.review.object))]

response := external_data({"provider": input.parameters.provider, "keys": images}) if count(images) > 0

violation contains {"msg": msg} if {
	some [image, result] in response.responses
	not result.isSuccess == true
	msg := sprintf("image %q has no valid signature: %v", [image, object.get(result, "message", "verification failed")])
}

violation contains {"msg": msg} if {
	some [image, error] in response.errors
	msg := sprintf("image %q could not be verified: %v", [image, error])
}

violation contains {"msg": msg} if {
	response.system_error != ""
	msg := sprintf("signature verification unavailable (fail closed): %v", [response.system_error])
}

# Every container declares requests and limits for CPU and memory (scheduling, HPA, Karpenter bin-packing).
package k8srequiredresources

import data.lib.workload

required := [["requests", "cpu"], ["requests", "memory"], ["limits", "cpu"], ["limits", "memory"]]

violation contains {"msg": msg} if {
	some container in workload.containers(workload.pod_spec(input.review.object))
	some [section, resource] in required
	not container.resources[section][resource]
	msg := sprintf("container %q must set resources.%v.%v", [container.name, section, resource])
}

# Shared helpers: where the pod spec and containers of any workload kind live.
package lib.workload

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Rollout"}

pod_spec(obj) := obj.spec if obj.kind == "Pod"

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

pod_spec(obj) := obj.spec.template.spec if obj.kind in workload_kinds

# Every container of a pod spec: regular, init and ephemeral.
containers(spec) := array.concat(
	array.concat(object.get(spec, "containers", []), object.get(spec, "initContainers", [])),
	object.get(spec, "ephemeralContainers", []),
)

# A securityContext field as the kubelet sees it: the container's value overrides the pod's; null when neither sets it.
effective(spec, container, field) := object.get(
	container,
	["securityContext", field],
	object.get(spec, ["securityContext", field], null),
)

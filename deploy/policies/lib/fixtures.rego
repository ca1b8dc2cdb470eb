# Test fixtures shared by the policy tests: one compliant Rollout, and a way to change one field of it.
package lib.fixtures

good_container := {
	"name": "api",
	"image": "100000000011.dkr.ecr.us-east-1.amazonaws.com/innovate/api@sha256:f143893158783bfe6bed1b44dbc16f5cee6ac2433a580a704386af51b8f5a0b9",
	"resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
	"readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}},
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"privileged": false,
		"readOnlyRootFilesystem": true,
		"runAsNonRoot": true,
		"capabilities": {"drop": ["ALL"]},
		"seccompProfile": {"type": "RuntimeDefault"},
	},
}

labels := {"app": "api", "team": "platform-team", "cost-center": "cc-1100"}

rollout(container, pod_extra) := {
	"apiVersion": "argoproj.io/v1alpha1",
	"kind": "Rollout",
	"metadata": {"name": "api", "namespace": "api", "labels": labels},
	"spec": {"template": {
		"metadata": {"labels": labels},
		"spec": object.union(
			{
				"securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
				"containers": [container],
			},
			pod_extra,
		),
	}},
}

good := rollout(good_container, {})

# The good container with one field replaced (a JSON patch path such as "securityContext/privileged").
container_with(path, value) := json.patch(good_container, [{"op": "add", "path": path, "value": value}])

container_without(path) := json.patch(good_container, [{"op": "remove", "path": path}])

review(obj) := {"review": {"object": obj, "kind": {"kind": obj.kind}}, "parameters": {}}

review_with(obj, parameters) := {"review": {"object": obj, "kind": {"kind": obj.kind}}, "parameters": parameters}

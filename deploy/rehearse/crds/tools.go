//go:build tools

// Package tools pins controller-gen and the API packages it generates CRDs from (deploy/rehearse/src/crds.ts), so
// `go mod tidy` keeps them in go.mod and go.sum verifies them.
package tools

import (
	_ "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	_ "github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	_ "github.com/external-secrets/external-secrets/apis/externalsecrets/v1"
	_ "github.com/grafana/grafana-operator/v5/api/v1beta1"
	_ "github.com/open-policy-agent/frameworks/constraint/pkg/apis/templates/v1"
	_ "sigs.k8s.io/controller-tools/cmd/controller-gen"
)

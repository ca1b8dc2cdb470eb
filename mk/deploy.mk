# Kubernetes delivery (deploy/): the cdk8s app and its committed render (deploy/src, entry point src/render-cli.ts);
# its gates, schema validation, Gatekeeper policies, chart checks, bench (deploy/checks, entry point checks/cli.ts).
# OPA is built from the Go module proxy at a pinned version (compiles in a few minutes on 2 cores, then cached).
OPA_VERSION := v1.22.4
OPA := $(TOOLS)/bin/opa
OPA_STAMP := $(TOOLS)/bin/.opa-$(OPA_VERSION)
# Helm pulls and renders the add-on charts in check-deploy-charts (ADR 0070); built like OPA, from the Go module proxy.
HELM_VERSION := v3.22.0
HELM_STAMP := $(TOOLS)/bin/.helm-$(HELM_VERSION)
# The canary analysis test measures recorded Prometheus answers with Argo Rollouts' own provider and evaluator
# (ADR 0104): a small Go program pinned in its go.mod to the controller the argo-rollouts chart ships, ~1 min cold.
ANALYSIS_EVAL_SRC := deploy/tools/analysis-eval
ANALYSIS_EVAL := $(TOOLS)/bin/analysis-eval

.PHONY: render check-deploy check-deploy-charts check-deploy-ready test-deploy deps-opa deps-helm \
	deps-analysis-eval lock-deploy-charts
deps-opa: $(OPA_STAMP)
$(OPA_STAMP):
	$(call first_build,OPA $(OPA_VERSION),1 min)
	GOBIN=$(TOOLS)/bin go install github.com/open-policy-agent/opa@$(OPA_VERSION)
	@touch $@

deps-helm: $(HELM_STAMP)
$(HELM_STAMP):
	GOBIN=$(TOOLS)/bin go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	@touch $@

deps-analysis-eval: $(ANALYSIS_EVAL)
$(ANALYSIS_EVAL): $(ANALYSIS_EVAL_SRC)/main.go $(ANALYSIS_EVAL_SRC)/go.mod $(ANALYSIS_EVAL_SRC)/go.sum
	$(call first_build,analysis-eval (Argo Rollouts evaluator),40 s)
	cd $(ANALYSIS_EVAL_SRC) && go build -mod=readonly -trimpath -o $@ .

render: deps-node ## render deploy/rendered/<env>/ for every environment from the cdk8s app
	cd deploy && npx tsx src/render-cli.ts render

check-deploy: deps-node deps-opa ## render drift, schema validation and Gatekeeper policies over every env's render
	cd deploy && npx tsx src/render-cli.ts check
	cd deploy && npx tsx checks/cli.ts validate
	cd deploy && npx tsx checks/cli.ts policies

# Where no chart repository is reachable (these build machines) it prints one line and passes; CI's charts job sets
# CHART_REPOSITORIES=required, so there an unreachable repository fails.
check-deploy-charts: deps-node deps-helm ## helm pull every add-on chart, verify it against deploy/charts.lock.json, check our values, schemas, CEL, templates
	cd deploy && npx tsx checks/cli.ts charts

lock-deploy-charts: deps-node deps-helm ## record in deploy/charts.lock.json the digest of every pinned chart that has none (needs the chart repositories)
	cd deploy && npx tsx checks/cli.ts lock-charts

# Not in CHECK_TARGETS: it fails until a person has set the AWS Signer root and plugin digest (ADR 0066) and
# every add-on image digest (ADR 0072).
check-deploy-ready: deps-node ## fail while a first-deploy input (signature-trust.yaml, addon-images.yaml, api/Dockerfile RDS CA hash) is unset
	cd deploy && npx tsx checks/cli.ts ready

# deps-rehearse-crds: the CEL test reads the real Karpenter CRDs from the rehearsal's CRD program (offline).
test-deploy: deps-node deps-opa deps-helm deps-rehearse-crds deps-analysis-eval ## deploy/ type check, opa test of the Rego, cdk8s unit tests
	cd deploy && npx tsc -p tsconfig.json
	cd deploy && npx tsx checks/policy/opa.ts test
	cd deploy && REHEARSE_CRDS_BIN=$(CRDS_BIN) npx vitest run

CHECK_TARGETS += check-deploy check-deploy-charts
TEST_TARGETS += test-deploy

.PHONY: bench-deploy
bench-deploy: deps-node deps-opa ## time each deploy gate; writes its section of docs/benchmarks.md
	cd deploy && npx tsx checks/bench/bench.ts
BENCH_TARGETS += bench-deploy

# Observability as code: the AMP alerting rules as Prometheus rule files with their unit tests (promtool), and the
# Grafana dashboards generated from the same SLO source (rendered into deploy/rendered/ by `make render`).
# promtool is built from Prometheus' Go module at a pinned version (its 3.x releases are numbered v0.3xx.y).
PROMETHEUS_VERSION := v0.316.0
PROMTOOL := $(TOOLS)/bin/promtool
PROMTOOL_STAMP := $(TOOLS)/bin/.promtool-$(PROMETHEUS_VERSION)

.PHONY: deps-promtool alert-rules check-alert-rules test-alert-rules
deps-promtool: $(PROMTOOL_STAMP)
$(PROMTOOL_STAMP):
	@echo "promtool: building Prometheus $(PROMETHEUS_VERSION)'s promtool from its Go module (several minutes on a cold cache, once)" >&2
	GOBIN=$(TOOLS)/bin go install github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_VERSION)
	@touch $@

alert-rules: deps-node ## rewrite infra/alert-rules/<env>/ (rule files and their promtool tests) from the CDK rule source
	cd infra && npx tsx scripts/alert-rules.ts write

check-alert-rules: deps-node
	cd infra && npx tsx scripts/alert-rules.ts check

test-alert-rules: deps-node deps-promtool check-alert-rules ## promtool check + test rules over every environment's AMP rules
	cd infra && npx tsx scripts/alert-rules.ts test $(PROMTOOL)

TEST_TARGETS += test-alert-rules

# Observability as code: the AMP alerting rules as Prometheus rule files with their unit tests (promtool), and the
# Grafana dashboards generated from the same SLO source (rendered into deploy/rendered/ by `make render`).
# promtool is built from Prometheus' Go module at a pinned version (its 3.x releases are numbered v0.3xx.y).
PROMETHEUS_VERSION := v0.316.0
PROMTOOL := $(TOOLS)/bin/promtool
PROMTOOL_STAMP := $(TOOLS)/bin/.promtool-$(PROMETHEUS_VERSION)

.PHONY: deps-promtool alert-rules check-alert-rules test-alert-rules
deps-promtool: $(PROMTOOL_STAMP)
$(PROMTOOL_STAMP):
	$(call first_build,promtool from Prometheus $(PROMETHEUS_VERSION),6 min)
	GOBIN=$(TOOLS)/bin go install github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_VERSION)
	@touch $@

alert-rules: deps-node ## rewrite infra/alert-rules/<env>/ (rule files and their promtool tests) from the CDK rule source
	cd infra && npx tsx scripts/alert-rules.ts write

check-alert-rules: deps-node
	cd infra && npx tsx scripts/alert-rules.ts check

test-alert-rules: deps-node deps-promtool check-alert-rules ## promtool check + test rules over every environment's AMP rules
	cd infra && npx tsx scripts/alert-rules.ts test $(PROMTOOL)

TEST_TARGETS += test-alert-rules

# ---- The local view: `make up OBSERVABILITY=1` also runs Prometheus (Debian's package) on 127.0.0.1, scraping the
# API and evaluating infra/alert-rules/dev/, and draws the generated dashboards' panels as PNGs (ADR 0134).
.PHONY: deps-prometheus
deps-prometheus:
	@command -v prometheus >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }

ifeq ($(OBSERVABILITY),1)
up: deps-prometheus deps-chromium
endif

# The local tests start Debian's Prometheus and draw panels with Chromium.
test-local: deps-prometheus deps-chromium

# AWS CDK app (infra/): synth of every environment and the offline gates over its output.
# `make synth` writes infra/cdk.out/ (<stack id>.template.json + manifest.json), which the cost model and the
# architecture diagram read. No target here needs AWS credentials or the network.
CDK := CDK_DISABLE_CLI_TELEMETRY=true cdk
CDK_OUT := infra/cdk.out

.PHONY: synth synth-repeatable test-infra typecheck-infra lambda-assets
# The roles' bootstrap Lambda's code (ADR 0158): the API modules its handler imports and the arm64 wheels api/uv.lock
# pins, in a git-ignored folder the data stack packages. Everything that synthesizes the data stack depends on it;
# the CDK app fails in one line naming this target when the folder is missing. Rebuilt when the API's code or lock
# changes; the same inputs give the same files (the asset hash, and so the templates, do not move).
BOOTSTRAP_ASSET := infra/.assets/database-roles-bootstrap
lambda-assets: $(BOOTSTRAP_ASSET)/innovate_api/bootstrap_handler.py ## build the roles' bootstrap Lambda code that synth packages
$(BOOTSTRAP_ASSET)/innovate_api/bootstrap_handler.py: api/uv.lock api/tools/bootstrap_asset.py $(wildcard api/src/innovate_api/*.py) | deps-python
	$(API_RUN) python -m tools.bootstrap_asset $(ROOT)/$(BOOTSTRAP_ASSET)

# The CLI's chatter goes to a log that is shown only when synth fails (cdk-nag findings are printed there).
synth: deps-node lambda-assets ## cdk synth --no-lookups of every environment into infra/cdk.out (cdk-nag runs inside)
	rm -rf $(CDK_OUT)
	cd infra && $(CDK) synth --no-lookups --quiet --no-notices >.synth.log 2>&1 || { cat .synth.log >&2; exit 1; }

# Synthesizes a second time into a scratch folder and compares byte for byte with infra/cdk.out.
synth-repeatable: synth
	again=$$(mktemp -d) && trap 'rm -rf "$$again"' EXIT && \
	(cd infra && $(CDK) synth --no-lookups --quiet --no-notices -o "$$again" >/dev/null 2>&1) && \
	{ diff -r $(CDK_OUT) "$$again" >/dev/null || { diff -rq $(CDK_OUT) "$$again" >&2; echo "synth: two runs differ" >&2; exit 1; }; }
	@echo "synth: two runs byte-identical ($$(ls $(CDK_OUT)/*.template.json | wc -l) templates)"

typecheck-infra: deps-node
	cd infra && npx tsc -p tsconfig.json

# The foundations suite (infra/test/foundations) is `make test-foundations`'s (mk/foundations.mk); excluded here so
# `make test` runs it once. vitest's --exclude replaces the default excludes, so node_modules is named again.
test-infra: deps-node typecheck-infra lambda-assets ## CDK assertion tests (one describe per requirement, docs/requirements.md)
	cd infra && npx vitest run --exclude 'test/foundations/**' --exclude '**/node_modules/**'


# ---- Python linters over the synthesized templates, each in its own venv from a hash-pinned lock (infra/tools/). ----
# Separate venvs because checkov pins its own cfn-lint range. Re-run `uv pip compile --generate-hashes` on the .in file
# to upgrade; the venv is rebuilt whenever its lock changes.
INFRA_TOOLS := $(TOOLS)/infra
CFN_LINT := $(INFRA_TOOLS)/cfn-lint/bin/cfn-lint
CHECKOV := $(INFRA_TOOLS)/checkov/bin/checkov

$(INFRA_TOOLS)/%/.installed: infra/tools/%.lock.txt | deps-python
	rm -rf $(INFRA_TOOLS)/$*
	uv venv --quiet --python 3.11 $(INFRA_TOOLS)/$*
	uv pip sync --quiet --python $(INFRA_TOOLS)/$*/bin/python --require-hashes $<
	@touch $@

.PHONY: deps-infra-lint
deps-infra-lint: $(INFRA_TOOLS)/cfn-lint/.installed $(INFRA_TOOLS)/checkov/.installed

# ---- Gates over infra/cdk.out. Each depends on synth, so `make check` synthesizes once. ----
.PHONY: infra-nag infra-cfn-lint infra-checkov
infra-nag: synth ## cdk-nag AwsSolutions: zero unacknowledged (synth fails otherwise); prints the counts
	cd infra && npx tsx scripts/nag-report.ts

infra-cfn-lint: synth $(INFRA_TOOLS)/cfn-lint/.installed ## cfn-lint over every synthesized template (errors and warnings fail)
	$(CFN_LINT) --config-file infra/tools/cfnlintrc.yaml --format parseable -- $(CDK_OUT)/*.template.json
	@echo "cfn-lint: $$(ls $(CDK_OUT)/*.template.json | wc -l) templates, no errors or warnings"

# checkov exits 1 on any finding; the gate script applies the reasoned skips and decides.
infra-checkov: synth $(INFRA_TOOLS)/checkov/.installed ## checkov over the templates; counts written to infra/.reports/checkov-summary.json
	mkdir -p infra/.reports
	$(CHECKOV) $(addprefix -f ,$(wildcard $(CDK_OUT)/*.template.json)) --framework cloudformation --skip-download --quiet --compact -o json >infra/.reports/checkov-report.json 2>infra/.reports/checkov.log || true
	cd infra && npx tsx scripts/checkov-gate.ts .reports/checkov-report.json .reports/checkov-summary.json

# ---- docs/architecture.md's diagrams are generated from config and the synthesized app (ADR 0154). ----
# infra-docs renders the SVGs in Chromium; the check compares the Mermaid sources and the SVGs' source stamps only,
# so it needs no browser (SVG bytes depend on the machine's fonts).
.PHONY: infra-docs infra-docs-check
infra-docs: synth deps-chromium ## regenerate the diagrams (request path, organization, stacks) in docs/architecture.md and docs/diagrams/
	cd infra && npx tsx scripts/architecture-diagram.ts

infra-docs-check: synth
	cd infra && npx tsx scripts/architecture-diagram.ts --check

CHECK_TARGETS += synth synth-repeatable infra-nag infra-cfn-lint infra-checkov infra-docs-check
TEST_TARGETS += test-infra

# ---- Timings of synth and every infra gate, written to docs/benchmarks.md (## Infrastructure gates). ----
.PHONY: bench-infra
bench-infra: synth $(INFRA_TOOLS)/cfn-lint/.installed $(INFRA_TOOLS)/checkov/.installed ## time synth and the infra gates (RUNS=3)
	cd infra && npx tsx scripts/bench-gates.ts

BENCH_TARGETS += bench-infra

# ---- The front door to AWS: people run these with the environment's credentials; the infra-plan and infra-deploy
# workflows run the same targets with their OIDC roles (docs/deployment.md, "Day-2"). ----
# ENV names the environment; STACKS narrows to some of its stack ids (default: all of them). The preflight
# (infra/scripts/preflight.ts) refuses placeholder config, missing AZ context or another account's credentials before
# anything runs; one synth writes cdk.out and cdk reads it (--app cdk.out); stacks go one at a time in the order of
# infra/scripts/deploy-order.ts, and the first failure stops the rest.
# DIFF_FLAGS: extra `cdk diff` flags (CI's read-only role passes --no-change-set). DEPLOY_APPROVAL: cdk's
# --require-approval (people: broadening, asks before IAM or security-group widening; CI: never, the PR showed it).
.PHONY: diff deploy infra-env-check infra-preflight
INFRA_ENVS := dev staging prod
DIFF_FLAGS ?=
DEPLOY_APPROVAL ?= broadening
INFRA_STACK_ORDER = npx tsx scripts/deploy-order.ts $(ENV) $(STACKS)
infra-env-check:
	@case " $(INFRA_ENVS) " in *" $(ENV) "*) ;; *) echo "make $(MAKECMDGOALS): set ENV to one of: $(INFRA_ENVS)" >&2; exit 2;; esac

infra-preflight: deps-node infra-env-check
	@cd infra && npx tsx scripts/preflight.ts $(ENV)

diff: infra-preflight ## cdk diff of one environment against its AWS account (ENV=dev|staging|prod [STACKS=...])
	@$(MAKE) --no-print-directory synth
	cd infra && stacks=$$($(INFRA_STACK_ORDER)) && $(CDK) diff --app cdk.out $(DIFF_FLAGS) $$stacks

deploy: infra-preflight ## cdk deploy of one environment, stack by stack in deploy order (ENV=dev|staging|prod [STACKS=...])
	@$(MAKE) --no-print-directory synth
	cd infra && stacks=$$($(INFRA_STACK_ORDER)) && for stack in $$stacks; do \
	  echo "deploy: $$stack"; \
	  $(CDK) deploy --app cdk.out --exclusively --require-approval $(DEPLOY_APPROVAL) "$$stack" || exit 1; \
	done

# Cost model (cost/): monthly cost of every environment, priced from the synthesized templates (docs/cost.md).
# Reports go to the git-ignored .cost/ folder. `make cost` re-synthesizes only when the infra code or config is
# newer than infra/cdk.out/manifest.json.
# npm runs the script inside cost/, so every path handed to it is absolute.
COST := npm run -s cost -w @innovate/cost --
COST_COMMA := ,
COST_EMPTY :=
COST_SPACE := $(COST_EMPTY) $(COST_EMPTY)
COST_SYNTH := infra/cdk.out
# The budgets in the synth read cost/estimates.json, so it is an input of the synth too.
COST_SYNTH_INPUTS := $(shell find infra/bin infra/lib config/src config/environments -type f 2>/dev/null) \
	infra/cdk.json config/organization.yaml cost/estimates.json

.PHONY: cost cost-compare cost-questions cost-estimates cost-estimates-check cost-prices wake test-cost bench-cost
$(COST_SYNTH)/manifest.json: $(COST_SYNTH_INPUTS)
	$(MAKE) synth

# DETAIL=1 also prints every line item by construct path; TRAFFIC=10x,100x (or 50rps) answers what traffic costs.
cost: deps-node $(COST_SYNTH)/manifest.json ## per-account table, levers, unpriced, traffic answers (DETAIL=1, TRAFFIC=10x,100x); reports into .cost/
	$(COST) report --synth $(ROOT)/$(COST_SYNTH) --out $(ROOT)/.cost $(if $(DETAIL),--detail) $(if $(TRAFFIC),--traffic $(TRAFFIC))

# FILE= an AWS Price List bulk offer file a person downloaded (comma-separated for several, e.g. one per region).
cost-prices: deps-node ## refresh cost/prices/aws-prices.yaml from AWS Price List offer files (FILE=a.json[,b.json])
	@test -n "$(FILE)" || { echo "cost-prices: set FILE=<offer file>[,<offer file>]" >&2; exit 1; }
	$(COST) prices --offer $(subst $(COST_SPACE),$(COST_COMMA),$(foreach f,$(subst $(COST_COMMA), ,$(FILE)),$(abspath $(f))))

# Difference per line between two synth outputs, e.g. main vs a change: make cost-compare BASE=/tmp/main.out HEAD=infra/cdk.out
cost-compare: deps-node ## compare two synth outputs (BASE=dir HEAD=dir); writes .cost/compare.md
	@test -n "$(BASE)" -a -n "$(HEAD)" || { echo "cost-compare: set BASE=<cdk.out> and HEAD=<cdk.out>" >&2; exit 1; }
	$(COST) compare --base $(abspath $(BASE)) --head $(abspath $(HEAD)) --out $(ROOT)/.cost

cost-questions: deps-node $(COST_SYNTH)/manifest.json ## per-account totals, naive-vs-chosen saving, endpoint/NAT break-even
	$(COST) questions --synth $(ROOT)/$(COST_SYNTH)

# cost/estimates.json feeds the foundations budgets (infra/lib/foundations/budget-amounts.ts); docs/cost.md shows the
# figures. Both are generated from the synth and guarded like rendered manifests.
cost-estimates: deps-node $(COST_SYNTH)/manifest.json ## rewrite cost/estimates.json (budget amounts) and the figures in docs/cost.md
	$(COST) estimates --synth $(ROOT)/$(COST_SYNTH) --write

cost-estimates-check: deps-node $(COST_SYNTH)/manifest.json
	$(COST) estimates --synth $(ROOT)/$(COST_SYNTH) --check

# Start an environment its off-hours schedule stopped, database first (docs/runbooks/wake-dev-early.md). Prints the AWS
# CLI calls; RUN=1 runs them with your credentials.
wake: deps-node ## wake a scheduled environment early (ENV=dev; RUN=1 runs the AWS CLI calls it prints)
	@test -n "$(ENV)" || { echo "wake: set ENV=<env>" >&2; exit 1; }
	$(COST) wake --env $(ENV) $(if $(RUN),--run)

test-cost: deps-node lambda-assets $(COST_SYNTH)/manifest.json ## cost model tests, and estimates.json + docs/cost.md figures match a fresh computation
	npm run -s typecheck -w @innovate/cost
	cd cost && COST_SYNTH=$(ROOT)/$(COST_SYNTH) npx vitest run
	$(COST) estimates --synth $(ROOT)/$(COST_SYNTH) --check

bench-cost: deps-node $(COST_SYNTH)/manifest.json ## time the cost model; writes its section of docs/benchmarks.md
	npx tsx cost/src/bench.ts

TEST_TARGETS += test-cost
BENCH_TARGETS += bench-cost

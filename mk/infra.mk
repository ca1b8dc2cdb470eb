# AWS CDK app (infra/): synth of every environment and the offline gates over its output.
# `make synth` writes infra/cdk.out/ (<stack id>.template.json + manifest.json), which the cost model and the
# architecture diagram read. No target here needs AWS credentials or the network.
CDK := CDK_DISABLE_CLI_TELEMETRY=true cdk
CDK_OUT := infra/cdk.out

.PHONY: synth synth-repeatable test-infra typecheck-infra
# The CLI's chatter goes to a log that is shown only when synth fails (cdk-nag findings are printed there).
synth: deps-node ## cdk synth --no-lookups of every environment into infra/cdk.out (cdk-nag runs inside)
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

test-infra: deps-node typecheck-infra ## CDK assertion tests (one per requirement of issue 3)
	cd infra && npx vitest run

CHECK_TARGETS += synth synth-repeatable
TEST_TARGETS += test-infra

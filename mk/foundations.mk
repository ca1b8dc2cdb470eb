# Organization foundations (infra/lib/foundations). The synth / cdk-nag / cfn-lint / checkov gates of
# mk/infra.mk cover the foundations stacks too (they are in the same CDK app); this adds what is specific to them:
# SCP limits, the policy scenario table evaluated with iam-simulate, the one-guardrail-removed mutations, and the
# per-requirement assertions.
.PHONY: test-foundations
test-foundations: deps-node ## foundations: SCP limits, policy scenario table + mutations, stack assertions
	cd infra && npx vitest run test/foundations

TEST_TARGETS += test-foundations

.PHONY: bench-foundations
bench-foundations: deps-node ## foundations: time synth, the scenario table and the mutation sweep (docs/benchmarks.md)
	cd infra && npx tsx test/foundations/bench.ts

BENCH_TARGETS += bench-foundations

# The docs that are generated and checked (docs/tools/): the requirements and their traceability table
# (docs/requirements.yaml -> docs/requirements.md) and the ADR index (docs/decisions/README.md).
.PHONY: docs check-docs test-docs
docs: deps-node ## regenerate docs/requirements.md and the ADR index from their sources
	node --import tsx docs/tools/requirements.ts write
	node --import tsx docs/tools/adr-index.ts write

check-docs: deps-node ## requirements' proofs exist, generated docs current, no citation of a document outside the repository
	node --import tsx docs/tools/requirements.ts check
	node --import tsx docs/tools/adr-index.ts check
	node --import tsx docs/tools/outside-references.ts

test-docs: deps-node ## the docs tools' type check and tests
	npx tsc -p docs/tools/tsconfig.json
	npx vitest run --root docs/tools

CHECK_TARGETS += check-docs
TEST_TARGETS += test-docs

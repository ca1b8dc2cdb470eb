# Import rules between the TypeScript parts, checked by dependency-cruiser (.dependency-cruiser.cjs): the parts share
# code only through config/ (plus the listed edges), no product file imports a test runner or test code, web's layers
# point one way, and there are no import cycles.
IMPORT_FOLDERS := config web local infra deploy cost gameday docs/tools .github

.PHONY: lint-imports
lint-imports: deps-node ## import rules: parts share only config/, no test code in the product, web's layers, no cycles
	npx depcruise --config .dependency-cruiser.cjs --output-type err $(IMPORT_FOLDERS)

LINT_TARGETS += lint-imports

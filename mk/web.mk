# The React SPA (web/): build, unit/integration tests, and the generated API client's drift check.
WEB_CLIENT_DIR := web/src/lib/api/generated
WEB_SOURCES := $(shell find web/src web/public -type f -not -name '*.test.*' 2>/dev/null) web/index.html web/vite.config.ts web/package.json

.PHONY: web-build test-web web-size check-web-client web-client
web-build: web/dist/index.html ## build the SPA into web/dist (hashed asset names)
web/dist/index.html: $(WEB_SOURCES) package-lock.json | deps-node
	npm run -s build -w @innovate/web

test-web: deps-node ## SPA: typecheck and vitest (logic and components)
	npm run -s typecheck -w @innovate/web
	cd web && vitest run

# The JavaScript a user waits for, gzipped, against the 90 KB budget: the first signed-in screen and the sign-in
# path, each derived from the build's manifest (web/dist/.vite/manifest.json).
web-size: web-build ## SPA: fail when the first signed-in screen or sign-in needs over 90 KB gzip of JavaScript
	node --import tsx web/scripts/check-bundle-size.ts web/dist

web-client: deps-node deps-python ## regenerate the SPA's API client from the API's code (then commit it)
	web/scripts/generate-client.sh $(WEB_CLIENT_DIR)

check-web-client: deps-node deps-python ## fail when the committed API client differs from a fresh generation
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && web/scripts/generate-client.sh "$$tmp" && \
	for file in openapi.json schema.ts; do \
	  diff -u $(WEB_CLIENT_DIR)/$$file "$$tmp/$$file" >&2 || \
	    { echo "$(WEB_CLIENT_DIR)/$$file is stale: run make web-client and commit it" >&2; exit 1; }; \
	done && echo "check-web-client: the committed API client matches the API"

CHECK_TARGETS += check-web-client
TEST_TARGETS += test-web web-size

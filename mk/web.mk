# The React SPA (web/): build, unit/integration tests, and the generated API client's drift check.
WEB_CLIENT_DIR := web/src/lib/api/generated
WEB_SOURCES := $(shell find web/src web/public -type f -not -name '*.test.*' 2>/dev/null) web/index.html web/vite.config.ts web/package.json

.PHONY: web-build test-web check-web-client web-client
web-build: web/dist/index.html ## build the SPA into web/dist (hashed asset names)
web/dist/index.html: $(WEB_SOURCES) package-lock.json | deps-node
	npm run -s build -w @innovate/web

test-web: deps-node ## SPA: typecheck and vitest (logic and components)
	npm run -s typecheck -w @innovate/web
	cd web && vitest run

TEST_TARGETS += test-web

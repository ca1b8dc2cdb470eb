# Tool installation shared by every part. Each rule installs only what is missing.
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# A Go tool's first build takes minutes on 2 cores and prints nothing meanwhile: say so before it starts.
# $(call first_build,<what>,<how long cold>) — later runs use the cached binary in .tools/ and skip the rule.
first_build = @echo "building $(1) from source: first time only, about $(2) on 2 cores (cached in .tools/)"

.PHONY: deps-node deps-python deps-chromium
deps-node: node_modules/.installed
# A fresh clone and CI get `npm ci` (exactly the lock file). An existing tree gets `npm install`, which updates
# node_modules in place: `npm ci` would delete node_modules first and break every tool running from it meanwhile.
node_modules/.installed: package-lock.json $(wildcard */package.json)
	if [ -n "$${CI:-}" ] || [ ! -d node_modules ]; then npm ci --no-audit --no-fund --loglevel=error; \
	else npm install --no-audit --no-fund --loglevel=error; fi
	@touch $@

deps-python: $(UV)
$(UV):
	python3 -m venv $(TOOLS)/uv-venv
	$(TOOLS)/uv-venv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	mkdir -p $(TOOLS)/bin && ln -sf ../uv-venv/bin/uv $(UV)

# Debian's Chromium for the browser tests (no browser download is possible or wanted). CHROMIUM_PATH names another
# Chromium-based browser that is already installed (GitHub's runner image ships Google Chrome); then nothing installs.
CHROMIUM := $(or $(CHROMIUM_PATH),/usr/bin/chromium)
deps-chromium: $(CHROMIUM)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null

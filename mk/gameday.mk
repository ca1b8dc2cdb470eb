# Game days (gameday/): drills against the real local system while steady load runs through the edge. They are tests
# with assertions, so `make test` runs them too. The report goes to .artifacts/gameday/ (git-ignored).
.PHONY: gameday
gameday: deps-node deps-python deps-chromium web-build ## game-day drills (DRILL=<name> runs one); report in .artifacts/gameday/
	cd api && uv sync --frozen --quiet
	npm run -s typecheck -w @innovate/gameday
	cd gameday && vitest run
	node --import tsx gameday/src/cli.ts $(if $(DRILL),--drill '$(DRILL)')

TEST_TARGETS += gameday

"""make lint-migrations: squawk over each migration's offline SQL, expand/contract rules (tools/lint_migrations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.config import Config

from innovate_api.migrate import alembic_config
from tools import lint_migrations
from tools.lint_migrations import EXCUSES, Report, lint

API_DIR = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "migrations" / "versions"

# Each fixture migration and the squawk rules it must break (none: it must pass).
EXPECTED_RULES = {
    "f01": set(),  # a new table
    "f02": set(),  # a nullable column under a lock timeout
    "f03": {"adding-required-field"},  # ADD COLUMN ... NOT NULL without a default, on an existing table
    "f04": {"require-concurrent-index-creation"},  # CREATE INDEX without CONCURRENTLY, on an existing table
    "f05": {"renaming-column"},  # a rename in an expand step
    "f06": {"ban-drop-column"},  # a drop in an expand step
    "f07": set(),  # the same drop in a contract step
    "f08": {"renaming-column"},  # a rename in a contract step
    "f09": {"ban-drop-column"},  # a drop with no phase declared: expand
}


def config_with_versions(versions: Path) -> Config:
    """The API's own Alembic configuration and env.py, with another folder of migration scripts."""
    config = alembic_config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(versions))
    return config


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return lint(config_with_versions(FIXTURES), excuses={})


def test_every_fixture_is_linted(fixture_report: Report) -> None:
    assert fixture_report.migrations == len(EXPECTED_RULES)
    assert {finding.revision for finding in fixture_report.findings} <= set(EXPECTED_RULES)


@pytest.mark.parametrize(("revision", "rules"), sorted(EXPECTED_RULES.items()))
def test_fixture_fails_with_squawks_rule_name(fixture_report: Report, revision: str, rules: set[str]) -> None:
    problems = [problem for problem in fixture_report.problems if problem.startswith(f"{revision} ")]
    assert {rule for problem in problems for rule in rules if f": {rule}: " in problem} == rules, problems
    assert len(problems) == len(rules), problems


def test_expand_drop_names_the_contract_step(fixture_report: Report) -> None:
    [problem] = [problem for problem in fixture_report.problems if problem.startswith("f06 ")]
    assert problem.startswith("f06 (expand), line ")
    assert problem.endswith("(drops belong in a later contract migration)")


def test_the_gate_fails_on_the_fixtures_and_counts_them(fixture_report: Report) -> None:
    expected = sum(len(rules) for rules in EXPECTED_RULES.values())
    assert fixture_report.summary() == f"lint-migrations: 9 migrations, {expected} violations, 0 excused"


def test_repository_migrations_pass_with_their_excuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint_migrations.main() == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert re.fullmatch(r"lint-migrations: \d+ migrations, 0 violations, \d+ excused\n", out)


def test_every_excuse_has_a_reason() -> None:
    for (revision, rule), reason in EXCUSES.items():
        assert len(reason) > 20, f"{revision} {rule}: give the reason"


def test_an_excuse_that_matches_nothing_is_a_violation() -> None:
    report = lint(config_with_versions(FIXTURES), excuses={("f01", "ban-drop-table"): "never happens"})
    assert "excuse for f01 ban-drop-table matches no finding: remove it" in report.problems


def test_an_excuse_silences_only_its_migration_and_rule() -> None:
    report = lint(config_with_versions(FIXTURES), excuses={("f05", "renaming-column"): "a reason for the test"})
    assert [(finding.revision, finding.rule) for finding in report.excused] == [("f05", "renaming-column")]
    assert any(problem.startswith("f08 ") and ": renaming-column: " in problem for problem in report.problems)


def test_an_unknown_phase_is_refused_naming_the_migration(tmp_path: Path) -> None:
    (tmp_path / "x01_shrink.py").write_text(
        '"""A phase that does not exist."""\n\nrevision = "x01"\ndown_revision = None\nphase = "shrink"\n\n\n'
        "def upgrade() -> None:\n    pass\n"
    )
    with pytest.raises(ValueError, match=r"^migration x01: phase must be 'expand' or 'contract', not 'shrink'$"):
        lint(config_with_versions(tmp_path), excuses={})


def test_postgres_version_is_the_rds_engines() -> None:
    source = (API_DIR.parent / "infra" / "lib" / "constructs" / "postgres-database.ts").read_text()
    match = re.search(r"POSTGRES_ENGINE_VERSION = rds\.PostgresEngineVersion\.VER_(\d+)_", source)
    assert match is not None
    assert match.group(1) == lint_migrations.POSTGRES_MAJOR

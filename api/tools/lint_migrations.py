"""``make lint-migrations``: the SQL every Alembic migration emits, linted by squawk for PostgreSQL 18 (ADR 0159).

Each migration is rendered on its own in Alembic's offline mode (``upgrade <down>:<rev> --sql``) through the API's
own Alembic configuration and env.py, so squawk sees exactly the statements ``innovate-api migrate`` would run, in
their transaction. Every squawk finding is an error. A migration's module-level ``phase`` ("expand", the default, or
"contract") decides whether drops are allowed: an expand migration must keep the image before it working, so it may
only add; a contract migration, shipped once no running image needs the old shape, may drop. Renames are never
expand/contract-safe and stay errors in both. A finding in an existing migration passes only with an excuse naming
the migration and rule, with a reason; an excuse that no longer matches a finding is itself an error.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from sqlalchemy import create_mock_engine

from innovate_api.migrate import alembic_config

# The RDS engine's major version (infra/lib/constructs/postgres-database.ts), which local/ and the tests also run.
POSTGRES_MAJOR = "18"
SQUAWK = Path(sysconfig.get_path("scripts")) / "squawk"
PHASES = ("expand", "contract")
# Allowed in contract migrations only: removing what an older image may still read or write.
DROP_RULES = ("ban-drop-column", "ban-drop-table", "ban-drop-not-null", "ban-drop-constraint")
# Off for every migration, because squawk cannot see what makes them hold anyway.
RULES_OFF = {
    "require-statement-timeout": "every connection sets statement_timeout in its startup options (db.py), the "
    "migrate command's included, so a migration statement is already capped",
}
# (revision, rule) -> why that existing migration may break that rule.
EXCUSES: dict[tuple[str, str], str] = {
    ("0001", "prefer-bigint-over-int"): "the INTEGER columns are a row version, a position within a board column "
    "and an HTTP status code, bounded far below 2^31; every id is a UUID",
    ("0001", "require-lock-timeout"): "creates the schema in an empty database: no other session holds a lock",
    ("0002", "require-concurrent-index-creation"): "written before the first deploy, so every environment runs it "
    "in the same migrate as 0001, on an empty idempotency_keys; an index on a populated table is built CONCURRENTLY",
    ("0002", "require-lock-timeout"): "same first migrate as 0001: nothing else holds a lock on idempotency_keys",
}


# Offline, Alembic creates its own bookkeeping table before the first migration: not the migration's SQL to judge
# (its VARCHAR(32) would be a prefer-text-field finding on whichever migration is first).
_VERSION_TABLE_DDL = re.compile(r"^CREATE TABLE alembic_version \(.*?^\);\n", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    revision: str
    phase: str
    rule: str
    line: int
    message: str

    def __str__(self) -> str:
        hint = " (drops belong in a later contract migration)" if self.rule in DROP_RULES else ""
        return f"{self.revision} ({self.phase}), line {self.line}: {self.rule}: {self.message}{hint}"


@dataclass(frozen=True)
class Report:
    migrations: int
    findings: list[Finding]
    excused: list[Finding]
    # Excuses that matched no finding, as "revision rule" strings.
    stale_excuses: list[str]

    @property
    def problems(self) -> list[str]:
        stale = [f"excuse for {name} matches no finding: remove it" for name in self.stale_excuses]
        return [str(finding) for finding in self.findings] + stale

    def summary(self) -> str:
        return (
            f"lint-migrations: {self.migrations} migrations, {len(self.problems)} violations, "
            f"{len(self.excused)} excused"
        )


def migration_phase(script: Script) -> str:
    phase = getattr(script.module, "phase", "expand")
    if phase not in PHASES:
        raise ValueError(f"migration {script.revision}: phase must be 'expand' or 'contract', not {phase!r}")
    return str(phase)


def offline_sql(config: Config, script: Script) -> str:
    """The SQL ``alembic upgrade <down>:<rev> --sql`` prints for this one migration (with its BEGIN/COMMIT)."""
    if isinstance(script.down_revision, tuple):
        raise ValueError(f"migration {script.revision}: merge migrations are not supported by lint-migrations")
    buffer = io.StringIO()
    config.output_buffer = buffer

    def refuse(*_: object, **__: object) -> None:
        raise RuntimeError(f"migration {script.revision} tried to run SQL while being rendered offline")

    # env.py configures Alembic with the connection it is handed; offline, a mock engine gives the dialect only.
    config.attributes["connection"] = create_mock_engine("postgresql+psycopg://", executor=refuse)
    target = script.revision if script.down_revision is None else f"{script.down_revision}:{script.revision}"
    command.upgrade(config, target, sql=True)
    return _VERSION_TABLE_DDL.sub("", buffer.getvalue())


def squawk(sql: str, phase: str) -> list[dict[str, Any]]:
    """squawk's findings (its JSON reporter) for one migration's SQL, with the rules its phase allows left out."""
    excluded = [*RULES_OFF, *(DROP_RULES if phase == "contract" else ())]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "migration.sql"
        path.write_text(sql)
        # Run inside the empty folder: squawk would otherwise pick up a .squawk.toml from the working directory.
        result = subprocess.run(
            [
                str(SQUAWK),
                f"--pg-version={POSTGRES_MAJOR}",
                "--reporter=json",
                "--no-assume-in-transaction",
                f"--exclude={','.join(excluded)}",
                path.name,
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"squawk exited {result.returncode}: {result.stderr.strip()}")
    findings: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    return findings


def lint(config: Config | None = None, excuses: Mapping[tuple[str, str], str] = EXCUSES) -> Report:
    config = config or alembic_config()
    scripts = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    findings: list[Finding] = []
    for script in scripts:
        phase = migration_phase(script)
        for raw in squawk(offline_sql(config, script), phase):
            # squawk numbers lines from 0.
            findings.append(Finding(script.revision, phase, raw["rule_name"], raw["line"] + 1, raw["message"]))
    excused = [f for f in findings if (f.revision, f.rule) in excuses]
    matched = {(f.revision, f.rule) for f in excused}
    stale = [f"{revision} {rule}" for revision, rule in excuses if (revision, rule) not in matched]
    return Report(len(scripts), [f for f in findings if f not in excused], excused, stale)


def main() -> int:
    try:
        report = lint()
    except (ValueError, RuntimeError) as error:
        print(f"lint-migrations: {error}", file=sys.stderr)
        return 1
    for problem in report.problems:
        print(f"lint-migrations: {problem}", file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The commands other parts call: ``innovate-api openapi | migrate | serve``."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from openapi_spec_validator import validate

from tests.conftest import Server
from tools.processes import free_port

BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"
CLI = str(BIN / "innovate-api")
PYTHON = str(BIN / "python")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DATABASE_URL", "API_"))}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=_clean_env() | env, capture_output=True, text=True, timeout=60)


def test_openapi_needs_no_database() -> None:
    result = run("openapi")
    assert result.returncode == 0, result.stderr
    validate(json.loads(result.stdout))


def test_serve_without_database_settings_fails_fast_in_one_line() -> None:
    result = run("serve")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_against_an_unreachable_database_fails_in_one_line() -> None:
    result = run("migrate", DATABASE_URL=f"postgresql://u:p@127.0.0.1:{free_port()}/x", DB_CONNECT_TIMEOUT_SECONDS="1")
    assert result.returncode == 1
    assert result.stderr.startswith("innovate-api migrate: ")
    assert "Traceback" not in result.stderr


def test_purge_idempotency_keys(database_url: str) -> None:
    result = run("purge-idempotency-keys", "--batch-size", "100", DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["deleted"] == 0


def test_purge_with_a_bad_batch_size_or_no_database_fails_in_one_line() -> None:
    bad = run("purge-idempotency-keys", "--batch-size", "0", DATABASE_URL="postgresql://u:p@127.0.0.1:1/x")
    assert bad.returncode == 2
    assert "--batch-size: must be a whole number >= 1" in bad.stderr
    down = run(
        "purge-idempotency-keys",
        DATABASE_URL=f"postgresql://u:p@127.0.0.1:{free_port()}/x",
        DB_CONNECT_TIMEOUT_SECONDS="1",
    )
    assert down.returncode == 1
    assert down.stderr.startswith("innovate-api purge-idempotency-keys: ")
    assert "Traceback" not in down.stderr


def test_migrate_waits_for_the_database_and_imports_neither_flask_nor_telemetry(pg_server: Server) -> None:
    # What `make up` runs beside PostgreSQL's start; Flask and OpenTelemetry were a third of its import.
    url = pg_server.create_database("cli_migrate_waits")
    script = (
        "import sys; from innovate_api.cli import main; code = main(sys.argv[1:]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'werkzeug', 'opentelemetry'})); "
        "sys.exit(code)"
    )
    result = subprocess.run(
        [PYTHON, "-c", script, "migrate", "--wait-for-database", "30"],
        env=_clean_env() | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert json.loads(lines[0])["message"] == "database reachable after 1 attempt(s)"
    assert lines[-1] == "[]"


def test_migrate_that_waited_in_vain_fails_in_one_line() -> None:
    result = run(
        "migrate",
        "--wait-for-database",
        "1",
        DATABASE_URL=f"postgresql://u:p@127.0.0.1:{free_port()}/x",
        DB_CONNECT_TIMEOUT_SECONDS="1",
    )
    assert result.returncode == 1, result.stderr
    assert re.fullmatch(r"innovate-api migrate: database not reachable after 1 s \(\d+ attempts\): .+\n", result.stderr)

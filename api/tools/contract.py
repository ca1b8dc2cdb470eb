"""``make test-api-contract``: schemathesis against the running API (gunicorn) on 127.0.0.1, real PostgreSQL, signed in.

The run is signed in as a real user: the local OpenID provider runs beside the API, the development user signs in
through its pages (authorization code + PKCE, tools/local_oidc.py) and schemathesis sends that access token on every
request. Its ``ignored_auth`` check also sends requests without it and expects them refused.

Every check of schemathesis runs (``--checks all``: no 5xx, status codes, content types, headers and bodies as the
document says, invalid input rejected, valid input accepted, ...) over all operations, in the coverage, fuzzing
and stateful phases. Passes only with at least MIN_CASES generated cases, zero failures, zero errors, and no
unhandled error in the API's log. Exit status 0/1; the seed is printed for replay.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.local_oidc import local_provider
from tools.processes import API_DIR, api_server, postgres, run_migrations

MIN_CASES = 1000
# CPython 3.11.7 (the machine's Python) reports a RecursionError raised while building an AST as "SystemError: AST
# constructor recursion depth mismatch" (python/cpython#106905, fixed in later 3.11 releases). Hypothesis parses
# schemathesis' own large modules to describe its filter lambdas, deep inside the generator's call stack, and hit
# that limit even with one worker. A higher recursion limit in the schemathesis process leaves room for the parse.
_SCHEMATHESIS_WITH_DEEPER_RECURSION = (
    "import sys; sys.setrecursionlimit(20_000); from schemathesis.cli import schemathesis; sys.exit(schemathesis())"
)
EXAMPLES_PER_OPERATION = 120


def main() -> int:
    with (
        postgres() as pg,
        tempfile.TemporaryDirectory(prefix="innovate-api-contract-") as tmp,
        local_provider(access_token_seconds=3600) as provider,
    ):
        url = pg.create_database("api_contract")
        run_migrations(url)
        token = provider.access_token()
        env = {"API_DRAIN_SECONDS": "0", "API_WORKERS": "2", "API_THREADS": "4", **provider.api_env()}
        with api_server(url, **env) as api:
            report = Path(tmp) / "report.json"
            command = [
                str(API_DIR / ".venv" / "bin" / "python"),
                "-c",
                _SCHEMATHESIS_WITH_DEEPER_RECURSION,
                "run",
                f"{api.base}/api/v1/openapi.json",
                "--checks=all",
                f"--max-examples={EXAMPLES_PER_OPERATION}",
                # One worker: CPython 3.11.7's AST module keeps its recursion depth per interpreter, not per
                # thread, so two schemathesis threads parsing at once fail with that SystemError (cpython#106905).
                "--workers=1",
                "--request-timeout=10",
                "--output-truncate=true",
                f"--header=Authorization: Bearer {token}",
                "--report=json",
                f"--report-json-path={report}",
            ]
            result = subprocess.run(
                command, cwd=API_DIR, check=False, env={**os.environ, "SCHEMATHESIS_HOOKS": "tools.contract_hooks"}
            )
            log = api.log_path.read_text() if api.log_path else ""
        summary = json.loads(report.read_text())
    cases = summary["test_cases"]["generated"]
    problems = []
    if result.returncode != 0 or summary["failures"] or summary["errors"]:
        problems.append(f"schemathesis reported failures/errors (exit {result.returncode})")
    if cases < MIN_CASES:
        problems.append(f"only {cases} cases generated, need at least {MIN_CASES}")
    if "unhandled error" in log:
        problems.append("the API logged an unhandled error")
    operations = summary["operations"]
    print(
        f"contract: {cases} cases over {operations['tested']}/{operations['total']} operations, "
        f"{len(summary['failures'])} failures, seed {summary['seed']}"
    )
    for problem in problems:
        print(f"contract: FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``make smoke-api``: the contract's smoke subset against a running environment, signed in as its test users.

What a deployed environment must answer, checked from outside through its public URL (SMOKE_APP_URL; the API under
``/api/*``, or SMOKE_API_URL when given):

1. refusals: no token and a forged token get 401 with the Bearer challenge; a project of the test user is 404 to
   a second test user (read, list its tasks, rename, delete), and is unchanged afterwards;
2. the happy paths of every operation of the API's own OpenAPI document, through schemathesis as the contract run
   (tools/contract.py) uses it, but in positive mode only and with a bounded number of cases, so a live
   environment gets a few hundred requests, not a fuzzing campaign;
3. cleanup: every project the smoke created (recorded by tools/smoke_hooks.py) is deleted, and the user's list is
   read back to prove none is left.

Tokens come from a real sign-in at the app's login page in Chromium (web/e2e/access-token.ts, ADR 0093): the test
user from SMOKE_USER_EMAIL / SMOKE_USER_PASSWORD / SMOKE_USER_TOTP_SECRET, the second from SMOKE_OTHER_USER_*.
Exit status 0 when everything held; each failure is one line on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tools.contract import _SCHEMATHESIS_WITH_DEEPER_RECURSION
from tools.processes import API_DIR, REPO_ROOT

# Per operation and phase: with 11 operations and the stateful phase, about a hundred requests to a live environment.
EXAMPLES_PER_OPERATION = 3
PROJECTS = "/api/v1/projects"
TIMEOUT = 15


class SmokeConfigError(Exception):
    """A missing or malformed setting, named in the message."""


@dataclass
class Smoke:
    api_url: str
    token: str
    other_token: str
    problems: list[str] = field(default_factory=list)
    created: set[str] = field(default_factory=set)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)

    def call(self, method: str, path: str, token: str | None, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        return requests.request(method, f"{self.api_url}{path}", headers=headers, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]


def _origin(name: str, value: str | None) -> str:
    if not value:
        raise SmokeConfigError(f"{name} is not set (the environment's URL, e.g. https://app.example.com)")
    if not value.startswith(("http://", "https://")):
        raise SmokeConfigError(f"{name}: must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def access_tokens(app_url: str, *env_prefixes: str) -> list[str]:
    """Real sign-ins in Chromium (web/e2e/access-token.ts), one token per prefix; its one-line error becomes ours."""
    result = subprocess.run(
        ["node", "--import", "tsx", "web/e2e/access-token.ts", app_url, *env_prefixes],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    if result.returncode != 0:
        raise SmokeConfigError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "sign-in failed")
    tokens = result.stdout.split()
    if len(tokens) != len(env_prefixes):
        raise SmokeConfigError(f"sign-in printed {len(tokens)} tokens for {len(env_prefixes)} users")
    return tokens


def check_refusals(smoke: Smoke) -> None:
    for label, token in (("no token", None), ("a forged token", "not-a-token")):
        response = smoke.call("GET", PROJECTS, token)
        smoke.check(response.status_code == 401, f"{label}: GET {PROJECTS} answered {response.status_code}, not 401")
        challenge = response.headers.get("WWW-Authenticate", "")
        smoke.check(challenge.startswith("Bearer"), f"{label}: no Bearer challenge in the 401")

    name = f"smoke {uuid.uuid4()}"
    created = smoke.call("POST", PROJECTS, smoke.token, json={"name": name})
    if created.status_code != 201:
        smoke.problems.append(f"creating a project answered {created.status_code}, not 201")
        return
    project = f"{PROJECTS}/{created.json()['id']}"
    smoke.created.add(created.json()["id"])
    # The owner's current ETag: the other user names the right version, so only ownership can refuse the write.
    if_match = {"If-Match": created.headers.get("ETag", "")}
    for method, path, body in (
        ("GET", project, None),
        ("GET", f"{project}/tasks", None),
        ("PATCH", project, {"name": "taken over"}),
        ("DELETE", project, None),
    ):
        response = smoke.call(method, path, smoke.other_token, json=body, headers=if_match)
        smoke.check(response.status_code == 404, f"another user's {method} {path}: {response.status_code}, not 404")
    after = smoke.call("GET", project, smoke.token)
    unchanged = after.status_code == 200 and after.json().get("name") == name
    smoke.check(unchanged, f"the project changed after another user's refused writes: {after.status_code}")


def run_schemathesis(smoke: Smoke, created_file: Path, report: Path) -> None:
    command = [
        str(API_DIR / ".venv" / "bin" / "python"),
        "-c",
        _SCHEMATHESIS_WITH_DEEPER_RECURSION,
        "run",
        f"{smoke.api_url}/api/v1/openapi.json",
        f"--url={smoke.api_url}",
        "--checks=all",
        "--mode=positive",
        "--phases=fuzzing,stateful",
        f"--max-examples={EXAMPLES_PER_OPERATION}",
        "--workers=1",
        f"--request-timeout={TIMEOUT}",
        "--output-truncate=true",
        f"--header=Authorization: Bearer {smoke.token}",
        "--report=json",
        f"--report-json-path={report}",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tools.smoke_hooks", "SMOKE_CREATED_PROJECTS": str(created_file)}
    result = subprocess.run(command, cwd=API_DIR, check=False, env=env)
    smoke.created.update(line for line in created_file.read_text().split() if line)
    summary = json.loads(report.read_text()) if report.exists() else None
    if summary is None:
        smoke.problems.append(f"schemathesis wrote no report (exit {result.returncode})")
        return
    operations = summary["operations"]
    print(
        f"smoke-api: {summary['test_cases']['generated']} cases over {operations['tested']}/{operations['total']} "
        f"operations, {len(summary['failures'])} failures, seed {summary['seed']}"
    )
    smoke.check(result.returncode == 0 and not summary["failures"] and not summary["errors"], "schemathesis failed")
    smoke.check(operations["tested"] == operations["total"], "schemathesis left operations untested")


def clean_up(smoke: Smoke) -> None:
    """Deletes every project the smoke created (tasks go with them), then proves none is left."""
    removed = 0
    for project_id in sorted(smoke.created):
        path = f"{PROJECTS}/{project_id}"
        current = smoke.call("GET", path, smoke.token)
        if current.status_code == 404:  # the stateful phase already deleted it
            continue
        # A delete must name the ETag it saw (the API refuses If-Match: * there).
        response = smoke.call("DELETE", path, smoke.token, headers={"If-Match": current.headers.get("ETag", "")})
        smoke.check(response.status_code in (204, 404), f"cleanup: DELETE {path}: {response.status_code}")
        removed += response.status_code == 204
    left = _all_project_ids(smoke) & smoke.created
    smoke.check(not left, f"cleanup: {len(left)} projects the smoke created are still there")
    print(f"smoke-api: {len(smoke.created)} projects created, {removed} deleted now, the rest by the run itself")


def _all_project_ids(smoke: Smoke) -> set[str]:
    ids: set[str] = set()
    params: dict[str, str] = {}
    while True:
        page = smoke.call("GET", PROJECTS, smoke.token, params={"limit": "100", **params})
        page.raise_for_status()
        body = page.json()
        ids.update(item["id"] for item in body["items"])
        cursor = body.get("next_cursor")
        if not cursor:
            return ids
        params = {"cursor": cursor}


def main(env: dict[str, str] | None = None, tokens_for: Callable[..., list[str]] = access_tokens) -> int:
    env = dict(os.environ if env is None else env)
    try:
        app_url = _origin("SMOKE_APP_URL", env.get("SMOKE_APP_URL"))
        api_url = _origin("SMOKE_API_URL", env.get("SMOKE_API_URL") or app_url)
        token, other_token = tokens_for(app_url, "SMOKE_USER", "SMOKE_OTHER_USER")
        smoke = Smoke(api_url, token, other_token)
    except SmokeConfigError as error:
        print(f"smoke-api: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="innovate-smoke-") as tmp:
        created_file = Path(tmp) / "created-projects.txt"
        created_file.touch()
        try:
            check_refusals(smoke)
            run_schemathesis(smoke, created_file, Path(tmp) / "report.json")
        finally:
            clean_up(smoke)
    for problem in smoke.problems:
        print(f"smoke-api: FAILED: {problem}", file=sys.stderr)
    return 1 if smoke.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

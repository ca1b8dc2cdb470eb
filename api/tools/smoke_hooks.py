"""schemathesis hooks for ``make smoke-api`` (loaded through SCHEMATHESIS_HOOKS by tools/smoke.py).

The contract run's hooks (fresh Idempotency-Keys, no query strings past the HTTP server's limit) plus one more: the
id of every project the run creates is appended to the file SMOKE_CREATED_PROJECTS names, so tools/smoke.py can
delete each one afterwards. A deployed environment keeps no trace of the smoke.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis

from tools.contract_hooks import filter_query, map_headers

__all__ = ["after_call", "filter_query", "map_headers"]

_CREATE_PROJECT = ("POST", "/api/v1/projects")


@schemathesis.hook
def after_call(ctx: Any, case: Any, response: Any) -> None:
    if (case.method.upper(), case.operation.path) != _CREATE_PROJECT or response.status_code != 201:
        return
    project_id = response.json().get("id")
    if isinstance(project_id, str):
        with open(os.environ["SMOKE_CREATED_PROJECTS"], "a", encoding="utf-8") as created:
            created.write(f"{project_id}\n")

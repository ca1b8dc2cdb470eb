"""schemathesis hooks for ``make test-api-contract`` (loaded through SCHEMATHESIS_HOOKS by tools/contract.py).

schemathesis does not model Idempotency-Key: it reuses drawn header values, so a stateful sequence can create a task
with key K, delete it, then send K with the same body again. The API then replays the first response, as the contract
says it must (ADR 0006), and schemathesis reports "created resource not found". Each request that carries a
well-formed key gets a fresh one here, so the contract run checks the document and the idempotency tests in
tests/http/test_idempotency.py check the replay. Malformed keys (negative cases) are left as drawn.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

_HEADER = "Idempotency-Key"
_WELL_FORMED = re.compile(r"[\x21-\x7e]{1,255}")


@schemathesis.hook
def map_headers(ctx: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if headers and isinstance(headers.get(_HEADER), str) and _WELL_FORMED.fullmatch(headers[_HEADER]):
        headers[_HEADER] = f"contract-{uuid.uuid4()}"
    return headers

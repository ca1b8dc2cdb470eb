"""schemathesis hooks for ``make test-api-contract`` (loaded through SCHEMATHESIS_HOOKS by tools/contract.py).

schemathesis does not model Idempotency-Key: it reuses drawn header values, so a stateful sequence can create a task
with key K, delete it, then send K with the same body again. The API then replays the first response, as the contract
says it must (ADR 0006), and schemathesis reports "created resource not found". Each request that carries a
well-formed key gets a fresh one here, so the contract run checks the document and the idempotency tests in
tests/http/test_idempotency.py check the replay. Malformed keys (negative cases) are left as drawn.

Negative cases may also draw query strings of many kilobytes. gunicorn refuses a request line over 8,190 bytes
with its own 414 page before the API sees it (so does CloudFront, at 8,192 bytes of URL, in front of the API):
that is the HTTP server's limit, not the API's contract, so cases whose query alone would come near it are not sent.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlencode

import schemathesis

_HEADER = "Idempotency-Key"
_WELL_FORMED = re.compile(r"[\x21-\x7e]{1,255}")
# gunicorn's largest request line (8,190 bytes) minus room for the method, the path and the protocol.
_MAX_QUERY_BYTES = 7_000


@schemathesis.hook
def map_headers(ctx: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if headers and isinstance(headers.get(_HEADER), str) and _WELL_FORMED.fullmatch(headers[_HEADER]):
        headers[_HEADER] = f"contract-{uuid.uuid4()}"
    return headers


@schemathesis.hook
def filter_query(ctx: Any, query: dict[str, Any] | None) -> bool:
    if not query:
        return True
    # Encoded as the client will send it: one name=value pair per element of a list.
    pairs = {name: [str(v) for v in value] if isinstance(value, list) else str(value) for name, value in query.items()}
    return len(urlencode(pairs, doseq=True)) <= _MAX_QUERY_BYTES

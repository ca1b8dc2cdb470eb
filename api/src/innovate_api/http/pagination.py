"""Keyset pagination with an opaque cursor: base64url of the last row's sort key, as JSON.

Keyset (``WHERE (k1, k2) > (:k1, :k2) ORDER BY k1, k2``) over a unique, immutable key never repeats or skips a
row that exists for the whole walk, however many rows are inserted meanwhile; OFFSET would.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Any

from innovate_api.problems import ProblemError


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The key list from a cursor, or 400 naming ``query.cursor``. Callers validate each element's type."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != arity:
        raise invalid_cursor()
    return key


def invalid_cursor() -> ProblemError:
    # 400, not 422: the cursor is well-formed input (a string); its content is server state the client cannot
    # validate or build, like a stale token.
    return ProblemError(
        400,
        "invalid query: query.cursor",
        kind="invalid-cursor",
        errors=[{"field": "query.cursor", "message": "not a cursor returned by this API"}],
    )


def parse_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise invalid_cursor()


def parse_timestamp(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    raise invalid_cursor()


def parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**31 - 1:
        return value
    raise invalid_cursor()

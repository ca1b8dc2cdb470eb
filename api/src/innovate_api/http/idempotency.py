"""``Idempotency-Key`` for POSTs that create: a repeat returns the first response and never creates a second row.

The key row is inserted (ON CONFLICT DO NOTHING) in the SAME transaction that creates the resource and stores the
response. A concurrent repeat therefore waits on the primary key until the first transaction ends: if it
committed, the repeat finds the stored response and replays it; if it rolled back (an error response, a lost
connection), the repeat's insert succeeds and it runs itself. No "in progress" state, no lock to leak. Keys live
24 hours; after that the same key starts afresh, and ``innovate-api purge-idempotency-keys`` (a CronJob on
Kubernetes) deletes them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Response, request
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from innovate_api.problems import ProblemError
from innovate_api.tables import idempotency_keys

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Visible ASCII, as in the IETF httpapi draft's examples (UUIDs, ULIDs, random tokens).
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
_STORED_HEADERS = ("Location", "ETag")
KEY_LIFETIME = timedelta(hours=24)


def idempotency_key() -> str | None:
    key: str | None = request.environ.get("HTTP_IDEMPOTENCY_KEY")  # what request.headers.get(HEADER) reads
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise ProblemError(
            422,
            f"invalid header: {HEADER}",
            kind="validation-error",
            errors=[{"field": f"header.{HEADER}", "message": "must be 1-255 visible ASCII characters"}],
        )
    return key


def _fingerprint(body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json", exclude_unset=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    connection: Connection,
    *,
    scope: str,
    key: str | None,
    body: BaseModel,
    create: Callable[[Connection], Response],
) -> Response:
    """Run ``create`` inside the caller's transaction at most once per (scope, key); replay the stored response."""
    if key is None:
        return create(connection)
    fingerprint = _fingerprint(body)
    insert = pg_insert(idempotency_keys).values(scope=scope, key=key, request_hash=fingerprint)
    claimed = connection.execute(
        # A key older than KEY_LIFETIME is taken over as if new (the row is reset), like payment APIs do after 24 h.
        insert.on_conflict_do_update(
            index_elements=[idempotency_keys.c.scope, idempotency_keys.c.key],
            set_={
                "request_hash": insert.excluded.request_hash,
                "status_code": None,
                "response_body": None,
                "response_headers": None,
                "created_at": func.now(),
            },
            where=idempotency_keys.c.created_at < func.now() - KEY_LIFETIME,
        ).returning(idempotency_keys.c.key)
    ).first()
    if claimed is None:
        stored = connection.execute(
            select(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        ).one()
        if stored.request_hash != fingerprint:
            raise ProblemError(
                409,
                f"this {HEADER} was already used with a different request body",
                kind="idempotency-key-reused",
            )
        replay = Response(stored.response_body, status=stored.status_code, mimetype="application/json")
        headers: dict[str, Any] = json.loads(stored.response_headers)
        for name, value in headers.items():
            replay.headers[name] = value
        replay.headers[REPLAYED_HEADER] = "true"
        return replay
    response = create(connection)
    sent = response.get_wsgi_headers(request.environ)  # as sent: JsonResponse adds its Location only there
    connection.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        .values(
            status_code=response.status_code,
            response_body=response.get_data(as_text=True),
            response_headers=json.dumps({h: sent[h] for h in _STORED_HEADERS if h in sent}),
        )
    )
    return response


def purge_expired(engine: Engine, batch_size: int = 5_000) -> int:
    """Delete the keys older than KEY_LIFETIME, ``batch_size`` rows per transaction (short locks, bounded WAL per
    commit); returns how many were deleted. Rows a request is taking over right now are skipped (SKIP LOCKED)."""
    expired = (
        select(idempotency_keys.c.scope, idempotency_keys.c.key)
        .where(idempotency_keys.c.created_at < func.now() - KEY_LIFETIME)
        .order_by(idempotency_keys.c.created_at)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    statement = delete(idempotency_keys).where(tuple_(idempotency_keys.c.scope, idempotency_keys.c.key).in_(expired))
    deleted = 0
    while True:
        with engine.begin() as connection:
            count = connection.execute(statement).rowcount
        deleted += count
        if count < batch_size:
            return deleted

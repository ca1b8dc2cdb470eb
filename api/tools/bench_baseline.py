"""The benchmark's bare baseline: Flask + psycopg running the API's SQL for list-tasks and create-task, without the
app's layers (no SQLAlchemy, pydantic, problem handlers, metrics, tracing, request ids, JSON logs).

Served by the same gunicorn settings as the API (see tools/bench.py). One psycopg connection per thread.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from typing import Any

import psycopg
from flask import Flask, Response, request

app = Flask(__name__)
_local = threading.local()

COLUMNS = "id, project_id, title, status, position, due_date, created_at, updated_at, version"


def connection() -> psycopg.Connection[Any]:
    if not hasattr(_local, "connection"):
        _local.connection = psycopg.connect(os.environ["DATABASE_URL"], options="-c timezone=UTC", autocommit=True)
    conn: psycopg.Connection[Any] = _local.connection
    return conn


def _row(columns: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    return {c: (v if isinstance(v, (int, str)) or v is None else str(v)) for c, v in zip(columns, row, strict=True)}


@app.get("/api/v1/projects/<uuid:project_id>/tasks")
def list_tasks(project_id: uuid.UUID) -> Response:
    limit = int(request.args.get("limit", 20))
    with connection().cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} FROM tasks WHERE project_id = %s ORDER BY status, position, id LIMIT %s",
            (project_id, limit + 1),
        )
        columns = [d.name for d in cursor.description or []]
        rows = [_row(columns, r) for r in cursor.fetchall()]
    body = {"items": rows[:limit], "next_cursor": None}
    return Response(json.dumps(body), mimetype="application/json")


@app.post("/api/v1/projects/<uuid:project_id>/tasks")
def create_task(project_id: uuid.UUID) -> Response:
    body = json.loads(request.get_data())
    status = body.get("status", "todo")
    conn = connection()
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute("SELECT id FROM projects WHERE id = %s FOR NO KEY UPDATE", (project_id,))
        cursor.execute(
            "INSERT INTO tasks (id, project_id, title, status, position, due_date) VALUES (%s, %s, %s, %s,"
            " (SELECT coalesce(max(position) + 1, 0) FROM tasks WHERE project_id = %s AND status = %s), %s)"
            f" RETURNING {COLUMNS}",
            (uuid.uuid4(), project_id, body["title"], status, project_id, status, body.get("due_date")),
        )
        columns = [d.name for d in cursor.description or []]
        row = _row(columns, cursor.fetchone())  # type: ignore[arg-type]
    return Response(json.dumps(row), status=201, mimetype="application/json")

"""The application factory: settings in, a ready Flask app out, built in named steps."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from flask import Flask, Response, g, request
from sqlalchemy import Engine

from innovate_api import migrate, ops
from innovate_api.db import autocommit, create_db_engine
from innovate_api.observability import metrics, tracing
from innovate_api.openapi import build_document
from innovate_api.problems import register_problem_handlers
from innovate_api.resources import projects, tasks
from innovate_api.settings import Settings

log = logging.getLogger("innovate_api.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_UNLOGGED_PATHS = frozenset(("/healthz", "/readyz", "/metrics"))  # ops endpoints: polled, not worth a line


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    draining: Callable[[], bool] = lambda: False,
) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.api_max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    engine = engine or create_db_engine(settings)
    app.extensions["innovate_api.engine"] = engine
    app.extensions["innovate_api.reader"] = autocommit(engine)
    app.extensions["innovate_api.draining"] = draining
    app.extensions["innovate_api.migration_head"] = migrate.head_revision()

    _register_request_hooks(app)
    metrics.instrument_pool(engine, settings.db_pool_size)
    tracing.instrument(app, engine)
    register_problem_handlers(app)
    _register_blueprints(app)
    return app


def _register_request_hooks(app: Flask) -> None:
    """Request id, latency metric and access line, in ONE before and ONE after hook: Flask's dispatch of each hook
    and every ``request``/``g`` proxy lookup cost measurable CPU on a short request (ADR 0096)."""

    @app.before_request
    def _begin() -> None:
        g.started = time.perf_counter()
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.get("started")
        elapsed = time.perf_counter() - started if started is not None else 0.0
        method, path, status = request.method, request.path, response.status_code
        metrics.observe_request(method, metrics.route_template(), status, elapsed)
        response.headers["X-Request-Id"] = g.get("request_id") or uuid.uuid4().hex
        if path not in _UNLOGGED_PATHS:
            log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={"method": method, "path": path, "status": status, "duration_ms": round(elapsed * 1000, 2)},
            )
        return response


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(ops.blueprint)
    app.register_blueprint(projects.blueprint)
    app.register_blueprint(tasks.blueprint)
    document = build_document()

    body = json.dumps(document)

    @app.get("/api/v1/openapi.json")
    def openapi_document() -> Response:
        return Response(body, mimetype="application/json")

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

    _register_request_id(app)
    metrics.instrument_app(app)
    metrics.instrument_pool(engine, settings.db_pool_size)
    tracing.instrument(app, engine)
    register_problem_handlers(app)
    _register_blueprints(app)
    return app


def _register_request_id(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id") or uuid.uuid4().hex
        if request.path not in ("/healthz", "/readyz", "/metrics"):
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
                },
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

"""The application factory: settings in, a ready Flask app out, built in named steps."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask, Response
from sqlalchemy import Engine

from innovate_api import ops, schema_compat
from innovate_api.auth import bearer
from innovate_api.auth.keys import KeyCache
from innovate_api.db import autocommit, create_db_engine
from innovate_api.http.envelope import RequestEnvelope
from innovate_api.observability import metrics, tracing
from innovate_api.openapi import build_document
from innovate_api.problems import register_problem_handlers
from innovate_api.resources import projects, tasks
from innovate_api.settings import Settings


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    draining: Callable[[], bool] = lambda: False,
    auth_keys: KeyCache | None = None,
) -> Flask:
    settings.require_auth()  # no app without token verification
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.api_max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    engine = engine or create_db_engine(settings)
    app.extensions["innovate_api.engine"] = engine
    app.extensions["innovate_api.reader"] = autocommit(engine)
    app.extensions["innovate_api.draining"] = draining
    app.extensions["innovate_api.image_digest"] = settings.api_image_digest
    schema_compat.history()  # a migration without a declared phase fails at start, not at the first readiness probe

    # Request id, trace id, latency metric and access line for every response (ADR 0096).
    app.wsgi_app = RequestEnvelope(app.wsgi_app)  # type: ignore[method-assign]
    metrics.instrument_pool(engine, settings.db_pool_size)
    tracing.instrument(app, engine, settings.trace_sample_ratio)
    register_problem_handlers(app)
    bearer.init_app(app, settings, auth_keys)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(ops.blueprint)
    app.register_blueprint(projects.blueprint)
    app.register_blueprint(tasks.blueprint)
    document = build_document()

    body = json.dumps(document)

    @app.get("/api/v1/openapi.json")
    def openapi_document() -> Response:
        return Response(body, mimetype="application/json")

"""Operational endpoints: liveness, readiness, Prometheus metrics at the root; the running image under /api."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import exc as sa_exc

from innovate_api import db, schema_compat
from innovate_api.observability.metrics import metrics_response

log = logging.getLogger(__name__)
blueprint = Blueprint("ops", __name__)


def draining() -> bool:
    is_draining: Callable[[], bool] = current_app.extensions["innovate_api.draining"]
    return is_draining()


@blueprint.get("/healthz")
def healthz() -> Response:
    """The process is alive and serving; never touches the database (a DB outage must not restart pods)."""
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready = not shutting down, the database answers, and this image runs on its schema.

    Compatible, not equal: while a canary runs, the stable pods serve a schema the PreSync Job already migrated
    ahead of them, and must stay ready (schema_compat, ADR 0100).
    """
    if draining():
        return jsonify(status="shutting down"), 503
    try:
        with db.reader().connect() as connection:
            compatibility = schema_compat.check(connection)
    except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, sa_exc.ProgrammingError):
        return jsonify(status="database unavailable"), 503
    return jsonify(compatibility.as_json()), 200 if compatibility.ready else 503


@blueprint.get("/metrics")
def metrics() -> Response:
    return metrics_response()


@blueprint.get("/api/version")
def version() -> Response:
    """The digest of the image this process runs, through the environment's public URL (CloudFront routes /api/*).

    The delivery waits until it reports the newly pinned digest before it publishes the SPA (ADR 0097). No sign-in:
    an image digest is no secret, and the check must work before any user exists.
    """
    digest: str | None = current_app.extensions["innovate_api.image_digest"]
    return jsonify(digest=digest)

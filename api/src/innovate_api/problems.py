"""RFC 9457 problem details: the one shape every error response has.

Handlers are registered for our own ProblemError, werkzeug's HTTP errors (404, 405, 413, ...), database
unavailability (503 + Retry-After) and anything unexpected (500 with a generic text; the details go to the log only).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from innovate_api.request_context import REQUEST_ID

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 1

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ProblemError(Exception):
    """An error response. ``kind`` becomes the problem ``type`` URI (a stable, documented identifier)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    title = TITLES.get(status, "Error")
    body: dict[str, Any] = {
        "type": f"/problems/{kind or title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_problem(error: ValidationError, *, where: str) -> ProblemError:
    """422 with one entry per invalid field; ``field`` is a dotted path such as ``body.name`` or ``query.limit``."""
    errors = []
    for e in error.errors(include_url=False):
        loc = ".".join(str(part) for part in e["loc"])
        field = f"{where}.{loc}" if loc else where
        message = "unknown field" if e["type"] == "extra_forbidden" else e["msg"].removeprefix("Value error, ")
        errors.append({"field": field, "message": message})
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return ProblemError(422, f"invalid {where}: {fields}", kind="validation-error", errors=errors)


def _database_unavailable(error: Exception) -> Response:
    log.warning("database unavailable: %s", type(error).__name__, extra={"error": str(error).splitlines()[0:1]})
    return problem_response(
        503,
        "the database is unavailable; retry later",
        kind="database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(ProblemError)
    def _problem(error: ProblemError) -> Response:
        return problem_response(error.status, error.detail, kind=error.kind, errors=error.errors, headers=error.headers)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        detail = {
            404: "no such resource",
            405: f"method {request.method} is not allowed here",
            413: f"the request body is larger than {app.config['MAX_CONTENT_LENGTH']} bytes",
        }.get(status, error.description or TITLES.get(status, "error"))
        headers = {}
        if status == 405 and error.get_response().headers.get("Allow"):
            headers["Allow"] = error.get_response().headers["Allow"]
        return problem_response(status, detail, headers=headers)

    # Connection refused/lost, failover, pool exhausted, statement timeout: the request may be retried later.
    # (sqlalchemy.exc.TimeoutError is the pool's checkout timeout.)
    for unavailable in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
        app.register_error_handler(unavailable, _database_unavailable)

    @app.errorhandler(sa_exc.DBAPIError)
    def _dbapi(error: sa_exc.DBAPIError) -> Response:
        if error.connection_invalidated:
            return _database_unavailable(error)
        return _internal(error)

    @app.errorhandler(Exception)
    def _internal(error: Exception) -> Response:
        log.error("unhandled error in %s %s", request.method, request.path, exc_info=error)
        request_id = request.environ.get(REQUEST_ID, "")
        return problem_response(500, f"internal error; quote request id {request_id} when reporting it")

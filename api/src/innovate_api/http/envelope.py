"""What every request gets, whatever answers it: a request id (echoed as ``X-Request-Id``), a trace id for its log
lines, the latency metric and one JSON access line.

It is WSGI middleware around Flask's ``wsgi_app`` rather than Flask before/after-request hooks: it works on the
WSGI environ and status line directly, with no ``request``/``g`` proxy lookups and no per-hook dispatch, which on a
short request cost measurable CPU (ADR 0096). It also covers responses no hook sees (e.g. an error raised by
another hook).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from innovate_api.observability import metrics, tracing
from innovate_api.request_context import REQUEST_ID, TRACE_ID

log = logging.getLogger("innovate_api.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_UNLOGGED_PATHS = frozenset(("/healthz", "/readyz", "/metrics"))  # ops endpoints: polled, not worth a line

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequestEnvelope:
    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        environ[REQUEST_ID] = request_id
        status_line, route = "", "unmatched"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # Called by Flask while the request is still being handled: its request object (cleared at the end)
            # still holds the matched rule, and when tracing is on its span is active, so the trace id is its own.
            nonlocal status_line, route
            status_line = status
            rule = getattr(environ.get("werkzeug.request"), "url_rule", None)
            if rule is not None:
                route = rule.rule
            headers.append(("X-Request-Id", request_id))
            tracing.request_trace_id(environ)
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        elapsed = time.perf_counter() - started
        method, path, status = environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), int(status_line[:3] or 500)
        metrics.observe_request(method, route, status, elapsed)
        if path not in _UNLOGGED_PATHS and log.isEnabledFor(logging.INFO):
            # log.handle(makeRecord(...)) is log.info(...) without the caller lookup (a walk up the stack for the
            # file and line, which the JSON line does not carry): the same record, filters and handlers.
            extra = {
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "request_id": request_id,
                "trace_id": environ.get(TRACE_ID),
            }
            log.handle(
                log.makeRecord(log.name, logging.INFO, "", 0, "%s %s %s", (method, path, status), None, extra=extra)
            )
        return body

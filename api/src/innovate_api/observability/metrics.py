"""Prometheus metrics: requests by route template and status, a latency histogram, database pool gauges.

Under gunicorn every worker is a process, so ``innovate-api serve`` sets PROMETHEUS_MULTIPROC_DIR before any
worker starts and /metrics aggregates the per-process files (prometheus-client multiprocess mode). The pool gauges
use ``livesum``: the sum over the workers that are alive.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import Engine, event

REQUESTS = Counter(
    "http_requests_total", "HTTP requests by method, route template and status", ["method", "route", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by method and route template",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_SIZE = Gauge("db_pool_size", "Configured database pool size (sum over workers)", multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge(
    "db_pool_checked_out", "Database connections in use (sum over workers)", multiprocess_mode="livesum"
)
POOL_OPEN = Gauge(
    "db_pool_connections", "Open database connections, idle or in use (sum over workers)", multiprocess_mode="livesum"
)


# The labelled children, looked up once per (method, route, status): ``labels()`` validates and locks on every call,
# which showed up in a short request's profile. Bounded like the registry itself (route templates, not paths).
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one request and record its latency (called once per request by the request envelope)."""
    key = (method, route, status)
    children = _children.get(key)
    if children is None:
        children = _children[key] = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
    children[0].inc()
    children[1].observe(seconds)


def instrument_pool(engine: Engine, pool_size: int) -> None:
    POOL_SIZE.set(pool_size)

    @event.listens_for(engine, "checkout")
    def _checkout(*_: object) -> None:
        POOL_CHECKED_OUT.inc()

    @event.listens_for(engine, "checkin")
    def _checkin(*_: object) -> None:
        POOL_CHECKED_OUT.dec()

    @event.listens_for(engine, "connect")
    def _connect(*_: object) -> None:
        POOL_OPEN.inc()

    @event.listens_for(engine, "close")
    def _close(*_: object) -> None:
        POOL_OPEN.dec()

    @event.listens_for(engine, "close_detached")
    def _close_detached(*_: object) -> None:
        POOL_OPEN.dec()


def metrics_response() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

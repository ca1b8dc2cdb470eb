"""OpenTelemetry tracing, exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is
set: then Flask and SQLAlchemy are instrumented and the exporter reads the standard OTEL_* variables.

Sampling happens here and nowhere else (not in the collector, not by X-Ray sampling rules): a parent-based ratio
sampler with the ratio of ``TRACE_SAMPLE_RATIO`` (config ``observability.traceSampleRatio``). A root request is
traced with that probability, decided from its trace id; a request whose caller sent a ``traceparent`` follows the
caller's decision, so a trace is never cut in half. OTEL_TRACES_SAMPLER is ignored on purpose: one knob, from config.

Without an endpoint nothing is instrumented (spans nobody receives cost ~15% of a short request's CPU, measured in
docs/benchmarks.md), but every log line still carries a trace id: the W3C ``traceparent`` one if the caller sent it
(so logs join the caller's trace), else a fresh one per request.
"""

from __future__ import annotations

import os
import random
import re
import weakref
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask
from opentelemetry import trace
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from sqlalchemy import Engine

from innovate_api.request_context import TRACE_ID

# One provider per sampling ratio and endpoint: a process has one (its settings'), tests build apps with several.
_providers: dict[tuple[float, str, str], TracerProvider] = {}
# Engines whose statements are traced (instrument() below), with the provider their app traces with, for the
# statements SQLAlchemy does not execute itself.
_traced_engines: weakref.WeakKeyDictionary[Engine, TracerProvider] = weakref.WeakKeyDictionary()


def exporting() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def sampler(ratio: float) -> ParentBased:
    return ParentBased(root=TraceIdRatioBased(ratio))


def tracer_provider(ratio: float) -> TracerProvider:
    """The provider that samples ``ratio`` of root requests and exports to the configured endpoint (created once for
    each); the first is the global one."""
    key = (
        ratio,
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
        os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""),
    )
    provider = _providers.get(key)
    if provider is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "innovate-api")})
        provider = TracerProvider(resource=resource, sampler=sampler(ratio))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if not _providers:
            trace.set_tracer_provider(provider)
        _providers[key] = provider
    return provider


def instrument(app: Flask, engine: Engine, sample_ratio: float) -> None:
    if not exporting():
        return
    provider = tracer_provider(sample_ratio)
    FlaskInstrumentor().instrument_app(  # type: ignore[no-untyped-call]
        app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics"
    )
    SQLAlchemyInstrumentor().instrument(engine=engine, tracer_provider=provider)
    _traced_engines[engine] = provider


def statement_span(engine: Engine, sql: str) -> AbstractContextManager[object] | None:
    """A client span for a statement run on the DBAPI cursor (db.DriverStatement), which the SQLAlchemy
    instrumentation never sees: named and attributed like that instrumentation's spans. None when tracing is off
    (the caller then runs the statement without a context manager: a set lookup is all it costs)."""
    provider = _traced_engines.get(engine)
    if provider is None:
        return None
    database = engine.url.database or ""
    return trace.get_tracer(__name__, tracer_provider=provider).start_as_current_span(
        f"{sql.split(None, 1)[0]} {database}",
        kind=trace.SpanKind.CLIENT,
        attributes={"db.system": "postgresql", "db.name": database, "db.statement": sql},
    )


_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")


def active_trace_id() -> str | None:
    """The active span's trace id, if a span is active (only when tracing is instrumented)."""
    context = trace.get_current_span().get_span_context()
    return f"{context.trace_id:032x}" if context.is_valid else None


def current_trace_id(traceparent: str) -> str:
    """A request's trace id for its log lines: the active span's, else the caller's W3C ``traceparent`` one, else a
    new one. New ids come from ``random`` like the OpenTelemetry SDK's own: a correlation id, not a secret, and
    without the system call ``secrets`` makes."""
    active = active_trace_id()
    if active is not None:
        return active
    match = _TRACEPARENT.fullmatch(traceparent.strip())
    given = match.group(1) if match else None
    return given if given and given != "0" * 32 else f"{random.getrandbits(128):032x}"


def request_trace_id(environ: dict[str, Any]) -> str:
    """The request's trace id, fixed at its first use: the active span's, else the caller's ``traceparent``, else
    a new one (so log lines join the caller's trace, or at least each other)."""
    known: str | None = environ.get(TRACE_ID)
    if known is None:
        known = environ[TRACE_ID] = current_trace_id(environ.get("HTTP_TRACEPARENT", ""))
    return known

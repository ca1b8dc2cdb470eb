"""OpenTelemetry tracing: Flask and SQLAlchemy spans always (their trace ids go into the logs); spans are exported
over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set. The exporter reads the other
standard OTEL_* variables itself."""

from __future__ import annotations

import os

from flask import Flask
from opentelemetry import trace
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy import Engine

_provider: TracerProvider | None = None


def _tracer_provider() -> TracerProvider:
    global _provider
    if _provider is None:
        resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "innovate-api")})
        _provider = TracerProvider(resource=resource)
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(_provider)
    return _provider


def instrument(app: Flask, engine: Engine) -> None:
    provider = _tracer_provider()
    FlaskInstrumentor().instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics")
    SQLAlchemyInstrumentor().instrument(engine=engine, tracer_provider=provider)

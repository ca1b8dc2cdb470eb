"""Tracing is instrumented (Flask + SQLAlchemy) and exported over OTLP exactly when an endpoint is configured, and
samples the share of root requests config says, following a caller's decision."""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from sqlalchemy import Engine

from innovate_api.app import create_app
from innovate_api.observability import tracing
from innovate_api.settings import Settings
from tests.auth_tokens import TestIssuer
from tests.conftest import signed_in


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []  # noqa: RUF012

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    # The SQLAlchemy instrumentation also wraps create_engine globally: undo it so later tests' engines
    # do not export to a collector that is gone.
    SQLAlchemyInstrumentor().uninstrument()
    trace.get_tracer_provider().force_flush()  # type: ignore[attr-defined]
    server.shutdown()


def test_not_instrumented_without_an_endpoint(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    app = create_app(settings, engine=engine)
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)


def test_spans_are_exported_over_otlp_when_an_endpoint_is_set(
    settings: Settings, collector: str, monkeypatch: pytest.MonkeyPatch, issuer: TestIssuer
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
    app = create_app(settings, auth_keys=issuer.keys())
    assert app._is_instrumented_by_opentelemetry  # type: ignore[attr-defined]
    client = signed_in(app, issuer.mint())
    assert client.get("/api/v1/projects").status_code == 200
    project = client.post("/api/v1/projects", json={"name": "traced"}).get_json()
    assert client.post(f"/api/v1/projects/{project['id']}/tasks", json={"title": "t"}).status_code == 201
    trace.get_tracer_provider().force_flush()  # type: ignore[attr-defined]
    paths = [path for path, _ in Collector.received]
    assert "/v1/traces" in paths
    body = b"".join(b for _, b in Collector.received)
    assert b"innovate-api" in body  # service.name
    assert b"/api/v1/projects" in body  # the Flask span's route
    assert b"SELECT" in body  # a SQLAlchemy statement span
    assert b"INSERT INTO tasks" in body  # create-task's statements run on the DBAPI cursor, with spans of their own


def _server_spans() -> list[tuple[bytes, bytes]]:
    """(trace id, parent span id) of every server span the collector received."""
    spans = []
    for path, body in Collector.received:
        if path != "/v1/traces":
            continue
        for resource_spans in ExportTraceServiceRequest.FromString(body).resource_spans:
            for scope_spans in resource_spans.scope_spans:
                spans += [
                    (span.trace_id, span.parent_span_id)
                    for span in scope_spans.spans
                    if span.kind == Span.SpanKind.SPAN_KIND_SERVER
                ]
    return spans


def _configured_ratios() -> dict[str, float]:
    """`observability.traceSampleRatio` of every environment, read from the committed config."""
    ratios = {}
    for path in sorted(CONFIG_ENVIRONMENTS.glob("*.yaml")):
        found = re.search(r"^  traceSampleRatio: ([0-9.]+)$", path.read_text(), re.MULTILINE)
        assert found, f"{path.name}: no observability.traceSampleRatio"
        ratios[path.stem] = float(found.group(1))
    return ratios


CONFIG_ENVIRONMENTS = Path(__file__).resolve().parents[3] / "config" / "environments"
REQUESTS = 1000


@pytest.mark.parametrize(("environment", "ratio"), sorted(_configured_ratios().items()))
def test_the_running_api_traces_the_share_of_root_requests_config_says(
    environment: str,
    ratio: float,
    settings: Settings,
    issuer: TestIssuer,
    collector: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
    # A sampler from the standard variable must not override config (one knob).
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_on")
    Collector.received.clear()
    app = create_app(settings.model_copy(update={"trace_sample_ratio": ratio}), auth_keys=issuer.keys())
    client = signed_in(app, issuer.mint("user-a"))
    for _ in range(REQUESTS):
        assert client.get("/api/v1/projects").status_code == 200
    tracing.tracer_provider(ratio).force_flush()
    traced = len({trace_id for trace_id, _ in _server_spans()})
    # Each root request is traced with probability `ratio` (binomial); 5 standard deviations: a wrong sampler
    # (always on, or another environment's ratio) lands far outside, a right one fails once in ~3.5 million runs.
    spread = 5 * math.sqrt(REQUESTS * ratio * (1 - ratio))
    assert abs(traced - REQUESTS * ratio) <= spread, f"{environment}: {traced} of {REQUESTS} traced at ratio {ratio}"


@pytest.mark.parametrize(("flags", "traced"), [("01", 40), ("00", 0)])
def test_a_callers_sampling_decision_is_followed(
    flags: str,
    traced: int,
    settings: Settings,
    issuer: TestIssuer,
    collector: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
    Collector.received.clear()
    ratio = 0.5
    app = create_app(settings.model_copy(update={"trace_sample_ratio": ratio}), auth_keys=issuer.keys())
    client = signed_in(app, issuer.mint("user-a"))
    for index in range(40):
        traceparent = f"00-{index + 1:032x}-{index + 1:016x}-{flags}"
        assert client.get("/api/v1/projects", headers={"traceparent": traceparent}).status_code == 200
    tracing.tracer_provider(ratio).force_flush()
    spans = _server_spans()
    assert len(spans) == traced
    assert all(parent != b"" for _, parent in spans)  # children of the caller's span, not new roots

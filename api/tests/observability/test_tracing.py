"""Tracing is instrumented (Flask + SQLAlchemy) and exported over OTLP exactly when an endpoint is configured."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from sqlalchemy import Engine

from innovate_api.app import create_app
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

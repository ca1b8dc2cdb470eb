"""JSON log lines carry the request id and the trace id (from ``traceparent`` when the caller sent one)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from innovate_api.observability.logging import json_handler
from innovate_api.request_context import REQUEST_ID


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = json_handler()
    handler.setStream(stream)  # type: ignore[attr-defined]
    logger = logging.getLogger("innovate_api.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_access_line_with_request_and_trace_ids(client: FlaskClient, access_log: io.StringIO) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    client.get(
        "/api/v1/projects",
        headers={"X-Request-Id": "req-7", "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
    )
    (line,) = lines(access_log)
    assert line["request_id"] == "req-7"
    assert line["trace_id"] == trace_id
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert str(line["time"]).startswith("20")


def test_without_traceparent_each_request_gets_a_new_trace_id(client: FlaskClient, access_log: io.StringIO) -> None:
    client.get("/api/v1/projects")
    client.get("/api/v1/projects", headers={"traceparent": "garbage"})
    first, second = lines(access_log)
    assert len(str(first["trace_id"])) == 32
    assert first["trace_id"] != second["trace_id"]


def test_lines_written_during_a_request_carry_its_ids_and_the_traceback(app: Flask, access_log: io.StringIO) -> None:
    handler = json_handler()
    handler.setStream(access_log)  # type: ignore[attr-defined]
    errors = logging.getLogger("innovate_api.test")
    errors.addHandler(handler)
    try:
        with app.test_request_context("/x", headers={"X-Request-Id": "req-9"}):
            request.environ[REQUEST_ID] = "req-9"
            try:
                raise ValueError("boom")
            except ValueError:
                errors.exception("failed with %s", {"not": "json"}, extra={"attempt": 2, "when": dt.date(2026, 1, 2)})
    finally:
        errors.removeHandler(handler)
    (line,) = lines(access_log)
    assert line["message"] == "failed with {'not': 'json'}"
    assert (line["level"], line["logger"], line["request_id"]) == ("ERROR", "innovate_api.test", "req-9")
    assert line["attempt"] == 2
    assert line["when"] == "2026-01-02"  # values JSON cannot hold are written as text, never dropped
    assert "ValueError: boom" in str(line["exc_info"])
    assert len(str(line["trace_id"])) == 32

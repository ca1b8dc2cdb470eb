"""JSON log lines carry the request id and the trace id (from ``traceparent`` when the caller sent one)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from innovate_api.observability.logging import json_handler


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

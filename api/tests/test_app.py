"""The app factory's cross-cutting behaviour: request ids on every response."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import make_project


def test_a_valid_request_id_is_echoed(client: FlaskClient) -> None:
    response = client.get("/api/v1/projects", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"


def test_a_missing_or_unsafe_request_id_is_replaced(client: FlaskClient) -> None:
    generated = client.get("/api/v1/projects").headers["X-Request-Id"]
    unsafe = client.get("/api/v1/projects", headers={"X-Request-Id": "a b\tc"}).headers["X-Request-Id"]
    assert len(generated) == 32
    assert unsafe != "a b\tc"
    assert len(unsafe) == 32


def test_error_responses_carry_the_request_id_too(client: FlaskClient) -> None:
    response = client.get("/api/v1/projects/00000000-0000-0000-0000-000000000000", headers={"X-Request-Id": "r1"})
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == "r1"


def test_created_project_can_be_read_back(client: FlaskClient) -> None:
    project = make_project(client, "Read me")
    assert client.get(f"/api/v1/projects/{project['id']}").get_json() == project

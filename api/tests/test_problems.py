"""Every error path answers RFC 9457 problem+json: malformed JSON, media type, size, routing, 500s, DB down."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from innovate_api.app import create_app
from innovate_api.db import create_db_engine
from innovate_api.settings import Settings
from tests.auth_tokens import TEST_AUTH, TestIssuer
from tests.conftest import signed_in
from tests.factories import make_project
from tools.processes import free_port

PROJECTS = "/api/v1/projects"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem: dict[str, Any] = response.get_json()
    assert problem["status"] == status
    assert {"type", "title", "detail", "instance"} <= problem.keys()
    return problem


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("{", "application/json", 400),
        ('{"name": "x",}', "application/json", 400),
        ("", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        ('{"name": "\\ud800"}', "application/json", 400),  # a lone surrogate cannot be stored
        ('{"name": "x"}', "text/plain", 415),
        ('{"name": "x"}', "application/x-www-form-urlencoded", 415),
        ('{"name": "x"}', None, 415),
        ('{"name": "x"}', "application/json; charset=utf-8", 201),
    ],
)
def test_body_parsing(client: FlaskClient, data: str | bytes, content_type: str | None, status: int) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(PROJECTS, data=data, headers=headers)
    if status == 201:
        assert response.status_code == 201
    else:
        assert_problem(response, status)


def test_body_over_the_limit_is_413(client: FlaskClient, settings: Settings) -> None:
    body = '{"name": "x", "description": "' + "d" * settings.api_max_body_bytes + '"}'
    problem = assert_problem(client.post(PROJECTS, data=body, content_type="application/json"), 413)
    assert str(settings.api_max_body_bytes) in problem["detail"]


def test_unknown_route_and_method(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/nothing"), 404)
    response = client.put(PROJECTS, json={})
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_validation_problem_lists_fields(client: FlaskClient) -> None:
    problem = assert_problem(client.post(PROJECTS, json={"name": "", "x": 1}), 422)
    assert problem["type"] == "/problems/validation-error"
    assert sorted(e["field"] for e in problem["errors"]) == ["body.name", "body.x"]
    assert all(e["message"] for e in problem["errors"])


def test_a_500_does_not_leak_internals(settings: Settings, engine: Engine) -> None:
    app = create_app(settings, engine=engine)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("password=hunter2 at /srv/secret.py line 7")

    response = app.test_client().get("/boom", headers={"X-Request-Id": "req-500"})
    problem = assert_problem(response, 500)
    assert "hunter2" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "req-500" in problem["detail"]


def test_database_unavailable_is_503_with_retry_after(client: FlaskClient, issuer: TestIssuer) -> None:
    make_project(client, "exists")  # a healthy app before
    settings = Settings(
        database_url=f"postgresql://u:p@127.0.0.1:{free_port()}/none", db_connect_timeout_seconds=1, **TEST_AUTH
    )
    down = signed_in(create_app(settings, engine=create_db_engine(settings), auth_keys=issuer.keys()), issuer.mint())
    for response in (down.get(PROJECTS), down.post(PROJECTS, json={"name": "x"})):
        problem = assert_problem(response, 503)
        assert response.headers["Retry-After"] == "1"
        assert "u:p" not in problem["detail"]

"""Every refusal of the token rules is a 401 problem with the RFC 6750 challenge, and changes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from tests.auth_tokens import CLIENT_ID, TestIssuer, bearer, new_key
from tests.factories import etag, make_project, make_task, tasks_url

PROJECTS = "/api/v1/projects"


def _now() -> int:
    # Read when a token is minted, never at import: on a busy machine a test can start many seconds after the module
    # loaded, which would push a token minted "10 s ago" past the leeway.
    return int(time.time())


# name -> how to make the refused Authorization header from the test issuer
REFUSED: dict[str, Callable[[TestIssuer], str]] = {
    "not a JWT": lambda _: "Bearer not-a-jwt",
    "not Bearer": lambda issuer: f"Basic {issuer.mint()}",
    "empty Bearer": lambda _: "Bearer ",
    "bad signature": lambda issuer: f"Bearer {issuer.mint(key=new_key())}",
    "tampered claims": lambda issuer: "Bearer " + _tampered(issuer.mint("user-a")),
    "unknown key id": lambda issuer: f"Bearer {issuer.mint(key=new_key(), kid='rotated-away')}",
    "unsigned (alg none)": lambda issuer: (
        "Bearer "
        + jwt.encode(
            {"iss": issuer.issuer, "sub": "user-a", "token_use": "access", "client_id": CLIENT_ID, "exp": _now() + 600},
            None,
            algorithm="none",
            headers={"kid": issuer.kid},
        )
    ),
    "HS256 with the public key": lambda issuer: (
        "Bearer "
        + jwt.encode(
            {"iss": issuer.issuer, "sub": "user-a", "token_use": "access", "client_id": CLIENT_ID, "exp": _now() + 600},
            "secret-secret-secret-secret-secret",
            algorithm="HS256",
            headers={"kid": issuer.kid},
        )
    ),
    "wrong issuer": lambda issuer: f"Bearer {issuer.mint(iss='https://cognito-idp.eu-west-1.amazonaws.com/other')}",
    "issuer with a trailing slash": lambda issuer: f"Bearer {issuer.mint(iss=issuer.issuer + '/')}",
    "wrong client_id": lambda issuer: f"Bearer {issuer.mint(client_id='another-app')}",
    "no client_id nor aud": lambda issuer: f"Bearer {issuer.mint(client_id=None)}",
    "wrong audience": lambda issuer: f"Bearer {issuer.mint(aud='another-app')}",
    "ID token (token_use id)": lambda issuer: f"Bearer {issuer.mint(token_use='id', aud=CLIENT_ID, client_id=None)}",
    "no token_use": lambda issuer: f"Bearer {issuer.mint(token_use=None)}",
    "expired past the leeway": lambda issuer: f"Bearer {issuer.mint(iat=_now() - 3600, exp=_now() - 31)}",
    "not valid yet past the leeway": lambda issuer: f"Bearer {issuer.mint(nbf=_now() + 120)}",
    "no exp": lambda issuer: f"Bearer {issuer.mint(exp=None)}",
    "no sub": lambda issuer: f"Bearer {issuer.mint(sub=None)}",
}


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = jwt.utils.base64url_decode(payload).replace(b'"user-a"', b'"user-b"')
    return ".".join([header, jwt.utils.base64url_encode(claims).decode(), signature])


def _rows(engine: Engine) -> tuple[Any, ...]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("projects", "tasks", "idempotency_keys")
        )


def _requests(project: dict[str, Any], task: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """One request per operation, each of which would change or reveal something if it were accepted."""
    project_url = f"{PROJECTS}/{project['id']}"
    task_url = tasks_url(project["id"], task["id"])
    return [
        ("GET", PROJECTS, {}),
        ("POST", PROJECTS, {"json": {"name": "intruder"}}),
        ("GET", project_url, {}),
        ("PATCH", project_url, {"json": {"name": "taken over"}, "headers": etag(project)}),
        ("DELETE", project_url, {"headers": etag(project)}),
        ("GET", tasks_url(project["id"]), {}),
        ("POST", tasks_url(project["id"]), {"json": {"title": "intruder"}}),
        ("GET", task_url, {}),
        ("PATCH", task_url, {"json": {"title": "taken over"}, "headers": etag(task)}),
        ("DELETE", task_url, {"headers": etag(task)}),
        ("POST", f"{task_url}/move", {"json": {"status": "done", "position": 0}, "headers": etag(task)}),
    ]


@pytest.fixture
def seeded(client: FlaskClient) -> tuple[dict[str, Any], dict[str, Any]]:
    project = make_project(client, "mine")
    return project, make_task(client, project["id"], "my task")


def test_no_token_is_401_with_a_bare_challenge(
    app: Flask, engine: Engine, seeded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    anonymous = app.test_client()
    before = _rows(engine)
    for method, url, kwargs in _requests(*seeded):
        response = anonymous.open(url, method=method, **kwargs)
        assert response.status_code == 401, (method, url)
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="innovate"'
    assert _rows(engine) == before


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_token_is_401_invalid_token_and_changes_nothing(
    app: Flask, engine: Engine, issuer: TestIssuer, seeded: tuple[dict[str, Any], dict[str, Any]], case: str
) -> None:
    header = REFUSED[case](issuer)
    client = app.test_client()
    before = _rows(engine)
    for method, url, kwargs in _requests(*seeded):
        response = client.open(
            url, method=method, headers={**kwargs.pop("headers", {}), "Authorization": header}, **kwargs
        )
        assert response.status_code == 401, (case, method, url, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="innovate", error="invalid_token"'
        assert response.get_json()["type"] == "/problems/unauthorized"
    assert _rows(engine) == before


def test_within_the_leeway_a_token_is_still_accepted(app: Flask, issuer: TestIssuer) -> None:
    now = _now()
    recently_expired = issuer.mint(iat=now - 600, exp=now - 10, nbf=now + 10)
    assert app.test_client().get(PROJECTS, headers=bearer(recently_expired)).status_code == 200


def test_an_audience_naming_our_client_is_accepted_without_client_id(app: Flask, issuer: TestIssuer) -> None:
    token = issuer.mint(client_id=None, aud=[CLIENT_ID, "another-api"])
    assert app.test_client().get(PROJECTS, headers=bearer(token)).status_code == 200


def test_another_users_data_is_not_found_and_unchanged(
    app: Flask, engine: Engine, issuer: TestIssuer, seeded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    intruder = app.test_client()
    intruder.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {issuer.mint('user-b')}"
    before = _rows(engine)
    for method, url, kwargs in _requests(*seeded)[2:]:  # the list and create of the intruder's own are below
        if method == "POST" and url.endswith("/tasks"):
            kwargs = {**kwargs, "json": {"title": "intruder"}}
        response = intruder.open(url, method=method, **kwargs)
        assert response.status_code == 404, (method, url, response.get_json())
    assert _rows(engine) == before
    assert intruder.get(PROJECTS).get_json()["items"] == []

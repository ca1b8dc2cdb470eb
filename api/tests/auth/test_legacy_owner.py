"""Projects without an owner (written by an image before authentication) are nobody's but AUTH_LEGACY_OWNER's."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import Engine, text

from innovate_api.app import create_app
from innovate_api.settings import Settings
from tests.auth_tokens import TestIssuer
from tests.conftest import signed_in
from tests.factories import etag, make_task, tasks_url

PROJECTS = "/api/v1/projects"


@pytest.fixture
def ownerless(engine: Engine) -> str:
    """A project as the previous release writes it: no owner_sub."""
    project_id = str(uuid.uuid4())
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO projects (id, name) VALUES (:id, 'old release')"), {"id": project_id})
    return project_id


@pytest.fixture
def legacy_app(settings: Settings, engine: Engine, issuer: TestIssuer) -> Flask:
    return create_app(
        settings.model_copy(update={"auth_legacy_owner": "operator"}), engine=engine, auth_keys=issuer.keys()
    )


def test_an_ownerless_project_is_nobodys_by_default(app: Flask, issuer: TestIssuer, ownerless: str) -> None:
    client = signed_in(app, issuer.mint("operator"))  # even this user, when the app names no legacy owner
    assert client.get(f"{PROJECTS}/{ownerless}").status_code == 404
    assert client.get(PROJECTS).get_json()["items"] == []
    assert client.post(tasks_url(ownerless), json={"title": "x"}).status_code == 404


def test_the_legacy_owner_sees_and_works_on_ownerless_projects(
    legacy_app: Flask, issuer: TestIssuer, ownerless: str
) -> None:
    operator = signed_in(legacy_app, issuer.mint("operator"))
    assert [p["id"] for p in operator.get(PROJECTS).get_json()["items"]] == [ownerless]
    task = make_task(operator, ownerless, "still reachable")
    moved = operator.post(
        f"{tasks_url(ownerless, task['id'])}/move", json={"status": "done", "position": 0}, headers=etag(task)
    )
    assert moved.status_code == 200
    assert operator.get(tasks_url(ownerless)).get_json()["items"][0]["status"] == "done"


def test_other_users_still_do_not_see_ownerless_projects(legacy_app: Flask, issuer: TestIssuer, ownerless: str) -> None:
    other = signed_in(legacy_app, issuer.mint("user-a"))
    assert other.get(f"{PROJECTS}/{ownerless}").status_code == 404
    assert other.get(tasks_url(ownerless)).status_code == 404
    assert other.get(PROJECTS).get_json()["items"] == []

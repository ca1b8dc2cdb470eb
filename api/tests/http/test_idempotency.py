"""Idempotency-Key: replay, conflict, scope, and concurrent duplicate POSTs creating exactly one row."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from innovate_api.http.idempotency import purge_expired
from tests.auth_tokens import TestIssuer
from tests.conftest import signed_in
from tests.factories import make_project, tasks_url

PROJECTS = "/api/v1/projects"


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_repeat_returns_the_first_response_and_creates_nothing(client: FlaskClient, engine: Engine) -> None:
    headers = {"Idempotency-Key": "key-1"}
    first = client.post(PROJECTS, json={"name": "Once"}, headers=headers)
    again = client.post(PROJECTS, json={"name": "Once"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(engine, "projects") == 1


def test_same_key_with_another_body_is_409(client: FlaskClient, engine: Engine) -> None:
    headers = {"Idempotency-Key": "key-2"}
    assert client.post(PROJECTS, json={"name": "A"}, headers=headers).status_code == 201
    response = client.post(PROJECTS, json={"name": "B"}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["type"] == "/problems/idempotency-key-reused"
    assert count(engine, "projects") == 1


def test_equivalent_json_is_the_same_body(client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "key-3", "Content-Type": "application/json"}
    first = client.post(PROJECTS, data='{"name":"Same","description":"d"}', headers=headers)
    second = client.post(PROJECTS, data='{ "description": "d", "name": "Same" }', headers=headers)
    assert second.get_json() == first.get_json()


def test_keys_are_scoped_per_operation_and_project(client: FlaskClient, engine: Engine) -> None:
    headers = {"Idempotency-Key": "shared"}
    one = make_project(client, "one")
    two = make_project(client, "two")
    a = client.post(tasks_url(one["id"]), json={"title": "t"}, headers=headers)
    b = client.post(tasks_url(two["id"]), json={"title": "t"}, headers=headers)
    c = client.post(PROJECTS, json={"name": "three"}, headers=headers)
    assert (a.status_code, b.status_code, c.status_code) == (201, 201, 201)
    assert a.get_json()["id"] != b.get_json()["id"]
    assert count(engine, "tasks") == 2


def test_a_failed_attempt_does_not_use_up_the_key(client: FlaskClient) -> None:
    make_project(client, "Taken")
    headers = {"Idempotency-Key": "retry-me"}
    assert client.post(PROJECTS, json={"name": "Taken"}, headers=headers).status_code == 409
    # The failure rolled back with the key; the same request can succeed later (here after a rename).
    assert client.post(PROJECTS, json={"name": "Taken"}, headers=headers).status_code == 409
    assert client.post(PROJECTS, json={"name": "Free"}, headers=headers).status_code == 201


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "caf\u00e9"])
def test_invalid_keys_are_422(client: FlaskClient, key: str) -> None:
    response = client.post(PROJECTS, json={"name": "k"}, headers={"Idempotency-Key": key.encode().decode("latin-1")})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "header.Idempotency-Key"


@pytest.mark.parametrize("target", ["project", "task"])
def test_concurrent_duplicates_create_exactly_one_row(
    app: Flask, engine: Engine, issuer: TestIssuer, target: str
) -> None:
    token = issuer.mint()
    client = signed_in(app, token)
    project = make_project(client, "parent")
    url, body, table = (
        (PROJECTS, {"name": "raced"}, "projects")
        if target == "project"
        else (tasks_url(project["id"]), {"title": "raced"}, "tasks")
    )
    before = count(engine, table)
    threads_count = 10
    barrier = threading.Barrier(threads_count)
    results: list[Any] = []
    lock = threading.Lock()

    def post() -> None:
        own = signed_in(app, token)
        barrier.wait()
        response = own.post(url, json=body, headers={"Idempotency-Key": f"race-{target}"})
        with lock:
            results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [201] * threads_count
    assert len({body["id"] for _, body in results}) == 1
    assert count(engine, table) == before + 1


def test_a_key_older_than_24_hours_starts_afresh(client: FlaskClient, engine: Engine) -> None:
    headers = {"Idempotency-Key": "old-key"}
    first = client.post(PROJECTS, json={"name": "Day one"}, headers=headers).get_json()
    with engine.begin() as connection:
        connection.execute(text("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"))
    # Another body is no longer a conflict, and it creates.
    second = client.post(PROJECTS, json={"name": "Day two"}, headers=headers)
    assert second.status_code == 201
    assert second.get_json()["id"] != first["id"]
    assert count(engine, "projects") == 2
    # ...and the key now belongs to the new request.
    again = client.post(PROJECTS, json={"name": "Day two"}, headers=headers)
    assert again.get_json() == second.get_json()


def test_purge_deletes_only_expired_keys_in_batches(client: FlaskClient, engine: Engine) -> None:
    for n in range(7):
        headers = {"Idempotency-Key": f"purge-{n}"}
        assert client.post(PROJECTS, json={"name": f"P{n}"}, headers=headers).status_code == 201
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key <> 'purge-6'")
        )
    assert purge_expired(engine, batch_size=4) == 6  # two batches: 4, then 2
    with engine.connect() as connection:
        left = connection.execute(text("SELECT key FROM idempotency_keys")).scalars().all()
    assert left == ["purge-6"]
    assert count(engine, "projects") == 7  # the resources stay; only their keys go
    assert purge_expired(engine) == 0

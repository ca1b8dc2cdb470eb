"""Tasks: every endpoint, validation, ETags, positions kept 0..n-1 (also under concurrent moves), pagination."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from tests.auth_tokens import TestIssuer
from tests.conftest import signed_in
from tests.factories import etag, make_project, make_task, tasks_url

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def project(client: FlaskClient) -> dict[str, Any]:
    return make_project(client)


def board(engine: Engine, project_id: str) -> dict[str, list[tuple[int, str]]]:
    """The database's view: per status, (position, title) in position order."""
    columns: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT status, position, title FROM tasks WHERE project_id = :p ORDER BY status, position"),
            {"p": project_id},
        )
        for status, position, title in rows:
            columns[status].append((position, title))
    return dict(columns)


def assert_positions_are_dense(engine: Engine, project_id: str) -> None:
    for status, column in board(engine, project_id).items():
        assert [p for p, _ in column] == list(range(len(column))), status


def titles(engine: Engine, project_id: str, status: str) -> list[str]:
    return [title for _, title in board(engine, project_id).get(status, [])]


def test_create_appends_to_the_end_of_its_column(client: FlaskClient, project: dict[str, Any], engine: Engine) -> None:
    first = make_task(client, project["id"], "a")
    second = make_task(client, project["id"], "b")
    doing = make_task(client, project["id"], "c", status="doing", due_date="2030-02-28")
    assert (first["position"], second["position"], doing["position"]) == (0, 1, 0)
    assert (first["status"], doing["status"], doing["due_date"], first["due_date"]) == (
        "todo",
        "doing",
        "2030-02-28",
        None,
    )
    assert first["project_id"] == project["id"]
    assert first["version"] == 1


def test_create_sets_location_and_etag(client: FlaskClient, project: dict[str, Any]) -> None:
    response = client.post(tasks_url(project["id"]), json={"title": "t"})
    task = response.get_json()
    assert response.headers["Location"] == tasks_url(project["id"], task["id"])
    assert response.headers["ETag"] == '"1"'


def test_create_in_unknown_project_is_404(client: FlaskClient) -> None:
    assert client.post(tasks_url(MISSING), json={"title": "t"}).status_code == 404
    assert client.get(tasks_url(MISSING)).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"body.title"}),
        ({"title": ""}, {"body.title"}),
        ({"title": " \t "}, {"body.title"}),
        ({"title": "t" * 201}, {"body.title"}),
        ({"title": "t", "status": "blocked"}, {"body.status"}),
        ({"title": "t", "status": None}, {"body.status"}),
        ({"title": "t", "due_date": "2030-02-30"}, {"body.due_date"}),
        ({"title": "t", "due_date": "30.01.2030"}, {"body.due_date"}),
        ({"title": "t", "due_date": "2030-01-01T00:00:00Z"}, {"body.due_date"}),
        ({"title": "t", "due_date": 0}, {"body.due_date"}),
        ({"title": "t", "position": 0}, {"body.position"}),
        ({"title": ["t"]}, {"body.title"}),
    ],
)
def test_create_validation(client: FlaskClient, project: dict[str, Any], body: Any, fields: set[str]) -> None:
    response = client.post(tasks_url(project["id"]), json=body)
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == fields


def test_get_and_task_of_another_project_is_404(client: FlaskClient, project: dict[str, Any]) -> None:
    task = make_task(client, project["id"])
    other = make_project(client)
    assert client.get(tasks_url(project["id"], task["id"])).get_json() == task
    assert client.get(tasks_url(other["id"], task["id"])).status_code == 404
    assert client.get(tasks_url(project["id"], MISSING)).status_code == 404
    assert client.get(tasks_url(project["id"], "nope")).status_code == 404


def test_update_title_and_clear_due_date(client: FlaskClient, project: dict[str, Any]) -> None:
    task = make_task(client, project["id"], "old", due_date="2031-01-01")
    url = tasks_url(project["id"], task["id"])
    response = client.patch(url, json={"title": " new "}, headers=etag(task))
    assert response.status_code == 200
    updated = response.get_json()
    assert (updated["title"], updated["due_date"], updated["version"]) == ("new", "2031-01-01", 2)
    cleared = client.patch(url, json={"due_date": None}, headers=etag(updated)).get_json()
    assert cleared["due_date"] is None
    assert cleared["title"] == "new"


def test_update_needs_fresh_if_match(client: FlaskClient, project: dict[str, Any]) -> None:
    task = make_task(client, project["id"])
    url = tasks_url(project["id"], task["id"])
    assert client.patch(url, json={"title": "x"}).status_code == 428
    assert client.patch(url, json={"title": "x"}, headers=etag(task)).status_code == 200
    assert client.patch(url, json={"title": "y"}, headers=etag(task)).status_code == 412
    assert client.get(url).get_json()["title"] == "x"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "done"}, "body.status"), ({"position": 1}, "body.position"), ({"title": None}, "body.title")],
)
def test_update_cannot_move_or_null_the_title(
    client: FlaskClient, project: dict[str, Any], body: Any, field: str
) -> None:
    task = make_task(client, project["id"])
    response = client.patch(tasks_url(project["id"], task["id"]), json=body, headers=etag(task))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


def test_delete_closes_the_gap(client: FlaskClient, project: dict[str, Any], engine: Engine) -> None:
    tasks = [make_task(client, project["id"], t) for t in "abcd"]
    url = tasks_url(project["id"], tasks[1]["id"])
    assert client.delete(url).status_code == 428
    assert client.delete(url, headers={"If-Match": '"5"'}).status_code == 412
    assert client.delete(url, headers=etag(tasks[1])).status_code == 204
    assert board(engine, project["id"])["todo"] == [(0, "a"), (1, "c"), (2, "d")]
    assert client.delete(url, headers=etag(tasks[1])).status_code == 404


def move(client: FlaskClient, task: dict[str, Any], status: str, position: int, **headers: str) -> Any:
    return client.post(
        tasks_url(task["project_id"], task["id"]) + "/move",
        json={"status": status, "position": position},
        headers=headers or etag(task),
    )


@pytest.mark.parametrize(
    ("name", "status", "position", "todo", "doing"),
    [
        ("c", "todo", 0, ["c", "a", "b", "d"], ["x", "y"]),  # up
        ("a", "todo", 2, ["b", "c", "a", "d"], ["x", "y"]),  # down
        ("a", "todo", 99, ["b", "c", "d", "a"], ["x", "y"]),  # clamped to the end
        ("b", "todo", 1, ["a", "b", "c", "d"], ["x", "y"]),  # no-op
        ("b", "doing", 1, ["a", "c", "d"], ["x", "b", "y"]),  # across, middle
        ("d", "doing", 0, ["a", "b", "c"], ["d", "x", "y"]),  # across, top
        ("a", "doing", 1000, ["b", "c", "d"], ["x", "y", "a"]),  # across, clamped
    ],
)
def test_move(
    client: FlaskClient,
    project: dict[str, Any],
    engine: Engine,
    name: str,
    status: str,
    position: int,
    todo: list[str],
    doing: list[str],
) -> None:
    created = {t: make_task(client, project["id"], t) for t in "abcd"}
    created |= {t: make_task(client, project["id"], t, status="doing") for t in "xy"}
    response = move(client, created[name], status, position)
    assert response.status_code == 200
    moved = response.get_json()
    assert (moved["status"], moved["version"]) == (status, 2)
    assert moved["position"] == (todo if status == "todo" else doing).index(name)
    assert response.headers["ETag"] == '"2"'
    assert titles(engine, project["id"], "todo") == todo
    assert titles(engine, project["id"], "doing") == doing
    assert_positions_are_dense(engine, project["id"])


def test_move_into_an_empty_column(client: FlaskClient, project: dict[str, Any], engine: Engine) -> None:
    task = make_task(client, project["id"])
    assert move(client, task, "done", 5).get_json()["position"] == 0
    assert board(engine, project["id"]) == {"done": [(0, "task")]}


def test_move_needs_fresh_if_match_and_valid_body(client: FlaskClient, project: dict[str, Any]) -> None:
    task = make_task(client, project["id"])
    url = tasks_url(project["id"], task["id"]) + "/move"
    assert client.post(url, json={"status": "done", "position": 0}).status_code == 428
    assert move(client, task, "done", 0, **{"If-Match": '"2"'}).status_code == 412
    for body in (
        {"status": "done"},
        {"position": 0},
        {"status": "done", "position": -1},
        {"status": "x", "position": 0},
    ):
        assert client.post(url, json=body, headers=etag(task)).status_code == 422, body
    assert client.post(url, json={"status": "done", "position": 2**31}, headers=etag(task)).status_code == 422
    assert (
        client.post(
            tasks_url(project["id"], MISSING) + "/move", json={"status": "done", "position": 0}, headers=etag(task)
        ).status_code
        == 404
    )


def test_concurrent_moves_keep_every_column_dense(
    app: Flask, project: dict[str, Any], engine: Engine, issuer: TestIssuer
) -> None:
    token = issuer.mint()
    client = signed_in(app, token)
    tasks = [
        make_task(client, project["id"], f"t{i}", status=random.choice(["todo", "doing", "done"])) for i in range(12)
    ]
    barrier = threading.Barrier(8)
    failures: list[Any] = []

    def mover(seed: int) -> None:
        rng = random.Random(seed)
        own = signed_in(app, token)
        barrier.wait()
        for _ in range(15):
            task = rng.choice(tasks)
            response = move(own, task, rng.choice(["todo", "doing", "done"]), rng.randint(0, 12), **{"If-Match": "*"})
            if response.status_code != 200:
                failures.append(response.get_json())
            own.post(tasks_url(project["id"]), json={"title": f"new {seed}"}) if rng.random() < 0.2 else None

    threads = [threading.Thread(target=mover, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert_positions_are_dense(engine, project["id"])


def test_list_in_board_order_with_status_filter(client: FlaskClient, project: dict[str, Any]) -> None:
    make_task(client, project["id"], "d1", status="done")
    make_task(client, project["id"], "t1")
    make_task(client, project["id"], "g1", status="doing")
    make_task(client, project["id"], "t2")
    everything = client.get(tasks_url(project["id"])).get_json()
    assert [t["title"] for t in everything["items"]] == ["t1", "t2", "g1", "d1"]
    assert everything["next_cursor"] is None
    todo = client.get(tasks_url(project["id"]), query_string={"status": "todo"}).get_json()
    assert [t["title"] for t in todo["items"]] == ["t1", "t2"]
    assert client.get(tasks_url(project["id"]), query_string={"status": "nope"}).status_code == 422


def test_list_of_an_empty_project(client: FlaskClient, project: dict[str, Any]) -> None:
    assert client.get(tasks_url(project["id"])).get_json() == {"items": [], "next_cursor": None}


def test_pagination_has_no_duplicates_or_gaps_while_inserting(client: FlaskClient, project: dict[str, Any]) -> None:
    existing = [
        make_task(client, project["id"], f"e{i}", status=s)["id"] for i, s in enumerate(["todo", "doing", "done"] * 5)
    ]
    inserted: list[str] = []
    seen: list[str] = []
    cursor = None
    while True:
        query: dict[str, Any] = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = client.get(tasks_url(project["id"]), query_string=query).get_json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        for status in ("todo", "doing", "done"):  # lands in columns before and after the cursor
            inserted.append(make_task(client, project["id"], "late", status=status)["id"])
    assert len(seen) == len(set(seen))
    assert set(existing) <= set(seen)
    assert set(seen) <= set(existing) | set(inserted)


@pytest.mark.parametrize(
    "cursor",
    [
        "WyJub3BlIiwwLCIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAiXQ",  # ["nope",0,uuid]
        "WyJ0b2RvIiwtMSwiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwIl0",  # ["todo",-1,uuid]
        "WyJ0b2RvIiwwLCJ4Il0",  # ["todo",0,"x"]
        "e30",
    ],  # {}
)
def test_list_rejects_forged_cursors(client: FlaskClient, project: dict[str, Any], cursor: str) -> None:
    response = client.get(tasks_url(project["id"]), query_string={"cursor": cursor})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "query.cursor"

"""Projects: every endpoint, its validation table, ETag/If-Match, pagination while inserting."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.factories import etag, make_project, make_task, tasks_url

PROJECTS = "/api/v1/projects"
MISSING = "00000000-0000-4000-8000-000000000000"


def test_create_returns_the_project_with_location_and_etag(client: FlaskClient) -> None:
    response = client.post(PROJECTS, json={"name": "  Launch  ", "description": "Q3 launch"})
    assert response.status_code == 201
    project = response.get_json()
    assert project["name"] == "Launch"  # trimmed
    assert project["description"] == "Q3 launch"
    assert project["version"] == 1
    assert project["created_at"].endswith("Z")
    assert response.headers["Location"] == f"{PROJECTS}/{project['id']}"
    assert response.headers["ETag"] == '"1"'


def test_description_defaults_to_empty(client: FlaskClient) -> None:
    assert make_project(client, "Bare")["description"] == ""


def test_get_returns_etag(client: FlaskClient) -> None:
    project = make_project(client)
    response = client.get(f"{PROJECTS}/{project['id']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize("path", [f"{PROJECTS}/{MISSING}", f"{PROJECTS}/not-a-uuid", f"{PROJECTS}/123"])
def test_unknown_or_invalid_id_is_404_problem(client: FlaskClient, path: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.open(path, method=method, json={}, headers={"If-Match": '"1"'})
        assert response.status_code == 404, (method, path)
        assert response.mimetype == "application/problem+json"


def test_duplicate_name_is_409(client: FlaskClient) -> None:
    make_project(client, "Same")
    response = client.post(PROJECTS, json={"name": " Same "})
    assert response.status_code == 409
    assert response.get_json()["type"] == "/problems/duplicate-name"


INVALID_BODIES: list[tuple[Any, set[str]]] = [
    ({}, {"body.name"}),
    ({"name": ""}, {"body.name"}),
    ({"name": "   "}, {"body.name"}),
    ({"name": "\x1f\u3000\ufeff"}, {"body.name"}),
    ({"name": "x" * 121}, {"body.name"}),
    ({"name": 5}, {"body.name"}),
    ({"name": None}, {"body.name"}),
    ({"name": "a\x00b"}, {"body.name"}),
    ({"name": "ok", "description": "d" * 2001}, {"body.description"}),
    ({"name": "ok", "description": None}, {"body.description"}),
    ({"name": "ok", "owner": "me"}, {"body.owner"}),
    ({"name": "", "extra": 1, "description": 3}, {"body.name", "body.extra", "body.description"}),
    (["name"], {"body"}),
    ("name", {"body"}),
]


@pytest.mark.parametrize(("body", "fields"), INVALID_BODIES)
def test_create_validation_lists_each_field(client: FlaskClient, body: Any, fields: set[str]) -> None:
    response = client.post(PROJECTS, json=body)
    assert response.status_code == 422
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert {e["field"] for e in problem["errors"]} == fields
    assert problem["status"] == 422


def test_limits_are_inclusive(client: FlaskClient) -> None:
    project = make_project(client, "n" * 120, description="d" * 2000)
    assert len(project["name"]) == 120


def test_update_needs_if_match(client: FlaskClient) -> None:
    project = make_project(client)
    response = client.patch(f"{PROJECTS}/{project['id']}", json={"name": "New"})
    assert response.status_code == 428


def test_update_with_current_etag(client: FlaskClient) -> None:
    project = make_project(client, "Old")
    response = client.patch(f"{PROJECTS}/{project['id']}", json={"name": "New"}, headers=etag(project))
    assert response.status_code == 200
    updated = response.get_json()
    assert (updated["name"], updated["description"], updated["version"]) == ("New", "", 2)
    assert response.headers["ETag"] == '"2"'
    assert updated["updated_at"] >= project["updated_at"]


@pytest.mark.parametrize("if_match", ['"2"', 'W/"1"', "1", "garbage", '"1x"', '"0"'])
def test_update_with_stale_or_unusable_etag_is_412(client: FlaskClient, if_match: str) -> None:
    project = make_project(client, "Old")
    response = client.patch(f"{PROJECTS}/{project['id']}", json={"name": "New"}, headers={"If-Match": if_match})
    assert response.status_code == 412
    assert client.get(f"{PROJECTS}/{project['id']}").get_json()["name"] == "Old"


@pytest.mark.parametrize("if_match", ["*", '"7", "1"'])
def test_update_with_star_or_a_list_containing_the_etag(client: FlaskClient, if_match: str) -> None:
    project = make_project(client)
    response = client.patch(f"{PROJECTS}/{project['id']}", json={"description": "x"}, headers={"If-Match": if_match})
    assert response.status_code == 200


def test_second_writer_with_the_same_etag_loses(client: FlaskClient) -> None:
    project = make_project(client, "Base")
    first = client.patch(f"{PROJECTS}/{project['id']}", json={"description": "first"}, headers=etag(project))
    second = client.patch(f"{PROJECTS}/{project['id']}", json={"description": "second"}, headers=etag(project))
    assert (first.status_code, second.status_code) == (200, 412)
    assert client.get(f"{PROJECTS}/{project['id']}").get_json()["description"] == "first"


def test_rename_to_a_taken_name_is_409(client: FlaskClient) -> None:
    make_project(client, "Taken")
    project = make_project(client, "Mine")
    response = client.patch(f"{PROJECTS}/{project['id']}", json={"name": "Taken"}, headers=etag(project))
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "fields"),
    [({"name": None}, {"body.name"}), ({"name": " "}, {"body.name"}), ({"version": 3}, {"body.version"})],
)
def test_update_validation(client: FlaskClient, body: Any, fields: set[str]) -> None:
    project = make_project(client)
    response = client.patch(f"{PROJECTS}/{project['id']}", json=body, headers=etag(project))
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == fields


def test_delete_needs_current_etag_and_removes_its_tasks(client: FlaskClient) -> None:
    project = make_project(client)
    task = make_task(client, project["id"])
    url = f"{PROJECTS}/{project['id']}"
    assert client.delete(url).status_code == 428
    assert client.delete(url, headers={"If-Match": '"9"'}).status_code == 412
    response = client.delete(url, headers=etag(project))
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/tasks/{task['id']}").status_code == 404
    assert client.delete(url, headers=etag(project)).status_code == 404


def _walk(client: FlaskClient, limit: int, between_pages: Any = None) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        query: dict[str, Any] = {"limit": limit}
        if cursor:
            query["cursor"] = cursor
        response = client.get(PROJECTS, query_string=query)
        assert response.status_code == 200
        page = response.get_json()
        assert len(page["items"]) <= limit
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        if between_pages:
            between_pages()


def test_list_pages_oldest_first(client: FlaskClient) -> None:
    ids = [make_project(client, f"p{i}")["id"] for i in range(7)]
    assert _walk(client, limit=3) == ids
    assert client.get(PROJECTS).get_json()["next_cursor"] is None  # default limit 20 > 7


def test_pagination_has_no_duplicates_or_gaps_while_inserting(client: FlaskClient) -> None:
    existing = [make_project(client, f"before {i}")["id"] for i in range(10)]
    inserted: list[str] = []

    def insert_some() -> None:
        for _ in range(2):
            inserted.append(make_project(client, f"during {len(inserted)}")["id"])

    seen = _walk(client, limit=3, between_pages=insert_some)
    assert len(seen) == len(set(seen)), "a project was listed twice"
    assert [s for s in seen if s in existing] == existing, "a project that existed all along was skipped"
    assert set(seen) <= set(existing) | set(inserted)


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"limit": "0"}, "query.limit", 422),
        ({"limit": "101"}, "query.limit", 422),
        ({"limit": "ten"}, "query.limit", 422),
        ({"cursor": "x" * 201}, "query.cursor", 422),
        # well-formed strings, but not cursors this API issued
        ({"cursor": "not-base64!"}, "query.cursor", 400),
        ({"cursor": "WyJ4Il0"}, "query.cursor", 400),  # ["x"]: wrong arity
        ({"cursor": "WyJ4IiwieSJd"}, "query.cursor", 400),  # ["x","y"]: not a timestamp/uuid
    ],
)
def test_list_rejects_bad_query(client: FlaskClient, query: dict[str, str], field: str, status: int) -> None:
    response = client.get(PROJECTS, query_string=query)
    assert response.status_code == status
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


@pytest.mark.parametrize("target", ["project", "task"])
def test_delete_with_if_match_star_is_428_and_deletes_nothing(client: FlaskClient, target: str) -> None:
    project = make_project(client, "Keep")
    task = make_task(client, project["id"], "keep too")
    url = f"{PROJECTS}/{project['id']}" if target == "project" else tasks_url(project["id"], task["id"])
    response = client.delete(url, headers={"If-Match": "*"})
    assert response.status_code == 428
    assert response.get_json()["type"] == "/problems/if-match-required"
    assert client.get(url).status_code == 200
    assert client.get(tasks_url(project["id"], task["id"])).status_code == 200


def test_projects_belong_to_their_creator(client: FlaskClient, other_client: FlaskClient) -> None:
    mine = make_project(client, "Mine only")
    theirs = make_project(other_client, "Theirs only")
    assert [p["id"] for p in client.get(PROJECTS).get_json()["items"]] == [mine["id"]]
    assert [p["id"] for p in other_client.get(PROJECTS).get_json()["items"]] == [theirs["id"]]
    assert "owner_sub" not in mine

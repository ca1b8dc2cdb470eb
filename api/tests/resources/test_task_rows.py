"""Tasks read from our own table are serialised WITHOUT re-validation (ADR 0096 addendum): the bytes must be the
ones full validation would produce, and every row must satisfy the response schema anyway."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from innovate_api.resources.tasks import _task
from innovate_api.schemas import Task, TaskPage
from innovate_api.tables import tasks
from tests.factories import make_project, make_task, tasks_url


def test_unvalidated_rows_serialise_exactly_like_validated_ones(client: FlaskClient, engine: Engine) -> None:
    project = make_project(client)
    make_task(client, project["id"], "no due date")
    make_task(client, project["id"], "with due date", status="doing", due_date="2030-02-28")
    with engine.connect() as connection:
        rows = connection.execute(select(tasks).where(tasks.c.project_id == project["id"])).all()
    assert len(rows) == 2
    for row in rows:
        fast = _task(row)
        checked = Task.model_validate(row._asdict())
        assert fast.model_dump_json() == checked.model_dump_json()
        # Nothing the schema would refuse slipped through (model_validate_json re-checks every constraint).
        assert Task.model_validate_json(fast.model_dump_json()) == checked


def test_list_page_is_the_validated_page(client: FlaskClient, engine: Engine) -> None:
    project = make_project(client)
    for title in ("a", "b", "c"):
        make_task(client, project["id"], title)
    body: dict[str, Any] = client.get(tasks_url(project["id"]) + "?limit=2").get_json()
    validated = TaskPage.model_validate(body)
    assert [t["title"] for t in body["items"]] == ["a", "b"]
    assert validated.model_dump(mode="json") == body
    # RFC 3339 timestamps with an explicit offset, exactly as before.
    assert body["items"][0]["created_at"].endswith(("Z", "+00:00"))

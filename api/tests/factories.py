"""Small helpers that create resources through the API (not behind its back)."""

from __future__ import annotations

import itertools
from typing import Any

from flask.testing import FlaskClient

_names = itertools.count()


def make_project(client: FlaskClient, name: str | None = None, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/projects", json={"name": name or f"project {next(_names)}", **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def make_task(client: FlaskClient, project_id: str, title: str = "task", **fields: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/projects/{project_id}/tasks", json={"title": title, **fields})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def tasks_url(project_id: str, task_id: str | None = None) -> str:
    base = f"/api/v1/projects/{project_id}/tasks"
    return base if task_id is None else f"{base}/{task_id}"


def etag(resource: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": f'"{resource["version"]}"'}

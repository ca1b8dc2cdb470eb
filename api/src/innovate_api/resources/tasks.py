"""Tasks of a project: list, create, get, update, delete, move.

Every operation that changes positions (create, delete, move) first locks the project row (FOR NO KEY UPDATE,
which still lets tasks reference it), so such operations on one project run one at a time and each status column
keeps the positions 0..n-1. Edits of title/due date do not touch positions and take no project lock.

Tasks follow their project: every statement holds only when the project is the signed-in user's, so another user's
project and its tasks are a 404 (``_OWNED_PROJECT`` in SQL, no extra round trip).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any
from uuid import UUID

from flask import Blueprint, Response
from sqlalchemy import Boolean, Connection, Select, and_, bindparam, delete, exists, func, or_, select, tuple_, update

from innovate_api import db
from innovate_api.auth.bearer import current_caller, owner_condition
from innovate_api.http import idempotency
from innovate_api.http.conditional import IfMatch, stale
from innovate_api.http.operations import API_PREFIX, operation
from innovate_api.http.pagination import decode_cursor, encode_cursor, invalid_cursor, parse_int, parse_uuid
from innovate_api.http.responses import json_response, no_content
from innovate_api.problems import ProblemError
from innovate_api.resources.projects import not_found as project_not_found
from innovate_api.schemas import Task, TaskCreate, TaskMove, TaskPage, TaskPageQuery, TaskUpdate
from innovate_api.tables import TASK_STATUSES, projects, tasks

blueprint = Blueprint("tasks", __name__, url_prefix=API_PREFIX)


def task_not_found() -> ProblemError:
    return ProblemError(404, "no such task in this project", kind="not-found")


def _task(row: Any) -> Task:
    return Task.model_validate(row._asdict())


def _location(project_id: UUID, task_id: UUID) -> str:
    return f"{API_PREFIX}/projects/{project_id}/tasks/{task_id}"


# The hot statements are built once with bind parameters: building a Core statement and its cache key per request
# costs more CPU than the round trip it makes (measured in docs/benchmarks.md). Create-task's two (the lock is every
# position change's) are DriverStatements: compiled once and run on the DBAPI cursor (ADR 0096).
# The project's owner is :owner, or it has none and :ownerless says this user is the legacy owner (ADR 0127).
_OWNER_IS_CALLER = or_(
    projects.c.owner_sub == bindparam("owner"),
    and_(projects.c.owner_sub.is_(None), bindparam("ownerless", type_=Boolean)),
)
_LOCK_PROJECT = db.DriverStatement(
    select(projects.c.id)
    .where(projects.c.id == bindparam("project_id"), _OWNER_IS_CALLER)
    .with_for_update(key_share=True)
)
# "The project :owned_project_id, if it is :owner's": compared with tasks.project_id, no row matches otherwise.
# (Not named project_id: in an UPDATE of tasks, a parameter named after a column would also set that column.)
_OWNED_PROJECT = (
    select(projects.c.id).where(projects.c.id == bindparam("owned_project_id"), _OWNER_IS_CALLER).scalar_subquery()
)
_INSERT_AT_END_OF_COLUMN = db.DriverStatement(
    tasks.insert()
    .values(
        id=bindparam("id"),
        project_id=bindparam("project_id"),
        title=bindparam("title"),
        status=bindparam("status"),
        # Runs after the project lock is held: a new statement, so a new snapshot that sees every committed task.
        # Positions are dense (0..n-1, every position change holds the project lock), so the column's end is
        # max + 1: one descending probe of the (project, status, position) unique index, where count(*) read every
        # entry of the column (its cost grew with the column; docs/decisions/0096).
        position=select(func.coalesce(func.max(tasks.c.position) + 1, 0))
        .where(tasks.c.project_id == bindparam("project_id"), tasks.c.status == bindparam("status"))
        .scalar_subquery(),
        due_date=bindparam("due_date"),
    )
    .returning(*tasks.c)
)
_GET_TASK = select(tasks).where(tasks.c.id == bindparam("task_id"), tasks.c.project_id == _OWNED_PROJECT)


@functools.cache
def _list_statement(by_status: bool, after_cursor: bool) -> Select[Any]:
    statement = (
        select(tasks)
        .where(tasks.c.project_id == _OWNED_PROJECT)
        .order_by(tasks.c.status, tasks.c.position, tasks.c.id)
        .limit(bindparam("limit"))
    )
    if by_status:
        statement = statement.where(tasks.c.status == bindparam("status"))
    if after_cursor:
        after = tuple_(
            bindparam("after_status", type_=tasks.c.status.type),
            bindparam("after_position"),
            bindparam("after_id", type_=tasks.c.id.type),
        )
        statement = statement.where(tuple_(tasks.c.status, tasks.c.position, tasks.c.id) > after)
    return statement


def _lock_project(connection: Connection, project_id: UUID) -> None:
    owner, ownerless = current_caller()
    locked = _LOCK_PROJECT.first(connection, {"project_id": project_id, "owner": owner, "ownerless": ownerless})
    if locked is None:
        raise project_not_found()


def _owned(project_id: UUID) -> dict[str, Any]:
    owner, ownerless = current_caller()
    return {"owned_project_id": project_id, "owner": owner, "ownerless": ownerless}


def _task_exists(connection: Connection, project_id: UUID, task_id: UUID) -> bool:
    statement = select(exists().where(tasks.c.id == task_id, tasks.c.project_id == _OWNED_PROJECT))
    return bool(connection.scalar(statement, _owned(project_id)))


def _project_exists(connection: Connection, project_id: UUID) -> bool:
    statement = select(exists().where(projects.c.id == project_id, owner_condition(projects.c.owner_sub)))
    return bool(connection.scalar(statement))


def _shift(connection: Connection, project_id: UUID, status: str, from_position: int, delta: int) -> None:
    """Move every task at ``from_position`` or later in one column by ``delta`` (+1 opens a gap, -1 closes one)."""
    connection.execute(
        update(tasks)
        .where(tasks.c.project_id == project_id, tasks.c.status == status, tasks.c.position >= from_position)
        .values(position=tasks.c.position + delta)
    )


@operation(
    blueprint,
    "GET",
    "/projects/{project_id}/tasks",
    operation_id="listTasks",
    summary="List a project's tasks in board order: by status column (todo, doing, done), then position.",
    success_status=200,
    response_model=TaskPage,
    query_model=TaskPageQuery,
)
def list_tasks(project_id: UUID, query: TaskPageQuery) -> Response:
    parameters: dict[str, Any] = {**_owned(project_id), "limit": query.limit + 1, "status": query.status}
    if query.cursor is not None:
        status, position, task_id = decode_cursor(query.cursor, 3)
        if status not in TASK_STATUSES:
            raise invalid_cursor()
        parameters |= {"after_status": status, "after_position": parse_int(position), "after_id": parse_uuid(task_id)}
    statement = _list_statement(query.status is not None, query.cursor is not None)
    with db.reader().connect() as connection:
        rows = connection.execute(statement, parameters).all()
        # An empty page is the only case where "no such project" and "no tasks" need telling apart.
        if not rows and not _project_exists(connection, project_id):
            raise project_not_found()
    page = rows[: query.limit]
    next_cursor = None
    if len(rows) > query.limit:
        last = page[-1]
        next_cursor = encode_cursor([last.status, last.position, str(last.id)])
    # One validation call for the whole page (per-row model_validate costs more than the query on 50 rows).
    return json_response(TaskPage.model_validate({"items": [r._asdict() for r in page], "next_cursor": next_cursor}))


@operation(
    blueprint,
    "POST",
    "/projects/{project_id}/tasks",
    operation_id="createTask",
    summary="Create a task at the end of its status column. Honours Idempotency-Key.",
    success_status=201,
    response_model=Task,
    body_model=TaskCreate,
    accepts_idempotency_key=True,
    success_headers=("Location", "ETag"),
    created_resource={"project_id": "$response.body#/project_id", "task_id": "$response.body#/id"},
)
def create_task(project_id: UUID, body: TaskCreate) -> Response:
    key = idempotency.idempotency_key()

    def create(connection: Connection) -> Response:
        _lock_project(connection, project_id)
        row = _INSERT_AT_END_OF_COLUMN.first(
            connection,
            {
                "id": uuid.uuid4(),
                "project_id": project_id,
                "title": body.title,
                "status": body.status,
                "due_date": body.due_date,
            },
        )
        assert row is not None  # INSERT ... RETURNING returns the row it inserted
        # The row is a dict (DriverStatement.first): validated as it is.
        return json_response(
            Task.model_validate(row), 201, version=row["version"], location=_location(project_id, row["id"])
        )

    with db.engine().begin() as connection:
        return idempotency.run_once(connection, scope=f"createTask:{project_id}", key=key, body=body, create=create)


@operation(
    blueprint,
    "GET",
    "/projects/{project_id}/tasks/{task_id}",
    operation_id="getTask",
    summary="Get a task.",
    success_status=200,
    response_model=Task,
    success_headers=("ETag",),
)
def get_task(project_id: UUID, task_id: UUID) -> Response:
    with db.reader().connect() as connection:
        row = connection.execute(_GET_TASK, {"task_id": task_id, **_owned(project_id)}).first()
    if row is None:
        raise task_not_found()
    return json_response(_task(row), version=row.version)


@operation(
    blueprint,
    "PATCH",
    "/projects/{project_id}/tasks/{task_id}",
    operation_id="updateTask",
    summary="Change a task's title or due date (null clears it). Requires If-Match. Use move for status/position.",
    success_status=200,
    response_model=Task,
    body_model=TaskUpdate,
    requires_if_match=True,
    success_headers=("ETag",),
)
def update_task(project_id: UUID, task_id: UUID, if_match: IfMatch, body: TaskUpdate) -> Response:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    with db.engine().begin() as connection:
        row = connection.execute(
            update(tasks)
            .where(tasks.c.id == task_id, tasks.c.project_id == _OWNED_PROJECT, if_match.where(tasks.c.version))
            .values(**changes, version=tasks.c.version + 1, updated_at=func.now())
            .returning(*tasks.c),
            _owned(project_id),
        ).first()
        if row is None:
            raise stale("task") if _task_exists(connection, project_id, task_id) else task_not_found()
    return json_response(_task(row), version=row.version)


@operation(
    blueprint,
    "DELETE",
    "/projects/{project_id}/tasks/{task_id}",
    operation_id="deleteTask",
    summary="Delete a task; the tasks after it in its column move up. Requires If-Match.",
    success_status=204,
    response_model=None,
    requires_if_match=True,
)
def delete_task(project_id: UUID, task_id: UUID, if_match: IfMatch) -> Response:
    with db.engine().begin() as connection:
        _lock_project(connection, project_id)
        deleted = connection.execute(
            delete(tasks)
            .where(tasks.c.id == task_id, tasks.c.project_id == project_id, if_match.where(tasks.c.version))
            .returning(tasks.c.status, tasks.c.position)
        ).first()
        if deleted is None:
            raise stale("task") if _task_exists(connection, project_id, task_id) else task_not_found()
        _shift(connection, project_id, deleted.status, deleted.position + 1, -1)
    return no_content()


@operation(
    blueprint,
    "POST",
    "/projects/{project_id}/tasks/{task_id}/move",
    operation_id="moveTask",
    summary="Move a task to a status column and position (clamped to the column's end). Requires If-Match.",
    success_status=200,
    response_model=Task,
    body_model=TaskMove,
    requires_if_match=True,
    success_headers=("ETag",),
)
def move_task(project_id: UUID, task_id: UUID, if_match: IfMatch, body: TaskMove) -> Response:
    with db.engine().begin() as connection:
        _lock_project(connection, project_id)
        current = connection.execute(
            select(tasks.c.status, tasks.c.position, tasks.c.version)
            .where(tasks.c.id == task_id, tasks.c.project_id == project_id)
            # Row lock: a concurrent title edit cannot slip between this version check and the update below.
            .with_for_update()
        ).first()
        if current is None:
            raise task_not_found()
        if not if_match.allows(current.version):
            raise stale("task")
        others = and_(tasks.c.project_id == project_id, tasks.c.id != task_id)
        # Take the task out of its column (close the gap), then open a gap at the clamped target.
        connection.execute(
            update(tasks)
            .where(others, tasks.c.status == current.status, tasks.c.position > current.position)
            .values(position=tasks.c.position - 1)
        )
        size = connection.scalar(select(func.count()).select_from(tasks).where(others, tasks.c.status == body.status))
        position = min(body.position, int(size or 0))
        connection.execute(
            update(tasks)
            .where(others, tasks.c.status == body.status, tasks.c.position >= position)
            .values(position=tasks.c.position + 1)
        )
        row = connection.execute(
            update(tasks)
            .where(tasks.c.id == task_id)
            .values(status=body.status, position=position, version=tasks.c.version + 1, updated_at=func.now())
            .returning(*tasks.c)
        ).one()
    return json_response(_task(row), version=row.version)

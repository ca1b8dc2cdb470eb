"""Projects: list, create, get, update, delete.

A project belongs to the user who created it (``owner_sub``, the token's ``sub``). Every statement is scoped to the
signed-in user, so another user's project is simply not found (404, never a 403 that would confirm it exists).
A project without an owner (created by an image before authentication) matches no user but AUTH_LEGACY_OWNER
(ADR 0127).
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from flask import Blueprint, Response
from sqlalchemy import Connection, and_, delete, exists, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from innovate_api import db
from innovate_api.auth.bearer import current_owner, owner_condition
from innovate_api.http import idempotency
from innovate_api.http.conditional import IfMatch, stale
from innovate_api.http.operations import API_PREFIX, operation
from innovate_api.http.pagination import decode_cursor, encode_cursor, parse_timestamp, parse_uuid
from innovate_api.http.responses import json_response, no_content
from innovate_api.problems import ProblemError
from innovate_api.schemas import PageQuery, Project, ProjectCreate, ProjectPage, ProjectUpdate
from innovate_api.tables import projects

blueprint = Blueprint("projects", __name__, url_prefix=API_PREFIX)


def not_found() -> ProblemError:
    return ProblemError(404, "no such project", kind="not-found")


def name_taken(name: str) -> ProblemError:
    return ProblemError(409, f"a project named {name!r} already exists", kind="duplicate-name")


# What a client sees of a project (the owner is implied by who asks).
_COLUMNS = [column for column in projects.c if column.name != "owner_sub"]


def _project(row: Any) -> Project:
    return Project.model_validate(row._asdict())


def owned(project_id: Any) -> Any:
    """The condition for "this project, and it is the signed-in user's"."""
    return and_(projects.c.id == project_id, owner_condition(projects.c.owner_sub))


def _exists(connection: Connection, project_id: UUID) -> bool:
    return bool(connection.scalar(select(exists().where(owned(project_id)))))


@operation(
    blueprint,
    "GET",
    "/projects",
    operation_id="listProjects",
    summary="List projects, oldest first (keyset pagination).",
    success_status=200,
    response_model=ProjectPage,
    query_model=PageQuery,
)
def list_projects(query: PageQuery) -> Response:
    statement = (
        select(*_COLUMNS)
        .where(owner_condition(projects.c.owner_sub))
        .order_by(projects.c.created_at, projects.c.id)
        .limit(query.limit + 1)
    )
    if query.cursor is not None:
        created_at, project_id = decode_cursor(query.cursor, 2)
        after = (parse_timestamp(created_at), parse_uuid(project_id))
        statement = statement.where(tuple_(projects.c.created_at, projects.c.id) > after)
    with db.reader().connect() as connection:
        rows = connection.execute(statement).all()
    page = rows[: query.limit]
    next_cursor = None
    if len(rows) > query.limit:
        last = page[-1]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    return json_response(ProjectPage.model_validate({"items": [r._asdict() for r in page], "next_cursor": next_cursor}))


@operation(
    blueprint,
    "POST",
    "/projects",
    operation_id="createProject",
    summary="Create a project. Honours Idempotency-Key.",
    success_status=201,
    response_model=Project,
    body_model=ProjectCreate,
    accepts_idempotency_key=True,
    success_headers=("Location", "ETag"),
    error_statuses=(409,),
    created_resource={"project_id": "$response.body#/id"},
)
def create_project(body: ProjectCreate) -> Response:
    key = idempotency.idempotency_key()

    def create(connection: Connection) -> Response:
        row = connection.execute(
            pg_insert(projects)
            .values(id=uuid.uuid4(), name=body.name, description=body.description, owner_sub=current_owner())
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(*_COLUMNS)
        ).first()
        if row is None:
            raise name_taken(body.name)
        return json_response(_project(row), 201, version=row.version, location=f"{API_PREFIX}/projects/{row.id}")

    with db.engine().begin() as connection:
        return idempotency.run_once(connection, scope="createProject", key=key, body=body, create=create)


@operation(
    blueprint,
    "GET",
    "/projects/{project_id}",
    operation_id="getProject",
    summary="Get a project.",
    success_status=200,
    response_model=Project,
    success_headers=("ETag",),
)
def get_project(project_id: UUID) -> Response:
    with db.reader().connect() as connection:
        row = connection.execute(select(*_COLUMNS).where(owned(project_id))).first()
    if row is None:
        raise not_found()
    return json_response(_project(row), version=row.version)


@operation(
    blueprint,
    "PATCH",
    "/projects/{project_id}",
    operation_id="updateProject",
    summary="Rename a project or change its description. Requires If-Match.",
    success_status=200,
    response_model=Project,
    body_model=ProjectUpdate,
    requires_if_match=True,
    success_headers=("ETag",),
    error_statuses=(409,),
)
def update_project(project_id: UUID, if_match: IfMatch, body: ProjectUpdate) -> Response:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    with db.engine().begin() as connection:
        try:
            row = connection.execute(
                update(projects)
                .where(owned(project_id), if_match.where(projects.c.version))
                .values(**changes, version=projects.c.version + 1, updated_at=func.now())
                .returning(*_COLUMNS)
            ).first()
        except IntegrityError as error:
            if getattr(error.orig, "sqlstate", None) == "23505":
                raise name_taken(changes["name"]) from None
            raise
        if row is None:
            raise stale("project") if _exists(connection, project_id) else not_found()
    return json_response(_project(row), version=row.version)


@operation(
    blueprint,
    "DELETE",
    "/projects/{project_id}",
    operation_id="deleteProject",
    summary="Delete a project and its tasks. Requires If-Match.",
    success_status=204,
    response_model=None,
    requires_if_match=True,
)
def delete_project(project_id: UUID, if_match: IfMatch) -> Response:
    with db.engine().begin() as connection:
        deleted = connection.execute(
            delete(projects).where(owned(project_id), if_match.where(projects.c.version)).returning(projects.c.id)
        ).first()
        if deleted is None:
            raise stale("project") if _exists(connection, project_id) else not_found()
    return no_content()

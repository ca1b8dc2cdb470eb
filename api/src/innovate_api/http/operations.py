"""Declaring an operation once: the Flask route, the request parsing, and its OpenAPI description.

Each ``@operation(...)`` registers a view on a blueprint AND an ``Operation`` record; the OpenAPI document is built
from those records and the pydantic models, so the document cannot drift from what the code accepts and returns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from innovate_api.auth.bearer import authenticate
from innovate_api.http.conditional import require_if_match
from innovate_api.problems import ProblemError, validation_problem

API_PREFIX = "/api/v1"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str  # OpenAPI form, e.g. /api/v1/projects/{project_id}
    summary: str
    tag: str
    success_status: int
    response_model: type[BaseModel] | None
    body_model: type[BaseModel] | None = None
    query_model: type[BaseModel] | None = None
    requires_if_match: bool = False
    accepts_idempotency_key: bool = False
    success_headers: tuple[str, ...] = ()
    error_statuses: tuple[int, ...] = ()
    path_params: tuple[str, ...] = field(default=())
    # For operations that create: how the new resource's path parameters are found in the response. The OpenAPI
    # document turns this into links to every operation on that resource (clients and schemathesis follow them).
    created_resource: dict[str, str] | None = None


OPERATIONS: list[Operation] = []

_PATH_PARAM = re.compile(r"\{(\w+)\}")


def operation(
    blueprint: Blueprint,
    method: str,
    path: str,
    *,
    operation_id: str,
    summary: str,
    success_status: int,
    response_model: type[BaseModel] | None,
    body_model: type[BaseModel] | None = None,
    query_model: type[BaseModel] | None = None,
    requires_if_match: bool = False,
    accepts_idempotency_key: bool = False,
    success_headers: tuple[str, ...] = (),
    error_statuses: tuple[int, ...] = (),
    created_resource: dict[str, str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``path`` (relative to /api/v1, ``{name}`` parameters are UUIDs) for ``method``.

    Every operation requires a bearer access token (auth.bearer); the view finds its user with ``current_owner()``.
    The view receives the path parameters (as UUIDs), then ``query=`` / ``body=`` (validated models) and
    ``if_match=`` (the parsed header) when declared.
    """
    path_params = tuple(_PATH_PARAM.findall(path))
    # Every operation needs a signed-in user (401 before anything else is looked at).
    statuses = set(error_statuses) | {401, 503}
    if path_params:
        statuses.add(404)
    if body_model is not None:
        statuses |= {400, 413, 415, 422}
    if query_model is not None:
        statuses |= {400, 422}
    if requires_if_match:
        statuses |= {412, 422, 428}
    if accepts_idempotency_key:
        statuses |= {409, 422}
    op = Operation(
        operation_id=operation_id,
        method=method.upper(),
        path=API_PREFIX + path,
        summary=summary,
        tag=blueprint.name,
        success_status=success_status,
        response_model=response_model,
        body_model=body_model,
        query_model=query_model,
        requires_if_match=requires_if_match,
        accepts_idempotency_key=accepts_idempotency_key,
        success_headers=success_headers,
        error_statuses=tuple(sorted(statuses)),
        path_params=path_params,
        created_resource=created_resource,
    )
    OPERATIONS.append(op)
    # Flask's uuid converter only matches UUIDs, so an invalid id in the path is a 404, never a 500.
    rule = _PATH_PARAM.sub(r"<uuid:\1>", path)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handle(**path_values: Any) -> Any:
            authenticate()
            kwargs = dict(path_values)
            if op.query_model is not None:
                kwargs["query"] = parse_query(op.query_model)
            if op.requires_if_match:
                kwargs["if_match"] = require_if_match()
            if op.body_model is not None:
                kwargs["body"] = parse_json_body(op.body_model)
            return view(**kwargs)

        blueprint.add_url_rule(rule, endpoint=operation_id, view_func=handle, methods=[op.method])
        return view

    return decorator


def parse_query(model: type[M]) -> M:
    values = {name: request.args.get(name) for name in request.args}
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise validation_problem(error, where="query") from None


def parse_json_body(model: type[M]) -> M:
    # The exact header is checked first: parsing it (request.mimetype) costs more than the body's validation.
    if request.environ.get("CONTENT_TYPE") != "application/json" and request.mimetype != "application/json":
        raise ProblemError(415, "the request body must be application/json", kind="unsupported-media-type")
    raw = request.get_data(cache=True)  # werkzeug raises 413 past MAX_CONTENT_LENGTH
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise ProblemError(400, "the request body is not valid JSON", kind="malformed-json") from None
        raise validation_problem(error, where="body") from None

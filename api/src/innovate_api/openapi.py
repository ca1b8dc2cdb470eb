"""The OpenAPI 3.1 document, assembled from the registered operations and their pydantic models.

Nothing here is hand-kept per endpoint: paths, parameters, bodies, responses and headers come from the
``@operation`` declarations that also route and validate requests, and schemas from the models (JSON Schema 2020-12,
which OpenAPI 3.1 uses as is).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from innovate_api import __doc__ as api_description
from innovate_api.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from innovate_api.http.operations import OPERATIONS, Operation
from innovate_api.problems import TITLES
from innovate_api.schemas import Problem

JsonSchemaMode = Literal["validation", "serialization"]
REF = "#/components/schemas/{model}"

_HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "The request's id (the client's X-Request-Id if valid, else generated); also in the logs.",
        "required": True,
        "schema": {"type": "string"},
    },
    "ETag": {"description": "The resource's version, for If-Match.", "required": True, "schema": {"type": "string"}},
    "Location": {"description": "URL of the created resource.", "required": True, "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before retrying.", "required": True, "schema": {"type": "string"}},
    "WWW-Authenticate": {
        "description": 'The bearer challenge (RFC 6750), with error="invalid_token" when a token was refused.',
        "required": True,
        "schema": {"type": "string"},
    },
}
SECURITY_SCHEME = "bearerAuth"


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _parameters(op: Operation) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
        for name in op.path_params
    ]
    if op.query_model is not None:
        parameters += _query_parameters(op.query_model)
    if op.requires_if_match:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": 'The ETag from the last read, e.g. `"3"`; '
                + ("`*` is refused (428)." if op.method == "DELETE" else "`*` matches any version."),
                "schema": {"type": "string", "maxLength": 1024},
            }
        )
    if op.accepts_idempotency_key:
        parameters.append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "description": "Repeat the request with the same key and body to get the first response again, "
                "never a second resource. The same key with another body is a 409.",
                "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
            }
        )
    return parameters


def _headers(names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _HEADERS[name] for name in ("X-Request-Id", *names)}


def _responses(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success", "headers": _headers(op.success_headers)}
    if op.response_model is not None:
        success["content"] = {"application/json": {"schema": {"$ref": REF.format(model=op.response_model.__name__)}}}
    links = _links(op)
    if links:
        success["links"] = links
    responses: dict[str, Any] = {str(op.success_status): success}
    for status in op.error_statuses:
        responses[str(status)] = {
            "description": TITLES[status],
            "headers": _headers({503: ("Retry-After",), 401: ("WWW-Authenticate",)}.get(status, ())),
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
        }
    return responses


def _links(op: Operation) -> dict[str, Any]:
    """From a create operation to every operation on the created resource (same path parameters)."""
    if op.created_resource is None:
        return {}
    links = {}
    for target in OPERATIONS:
        if set(target.path_params) != set(op.created_resource):
            continue
        parameters: dict[str, str] = {f"path.{name}": value for name, value in op.created_resource.items()}
        if target.requires_if_match:
            parameters["header.If-Match"] = "$response.header.ETag"
        links[target.operation_id] = {"operationId": target.operation_id, "parameters": parameters}
    return links


def _operation(op: Operation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _parameters(op),
        "responses": _responses(op),
        "security": [{SECURITY_SCHEME: []}],
    }
    if op.body_model is not None:
        document["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=op.body_model.__name__)}}},
        }
    return document


def _schemas() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Problem, "serialization")]
    for op in OPERATIONS:
        if op.body_model is not None:
            models.append((op.body_model, "validation"))
        if op.response_model is not None:
            models.append((op.response_model, "serialization"))
    _, schema = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    definitions: dict[str, Any] = schema["$defs"]
    return dict(sorted(definitions.items()))


@functools.cache
def build_document() -> dict[str, Any]:
    # Importing the resources registers their operations (idempotent: modules import once).
    from innovate_api.resources import projects, tasks  # noqa: F401

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Innovate task board API",
            "version": "1.0.0",
            "description": (api_description or "").strip(),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An OpenID Connect access token from the configured issuer (Amazon Cognito in AWS, "
                    "the local provider under make up), for the SPA's client id.",
                }
            },
        },
    }

"""The OpenAPI document is generated from the code, valid OpenAPI 3.1, and covers every API route."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from innovate_api.openapi import build_document

CONTRACT = {
    ("get", "/api/v1/projects"): "listProjects",
    ("post", "/api/v1/projects"): "createProject",
    ("get", "/api/v1/projects/{project_id}"): "getProject",
    ("patch", "/api/v1/projects/{project_id}"): "updateProject",
    ("delete", "/api/v1/projects/{project_id}"): "deleteProject",
    ("get", "/api/v1/projects/{project_id}/tasks"): "listTasks",
    ("post", "/api/v1/projects/{project_id}/tasks"): "createTask",
    ("get", "/api/v1/projects/{project_id}/tasks/{task_id}"): "getTask",
    ("patch", "/api/v1/projects/{project_id}/tasks/{task_id}"): "updateTask",
    ("delete", "/api/v1/projects/{project_id}/tasks/{task_id}"): "deleteTask",
    ("post", "/api/v1/projects/{project_id}/tasks/{task_id}/move"): "moveTask",
}


def operations(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (method, path): op["operationId"] for path, item in document["paths"].items() for method, op in item.items()
    }


def test_document_is_valid_openapi_3_1() -> None:
    document = build_document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_operations_are_exactly_the_contract() -> None:
    assert operations(build_document()) == CONTRACT


def test_every_api_route_of_the_app_is_documented(app: Flask) -> None:
    documented = {(m, p) for m, p in CONTRACT}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = re.sub(r"<uuid:(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method.lower(), path) in documented


def test_served_document_is_the_generated_one(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == build_document()


def test_request_schemas_forbid_unknown_fields_and_nul() -> None:
    schemas = build_document()["components"]["schemas"]
    for name in ("ProjectCreate", "ProjectUpdate", "TaskCreate", "TaskUpdate", "TaskMove"):
        assert schemas[name]["additionalProperties"] is False, name
    assert "\\u0000" in schemas["ProjectCreate"]["properties"]["name"]["pattern"]


def test_every_operation_requires_the_bearer_scheme_and_documents_its_401() -> None:
    document = build_document()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    for (method, path), operation_id in CONTRACT.items():
        operation = document["paths"][path][method]
        assert operation["security"] == [{"bearerAuth": []}], operation_id
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"], operation_id


def test_the_document_itself_is_served_without_a_token(app: Flask) -> None:
    assert app.test_client().get("/api/v1/openapi.json").status_code == 200
    assert app.test_client().get("/healthz").status_code == 200

"""JSON responses from pydantic models."""

from __future__ import annotations

from flask import Response
from pydantic import BaseModel

from innovate_api.http.conditional import etag


def json_response(
    body: BaseModel, status: int = 200, *, version: int | None = None, location: str | None = None
) -> Response:
    response = Response(body.model_dump_json(), status=status, mimetype="application/json")
    if version is not None:
        response.headers["ETag"] = etag(version)
    if location is not None:
        response.headers["Location"] = location
    return response


def no_content() -> Response:
    return Response(status=204)

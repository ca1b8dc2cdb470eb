"""Request and response bodies as pydantic models: they validate requests and they ARE the OpenAPI schemas.

Request models are strict (no type coercion: ``"1"`` is not an integer, ``0`` is not a date) and forbid unknown
fields (422, each listed). Optional-but-not-nullable fields default to None and drop that default from the
generated schema, so ``{"name": null}`` is rejected while leaving ``name`` out is fine.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from innovate_api.tables import TASK_STATUSES

TaskStatus = Literal["todo", "doing", "done"]
assert TaskStatus.__args__ == TASK_STATUSES  # type: ignore[attr-defined]

# PostgreSQL text cannot hold NUL, so it is refused at the edge (422), and the schema says so.
_NO_NUL = "^[^\\u0000]*$"
# "Blank" is spelled out as one explicit set of characters, used both to trim and in the schema's pattern: Python's
# str.isspace(), ECMAScript's \s and Rust's \s (schemathesis validates with jsonschema-rs) each disagree at the edges
# (U+001C..U+001F, U+0085, U+FEFF), and a client must be able to tell from the document what the API calls blank.
_BLANK_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_BLANK_CLASS = "".join(f"\\u{ord(char):04x}" for char in _BLANK_CHARS)
_NO_NUL_NOT_BLANK = f"^[^\\u0000]*[^\\u0000{_BLANK_CLASS}][^\\u0000]*$"
INT32_MAX = 2**31 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _trimmed_not_blank(value: str) -> str:
    value = _no_nul(value).strip(_BLANK_CHARS)
    if not value:
        raise ValueError("must not be blank")
    return value


def _trimmed_text_schema(max_length: int) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "minLength": 1, "maxLength": max_length, "pattern": _NO_NUL_NOT_BLANK})


ProjectName = Annotated[
    str, Field(min_length=1, max_length=120), AfterValidator(_trimmed_not_blank), _trimmed_text_schema(120)
]
TaskTitle = Annotated[
    str, Field(min_length=1, max_length=200), AfterValidator(_trimmed_not_blank), _trimmed_text_schema(200)
]
Description = Annotated[
    str,
    Field(max_length=2000),
    AfterValidator(_no_nul),
    WithJsonSchema({"type": "string", "maxLength": 2000, "pattern": _NO_NUL}),
]


def _drop_null_defaults(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None and "anyOf" not in prop:
            del prop["default"]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_drop_null_defaults)


class ResponseBody(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


# ----- projects


class ProjectCreate(RequestBody):
    name: ProjectName
    description: Description = ""


class ProjectUpdate(RequestBody):
    # None means "not given" (never validated); an explicit null fails the str type. See the module docstring.
    name: ProjectName = Field(None)  # type: ignore[assignment]
    description: Description = Field(None)  # type: ignore[assignment]


class Project(ResponseBody):
    id: UUID
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(ge=1)


class ProjectPage(ResponseBody):
    items: list[Project]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")


# ----- tasks


class TaskCreate(RequestBody):
    title: TaskTitle
    status: TaskStatus = "todo"
    due_date: date | None = None


class TaskUpdate(RequestBody):
    title: TaskTitle = Field(None)  # type: ignore[assignment]
    due_date: date | None = None


def _integral_float_to_int(value: Any) -> Any:
    # JSON Schema (and JavaScript) count 3.0 as an integer; strict mode would not.
    return int(value) if isinstance(value, float) and value.is_integer() else value


class TaskMove(RequestBody):
    status: TaskStatus
    position: Annotated[int, BeforeValidator(_integral_float_to_int)] = Field(
        ge=0, le=INT32_MAX, description="0-based target position; clamped to the end of the target column."
    )


class Task(ResponseBody):
    id: UUID
    project_id: UUID
    title: str
    status: TaskStatus
    position: int = Field(ge=0)
    due_date: date | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(ge=1)


class TaskPage(ResponseBody):
    items: list[Task]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")


# ----- query strings (lax: query values are strings on the wire)


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(
        None,
        max_length=200,
        description="Opaque cursor from `next_cursor`. A cursor this API did not issue is a 400.",
    )


class TaskPageQuery(PageQuery):
    status: TaskStatus | None = None


# ----- errors (RFC 9457)


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the invalid input, e.g. `body.name` or `query.limit`.")
    message: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = Field(None, description="Only for 422: one entry per invalid field.")

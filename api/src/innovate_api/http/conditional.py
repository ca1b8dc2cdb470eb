"""ETag / If-Match: the row version is the entity tag, and writes require the client to name the one it saw.

The check itself happens in the UPDATE/DELETE's WHERE clause (``version = :expected``), so two concurrent writers
with the same version cannot both succeed: one gets 412, no update is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import request

from innovate_api.problems import ProblemError

_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')
_VERSION = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class IfMatch:
    """The versions a write may apply to; ``any_version`` for ``If-Match: *``."""

    versions: frozenset[int]
    any_version: bool = False

    def allows(self, version: int) -> bool:
        return self.any_version or version in self.versions

    def where(self, version_column: Any) -> Any:
        """The WHERE condition a conditional UPDATE/DELETE puts on the row's version column."""
        return True if self.any_version else version_column.in_(sorted(self.versions))


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str) -> IfMatch:
    if header.strip() == "*":
        return IfMatch(frozenset(), any_version=True)
    versions = set()
    for part in header.split(","):
        match = _ENTITY_TAG.fullmatch(part)
        # If-Match uses the strong comparison: weak tags and tags that are not our versions never match (412).
        if match and not match.group(1) and _VERSION.fullmatch(match.group(2)):
            versions.add(int(match.group(2)))
    return IfMatch(frozenset(versions))


MAX_IF_MATCH_LENGTH = 1024


def require_if_match() -> IfMatch:
    """The request's If-Match (428 when missing, or when ``*`` on a DELETE; 422 when too long)."""
    header = request.headers.get("If-Match")
    if header is None:
        raise ProblemError(
            428, "this write requires an If-Match header with the resource's ETag", kind="if-match-required"
        )
    if len(header) > MAX_IF_MATCH_LENGTH:
        raise ProblemError(
            422,
            "invalid header: If-Match",
            kind="validation-error",
            errors=[{"field": "header.If-Match", "message": f"at most {MAX_IF_MATCH_LENGTH} characters"}],
        )
    parsed = parse_if_match(header)
    # A delete that matches any version would remove what the client never saw (a project takes its tasks along).
    if parsed.any_version and request.method == "DELETE":
        raise ProblemError(
            428, "a delete must name the ETag it saw: If-Match: * is not accepted here", kind="if-match-required"
        )
    return parsed


def stale(kind: str) -> ProblemError:
    return ProblemError(
        412, f"the {kind} was changed since the given ETag; fetch it again and retry", kind="stale-etag"
    )

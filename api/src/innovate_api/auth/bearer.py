"""Bearer authentication for the /api/v1 operations (RFC 6750) and the signed-in user's id for the views.

No token: 401 with ``WWW-Authenticate: Bearer realm="innovate"``. A token that fails any rule: 401 with
``error="invalid_token"``. Both as problem+json. The issuer's keys unreachable: 503 (the client did nothing wrong).
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from flask import Flask, current_app, g, request
from sqlalchemy import or_

from innovate_api.auth.keys import KeyCache, KeysUnavailableError
from innovate_api.auth.tokens import InvalidTokenError, TokenVerifier
from innovate_api.problems import ProblemError
from innovate_api.settings import Settings

log = logging.getLogger(__name__)

REALM = "innovate"
_EXTENSION = "innovate_api.token_verifier"
_LEGACY_OWNER = "innovate_api.legacy_owner"


def init_app(app: Flask, settings: Settings, keys: KeyCache | None = None) -> None:
    issuer, client_id = settings.require_auth()
    keys = keys or KeyCache(issuer, settings.auth_jwks_uri)
    app.extensions[_EXTENSION] = TokenVerifier(issuer, client_id, keys)
    app.extensions[_LEGACY_OWNER] = settings.auth_legacy_owner


class Caller(NamedTuple):
    """The signed-in user of a request: the owner of the projects it may see, and whether it is AUTH_LEGACY_OWNER
    (who also sees projects without an owner)."""

    owner: str
    sees_ownerless: bool


def _unauthorized(detail: str, *, invalid_token: bool) -> ProblemError:
    challenge = f'Bearer realm="{REALM}"' + (', error="invalid_token"' if invalid_token else "")
    return ProblemError(401, detail, kind="unauthorized", headers={"WWW-Authenticate": challenge})


def authenticate() -> str:
    """Check the request's bearer token; returns (and remembers for the request) the user's subject."""
    header = request.environ.get("HTTP_AUTHORIZATION")  # what request.headers.get("Authorization") reads
    if header is None:
        raise _unauthorized("sign in: this operation needs a bearer access token", invalid_token=False)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be: Bearer <access token>", invalid_token=True)
    extensions = current_app.extensions
    verifier: TokenVerifier = extensions[_EXTENSION]
    try:
        principal = verifier.verify(token.strip())
    except InvalidTokenError as error:
        log.info("token refused: %s", error)
        raise _unauthorized(str(error), invalid_token=True) from None
    except KeysUnavailableError as error:
        log.warning("identity provider keys unavailable: %s", error)
        raise ProblemError(
            503,
            "the identity provider's keys are unavailable; retry later",
            kind="identity-provider-unavailable",
            headers={"Retry-After": "5"},
        ) from None
    # One attribute on g: each read of g is a context-variable lookup, and a create reads it on its hot path.
    g.caller = Caller(principal.subject, principal.subject == extensions[_LEGACY_OWNER])
    return principal.subject


def current_caller() -> Caller:
    """The signed-in user of this request (set by ``authenticate``)."""
    caller: Caller = g.caller
    return caller


def current_owner() -> str:
    """The signed-in user's subject (``sub``): the owner of the projects this request may see."""
    return current_caller().owner


def sees_ownerless() -> bool:
    """Whether the signed-in user is AUTH_LEGACY_OWNER, who also sees projects without an owner."""
    return current_caller().sees_ownerless


def owner_condition(owner_column: Any) -> Any:
    """The condition "this row's owner is the signed-in user" (ownerless rows too, for the legacy owner only)."""
    caller = current_caller()
    if caller.sees_ownerless:
        return or_(owner_column == caller.owner, owner_column.is_(None))
    return owner_column == caller.owner

"""Bearer authentication for the /api/v1 operations (RFC 6750) and the signed-in user's id for the views.

No token: 401 with ``WWW-Authenticate: Bearer realm="innovate"``. A token that fails any rule: 401 with
``error="invalid_token"``. Both as problem+json. The issuer's keys unreachable: 503 (the client did nothing wrong).
"""

from __future__ import annotations

import logging
from typing import Any

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


def _unauthorized(detail: str, *, invalid_token: bool) -> ProblemError:
    challenge = f'Bearer realm="{REALM}"' + (', error="invalid_token"' if invalid_token else "")
    return ProblemError(401, detail, kind="unauthorized", headers={"WWW-Authenticate": challenge})


def authenticate() -> str:
    """Check the request's bearer token; returns (and remembers for the request) the user's subject."""
    header = request.headers.get("Authorization")
    if header is None:
        raise _unauthorized("sign in: this operation needs a bearer access token", invalid_token=False)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be: Bearer <access token>", invalid_token=True)
    verifier: TokenVerifier = current_app.extensions[_EXTENSION]
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
    g.owner = principal.subject
    g.sees_ownerless = principal.subject == current_app.extensions[_LEGACY_OWNER]
    return principal.subject


def current_owner() -> str:
    """The signed-in user's subject (``sub``): the owner of the projects this request may see."""
    owner: str = g.owner
    return owner


def sees_ownerless() -> bool:
    """Whether the signed-in user is AUTH_LEGACY_OWNER, who also sees projects without an owner."""
    return bool(g.sees_ownerless)


def owner_condition(owner_column: Any) -> Any:
    """The condition "this row's owner is the signed-in user" (ownerless rows too, for the legacy owner only)."""
    if sees_ownerless():
        return or_(owner_column == current_owner(), owner_column.is_(None))
    return owner_column == current_owner()

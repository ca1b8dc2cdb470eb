"""Access-token verification: the rules every token must pass (Cognito access-token shape, RS256).

A token is accepted only if its signature verifies against the issuer's key named in its header, ``iss`` is the
configured issuer, ``exp`` (required) and ``nbf`` hold with ``LEEWAY_SECONDS`` of clock skew, ``token_use`` is
``access`` (an ID token is refused), and the client is ours: ``client_id`` (Cognito access tokens carry no ``aud``)
or, when present, ``aud``.

A token that passed is remembered (bounded, per process) with its ``exp`` and ``nbf``: the SPA sends the same token
for its whole lifetime, so later requests with exactly the same bytes skip the signature check but still get the
time checks. A cached token stays accepted until it expires even if its key leaves the JWKS meanwhile — the same
window any verifier that caches keys has (ADR 0125).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from innovate_api.auth.keys import KeyCache

LEEWAY_SECONDS = 30
ALGORITHMS = ["RS256"]
# Distinct tokens remembered per process: far more than the users one worker sees within a token's lifetime.
VERIFIED_CACHE_SIZE = 4096


class InvalidTokenError(Exception):
    """The token is refused; the message says why (for the log and the problem detail, never a secret)."""


@dataclass(frozen=True)
class Principal:
    subject: str


class TokenVerifier:
    def __init__(self, issuer: str, client_id: str, keys: KeyCache, *, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._keys = keys
        self._clock = clock
        # token -> (principal, exp, nbf or None), least recently used first
        self._verified: OrderedDict[str, tuple[Principal, float, float | None]] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        with self._lock:
            hit = self._verified.get(token)
            if hit is not None:
                self._verified.move_to_end(token)
        if hit is not None:
            principal, expires, not_before = hit
            now = self._clock()
            if now > expires + LEEWAY_SECONDS:
                raise InvalidTokenError("the token has expired")
            if not_before is not None and now < not_before - LEEWAY_SECONDS:
                raise InvalidTokenError("the token is not valid yet")
            return principal
        principal, claims = self._verify_fully(token)
        not_before = claims.get("nbf")
        with self._lock:
            self._verified[token] = (principal, float(claims["exp"]), None if not_before is None else float(not_before))
            if len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        return principal

    def _verify_fully(self, token: str) -> tuple[Principal, dict[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise InvalidTokenError("the token is not a JWT") from None
        if header.get("alg") not in ALGORITHMS:
            raise InvalidTokenError("the token is not signed with RS256")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("the token names no signing key")
        key = self._keys.key(kid)
        if key is None:
            raise InvalidTokenError("the token is signed with a key the issuer does not publish")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "sub"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidTokenError("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise InvalidTokenError("the token is not valid yet") from None
        except jwt.InvalidIssuerError:
            raise InvalidTokenError("the token is from another issuer") from None
        except jwt.InvalidSignatureError:
            raise InvalidTokenError("the token's signature does not verify") from None
        except jwt.InvalidTokenError as error:
            raise InvalidTokenError(f"the token is invalid ({error})") from None
        if claims.get("token_use") != "access":
            raise InvalidTokenError("the token is not an access token")
        # Either claim may name the client; each one present must name ours, and one must be present.
        audience = claims.get("aud")
        if audience is not None and self.client_id not in (audience if isinstance(audience, list) else [audience]):
            raise InvalidTokenError("the token is for another audience")
        client = claims.get("client_id")
        if (client is not None and client != self.client_id) or (client is None and audience is None):
            raise InvalidTokenError("the token is for another client")
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            raise InvalidTokenError("the token has no subject")
        return Principal(subject=subject), claims

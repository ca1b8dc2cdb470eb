"""Signing keys and access tokens for tests: an issuer whose keys exist only in the test process.

``TestIssuer.keys()`` is the API's KeyCache fed from memory (no HTTP), so the API verifies these tokens exactly as it
verifies Cognito's or the local provider's. ``mint()`` makes a Cognito-shaped access token; keyword arguments
override or (with None) remove claims.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from innovate_api.auth.keys import KeyCache

ISSUER = "https://issuer.test/pool"
CLIENT_ID = "innovate-spa-test"
# Settings keyword arguments for an app that verifies this module's tokens.
TEST_AUTH = {"auth_issuer": ISSUER, "auth_client_id": CLIENT_ID}


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TestIssuer:
    __test__ = False  # not a test class, despite the name

    def __init__(self, issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self.key = new_key()
        self.kid = "test-key-1"
        self.fetches = 0

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def fetch(self, url: str) -> dict[str, Any]:
        self.fetches += 1
        if url == f"{self.issuer}/.well-known/openid-configuration":
            return {"issuer": self.issuer, "jwks_uri": f"{self.issuer}/jwks"}
        if url == f"{self.issuer}/jwks":
            return self.jwks()
        raise AssertionError(f"unexpected fetch of {url}")

    def keys(self, **kwargs: Any) -> KeyCache:
        return KeyCache(self.issuer, fetch=self.fetch, **kwargs)

    def mint(
        self,
        sub: str = "user-a",
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "sub": sub,
            "token_use": "access",
            "client_id": CLIENT_ID,
            "scope": "openid email",
            "iat": now,
            "exp": now + 600,
            "jti": str(uuid.uuid4()),
            "username": f"{sub}@example.test",
        }
        for name, value in claims.items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        return jwt.encode(
            payload, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid, **(headers or {})}
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def served_issuer() -> Iterator[TestIssuer]:
    """A TestIssuer whose discovery document and JWKS are served over HTTP on 127.0.0.1, for an API process."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    issuer = TestIssuer(f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                body = json.dumps(issuer.fetch(issuer.issuer + self.path)).encode()
            except AssertionError:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


def api_env(issuer: TestIssuer) -> dict[str, str]:
    """The environment an API process needs to verify ``issuer``'s tokens."""
    return {"AUTH_ISSUER": issuer.issuer, "AUTH_CLIENT_ID": CLIENT_ID}


class SignedIn:
    """``requests.get/post/...`` with the user's bearer token added (one call each, no shared session: thread-safe)."""

    def __init__(self, token: str) -> None:
        self._auth = bearer(token)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs["headers"] = {**self._auth, **(kwargs.get("headers") or {})}
        return requests.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

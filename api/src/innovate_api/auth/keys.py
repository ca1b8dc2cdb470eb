"""The issuer's signing keys: discovered once, cached, refreshed on an unknown ``kid`` at most once per interval.

The JWKS comes from ``AUTH_JWKS_URI`` or from the issuer's discovery document (``jwks_uri``). A token naming a key
the cache does not hold triggers one refresh (the issuer rotated its keys); more unknown ``kid``s within
``REFRESH_INTERVAL_SECONDS`` are refused without a fetch, so forged tokens cannot make the API hammer the issuer.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt

FetchJson = Callable[[str], dict[str, Any]]
REFRESH_INTERVAL_SECONDS = 30.0
FETCH_TIMEOUT_SECONDS = 3.0
MAX_DOCUMENT_BYTES = 256 * 1024


class KeysUnavailableError(Exception):
    """The issuer's keys could not be fetched (network, status, or not a JWKS): the API answers 503."""


def fetch_json(url: str) -> dict[str, Any]:
    """GET ``url`` and parse its JSON object (the issuer is configured by the operator: https, or loopback http)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked in settings)
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise KeysUnavailableError(f"GET {url}: {error}") from None
    if len(body) > MAX_DOCUMENT_BYTES:
        raise KeysUnavailableError(f"GET {url}: larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        document = json.loads(body)
    except ValueError:
        raise KeysUnavailableError(f"GET {url}: not JSON") from None
    if not isinstance(document, dict):
        raise KeysUnavailableError(f"GET {url}: not a JSON object")
    return document


class KeyCache:
    def __init__(
        self,
        issuer: str,
        jwks_uri: str | None = None,
        *,
        fetch: FetchJson = fetch_json,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = issuer
        self._jwks_uri = jwks_uri
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK | None:
        """The signing key ``kid``, or None when the issuer does not publish it (after at most one refresh)."""
        found = self._keys.get(kid)
        if found is not None:
            return found
        with self._lock:
            found = self._keys.get(kid)  # another thread may have refreshed meanwhile
            if found is not None:
                return found
            now = self._clock()
            if self._fetched_at is not None and now - self._fetched_at < REFRESH_INTERVAL_SECONDS:
                return None
            self._keys = self._load()
            self._fetched_at = now
            return self._keys.get(kid)

    def _load(self) -> dict[str, jwt.PyJWK]:
        if self._jwks_uri is None:
            discovery = self._fetch(f"{self._issuer}/.well-known/openid-configuration")
            uri = discovery.get("jwks_uri")
            if not isinstance(uri, str):
                raise KeysUnavailableError("the issuer's discovery document has no jwks_uri")
            self._jwks_uri = uri
        document = self._fetch(self._jwks_uri)
        try:
            key_set = jwt.PyJWKSet.from_dict(document)
        except jwt.PyJWKSetError as error:
            raise KeysUnavailableError(f"{self._jwks_uri}: {error}") from None
        # Keys without a kid cannot be selected by a token header; signature keys only.
        return {k.key_id: k for k in key_set.keys if k.key_id and k.public_key_use in (None, "sig")}

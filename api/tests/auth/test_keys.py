"""The issuer's keys: discovered, cached, refreshed on an unknown kid at most once per 30 s."""

from __future__ import annotations

from typing import Any

import pytest

from innovate_api.auth.keys import KeyCache, KeysUnavailableError
from tests.auth_tokens import TestIssuer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_keys_are_discovered_once_and_then_served_from_the_cache() -> None:
    issuer = TestIssuer()
    keys = issuer.keys()
    assert keys.key(issuer.kid) is not None
    assert issuer.fetches == 2  # discovery + JWKS
    for _ in range(5):
        assert keys.key(issuer.kid) is not None
    assert issuer.fetches == 2


def test_an_unknown_kid_refreshes_once_then_waits_30_seconds() -> None:
    issuer = TestIssuer()
    clock = Clock()
    keys = issuer.keys(clock=clock)
    assert keys.key(issuer.kid) is not None
    fetched = issuer.fetches
    assert keys.key("forged") is None  # within 30 s of the last fetch: refused without fetching
    assert keys.key("forged-again") is None
    assert issuer.fetches == fetched
    clock.now += 30
    issuer.kid = "rotated"  # the issuer publishes a new key
    assert keys.key("rotated") is not None
    assert issuer.fetches == fetched + 1  # the JWKS only: jwks_uri was remembered


def test_an_explicit_jwks_uri_skips_discovery() -> None:
    issuer = TestIssuer()
    seen: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        seen.append(url)
        return issuer.jwks()

    assert KeyCache(issuer.issuer, "https://keys.test/jwks", fetch=fetch).key(issuer.kid) is not None
    assert seen == ["https://keys.test/jwks"]


@pytest.mark.parametrize("document", [{"issuer": "x"}, {"jwks_uri": 7}])
def test_a_discovery_document_without_jwks_uri_is_unavailable(document: dict[str, Any]) -> None:
    with pytest.raises(KeysUnavailableError, match="jwks_uri"):
        KeyCache("https://issuer.test", fetch=lambda _: document).key("k")


def test_an_unreachable_issuer_is_unavailable_not_a_crash() -> None:
    with pytest.raises(KeysUnavailableError, match=r"GET http://127\.0\.0\.1:9/"):
        KeyCache("http://127.0.0.1:9").key("k")

"""A verified token is remembered, but its time limits still hold on every later request."""

from __future__ import annotations

import time

import pytest

from innovate_api.auth.tokens import InvalidTokenError, TokenVerifier
from tests.auth_tokens import CLIENT_ID, TestIssuer, new_key


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_remembered_token_still_expires() -> None:
    issuer, clock = TestIssuer(), Clock()
    verifier = TokenVerifier(issuer.issuer, CLIENT_ID, issuer.keys(), clock=clock)
    token = issuer.mint(exp=int(clock.now) + 60)
    assert verifier.verify(token).subject == "user-a"
    fetches = issuer.fetches
    clock.now += 60 + 29  # within the leeway
    assert verifier.verify(token).subject == "user-a"
    assert issuer.fetches == fetches
    clock.now += 2
    with pytest.raises(InvalidTokenError, match="expired"):
        verifier.verify(token)


def test_only_the_exact_token_is_remembered() -> None:
    issuer = TestIssuer()
    verifier = TokenVerifier(issuer.issuer, CLIENT_ID, issuer.keys())
    token = issuer.mint()
    verifier.verify(token)
    header, payload, _ = token.split(".")
    forged = issuer.mint(key=new_key())  # same claims shape, another key
    with pytest.raises(InvalidTokenError, match="signature"):
        verifier.verify(f"{header}.{payload}.{forged.split('.')[2]}")


def test_a_refused_token_is_not_remembered() -> None:
    issuer = TestIssuer()
    verifier = TokenVerifier(issuer.issuer, CLIENT_ID, issuer.keys())
    token = issuer.mint(token_use="id")
    for _ in range(2):
        with pytest.raises(InvalidTokenError, match="not an access token"):
            verifier.verify(token)

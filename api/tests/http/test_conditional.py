"""If-Match parsing: strong comparison, lists, ``*``; anything unusable matches nothing (→ 412)."""

from __future__ import annotations

import pytest

from innovate_api.http.conditional import etag, parse_if_match


@pytest.mark.parametrize(
    ("header", "versions", "any_version"),
    [
        ('"3"', {3}, False),
        (' "3" , "12"', {3, 12}, False),
        ("*", set(), True),
        ('W/"3"', set(), False),  # weak tags never match If-Match
        ("3", set(), False),
        ('"0"', set(), False),
        ('"03"', set(), False),
        ('"١"', set(), False),  # a non-ASCII digit is not a version
        ('"9999999999"', set(), False),
        ("", set(), False),
    ],
)
def test_parse_if_match(header: str, versions: set[int], any_version: bool) -> None:
    parsed = parse_if_match(header)
    assert parsed.versions == versions
    assert parsed.any_version is any_version


def test_etag_round_trips() -> None:
    assert parse_if_match(etag(42)).allows(42)
    assert not parse_if_match(etag(42)).allows(41)

"""Cursors are opaque round-trips of the sort key; anything else is a 400 naming query.cursor."""

from __future__ import annotations

import pytest

from innovate_api.http.pagination import decode_cursor, encode_cursor
from innovate_api.problems import ProblemError


def test_round_trip() -> None:
    key = ["todo", 3, "8a3e7c1e-0000-4000-8000-000000000000"]
    cursor = encode_cursor(key)
    assert "=" not in cursor
    assert decode_cursor(cursor, 3) == key


@pytest.mark.parametrize("cursor", ["", "!!!", "bm90IGpzb24", encode_cursor([1]), "ü"])
def test_garbage_is_a_validation_problem(cursor: str) -> None:
    with pytest.raises(ProblemError) as raised:
        decode_cursor(cursor, 2)
    assert raised.value.status == 400
    assert raised.value.errors == [{"field": "query.cursor", "message": "not a cursor returned by this API"}]

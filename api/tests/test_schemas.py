"""The document's idea of a blank name/title must be exactly the API's, or contract tests and clients disagree."""

import re

import pytest

from innovate_api.schemas import _BLANK_CHARS, _NO_NUL_NOT_BLANK, _trimmed_not_blank

NOT_BLANK = re.compile(_NO_NUL_NOT_BLANK)


@pytest.mark.parametrize("char", list(_BLANK_CHARS))
def test_every_blank_character_is_blank_for_the_schema_and_the_validator(char: str) -> None:
    assert NOT_BLANK.match(char * 3) is None
    with pytest.raises(ValueError, match="must not be blank"):
        _trimmed_not_blank(char * 3)


@pytest.mark.parametrize("text", ["a", " a ", "\u200b", "\x1fx\x1f", "é"])
def test_text_with_a_non_blank_character_is_accepted_by_both(text: str) -> None:
    assert NOT_BLANK.match(text) is not None
    assert _trimmed_not_blank(text) == text.strip(_BLANK_CHARS)


def test_python_whitespace_is_a_subset_of_blank() -> None:
    # str.strip() with no argument would call these blank; the API must agree (they are in _BLANK_CHARS).
    python_space = {chr(code) for code in range(0x3100) if chr(code).isspace()}
    assert python_space <= set(_BLANK_CHARS)

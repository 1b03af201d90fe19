"""The message catalogue: every entry in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from actions.texts import CATALOGUE, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    german, english = CATALOGUE[key]
    assert english, key
    assert german or key == "note_german", key
    assert _fields(german) == _fields(english) or key == "note_german", key


def test_german_is_the_default() -> None:
    assert t("thank", None) == t("thank", "de") == t("thank", "fr") == "Gern geschehen!"
    assert t("thank", "en") == "You're welcome!"


def test_values_are_filled_in() -> None:
    assert "1000" in t("too_long", "en", limit=1000)

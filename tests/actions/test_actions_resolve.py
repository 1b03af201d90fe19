"""Pure parts of reference resolution: list positions, "of those", search texts, places."""

from __future__ import annotations

import pytest

from actions.resolve import (
    core_text,
    municipality_in,
    ordinal,
    pick_position,
    refers_to_shown,
    search_text,
)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("das zweite", 2),
        ("Das erste bitte", 1),
        ("der dritte", 3),
        ("Nummer 3", 3),
        ("Nummer zwei", 2),
        ("Nr. 1", 1),
        ("number 2", 2),
        ("the first one", 1),
        ("The second one", 2),
        ("the last one", -1),
        ("das letzte", -1),
        ("2", 2),
        ("die 1", 1),
        ("3.", 3),
        ("zwei", 2),
        ("Wer ist beim zweiten Projekt zuständig?", 2),
    ],
)
def test_ordinal(text: str, position: int) -> None:
    assert ordinal(text) == position


@pytest.mark.parametrize(
    "text", ["Welche Projekte laufen 2021?", "Wer ist Ansprechpartner?", "Projekte in Soest", ""]
)
def test_no_ordinal(text: str) -> None:
    assert ordinal(text) is None


def test_pick_position() -> None:
    ids = ["a", "b", "c"]
    assert pick_position(ids, 2) == "b"
    assert pick_position(ids, -1) == "c"
    assert pick_position(ids, 4) is None
    assert pick_position(ids, None) is None
    assert pick_position([], 1) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welches davon ist in Paderborn?", True),
        ("Which of those is in Soest?", True),
        ("Any of them in Gelsenkirchen?", True),
        ("Which projects are there in Soest?", False),
        ("Welche Projekte gibt es in Paderborn?", False),
    ],
)
def test_refers_to_shown(text: str, expected: bool) -> None:
    assert refers_to_shown(text) is expected


def test_search_text_drops_framing_and_place_words(tiny) -> None:
    soest = tiny.region("soest")
    assert search_text("Gibt es Projekte zu Raumfahrt in Soest?", soest) == "es zu Raumfahrt in"
    assert search_text("Projekte zur Kita-Anmeldung") == "zur Kita-Anmeldung"
    assert core_text("Which projects are there about blockchain?") == "blockchain?"


def test_municipality_in(tiny) -> None:
    owl = tiny.region("owl-paderborn")
    assert municipality_in(owl, "Projekte in Bielefeld") == "Stadt Bielefeld"
    assert municipality_in(owl, "Projekte im Kreis Paderborn") == "Kreis Paderborn"
    assert municipality_in(owl, "Projekte in Paderborn") is None

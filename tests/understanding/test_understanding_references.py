"""References by position or by name (`understanding.references`): list positions, "of
those", and project names the documents do not know."""

from __future__ import annotations

import pytest

from index.names import NameIndex
from understanding.references import of_those, ordinal, unknown_project


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
        ("the 2nd", 2),
        ("Wer ist beim zweiten Projekt zuständig?", 2),
    ],
)
def test_a_list_position(text: str, position: int) -> None:
    assert ordinal(text) == position


@pytest.mark.parametrize(
    "text",
    [
        "Welche Projekte laufen 2021?",  # a year is no position
        "Wer ist Ansprechpartner?",
        "Projekte in Soest",
        "Gibt es zwei Projekte zu Open Data?",  # a cardinal inside a sentence counts, not points
        "Hat das Projekt 2,5 Millionen gekostet?",
        "",
    ],
)
def test_no_list_position(text: str) -> None:
    assert ordinal(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welches davon ist in Paderborn?", True),
        ("Which of those is in Soest?", True),
        ("Any of them in Gelsenkirchen?", True),
        ("Welche von diesen laufen 2021?", True),
        ("Which projects are there in Soest?", False),
        ("Welche Projekte gibt es in Paderborn?", False),
    ],
)
def test_of_those_narrows_the_list_just_shown(text: str, expected: bool) -> None:
    assert of_those(text) is expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Wer ist der Ansprechpartner für das Projekt Bürgerbus Minden?", "Bürgerbus Minden"),
        ("Tell me about the project Citizen Bus", "Citizen Bus"),
        ("Was macht das Vorhaben „Smarte Mülltonne“?", "Smarte Mülltonne"),
    ],
)
def test_a_project_name_the_documents_do_not_know(names: NameIndex, text: str, name: str) -> None:
    assert unknown_project(text, names.match(text)) == name


@pytest.mark.parametrize(
    "text",
    [
        "Was macht das Projekt Zeonline?",  # printed
        "Was macht das Projekt IVOD?",
        "Wer ist Ansprechpartner?",  # no name at all
        "Welche Projekte gibt es in Aachen?",
    ],
)
def test_a_printed_or_missing_name_is_not_unknown(names: NameIndex, text: str) -> None:
    assert unknown_project(text, names.match(text)) is None

"""The one analysis of a question (`index.analysis`): years and how they relate, status,
the form of the question, a region's make-up, "today", and project names nobody has."""

from __future__ import annotations

import pytest

from index.analysis import Analysis, YearQuery, analyse
from index.loader import load
from index.names import NameIndex
from tests.index.conftest import FIXTURE


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return NameIndex(load(FIXTURE))


def of(text: str, names: NameIndex) -> Analysis:
    return analyse(text, names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("welche Projekte laufen 2021 in Soest", YearQuery(2021, "active", "in")),
        ("Welche Projekte enden 2021?", YearQuery(2021, "end", "in")),
        ("Which projects started before 2019?", YearQuery(2019, "start", "before")),
        ("Projekte, die nach 2019 beginnen", YearQuery(2019, "start", "after")),
        ("Was ist bis 2020 abgeschlossen?", YearQuery(2020, "end", "by")),
        ("Projekte in Soest", None),
        ("Nummer 3", None),
    ],
)
def test_year_and_its_relation(names: NameIndex, text: str, expected: YearQuery | None) -> None:
    assert of(text, names).year == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welche Projekte sind in Aachen geplant?", "planned"),
        ("Which projects are planned?", "planned"),
        ("Was ist in der Antragsprüfung?", "in_review"),
        ("laufende Projekte in Soest", "running"),
        ("Welche Projekte laufen 2021?", None),
        ("Projekte in Soest", None),
    ],
)
def test_status(names: NameIndex, text: str, expected: str | None) -> None:
    assert of(text, names).status == expected


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Wie viele Projekte gibt es in Gelsenkirchen?", "count"),
        ("How many projects are there?", "count"),
        ("Welches Projekt hat zuerst begonnen?", "first"),
        ("Which project ends last?", "last"),
        ("Welche Projekte gibt es in Soest?", "list"),
        ("Wer ist Ansprechpartner für das Bürgerportal?", "single"),
        # an ordinal alone chooses from a list; it is no ordering
        ("das erste", "single"),
    ],
)
def test_form(names: NameIndex, text: str, form: str) -> None:
    assert of(text, names).form == form


def test_structured_questions(names: NameIndex) -> None:
    assert of("Welche Kommunen gehören zur Modellregion Soest?", names).structured
    assert of("Welche Projekte enden 2021?", names).structured
    assert of("Welche Projekte sind schon abgeschlossen?", names).finished
    assert not of("Welche Projekte laufen 2021 in Soest?", names).structured
    assert not of("Gibt es Projekte zu Open Data?", names).structured


def test_today(names: NameIndex) -> None:
    assert of("Welche Projekte laufen aktuell?", names).current
    assert of("What is running today?", names).current
    assert not of("Welche Projekte laufen 2021?", names).current


def test_a_project_name_nobody_has(names: NameIndex) -> None:
    unknown = of("Wer ist der Ansprechpartner für das Projekt Bürgerbus Minden?", names)
    assert unknown.named_project == "Bürgerbus Minden"
    assert of("Wer ist Ansprechpartner?", names).named_project is None


def test_english(names: NameIndex) -> None:
    assert of("Which projects run in Soest?", names).english
    assert not of("Welche Projekte laufen in Soest?", names).english
    assert not of("Was ist IVOD?", names).english

"""The time a question names and how it relates a project's period to it
(`understanding.dates`)."""

from __future__ import annotations

import pytest

from index.text import words
from understanding.dates import YearQuery, order_event, year_query


def read(text: str) -> YearQuery | None:
    return year_query(words(text), text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("welche Projekte laufen 2021 in Soest", YearQuery(2021, "active", "in")),
        ("Welche Projekte enden 2021?", YearQuery(2021, "end", "in")),
        ("Which projects started before 2019?", YearQuery(2019, "start", "before")),
        ("Projekte, die nach 2019 beginnen", YearQuery(2019, "start", "after")),
        ("Was ist bis 2020 abgeschlossen?", YearQuery(2020, "end", "by")),
        ("Which projects end by 2020?", YearQuery(2020, "end", "by")),
        # "bis" alone relates the end of a period, whatever the verb
        ("Was läuft bis 2020?", YearQuery(2020, "end", "by")),
        ("Welche Projekte starten im September 2019?", YearQuery(2019, "start", "in", 9)),
        ("Which projects ended in March 2020?", YearQuery(2020, "end", "in", 3)),
        ("Projekte in Soest", None),
        ("Nummer 3", None),
        ("Projekt 12345", None),  # not a year of this century or the last
    ],
)
def test_the_year_and_how_it_is_related(text: str, expected: YearQuery | None) -> None:
    assert read(text) == expected


def test_the_first_year_counts() -> None:
    found = read("Was lief 2019 und was läuft 2021?")
    assert found is not None and found.year == 2019


def test_active_in_is_only_the_plain_relation() -> None:
    assert YearQuery(2021).active_in == 2021
    assert YearQuery(2021, "end").active_in is None
    assert YearQuery(2021, "active", "before").active_in is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welches Projekt hat zuerst begonnen?", ("first", "start")),
        ("Which project started first?", ("first", "start")),
        ("Which project ends last?", ("last", "end")),
        ("Welches endet zuletzt?", ("last", "end")),
        ("Which project started last?", ("last", "start")),
        ("Welches Projekt endet als erstes?", ("first", "end")),
        # no word of an order: the earliest start
        ("Sortiere die Projekte nach Datum", ("first", "start")),
    ],
)
def test_the_order_of_an_ordering(text: str, expected: tuple[str, str]) -> None:
    assert order_event(words(text)) == expected

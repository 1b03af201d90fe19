"""`index.query.read_query`: the lexical reading of a question's text that a search is given
(fixture knowledge, no embedding)."""

from __future__ import annotations

import numpy as np
import pytest

from index.domain import Knowledge
from index.names import NameIndex, name_index
from index.query import Query, is_generic, municipality_key, read_query


@pytest.fixture(scope="module")
def names(knowledge: Knowledge) -> NameIndex:
    return name_index(knowledge)


def test_a_region_is_matched_and_left_out_of_the_words_searched(names: NameIndex) -> None:
    q = read_query("Wo gibt es Parkplaetse in Bottrop?", names)
    assert q.region == "gelsenkirchen" and q.municipalities == {"bottrop"}
    assert "Bottrop" not in q.text and "Parkplaetse" in q.text
    assert q.subject == ("parkplaetse",)  # the misspelt subject stays the subject


def test_a_list_question_has_no_subject(names: NameIndex) -> None:
    for text in ("Welche Projekte laufen 2021 in Aachen?", "Which projects run in Aachen?"):
        q = read_query(text, names)
        assert q.region == "aachen" and q.residual == () and q.subject == ()


def test_scope_words_are_not_the_subject(names: NameIndex) -> None:
    # The whole programme is about NRW: "NRW" carries no subject of its own.
    q = read_query("Welche Partei regiert in Nordrhein-Westfalen?", names)
    assert "nordrhein" not in q.residual and "westfalen" not in q.residual
    assert "partei" in q.residual


def test_a_person_is_matched_and_left_out_of_the_words_searched(names: NameIndex) -> None:
    q = read_query("Woran arbeitet Herr vom Sondern?", names)
    (key,) = q.people
    assert names.people[key].contact.name == "Manfred vom Sondern"
    assert "Sondern" not in q.text and "sondern" not in q.residual


def test_project_names_are_kept_for_the_ranking(names: NameIndex) -> None:
    q = read_query("Wer betreut IVOD?", names)
    assert list(q.names) == ["aachen-ivod"] and not q.names["aachen-ivod"].partial
    assert q.text == "Wer betreut IVOD?"


def test_an_actor_is_named_without_hiding_its_words(names: NameIndex) -> None:
    q = read_query("Was macht die KDN?", names)
    assert q.actor == "kdn" and "kdn" in q.residual  # an actor's name may name a topic too


def test_a_place_outside_the_regions(names: NameIndex) -> None:
    q = read_query("Hundesteuer in Köln beantragen", names)
    assert q.other_place == "Köln" and q.place_words == {"koeln"} and q.region is None
    assert "Köln" not in q.text
    # a region named as well wins: the outside place is then no filter
    both = read_query("Projekte in Köln und in Aachen", names)
    assert both.region == "aachen" and both.other_place is None


def test_the_matches_the_nlu_found_read_like_the_name_index(names: NameIndex) -> None:
    text = "Wo gibt es Parkplaetse in Bottrop?"
    assert read_query(text, names.match(text)) == read_query(text, names)


def test_facets_and_the_vector_are_passed_through(names: NameIndex) -> None:
    vector = np.ones(4, dtype=np.float32)
    q = read_query(
        "Which projects are planned?", names, english=True, year=2021, status="planned",
        vector=vector,
    )  # fmt: skip
    assert (q.english, q.year, q.status) == (True, 2021, "planned")
    assert q.vector is vector
    assert q == Query(**{**q.__dict__, "vector": None})  # the vector is no part of equality


def test_nouns_are_the_capitalised_words_after_the_first() -> None:
    q = read_query("Gibt es Hilfe beim Umzug?", [])
    assert q.nouns == {"hilfe", "umzug"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Stadt Soest", "soest"),
        ("Kreis  Soest", "soest"),
        ("Hansestadt Lippstadt", "lippstadt"),
        ("Stadt Delbrück", "delbrueck"),
        ("Städteregion Aachen", "staedteregion aachen"),  # not a prefix people leave out
    ],
)
def test_municipality_key(name: str, key: str) -> None:
    assert municipality_key(name) == key


def test_generic_administration_words_after_stemming() -> None:
    assert is_generic("beantragen") and is_generic("anmeldungen") and is_generic("kosten")
    assert not is_generic("blockchain") and not is_generic("parkplaetze")
    assert read_query("Wie viele Mitarbeiter hat die Stadtverwaltung?", []).generic_share == 1.0
    assert read_query("Kita Antrag online", []).generic_share == pytest.approx(1 / 3)
    assert read_query("Blockchain", []).generic_share == 0.0
    assert read_query("", []).generic_share == 0.0

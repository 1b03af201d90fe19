"""Fuzzy name matching: typos, missing umlauts, short names, people printed several times."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.loader import load
from index.names import NameIndex, edit_budget
from index.passages import lexical

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def names() -> NameIndex:
    k = load(FIXTURE)
    return NameIndex(k, corpus=[lexical(d, k) for d in k.documents])


def targets(names: NameIndex, text: str, kind: str) -> list[str]:
    return [m.target for m in names.match(text, kinds=(kind,))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buerger id", "paderborn-buerger-id"),  # no umlaut, no hyphen
        ("Was ist zeonlin?", "gelsenkirchen-zeonline"),  # one letter missing
        ("dorf app", "paderborn-delbrueck-dorfapp"),  # split word
        ("IVOD", "aachen-ivod"),
        ("govchain NRW", "aachen-govchain-nrw"),
    ],
)
def test_project_names_with_typos(names: NameIndex, text: str, expected: str) -> None:
    assert targets(names, text, "project")[:1] == [expected]


def test_short_names_only_match_exactly(names: NameIndex) -> None:
    assert targets(names, "ivdo", "project") == []
    assert edit_budget("ivod") == 0 and edit_budget("paderborn") == 2


def test_a_long_name_does_not_match_without_its_distinctive_word(names: NameIndex) -> None:
    # "Digitale Modellregion" is part of every region name; it names none of them
    assert targets(names, "Digitale Modellregion", "region") == []


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Projekte in Paderbron", "paderborn"),  # swapped letters
        ("Stadt Delbrück", "paderborn"),  # partner city
        ("Parken in Bottrop", "gelsenkirchen"),  # partner without "Stadt"
        ("Bezirksregierung Koeln", "aachen"),  # district government
        ("Modellregion Aachen", "aachen"),
    ],
)
def test_regions(names: NameIndex, text: str, region: str) -> None:
    found = names.region(text)
    assert found is not None and found[0] == region


@pytest.mark.parametrize("text", ["Hundesteuer in Köln", "sonst noch was", "Projekte in München"])
def test_no_region(names: NameIndex, text: str) -> None:
    assert names.region(text) is None


def test_places_outside_the_model_regions(names: NameIndex) -> None:
    assert names.other_place("Hundesteuer in Köln") == "Köln"
    assert names.other_place("Hundesteuer in Koln") == "Köln"
    assert names.other_place("smart city in Munich") == "Munich"
    assert names.other_place("Parken in Bottrop") is None  # a partner of a model region
    assert names.other_place("Abgase mindern") is None  # places match exactly ("Minden")


def test_person_printed_on_several_slides_is_one_hit(names: NameIndex) -> None:
    hits = names.person_hits("Wer ist Herr Sondern?")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.contact.name == "Manfred vom Sondern" and hit.contact.role == "CDO"
    assert hit.owners == ("gelsenkirchen", "gelsenkirchen-zeonline", "gelsenkirchen-smart-parking")


def test_same_email_in_other_case_is_the_same_person(names: NameIndex) -> None:
    (hit,) = names.person_hits("Klaus Weber")
    assert hit.owners == ("kdn", "land-gewerbe-service-portal")
    (pauels,) = names.person_hits("pauels")
    assert pauels.owners == ("aachen", "aachen-govchain-nrw")


def test_people_by_surname_or_salutation_name(names: NameIndex) -> None:
    assert [h.contact.name for h in names.person_hits("Frau Gerke")] == ["Gerke"]
    assert [h.contact.name for h in names.person_hits("Petra Kuehn")] == ["Petra Kühn"]
    assert names.person_hits("Wie viel Geld gibt es?") == []


def test_partial_match_on_a_rare_word_only(names: NameIndex) -> None:
    matches = {m.target: m for m in names.match("Was ist mit Blockchain?")}
    assert matches["aachen-govchain-nrw"].partial  # from "Blockchain-Reallabor NRW"
    assert not any(m.partial for m in names.match("Digitale Projekte"))

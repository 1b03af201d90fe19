"""`index.vocabulary`, the one home of the project's word lists: their form (folded where the
code compares folded words) and the relations between them the rules rely on."""

from __future__ import annotations

import pytest

from index import vocabulary as v
from index.domain import STATUSES
from index.loader import load
from index.text import fold, words

# Lists compared with folded words (`index.text.fold`). Not folded on purpose: the language
# voters (umlauts vote for German), greetings and sign-offs (matched in the raw text) and
# abbreviations (case matters: "Nr." ends no sentence).
FOLDED = {
    "STOPWORDS": v.STOPWORDS,
    "START_WORDS": v.START_WORDS,
    "END_WORDS": v.END_WORDS,
    "BEFORE_WORDS": v.BEFORE_WORDS,
    "AFTER_WORDS": v.AFTER_WORDS,
    "BY_WORDS": v.BY_WORDS,
    "FINISHED_WORDS": v.FINISHED_WORDS,
    "FIRST_WORDS": v.FIRST_WORDS,
    "LAST_WORDS": v.LAST_WORDS,
    "ORDINALS": {w for ws in v.ORDINALS.values() for w in ws},
    "CARDINALS": v.CARDINALS,
    "NUMBER_WORDS": v.NUMBER_WORDS,
    "OF_THOSE": set(v.OF_THOSE),
    "STATUS_WORDS": set(v.STATUS_WORDS),
    "MONTHS": set(v.MONTHS),
    "SEASON_POSITION": set(v.SEASON_POSITION),
    "PLACE_PREFIXES": set(v.PLACE_PREFIXES),
    "NAME_PARTICLES": v.NAME_PARTICLES,
    "ORGANISATION_WORDS": v.ORGANISATION_WORDS,
    "FRAMING": v.FRAMING,
    "GENERIC_WORDS": v.GENERIC_WORDS,
}


@pytest.mark.parametrize("name", sorted(FOLDED))
def test_lists_compared_with_folded_words_are_folded(name: str) -> None:
    assert not [w for w in FOLDED[name] if fold(w) != w], name


def test_relations_of_dates_do_not_overlap() -> None:
    assert not v.START_WORDS & v.END_WORDS
    assert not v.FIRST_WORDS & v.LAST_WORDS
    relations = (v.BEFORE_WORDS, v.AFTER_WORDS, v.BY_WORDS)
    for i, a in enumerate(relations):
        for b in relations[i + 1 :]:
            assert not a & b


def test_a_position_has_one_meaning() -> None:
    owners: dict[str, int] = {}
    for position, ws in v.ORDINALS.items():
        for w in ws:
            assert owners.setdefault(w, position) == position, w
    assert set(owners) >= v.CARDINALS


def test_months_and_seasons() -> None:
    german, english = (block.split() for block in v.MONTH_NAMES)
    assert len(german) == len(english) == 12
    for names in (german, english):
        assert [v.MONTHS[fold(n)] for n in names] == list(range(1, 13))
    assert all(0 <= p <= 1 for p in v.SEASON_POSITION.values())


def test_status_words_name_printed_statuses() -> None:
    assert set(v.STATUS_WORDS.values()) == set(STATUSES)


def test_no_stop_word_is_the_name_of_a_place_of_the_knowledge() -> None:
    """A one-word stop word must never be, or hide, a printed place ("Soest")."""
    knowledge = load()
    places = set()
    for region in knowledge.regions:
        for name in (region.short_name, region.lead_municipality, *region.partners):
            places |= set(words(name)) - set(v.PLACE_PREFIXES)
    assert not places & v.STOPWORDS, places & v.STOPWORDS


def test_the_facet_words_frame_a_list_question() -> None:
    assert v.FRAMING <= v.FACET_WORDS and set(v.STATUS_WORDS) <= v.FACET_WORDS
    assert not {"blockchain", "parken", "kita"} & v.FACET_WORDS

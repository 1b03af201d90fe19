"""The one vocabulary of kinds and facets (`understanding.kinds`) shared by the question bank,
the NLU's intents and the answers' table."""

from __future__ import annotations

import pytest
import yaml

from evaluation import bank
from understanding.kinds import (
    ASPECTS,
    BEYOND_FACETS,
    FACETS,
    KINDS,
    MOVES,
    SMALL_TALK,
    bank_kind,
    facets_of,
    main_kind,
)
from understanding.read import LIST_KINDS, SEARCHED_KINDS, TOPIC_KINDS


def test_labels_are_unique() -> None:
    for labels in (KINDS, ASPECTS, FACETS):
        assert len(set(labels)) == len(labels)
    assert set(KINDS) >= SMALL_TALK and set(KINDS) >= MOVES


def test_every_kind_of_the_bank_is_a_kind_of_the_nlu() -> None:
    """The bank's kinds are the NLU's, with its small talk split finer and "current" a facet."""
    for kind in bank.KINDS:
        if kind in ("smalltalk", "current"):
            continue
        assert kind in KINDS, kind
    assert {bank_kind(k) for k in SMALL_TALK} == {"smalltalk"}
    assert set(ASPECTS) == set(bank.ASPECTS)
    assert set(BEYOND_FACETS) <= set(bank.BEYOND)


def test_the_domain_knows_every_kind_as_an_intent() -> None:
    from pathlib import Path

    domain = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "bot" / "domain.yml").read_text(encoding="utf-8")
    )
    # nlu_fallback is Rasa's own intent (FallbackClassifier), not declared in the domain
    assert set(domain["intents"]) == set(KINDS) - {"nlu_fallback"}


def test_the_reading_groups_are_kinds() -> None:
    for group in (LIST_KINDS, SEARCHED_KINDS, TOPIC_KINDS):
        assert group <= set(KINDS), group - set(KINDS)


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (("project",), "project"),
        (("current", "period_filter"), "period_filter"),  # "current" is a facet, not a kind
        (("topic", "person"), "topic"),
        (("smalltalk",), None),  # the bank does not label which small talk
        (("current",), None),
        ((), None),
    ],
)
def test_the_main_kind_a_labelled_turn_trains(kinds: tuple[str, ...], expected: str | None) -> None:
    assert main_kind(kinds) == expected


def test_the_facets_of_a_labelled_turn() -> None:
    assert facets_of(("contact", "period"), ("project",), (), False) == ("contact", "period")
    # about today: by the overlay kind or by what is asked beyond the documents
    assert "current" in facets_of((), ("current", "project"), (), False)
    assert "current" in facets_of((), ("project",), ("today",), False)
    assert facets_of((), ("project",), (), True) == ("context",)
    # only what the words can show is a facet; "other_city" is not
    assert facets_of((), ("project",), ("phone", "other_city"), False) == ("phone",)
    assert facets_of((), ("project",), (), False, answerable=False) == ("unanswerable",)
    assert facets_of(("bogus", "contact", "contact"), ("project",), (), False) == ("contact",)
    assert set(facets_of(ASPECTS, ("current",), BEYOND_FACETS, True, False)) == set(FACETS)

"""`understanding.followups`: the learned second reading of a turn with the conversation, and
how `understand` uses it. The model is the committed one (`understanding/followups.json`,
learned by `make learn`); the NLU's output is given as the NLU would give it (tests/parses.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.parses import nlu_parse
from understanding import followups
from understanding.followups import Turn
from understanding.kinds import QUESTION_KINDS
from understanding.read import understand
from understanding.state import Context

IVOD = "aachen-ivod"


@pytest.fixture(scope="module")
def model() -> followups.Model:
    found = followups.model()
    assert found is not None, "understanding/followups.json is missing: run `make learn`"
    return found


def test_the_stored_model_reads_the_features_it_was_learned_on(model) -> None:
    turn = Turn({"project": 0.9}, 0.9, "person", (), 3)
    width = turn.features().shape[0]
    assert model.coef.shape == (len(model.kinds), width)
    assert model.context_coef.shape == (width,)
    assert set(model.kinds) <= set(QUESTION_KINDS)
    assert 0.0 < model.gate < 1.0 and 0.0 < model.context_at < 1.0


def test_below_the_gate_the_nlus_kind_stands(model) -> None:
    kind, _ = model.read(Turn({"project": 0.9}, model.gate / 2, "person", (), 3))
    assert kind is None


def test_a_follow_up_that_names_nothing_asks_what_the_previous_question_asked(model) -> None:
    """ "phone?" after a question about a person: the NLU, reading the word alone, leans to a
    project; the conversation makes it a question about the person."""
    turn = Turn({"project": 0.55, "person": 0.35, "actor": 0.1}, 0.95, "person", (), 1)
    assert model.read(turn) == ("person", True)


def test_a_self_contained_question_keeps_its_kind_and_does_not_refer_back(model) -> None:
    turn = Turn({"topic": 0.97, "project": 0.02}, 0.02, "person", (), 9)
    kind, refers = model.read(turn)
    assert kind in (None, "topic") and not refers


def test_a_changed_model_changes_the_reading(model) -> None:
    """The reading comes from the learned weights, not from a rule beside them."""
    turn = Turn({"project": 0.55, "person": 0.35, "actor": 0.1}, 0.95, "person", (), 1)
    bias = np.zeros(len(model.kinds))
    bias[model.kinds.index("actor")] = 1e3
    tilted = dataclasses.replace(model, intercept=model.intercept + bias)
    assert tilted.read(turn)[0] == "actor"


def test_understand_reads_a_follow_up_with_the_previous_kind(retriever) -> None:
    parse = nlu_parse(
        "und die Telefonnummer?",
        "project",
        {"contact": 0.9, "context": 0.95},
        retriever=retriever,
        confidence=0.55,
        ranking=[("person", 0.35), ("actor", 0.1)],
    )
    after_person = understand(parse, Context(last_kind="person"), retriever)
    assert after_person.kind == "person" and after_person.followup
    first = understand(parse, Context(), retriever)
    assert first.kind == "project", "without a previous question the NLU's kind stands"


def test_small_talk_keeps_the_nlus_word(retriever) -> None:
    parse = nlu_parse("danke", "thank", {"context": 0.9}, retriever=retriever)
    assert understand(parse, Context(last_kind="project"), retriever).kind == "thank"


def test_a_parse_without_the_facets_scores_is_read_as_the_nlu_read_it(retriever) -> None:
    parse = nlu_parse("Und wer ist da der Ansprechpartner?", "project", ["contact", "context"],
                      retriever=retriever)  # fmt: skip
    del parse["facet_scores"]
    ctx = Context(current_project=IVOD, shown_projects=(IVOD,), last_kind="person")
    q = understand(parse, ctx, retriever)
    assert q.kind == "project" and q.followup and q.targets.projects == (IVOD,)

"""Fast checks of the NLU data (no Rasa run): the examples generated from the question bank,
the hand-written examples and the held-out sets, against the one vocabulary of kinds and
facets (understanding/kinds.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from evaluation.bank import load_bank
from tests.rasa.examples import examples, read
from tests.support import unavailable
from understanding.kinds import FACETS, KINDS, MOVES, SMALL_TALK, facets_of, main_kind

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import generate_nlu  # noqa: E402

HELD_OUT = (ROOT / "tests" / "rasa" / "nlu_holdout.yml", ROOT / "tests" / "rasa" / "nlu_dev.yml")


@pytest.fixture(scope="module")
def generated() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    return generate_nlu.examples()


def test_the_generated_file_is_rasa_nlu_yaml_of_kinds_and_facets(generated) -> None:
    rendered = generate_nlu.render(generated)
    assert rendered.startswith("# GENERATED")
    data = yaml.safe_load(rendered)
    assert data["version"] == "3.1"
    for block in data["nlu"]:
        assert set(block) == {"intent", "examples"}
        assert block["intent"] in KINDS
        for row in block["examples"]:
            assert set(row) <= {"text", "metadata"} and row["text"].strip()
            facets = (row.get("metadata") or {}).get("facets", [])
            assert "metadata" not in row or (facets and set(facets) <= set(FACETS))


def test_generation_is_deterministic(generated) -> None:
    assert generate_nlu.render(generate_nlu.examples()) == generate_nlu.render(generated)


def test_only_the_train_writers_reach_the_model(generated) -> None:
    bank = load_bank()
    texts = {text for rows in generated.values() for text, _ in rows}
    train = {" ".join(t.q.split()) for _, t in bank.turns(bank.split("train"))}
    dev = {" ".join(t.q.split()) for _, t in bank.turns(bank.split("dev"))}
    assert texts and texts <= train
    assert not texts & (dev - train)  # a dev writer's question never trains


def test_each_turn_trains_its_main_kind_with_its_facets(generated) -> None:
    """The first time a text occurs among the train writers' turns decides its example."""
    bank = load_bank()
    seen: dict[str, tuple[str, tuple[str, ...]]] = {}
    for intent, rows in generated.items():
        for text, facets in rows:
            assert text not in seen, f"{text!r} twice"
            seen[text] = (intent, facets)
    first: set[str] = set()
    for _, turn in bank.turns(bank.split("train")):
        text = " ".join(turn.q.split())
        kind = main_kind(turn.kinds)
        if kind is None or text in first:
            continue
        first.add(text)
        facets = facets_of(turn.aspects, turn.kinds, turn.beyond, turn.context, turn.answerable)
        assert seen[text] == (kind, facets), text
    assert first == set(seen)


def test_a_tiny_bank_flows_into_the_nlu_data(tmp_path: Path) -> None:
    """A train writer's turns become examples of their main kind with their facets; a dev
    writer's never; the bank's small talk stays out."""
    (tmp_path / "splits.yml").write_text("train: [w1]\ndev: [w2]\n", encoding="utf-8")
    (tmp_path / "w1-part1.yml").write_text(
        """
writer: w1
items:
  - id: w1-001
    lang: de
    q: "Wer betreut die  Drohnenpost?"
    kinds: [project]
    aspects: [contact]
    targets: [none]
    answerable: false
    beyond: [phone]
  - id: w1-002
    lang: de
    turns:
      - q: Hallo!
        kinds: [smalltalk]
        targets: [none]
        answerable: true
      - q: Was läuft heute noch?
        kinds: [current, period_filter]
        targets: [none]
        answerable: true
        context: true
""",
        encoding="utf-8",
    )
    (tmp_path / "w2-part1.yml").write_text(
        """
writer: w2
items:
  - id: w2-001
    lang: en
    q: Who runs the drone post?
    kinds: [project]
    aspects: [contact]
    targets: [none]
    answerable: false
""",
        encoding="utf-8",
    )
    found = generate_nlu.examples(tmp_path)
    assert found == {
        "project": [("Wer betreut die Drohnenpost?", ("contact", "phone", "unanswerable"))],
        "period_filter": [("Was läuft heute noch?", ("current", "context"))],
    }
    rendered = yaml.safe_load(generate_nlu.render(found))
    assert rendered["nlu"][0]["examples"][0] == {
        "text": "Was läuft heute noch?",
        "metadata": {"facets": ["current", "context"]},
    }


def test_the_hand_written_examples_are_kinds_with_known_facets() -> None:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    for example in read(ROOT / "bot" / "data" / "nlu.yml"):
        assert example.intent in domain["intents"], example
        assert set(example.facets) <= set(FACETS), example


def test_at_least_a_third_of_each_intent_is_english() -> None:
    from index.language import detect

    by_intent: dict[str, list[str]] = {}
    for example in read(ROOT / "bot" / "data" / "nlu.yml"):
        by_intent.setdefault(example.intent, []).append(example.text)
    for intent, lines in by_intent.items():
        english = [x for x in lines if detect(x, "de") == "en"]
        assert len(english) * 3 >= len(lines) - 3, (intent, len(english), len(lines))


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_the_held_out_sets_are_labelled_with_kinds_and_facets(path: Path) -> None:
    rows = read(path)
    assert len(rows) >= 100
    assert {r.intent for r in rows} <= set(KINDS)
    assert all(set(r.facets) <= set(FACETS) for r in rows)
    text = path.read_text(encoding="utf-8")
    assert "](" not in text  # no entity annotations: there are no entities any more
    english = [r for r in rows if r.text.isascii()]
    assert len(english) * 4 >= len(rows)


def _training() -> set[str]:
    if not (ROOT / "bot" / "data" / "generated" / "bank.yml").exists():
        unavailable("bot/data/generated/bank.yml missing: run scripts/generate_nlu.py")
    return examples(ROOT / "bot" / "data")


def test_the_held_out_set_is_not_training_data() -> None:
    training = _training()
    held_out = examples(HELD_OUT[0])
    assert not training & held_out, sorted(training & held_out)
    assert not held_out & examples(HELD_OUT[1])  # written independently of the dev set


def test_the_dev_set_shares_no_question_with_the_training_data() -> None:
    """A few replies everybody gives alike ("jo", "thx", "Nummer eins") are in both; no
    question of a kind is."""
    training = _training()
    shared = [r for r in read(HELD_OUT[1]) if r.text.lower() in training]
    assert {r.intent for r in shared} <= SMALL_TALK | MOVES, shared

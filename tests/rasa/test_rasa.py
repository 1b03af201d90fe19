"""Rasa's own checks: data validation, the NLU on the held-out set (the kind as Rasa's intent
with `rasa test nlu`; the facets in process, as `rasa test nlu` does not know them), and the
conversation stories.

Figures land in results/rasa/ (gitignored); docs/bot.md reports them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.rasa.examples import Example, read
from tests.rasa.rasacli import RESULTS, ROOT, rasa, tail
from understanding.kinds import ASPECTS

pytestmark = pytest.mark.rasa

HOLDOUT = ROOT / "tests" / "rasa" / "nlu_holdout.yml"
INTENT_F1_MIN = 0.95
ASPECT_F1_MIN = 0.85  # the aspects decide which printed fact an answer states
CONTEXT_RECALL_MIN = 0.8  # a follow-up not seen as one is searched instead of answered


def test_data_validates(generated_data: Path) -> None:
    result = rasa(
        "data", "validate", "--config", "config.yml", "--domain", "bot/domain.yml",
        "--data", "bot/data",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"rasa data validate failed:\n{tail(result)}"
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert not errors, "\n".join(errors)


def test_intents_on_held_out_set(model: Path) -> None:
    out = RESULTS / "nlu"
    result = rasa(
        "test", "nlu", "--model", str(model), "--nlu", str(HOLDOUT.relative_to(ROOT)),
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, f"rasa test nlu failed:\n{tail(result)}"
    intents = json.loads((out / "intent_report.json").read_text())
    summary = {
        "model": model.name,
        "test_set": str(HOLDOUT.relative_to(ROOT)),
        "utterances": intents["weighted avg"]["support"],
        "intent_f1": round(intents["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
    }
    (RESULTS / "nlu_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    errors = json.loads((out / "intent_errors.json").read_text())
    wrong = "\n".join(
        f"  {e['intent']} → {e['intent_prediction']['name']}: {e['text']}" for e in errors
    )
    assert summary["utterances"] >= 100
    assert summary["intent_f1"] >= INTENT_F1_MIN, f"{summary}\nmisclassified:\n{wrong}"


@pytest.fixture(scope="module")
def facets_read(model: Path) -> list[tuple[Example, set[str]]]:
    """Every held-out example with the facets the trained model reads in it."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [
        (example, set(asyncio.run(agent.parse_message(example.text)).get("facets") or {}))
        for example in read(HOLDOUT)
    ]


def _f1(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float, float]:
    tp = sum(len(got & want) for want, got in pairs)
    fp = sum(len(got - want) for want, got in pairs)
    fn = sum(len(want - got) for want, got in pairs)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def test_aspects_on_held_out_set(facets_read) -> None:
    aspects = set(ASPECTS)
    pairs = [(set(e.facets) & aspects, got & aspects) for e, got in facets_read]
    precision, recall, f1 = _f1(pairs)
    summary = {"aspect_precision": precision, "aspect_recall": recall, "aspect_f1": f1}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "facet_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    wrong = [(e.text, sorted(want), sorted(got)) for (e, _), (want, got) in
             zip(facets_read, pairs, strict=True) if want != got]  # fmt: skip
    assert f1 >= ASPECT_F1_MIN, (summary, wrong)


@pytest.mark.xfail(
    strict=True,
    reason="the facet classifier alone misses 'context' in most short follow-ups of the "
    "held-out set („Woher weißt du das?“, „Kann man das in anderen Kommunen auch machen?“: 6 "
    "of 18 found); with a previous question the learned second reading decides it "
    "(understanding.followups; tests/evaluation/test_evaluation_pipeline.py)",
)
def test_follow_ups_are_recognised_on_held_out_set(facets_read) -> None:
    follow_ups = [got for e, got in facets_read if "context" in e.facets]
    found = sum("context" in got for got in follow_ups)
    assert follow_ups and found / len(follow_ups) >= CONTEXT_RECALL_MIN, (found, len(follow_ups))


def test_conversation_stories(model: Path) -> None:
    out = RESULTS / "core"
    result = rasa(
        "test", "core", "--model", str(model), "--stories", "tests/rasa/test_stories.yml",
        "--fail-on-prediction-errors", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, f"rasa test core failed:\n{tail(result)}"
    report = json.loads((out / "story_report.json").read_text())
    failed = (out / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
    assert report["accuracy"] == 1.0, report

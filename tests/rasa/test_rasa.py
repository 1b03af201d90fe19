"""Rasa's own checks: data validation, NLU on the held-out set, conversation stories.

Figures land in results/rasa/ (gitignored); docs/bot.md reports them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.rasa.rasacli import RESULTS, rasa, tail

pytestmark = pytest.mark.rasa

INTENT_F1_MIN = 0.95
ENTITY_F1_MIN = 0.90


def test_data_validates(generated_data: Path) -> None:
    result = rasa(
        "data", "validate", "--config", "config.yml", "--domain", "bot/domain.yml",
        "--data", "bot/data",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"rasa data validate failed:\n{tail(result)}"
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert not errors, "\n".join(errors)


def test_nlu_on_held_out_set(model: Path) -> None:
    out = RESULTS / "nlu"
    result = rasa(
        "test", "nlu", "--model", str(model), "--nlu", "tests/rasa/nlu_holdout.yml",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, f"rasa test nlu failed:\n{tail(result)}"
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    summary = {
        "model": model.name,
        "test_set": "tests/rasa/nlu_holdout.yml",
        "utterances": intents["weighted avg"]["support"],
        "intent_f1": round(intents["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "entity_f1": round(entities["weighted avg"]["f1-score"], 4),
        "entity_f1_micro": round(entities.get("micro avg", {}).get("f1-score", 0.0), 4),
    }
    (RESULTS / "nlu_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    errors = json.loads((out / "intent_errors.json").read_text())
    wrong = "\n".join(
        f"  {e['intent']} → {e['intent_prediction']['name']}: {e['text']}" for e in errors
    )
    assert summary["utterances"] >= 80
    assert summary["intent_f1"] >= INTENT_F1_MIN, f"{summary}\nmisclassified:\n{wrong}"
    assert summary["entity_f1"] >= ENTITY_F1_MIN, summary


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

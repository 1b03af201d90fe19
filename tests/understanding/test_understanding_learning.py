"""`understanding.learning`: how the facets' thresholds are chosen."""

from __future__ import annotations

import numpy as np

from understanding.learning import RECALL_WEIGHT, Facets


def test_a_printed_aspect_s_threshold_favours_recall() -> None:
    """Two facets with the same evidence: the aspect "contact" (left out of an answer, it
    costs the answer) gets a threshold at most that of "context" (F1), and lower here."""
    rng = np.random.default_rng(7)
    n = 600
    truth = rng.random(n) < 0.25
    signal = truth * 1.0 + rng.normal(0, 0.9, n)  # a noisy feature
    x = np.column_stack([signal, rng.normal(0, 1, n)])
    labels = [frozenset({"contact", "context"}) if t else frozenset() for t in truth]
    model = Facets.fit(x, labels, c=1.0)
    threshold = dict(zip(model.labels, model.thresholds, strict=True))
    assert RECALL_WEIGHT["contact"] > 1.0 and "context" not in RECALL_WEIGHT
    assert threshold["contact"] < threshold["context"]


def test_cost_and_the_other_facets_keep_f1() -> None:
    assert "cost" not in RECALL_WEIGHT and "result" not in RECALL_WEIGHT
    assert "unanswerable" not in RECALL_WEIGHT

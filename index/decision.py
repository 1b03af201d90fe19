"""Whether to answer: a confident answer, "nicht sicher – meinen Sie …?", or nothing.

A few structural rules decide first, and they are no tuned thresholds: no candidate is left
after the filters (nothing), a contact person or a whole project name is mentioned, or a list
question names only facets ("Welche Projekte laufen in Soest?") (answer).

Every other question gets a probability that the best-ranked document is right, from a
logistic regression over the evidence (`FEATURES`), learned from the question bank's `train`
writers with stratified cross-validation (`learn`, `python -m evaluation.decision`). Two
thresholds on it, chosen on the out-of-fold probabilities, give the three kinds of answer:

- p ≥ `answer_at`: answer — the threshold with the most right answers net of wrong ones,
  a wrong answer counting `WRONG_COST` times (a confident wrong project costs a person more
  than a „meinen Sie …?“ with the right one among three);
- `unsure_at` ≤ p < `answer_at`: offer the best titles ("meinen Sie …?");
- p < `unsure_at`: nothing in the documents — the threshold with the best F1 for recognising
  questions the documents do not answer, among those whose „nothing“ is right at least
  `NONE_PRECISION` of the time (none: 0, the evidence of a search cannot tell; whether the
  documents answer a question at all is then the NLU's facet "unanswerable").

The learned parameters live in `index/decision/<backend>.json`, written only by
`python -m evaluation.decision --write`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

DecisionKind = Literal["answer", "unsure", "none"]
PARAMS_DIR = Path(__file__).resolve().parent / "decision"
WRONG_COST = 2.0
NONE_PRECISION = 0.5
FOLDS = 5

FEATURES: tuple[str, ...] = (
    "z",  # best allowed document's cosine, in standard deviations above the corpus mean
    "known_share",  # share of the subject words that occur in the corpus
    "bm25",  # log(1 + best BM25 score)
    "generic_share",  # share of subject words that are generic administration intents
    "supported",  # the best document contains a subject word (stem or most n-grams)
    "english",  # the question is English (the corpus is German)
    "margin",  # fused score of the best minus the second document
    "partial_name",  # score of a partial (rare-word) name match of the best document
    "subject_words",  # log(1 + number of subject words)
)


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    probability: float | None = None  # None: decided by a rule
    rule: str = ""  # the rule that decided, if any

    @property
    def answer(self) -> bool:
        return self.kind == "answer"


@dataclass(frozen=True)
class Decider:
    """A fitted logistic regression with its two thresholds."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    unsure_at: float
    answer_at: float
    trained_on: str = ""
    folds: tuple[dict, ...] = field(default=(), compare=False)

    def probability(self, values: Mapping[str, float]) -> float:
        x = np.array([values[f] for f in self.features], dtype=float)
        logit = float(((x - self.mean) / self.scale) @ np.array(self.coef) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    def decide(self, values: Mapping[str, float]) -> Decision:
        p = self.probability(values)
        if p >= self.answer_at:
            return Decision("answer", p)
        if p >= self.unsure_at:
            return Decision("unsure", p)
        return Decision("none", p)

    @classmethod
    def load(cls, backend: str, directory: Path = PARAMS_DIR) -> Decider:
        path = directory / f"{backend}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                features=tuple(raw["features"]),
                mean=tuple(raw["mean"]),
                scale=tuple(raw["scale"]),
                coef=tuple(raw["coef"]),
                intercept=float(raw["intercept"]),
                unsure_at=float(raw["unsure_at"]),
                answer_at=float(raw["answer_at"]),
                trained_on=str(raw.get("trained_on", "")),
                folds=tuple(raw.get("folds", ())),
            )
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise RuntimeError(
                f"{path}: no usable decision parameters ({exc}); "
                "learn them on the question bank: `python -m evaluation.decision --write`"
            ) from exc

    def save(self, backend: str, directory: Path = PARAMS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{backend}.json"
        data = asdict(self)
        data["folds"] = list(self.folds)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


# --- learning -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    """One question for learning: its features, whether the best document is right, whether
    the documents answer it at all, and its language."""

    values: Mapping[str, float]
    correct: bool
    answerable: bool
    language: str


def _matrix(rows: Sequence[Labelled]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[r.values[f] for f in FEATURES] for r in rows], dtype=float)
    y = np.array([r.correct for r in rows], dtype=int)
    return x, y


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x - mean) / scale, y)
    return mean, scale, model.coef_[0], float(model.intercept_[0])


def _predict(x: np.ndarray, mean, scale, coef, intercept) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ coef + intercept)))


def out_of_fold(rows: Sequence[Labelled], folds: int = FOLDS, seed: int = 0):
    """Out-of-fold probabilities and the per-fold figures (stratified by correct × answerable)."""
    from sklearn.metrics import log_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    x, y = _matrix(rows)
    strata = y * 2 + np.array([r.answerable for r in rows], dtype=int)
    probabilities = np.zeros(len(rows))
    report = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(x, strata), 1):
        params = _fit(x[train], y[train])
        p = _predict(x[test], *params)
        probabilities[test] = p
        auc = roc_auc_score(y[test], p) if len(set(y[test])) > 1 else float("nan")
        report.append(
            {
                "fold": k,
                "n": len(test),
                "log_loss": round(float(log_loss(y[test], p, labels=[0, 1])), 4),
                "auc": round(float(auc), 4),
                "accuracy@0.5": round(float(((p >= 0.5) == y[test]).mean()), 4),
            }
        )
    return probabilities, report


def choose_thresholds(
    rows: Sequence[Labelled], p: np.ndarray, grid: Sequence[float] | None = None
) -> tuple[float, float]:
    """(unsure_at, answer_at) from out-of-fold probabilities; see the module docstring."""
    grid = list(grid or np.round(np.arange(0.02, 0.99, 0.01), 2))
    correct = np.array([r.correct for r in rows])
    none = ~np.array([r.answerable for r in rows])
    best_f1, unsure_at = 0.0, 0.0
    for t in grid:
        said_none = p < t
        tp = int((said_none & none).sum())
        precision = tp / max(1, int(said_none.sum()))
        recall = tp / max(1, int(none.sum()))
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if precision >= NONE_PRECISION and f1 > best_f1 + 1e-9:
            best_f1, unsure_at = f1, t
    best_gain, answer_at = -np.inf, max(unsure_at, grid[0])
    for t in grid:
        if t < unsure_at:
            continue
        answered = p >= t
        gain = float(correct[answered].sum() - WRONG_COST * (~correct[answered]).sum())
        if gain > best_gain + 1e-9:
            best_gain, answer_at = gain, t
    return float(unsure_at), float(answer_at)


def learn(rows: Sequence[Labelled], trained_on: str = "") -> tuple[Decider, np.ndarray]:
    """Fit on every row; thresholds and fold figures from cross-validation."""
    p, report = out_of_fold(rows)
    unsure_at, answer_at = choose_thresholds(rows, p)
    x, y = _matrix(rows)
    mean, scale, coef, intercept = _fit(x, y)
    decider = Decider(
        features=FEATURES,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        coef=tuple(round(float(v), 6) for v in coef),
        intercept=round(intercept, 6),
        unsure_at=unsure_at,
        answer_at=answer_at,
        trained_on=trained_on,
        folds=tuple(report),
    )
    return decider, p


def curve(rows: Sequence[Labelled], p: np.ndarray, steps: Sequence[float]) -> list[dict]:
    """Coverage/precision per language: at each threshold, the share answered and the share of
    those answers that are right."""
    found = []
    for language in [*sorted({r.language for r in rows}), "all"]:
        chosen = [i for i, r in enumerate(rows) if language in ("all", r.language)]
        for t in steps:
            answered = [i for i in chosen if p[i] >= t]
            right = sum(rows[i].correct for i in answered)
            found.append(
                {
                    "language": language,
                    "threshold": t,
                    "coverage": len(answered) / max(1, len(chosen)),
                    "precision": right / len(answered) if answered else float("nan"),
                }
            )
    return found


CURVE_STEPS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def format_curve(points: list[dict]) -> str:
    """The coverage/precision table: one row per threshold, two columns per language."""
    languages = list(dict.fromkeys(p["language"] for p in points))
    lines = ["coverage / precision of the answered share, out-of-fold, per language:"]
    lines.append("threshold  " + "  ".join(f"{lang:>15}" for lang in languages))
    for step in dict.fromkeys(p["threshold"] for p in points):
        cells = []
        for lang in languages:
            p = next(x for x in points if x["language"] == lang and x["threshold"] == step)
            cells.append(f"{p['coverage']:6.2f} / {p['precision']:5.2f}")
        lines.append(f"{step:9.2f}  " + "  ".join(f"{c:>15}" for c in cells))
    return "\n".join(lines)

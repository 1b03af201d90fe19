"""What a turn asks, read with the conversation: a learned second reading of the NLU's output.

The NLU reads one message alone. „Und in Aachen?“ after a question about Soest's make-up, "and
his e-mail?" after a question about a person, "only paderborn" after a list of topic projects:
such a follow-up says little on its own, and the NLU's kind for it is often wrong. This model
reads, for a turn that has a previous question:

- the NLU's probability of each kind (log), and the facet classifier's probability that the
  message refers to the conversation (`context`);
- the kind of the previous question, alone and weighted by that probability (a message that
  refers to the conversation tends to ask what the previous one asked);
- how many whole printed names of each kind the message names, and its length in words;

and gives (1) the kind asked, a multinomial logistic regression, and (2) whether the message
refers to the conversation, a binary one with its threshold. Both are learned by
`python -m evaluation.followups --write` (`make learn`) on the question bank's `train` writers'
conversations, with the NLU's outputs for each writer's turns taken from an NLU trained
without that writer (out of writer), so the model learns how far to trust the NLU on unseen
phrasings; the regularisation and the threshold are chosen by cross-validation over the
writers, each fold's figures printed. Stored as plain arrays in `understanding/followups.json`,
read once, lazily. Small talk and the conversation's own moves keep the NLU's word.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args

import numpy as np

from index.names import NameKind, NameMatch
from understanding.kinds import QUESTION_KINDS

PATH = Path(__file__).resolve().parent / "followups.json"
NAME_KINDS: tuple[str, ...] = get_args(NameKind)
NAMED = 0.8  # a whole printed name matched at least this well counts as named
NO_PREVIOUS = "none"
FLOOR = 1e-3  # log(p + FLOOR): a kind the NLU rules out still has a finite feature


@dataclass(frozen=True)
class Turn:
    """What the model reads of one turn."""

    kinds: Mapping[str, float]  # the NLU's probability per kind (its ranking)
    context: float  # the facet classifier's probability of "refers to the conversation"
    previous: str | None  # the kind of the previous question
    names: Sequence[NameMatch]
    words: int

    def features(self) -> np.ndarray:
        previous = self.previous if self.previous in QUESTION_KINDS else NO_PREVIOUS
        one_hot = np.array([previous == k for k in (*QUESTION_KINDS, NO_PREVIOUS)], dtype=float)
        named = [m for m in self.names if m.score >= NAMED and not m.partial]
        return np.concatenate(
            [
                [math.log(float(self.kinds.get(k, 0.0)) + FLOOR) for k in QUESTION_KINDS],
                one_hot,
                one_hot * self.context,
                [self.context, math.log1p(self.words)],
                [float(sum(m.entry.kind == k for m in named)) for k in NAME_KINDS],
            ]
        )


@dataclass(frozen=True)
class Model:
    kinds: tuple[str, ...]
    coef: np.ndarray  # (kinds, features)
    intercept: np.ndarray  # (kinds,)
    context_coef: np.ndarray  # (features,)
    context_intercept: float
    context_at: float  # the probability from which a message refers to the conversation
    gate: float  # the facet probability of "context" from which the kind is read anew

    def read(self, turn: Turn) -> tuple[str | None, bool]:
        """(the kind asked, None where the NLU's stands; whether the message refers to the
        conversation)."""
        x = turn.features()
        kind = None
        if turn.context >= self.gate:
            kind = self.kinds[int(np.argmax(self.coef @ x + self.intercept))]
        z = float(self.context_coef @ x + self.context_intercept)
        return kind, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) >= self.context_at

    def to_json(self, learned_from: str, report: Mapping[str, Any]) -> str:
        data = {
            "learned_from": learned_from,
            "report": report,
            "kinds": list(self.kinds),
            "coef": np.round(self.coef, 6).tolist(),
            "intercept": np.round(self.intercept, 6).tolist(),
            "context_coef": np.round(self.context_coef, 6).tolist(),
            "context_intercept": round(self.context_intercept, 6),
            "context_at": self.context_at,
            "gate": self.gate,
        }
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Model:
        return cls(
            tuple(str(k) for k in raw["kinds"]),
            np.array(raw["coef"], dtype=float),
            np.array(raw["intercept"], dtype=float),
            np.array(raw["context_coef"], dtype=float),
            float(raw["context_intercept"]),
            float(raw["context_at"]),
            float(raw["gate"]),
        )


@cache
def model(path: Path = PATH) -> Model | None:
    """The learned model; None when none was learned (the NLU's reading stands)."""
    try:
        return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


def ranking_of(parse: Mapping[str, Any]) -> dict[str, float]:
    """The NLU's probability per kind, from a parse result's intent ranking."""
    ranking = parse.get("intent_ranking")
    found: dict[str, float] = {}
    if isinstance(ranking, Sequence):
        for row in ranking:
            if isinstance(row, Mapping) and row.get("name"):
                found[str(row["name"])] = float(row.get("confidence") or 0.0)
    return found

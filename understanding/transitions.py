"""What a follow-up asks, given what the conversation asked before: a learned prior.

„Und in Aachen?“ after a question about Soest's make-up asks for Aachen's make-up; "and his
e-mail?" after a question about a person asks about that person. The words of such a follow-up
say little on their own, so for a message that refers to the conversation (the learned facet
"context") the NLU's ranking of kinds is weighed with how often each kind followed the previous
one in the question bank's conversations (`train` writers; add-one smoothing):

    score(kind) = P_nlu(kind) × P(kind | previous kind)

Learned by `python -m evaluation.transitions --write` into `understanding/transitions.json`;
read once, lazily.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "transitions.json"


@cache
def table(path: Path = PATH) -> dict[str, dict[str, float]]:
    """previous kind → {kind: probability}; {} when nothing was learned."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): {str(a): float(b) for a, b in v.items()} for k, v in raw["after"].items()}


def learn(pairs: Sequence[tuple[str, str]], kinds: Sequence[str]) -> dict[str, dict[str, float]]:
    """P(kind | previous kind) from (previous, kind) pairs, add-one smoothed over `kinds`."""
    found: dict[str, dict[str, float]] = {}
    for previous in dict.fromkeys(p for p, _ in pairs):
        counts = {k: 1.0 for k in kinds}
        for p, k in pairs:
            if p == previous and k in counts:
                counts[k] += 1
        total = sum(counts.values())
        found[previous] = {k: round(c / total, 5) for k, c in counts.items()}
    return found


def reweigh(ranking: Sequence[Mapping[str, Any]], previous: str | None) -> str | None:
    """The kind with the best score among the NLU's ranking of questions (small talk and the
    conversation's moves keep the NLU's word), or None without a prior."""
    prior = table().get(previous or "")
    if not prior or not ranking:
        return None
    from understanding.kinds import MOVES, SMALL_TALK

    ranking = [
        r for r in ranking if isinstance(r, Mapping) and r.get("name") not in SMALL_TALK | MOVES
    ]
    scored = [
        (
            float(row.get("confidence") or 0.0) * prior.get(str(row.get("name")), 0.0),
            str(row["name"]),
        )
        for row in ranking
        if isinstance(row, Mapping) and row.get("name")
    ]
    return max(scored)[1] if scored else None

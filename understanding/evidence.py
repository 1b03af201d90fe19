"""What the words of a message name, matched once against the knowledge: the NLU's evidence.

`read_evidence(text, names)` finds the printed names in a message (projects, programme topics,
regions and their towns, persons, state actors, places outside the regions; fuzzy, see
`index.names`), whether it gives a year, and which language it shows. The NLU pipeline does
this once per message (`rasa_components.evidence`): the kind classifier sees *which kinds* of
name occur (`features`), and the parse result carries the matches (`as_parse`) to the action
server, which resolves them into targets (`understanding.read`) without matching again.

Knowledge ids never become features, only the kinds of name, so a knowledge update needs no
retraining.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.language import Language, vote
from index.names import NameEntry, NameIndex, NameMatch
from understanding.dates import YEAR

NAMES = "names"
LANGUAGE = "language"
EMBEDDING = "embedding"
FACETS = "facets"  # the facets asked: {facet: probability} at or above their thresholds
FACET_SCORES = "facet_scores"  # every facet's probability (understanding.followups reads it)

# One feature per kind of name (the best score of a whole-name match), the partial project
# name, a year. Order matters: it is the model's input.
FEATURES: tuple[str, ...] = (
    "project",
    "project_partial",
    "topic",
    "region",
    "person",
    "actor",
    "place",
    "year",
)


@dataclass(frozen=True)
class Evidence:
    names: tuple[NameMatch, ...]  # best first, one per (kind, target)
    year: bool
    language: Language | None  # the language the words clearly show, else None

    def features(self) -> np.ndarray:
        values = dict.fromkeys(FEATURES, 0.0)
        for m in self.names:
            key = "project_partial" if m.entry.kind == "project" and m.partial else m.entry.kind
            if key in values and not (m.partial and key != "project_partial"):
                values[key] = max(values[key], m.score)
        values["year"] = float(self.year)
        return np.array([values[f] for f in FEATURES], dtype=np.float32)

    def as_parse(self) -> dict[str, Any]:
        """The evidence as the parse result carries it (JSON)."""
        return {
            NAMES: [
                {
                    "kind": m.entry.kind,
                    "target": m.entry.target,
                    "display": m.entry.display,
                    "score": round(float(m.score), 4),
                    "span": m.span,
                    "partial": m.partial,
                    "spans": list(m.spans),
                }
                for m in self.names
            ],
            LANGUAGE: self.language,
        }


def read_evidence(text: str, names: NameIndex) -> Evidence:
    return Evidence(tuple(names.match(text)), bool(YEAR.search(text)), vote(text))


def names_from_parse(parse: Mapping[str, Any]) -> tuple[NameMatch, ...] | None:
    """The name matches of a parse result; None when it carries none (a button payload, a
    model without this component). Malformed entries are skipped."""
    raw = parse.get(NAMES)
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return None
    found = []
    for item in raw:
        try:
            entry = NameEntry(
                text=str(item["span"]),
                display=str(item["display"]),
                kind=item["kind"],
                target=str(item["target"]),
            )
            spans = tuple(str(s) for s in item.get("spans") or (item["span"],))
            found.append(
                NameMatch(
                    entry, float(item["score"]), str(item["span"]), bool(item["partial"]), spans
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(found)


def encode(vector: np.ndarray) -> str:
    """A sentence embedding as the parse result carries it (float32, little-endian, base64)."""
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def decode(value: Any, dim: int) -> np.ndarray | None:
    """The embedding of a parse result, or None when it is missing or malformed."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != 4 * dim:
        return None
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)

"""Parse results as Rasa hands them to the action server (`tracker.latest_message`), for the
tests that run the understanding and the actions without a trained model.

- `nlu_parse`: a typed message as the NLU pipeline of config.yml returns it: the text, the
  intent (the kind) with its ranking, the learned facets, and what the pipeline's own
  components add — the name matches and the language (`understanding.evidence`, as
  `rasa_components.evidence.KnowledgeEvidence` computes them) and the sentence embedding
  (as `rasa_components.embedding.QueryEmbedder` computes it). Only the learned parts (kind,
  facets) are given by the test: the NLU's learning is tested in tests/rasa.
- `button_parse`: a button payload ("/intent{json}") as Rasa's own `RegexMessageHandler`
  parses it: intent and entities, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from understanding.evidence import EMBEDDING, FACET_SCORES, encode, read_evidence

ROOT = Path(__file__).resolve().parents[1]


def nlu_parse(
    text: str,
    kind: str,
    facets: Iterable[str] | Mapping[str, float] = (),
    *,
    retriever: Any,
    confidence: float = 1.0,
    ranking: Iterable[tuple[str, float]] = (),
    embed: bool = True,
) -> dict[str, Any]:
    """The NLU's parse of `text` read as `kind` (with `confidence`; `ranking`: the next kinds
    and their confidences) and `facets` ({facet: probability}, or names at probability 1)."""
    found = dict(facets) if isinstance(facets, Mapping) else dict.fromkeys(facets, 1.0)
    intent = {"name": kind, "confidence": confidence}
    parse: dict[str, Any] = {
        "text": text,
        "intent": intent,
        "intent_ranking": [intent, *({"name": n, "confidence": c} for n, c in ranking)],
        "entities": [],
        "facets": found,
        FACET_SCORES: found,
        **read_evidence(text, retriever.names).as_parse(),
    }
    if embed and text.strip():
        parse[EMBEDDING] = encode(retriever.embedder.embed_queries([text])[0])
    return parse


@lru_cache(maxsize=1)
def _handler() -> tuple[Any, Any]:
    from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
    from rasa.shared.core.domain import Domain

    return RegexMessageHandler(), Domain.load(str(ROOT / "bot" / "domain.yml"))


def button_parse(payload: str) -> dict[str, Any]:
    """`payload` parsed by Rasa's `RegexMessageHandler` with the project's domain."""
    from rasa.shared.nlu.training_data.message import Message

    handler, domain = _handler()
    (message,) = handler.process([Message(data={"text": payload})], domain)
    return {"intent": {"name": None, "confidence": 0.0}, "entities": [], **message.data}

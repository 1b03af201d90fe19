"""The text embedded (dense) and indexed (BM25) for each document.

A recipe is chosen by measurement (see docs/retrieval.md); the store records the recipe and a
digest of the resulting texts, so changing a recipe invalidates a built index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from index.domain import Document, Knowledge, Project, Topic


def _owner(project: Project, knowledge: Knowledge) -> str:
    """Region name (or presenting state actor) of a project, as people would name it."""
    if project.region:
        region = knowledge.region(project.region)
        return f"{region.name} ({region.short_name})"
    if project.actor:
        actor = next((a for a in knowledge.actors if a.id == project.actor), None)
        if actor:
            return f"{actor.name} ({actor.short_name})"
    return "Land NRW"


def _join(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _names(doc: Document) -> str:
    aliases = f" ({'; '.join(doc.aliases)})" if doc.aliases else ""
    return doc.title + aliases


def full(doc: Document, knowledge: Knowledge) -> str:
    """Title, aliases, summary, complete slide text, topics and where the project belongs."""
    if isinstance(doc, Topic):
        return _join(_names(doc), doc.text, "Stichworte: " + ", ".join(doc.keywords))
    return _join(
        _names(doc),
        doc.summary,
        doc.description,
        "Themen: " + ", ".join(doc.topics),
        f"{doc.municipality}, {_owner(doc, knowledge)}",
    )


def compact(doc: Document, knowledge: Knowledge) -> str:
    """Like `full` without the slide text: names, one-sentence summary, topics, place."""
    if isinstance(doc, Topic):
        return _join(_names(doc), doc.text, "Stichworte: " + ", ".join(doc.keywords))
    return _join(
        _names(doc),
        doc.summary,
        "Themen: " + ", ".join(doc.topics),
        f"{doc.municipality}, {_owner(doc, knowledge)}",
    )


def lexical(doc: Document, knowledge: Knowledge) -> str:
    """Text for BM25: `full` plus milestones and transferability, names repeated for weight."""
    if isinstance(doc, Topic):
        return _join(_names(doc), _names(doc), full(doc, knowledge))
    extra = [m.what for m in doc.milestones] + [doc.transferability or ""]
    return _join(_names(doc), full(doc, knowledge), *extra)


RECIPES: dict[str, Callable[[Document, Knowledge], str]] = {"full": full, "compact": compact}
DEFAULT_RECIPE = "full"


def passages(knowledge: Knowledge, recipe: str = DEFAULT_RECIPE) -> list[str]:
    """What the search index embeds, in the order of its ids: one passage per document
    (`knowledge.documents`), then one per printed fact of a topic (`knowledge.facts`), which
    an answer quotes."""
    make = RECIPES[recipe]
    documents = [make(doc, knowledge) for doc in knowledge.documents]
    return documents + fact_passages(knowledge)


def fact_passages(knowledge: Knowledge) -> list[str]:
    titles = {t.id: t.title for t in knowledge.topics}
    return [f"{titles[f.topic]}: {f.text}" for f in knowledge.facts]


def passages_digest(texts: list[str]) -> str:
    sha = hashlib.sha256()
    for text in texts:
        sha.update(text.encode() + b"\0")
    return sha.hexdigest()

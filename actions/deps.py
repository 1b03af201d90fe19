"""Dependency injection: the one process-wide retriever the actions use.

`get_retriever()` opens it lazily on first use (`index.retriever.open_retriever`, which loads
the knowledge and the FAISS index); `warm_up()` does that at server start-up so the first user
does not wait; `set_retriever()` lets tests inject their own (or reset with None).
`index.retriever` is imported only inside these functions: rasa_sdk imports every module of
`actions/` at start-up and nothing heavy may happen then.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.retriever import Retriever

logger = logging.getLogger(__name__)
RetrieverLike = Any  # index.retriever.Retriever, or a test's stand-in with the same methods


class IndexMissing(RuntimeError):
    """The retriever could not be opened (no built index, or it does not match knowledge/)."""


_lock = threading.Lock()
_retriever: RetrieverLike | None = None
_factory: Callable[[], RetrieverLike] | None = None


def _open_default() -> Retriever:
    from index.retriever import open_retriever  # heavy: FAISS, embedding model

    return open_retriever()


def get_retriever() -> RetrieverLike:
    """The process-wide retriever, opened on first use."""
    global _retriever
    if _retriever is None:
        with _lock:
            if _retriever is None:
                factory = _factory or _open_default
                try:
                    _retriever = factory()
                except Exception as exc:
                    raise IndexMissing(
                        f"cannot open the retrieval index ({type(exc).__name__}: {exc}); "
                        "run `make index` (or `.venv/bin/python -m index build`) first"
                    ) from exc
    return _retriever


def set_retriever(retriever: RetrieverLike | None) -> None:
    """Inject a retriever (tests), or reset with None so the next use opens the default."""
    global _retriever
    with _lock:
        _retriever = retriever


def set_factory(factory: Callable[[], RetrieverLike] | None) -> None:
    """Replace how the retriever is created (None: `index.retriever.open_retriever`)."""
    global _factory, _retriever
    with _lock:
        _factory = factory
        _retriever = None


def warm_up() -> RetrieverLike:
    """Open the retriever and run one query, so models and index are loaded before serving."""
    retriever = get_retriever()
    retriever.search("Bürgerportal", k=1)
    logger.info(
        "retriever ready: %d projects, %d topics",
        len(retriever.knowledge.projects),
        len(retriever.knowledge.topics),
    )
    return retriever

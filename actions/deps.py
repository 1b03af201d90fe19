"""Dependency injection: the one process-wide retriever the actions use.

`get_retriever()` opens it lazily on first use (`index.retriever.open_retriever`, which loads
the knowledge and the FAISS index); `warm_up()` does that at server start-up so the first user
does not wait; `set_retriever()` lets tests inject their own (or reset with None).
`index.retriever` is imported only inside these functions: rasa_sdk imports every module of
`actions/` at start-up and nothing heavy may happen then.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from index.domain import Hit, Knowledge, PersonHit, Project, Region

if TYPE_CHECKING:
    from index.analysis import Analysis
    from index.retriever import Result

logger = logging.getLogger(__name__)


class RetrieverLike(Protocol):
    """The part of `index.retriever.Retriever` the actions use."""

    knowledge: Knowledge

    def analyse(self, text: str) -> Analysis: ...

    def for_turn(self) -> RetrieverLike: ...

    def query(
        self,
        query: str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = ("project", "topic"),
        k: int = 5,
        dense_text: str | None = None,
    ) -> Result: ...

    def search(
        self,
        query: str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = ("project", "topic"),
        k: int = 5,
    ) -> list[Hit]: ...

    def match_projects(self, text: str, limit: int = 5) -> list[Hit]: ...

    def match_region(self, text: str) -> Region | None: ...

    def match_people(self, text: str, limit: int = 3) -> Sequence[PersonHit]: ...

    def projects_in(
        self,
        region: str | None = None,
        municipality: str | None = None,
        year: int | None = None,
        status: str | None = None,
    ) -> list[Project]: ...


class IndexMissing(RuntimeError):
    """The retriever could not be opened (no built index, or it does not match knowledge/)."""


_lock = threading.Lock()
_retriever: RetrieverLike | None = None
_factory: Callable[[], RetrieverLike] | None = None


def _open_default() -> RetrieverLike:
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


def turn_provider() -> Callable[[], RetrieverLike]:
    """The retriever for one turn (`Retriever.for_turn`), opened only when an answer asks for
    it: small talk never opens the index."""
    return functools.cache(lambda: get_retriever().for_turn())


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

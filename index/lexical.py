"""BM25 (bm25s) over the documents, with German-friendly tokens.

Tokens are folded words (umlauts spelled out, so "buerger" matches "Bürger"), stop words
removed, and crudely stemmed (plural and case endings: "Projekte" → "projekt"). German
compounds ("Terminvergabe", "Parkhäuser") are reached through a second BM25 over character
n-grams of long words, added with a small weight; see docs/retrieval.md for the measurement.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.text import content_words

_SUFFIXES = ("ungen", "innen", "en", "er", "es", "em", "e", "s")
_KEEP_S = ("ss", "us", "is", "os")  # "Bus", "Basis", "Kosmos" are not plurals
MIN_STEM = 4
NGRAM = 5
NGRAM_MIN_WORD = 7


def stem(word: str) -> str:
    """Strip one common German inflection ending, keeping at least `MIN_STEM` characters."""
    if word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith(_KEEP_S):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)] + ("ung" if suffix == "ungen" else "")
    return word


def word_tokens(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


def ngram_tokens(text: str) -> list[str]:
    """Character n-grams of long words, so parts of compounds match on their own."""
    grams: list[str] = []
    for word in content_words(text):
        if len(word) >= NGRAM_MIN_WORD and not word.isdigit():
            grams += [word[i : i + NGRAM] for i in range(len(word) - NGRAM + 1)]
    return grams


class _BM25:
    """One bm25s index that scores every document (the corpus is small)."""

    def __init__(self, corpus_tokens: list[list[str]]) -> None:
        import bm25s

        self.count = len(corpus_tokens)
        self._bm25: Any = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        # bm25s needs at least one token per document; an empty marker keeps positions aligned.
        self._bm25.index([t or ["\x00"] for t in corpus_tokens], show_progress=False)
        self.vocab: dict[str, int] = self._bm25.vocab_dict

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in dict.fromkeys(query_tokens) if t in self.vocab]
        if not known or self.count == 0:
            return np.zeros(self.count, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


class LexicalIndex:
    """BM25 over words plus (weighted) BM25 over character n-grams of long words."""

    def __init__(self, texts: list[str], ngram_weight: float = 0.3) -> None:
        self.count = len(texts)
        self.ngram_weight = ngram_weight
        self._words = _BM25([word_tokens(t) for t in texts])
        self._ngrams = _BM25([ngram_tokens(t) for t in texts]) if ngram_weight else None
        self._vocab_list = [w for w in self._words.vocab if len(w) >= 4]
        self._df: dict[str, int] = {}
        for text in texts:
            for token in set(word_tokens(text)):
                self._df[token] = self._df.get(token, 0) + 1

    def specificity(self, word: str) -> tuple[bool, float]:
        """(known, weight) of a folded query word: the weight is its IDF in the corpus, the
        largest possible IDF for a word the corpus does not know. Generic words ("online",
        "Dienst") weigh little, subjects ("Kita", "Glasfasernetz") much."""
        top = float(np.log(1 + self.count))
        df = self._df.get(stem(word))
        if df:
            return True, float(np.log(1 + self.count / df))
        if self.known(word):
            return True, top / 2  # part of a compound, or a typo: some evidence
        return False, top

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of `query` for every document (0 = no shared term), indexed by doc id."""
        scores = self._words.scores(word_tokens(query))
        if self._ngrams is not None:
            grams = ngram_tokens(query)
            if grams:
                # n-gram scores grow with the number of grams; scale to about one word's worth.
                scores = scores + self.ngram_weight * self._ngrams.scores(grams) / max(
                    1.0, len(grams) / 4
                )
        return scores

    def known(self, word: str) -> bool:
        """Whether a folded word is part of the corpus vocabulary: as a (stemmed) word, as a
        compound whose n-grams mostly occur ("Hundesteueranmeldung"), or within a typo of a
        word that occurs ("smartfone" ~ "smartphone")."""
        stemmed = stem(word)
        if stemmed in self._words.vocab:
            return True
        if self._ngrams is not None:
            grams = ngram_tokens(word)
            if grams and sum(g in self._ngrams.vocab for g in grams) >= 0.6 * len(grams):
                return True
        if len(stemmed) < 5:
            return False
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        budget = 2 if len(stemmed) <= 10 else 3
        found = process.extractOne(
            stemmed, self._vocab_list, scorer=Indel.distance, score_cutoff=budget
        )
        return found is not None and found[0][0] == stemmed[0]


AFFIX = 5  # shortest prefix/compound part that counts as the same word
TYPO_RATIO = 85.0


class Vocabulary:
    """The folded words of all documents, for recognising a subject the corpus never mentions.

    A query word is known when it occurs, when it and a corpus word share a whole prefix or
    suffix of at least `AFFIX` letters in either direction (inflection and compounds:
    "Glasfaser" / "Glasfasernetz", "Innenstadt" / "stadt"), or when it is within a typo of one
    (`fuzz.ratio` ≥ `TYPO_RATIO`). Set lookups; the fuzzy scan only for words that missed.
    """

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.words = vocabulary
        long = [w for w in vocabulary if len(w) >= AFFIX]
        self._prefixes = frozenset(w[:i] for w in long for i in range(AFFIX, len(w) + 1))
        self._suffixes = frozenset(w[-i:] for w in long for i in range(AFFIX, len(w) + 1))
        self._list = sorted(long)

    def knows(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) >= AFFIX and (word in self._prefixes or word in self._suffixes):
            return True  # the word begins or ends a longer corpus word
        for i in range(AFFIX, len(word)):
            if word[:i] in self.words or word[-i:] in self.words:
                return True  # a corpus word begins or ends the query word
        from rapidfuzz import fuzz, process

        return (
            process.extractOne(word, self._list, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO)
            is not None
        )

"""German-friendly normalisation and the BM25 index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.lexical import LexicalIndex, ngram_tokens, stem, word_tokens
from index.loader import load
from index.passages import lexical
from index.text import fold, words

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


def test_fold_spells_out_umlauts_and_drops_accents() -> None:
    assert fold("Bürger-ID Köln Straße Café") == "buerger-id koeln strasse cafe"
    assert words("Bürger-ID, Städte3eck / OWL") == ["buerger", "id", "staedte3eck", "owl"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("projekte", "projekt"), ("projekts", "projekt"), ("termin", "termin"), ("termine", "termin"),
     ("verwaltungen", "verwaltung"), ("status", "status"), ("basis", "basis"), ("2021", "2021")],
)  # fmt: skip
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_tokens_drop_stopwords_and_split_compounds() -> None:
    assert word_tokens("Welche Projekte gibt es für Bürger?") == ["projekt", "buerg"]
    assert "termi" in ngram_tokens("Terminvergabe") and ngram_tokens("Amt") == []


@pytest.fixture(scope="module")
def index() -> tuple[LexicalIndex, list[str]]:
    k = load(FIXTURE)
    return LexicalIndex([lexical(d, k) for d in k.documents]), [d.id for d in k.documents]


def best(index: tuple[LexicalIndex, list[str]], query: str) -> str | None:
    lex, ids = index
    scores = lex.scores(query)
    return ids[int(np.argmax(scores))] if scores.max() > 0 else None


def test_umlaut_free_query_matches_printed_umlauts(index: tuple[LexicalIndex, list[str]]) -> None:
    assert best(index, "buerger id") == "paderborn-buerger-id"
    assert best(index, "Förderquote") == best(index, "foerderquote") == "programm-foerdervolumen"


def test_compound_part_matches_through_ngrams(index: tuple[LexicalIndex, list[str]]) -> None:
    # "Terminvergabe" is printed; "Vergabe" alone is not a word of any document
    assert best(index, "vergabe") == "gelsenkirchen-zeonline"


def test_unknown_words_score_zero(index: tuple[LexicalIndex, list[str]]) -> None:
    lex, _ = index
    assert not lex.scores("Raumfahrt").any()
    assert not lex.scores("").any()


def test_known_and_specificity(index: tuple[LexicalIndex, list[str]]) -> None:
    lex, _ = index
    assert lex.known("blockchain") and lex.known("blokchain")  # typo
    assert not lex.known("raumfahrt")
    known, weight = lex.specificity("raumfahrt")
    assert not known and weight == pytest.approx(np.log(1 + lex.count))
    assert lex.specificity("blockchain")[1] > lex.specificity("government")[1]  # rare > common

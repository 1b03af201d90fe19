"""What the words of a message name, read once (`understanding.evidence`): the name matches,
year and language, their features, the parse result that carries them to the action server,
and the sentence embedding's transport."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from index.names import NameIndex
from understanding.evidence import (
    FEATURES,
    LANGUAGE,
    NAMES,
    decode,
    encode,
    names_from_parse,
    read_evidence,
)


def feature(vector: np.ndarray, name: str) -> float:
    return float(vector[FEATURES.index(name)])


def test_a_project_name_a_year_and_the_language(names: NameIndex) -> None:
    evidence = read_evidence("Wie lange läuft IVOD noch, bis 2021?", names)
    assert [(m.entry.kind, m.target) for m in evidence.names] == [("project", "aachen-ivod")]
    assert evidence.year and evidence.language == "de"
    x = evidence.features()
    assert x.shape == (len(FEATURES),) and x.dtype == np.float32
    assert feature(x, "project") == pytest.approx(1.0) and feature(x, "year") == 1.0
    assert feature(x, "person") == feature(x, "region") == 0.0


def test_features_are_kinds_of_name_never_ids(names: NameIndex) -> None:
    person = read_evidence("Wofür ist Herr vom Sondern zuständig?", names).features()
    actor = read_evidence("Was macht die KDN?", names).features()
    place = read_evidence("Gibt es Projekte in Köln?", names).features()
    assert feature(person, "person") > 0.8 and feature(person, "project") == 0.0
    assert feature(actor, "actor") > 0.8
    assert feature(place, "place") > 0.8 and feature(place, "region") == 0.0
    nothing = read_evidence("Wie wird das Wetter?", names)
    assert nothing.names == () and not nothing.features().any()


def test_a_partial_project_name_is_its_own_feature(names: NameIndex) -> None:
    """One rare word of a longer title ("Parksensorik") is weaker evidence than the title."""
    x = read_evidence("Was ist mit der Parksensorik?", names).features()
    assert feature(x, "project") == 0.0
    assert feature(x, "project_partial") > 0.0


@pytest.mark.parametrize(
    ("text", "language"),
    [("Which projects run in Aachen?", "en"), ("Welche Projekte laufen?", "de"), ("IVOD", None)],
)
def test_the_language_the_words_show(names: NameIndex, text: str, language: str | None) -> None:
    assert read_evidence(text, names).language == language


def test_the_parse_result_carries_the_matches_to_the_action_server(names: NameIndex) -> None:
    evidence = read_evidence("Wann endet die Parksensorik in Bottrop 2021?", names)
    parse = evidence.as_parse()
    assert set(parse) == {NAMES, LANGUAGE} and parse[LANGUAGE] == "de"
    read = names_from_parse(parse)
    assert read is not None and len(read) == len(evidence.names)
    for sent, got in zip(evidence.names, read, strict=True):
        assert (got.entry.kind, got.target, got.entry.display) == (
            sent.entry.kind,
            sent.target,
            sent.entry.display,
        )
        assert (got.span, got.partial, got.spans) == (sent.span, sent.partial, sent.spans)
        assert got.score == pytest.approx(sent.score, abs=1e-4)


def test_a_parse_without_matches_or_with_broken_ones(names: NameIndex) -> None:
    assert names_from_parse({"text": "/greet"}) is None  # a button: nothing was matched
    assert names_from_parse({NAMES: "aachen-ivod"}) is None  # not a list
    good = read_evidence("Was ist IVOD?", names).as_parse()[NAMES][0]
    broken = [{"kind": "project"}, 3, {**good, "score": "hoch"}, None, good]
    (kept,) = names_from_parse({NAMES: broken})  # type: ignore[misc]
    assert kept.target == "aachen-ivod"
    assert names_from_parse({NAMES: []}) == ()


def test_the_embedding_survives_the_parse_result() -> None:
    vector = np.random.default_rng(3).standard_normal(384).astype(np.float32)
    text = encode(vector)
    assert isinstance(text, str)
    np.testing.assert_array_equal(decode(text, 384), vector)
    decoded = decode(encode(vector.astype(np.float64)), 384)  # always sent as float32
    assert decoded is not None and decoded.dtype == np.float32


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        [0.1, 0.2],
        "nicht base64!",
        base64.b64encode(b"\0" * 12).decode(),  # three floats, not 384
        "äöü",
    ],
)
def test_a_missing_or_malformed_embedding_is_none(value: object) -> None:
    assert decode(value, 384) is None

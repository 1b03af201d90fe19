"""The question bank's reader (`evaluation.bank`): what it reads, and that every problem is
named with its file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.bank import BANK_DIR, BankError, describe, load_bank

GOOD = """
writer: w1
items:
  - id: w1-q001
    persona: parent
    lang: de
    q: "Wer ist Ansprechpartner für ZEonline?"
    kinds: [project]
    aspects: [contact]
    targets: [owl-paderborn-zeonline]
    answerable: true
    must: ["r.ahmann@paderborn.de"]
  - id: w1-c001
    lang: mixed
    turns:
      - q: Was läuft 2021 in Soest?
        kinds: [period_filter]
        targets: [soest]
        filters: {region: soest, year: 2021, relation: running}
        answerable: true
      - q: and is it still running today?
        lang: en
        kinds: [current, period_filter]
        targets: [soest]
        answerable: false
        beyond: [today]
        context: true
"""


def bank(tmp_path: Path, files: dict[str, str], splits: str = "train: [w1]\ndev: [w2]\n") -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "splits.yml").write_text(splits, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, files: dict[str, str], **kwargs: str) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(bank(tmp_path, files, **kwargs))
    return str(info.value).splitlines()


def test_a_good_bank_is_read(tmp_path: Path) -> None:
    read = load_bank(bank(tmp_path, {"w1-part1.yml": GOOD}))
    single, conversation = read.items
    assert (single.id, single.writer, single.persona, single.conversation) == (
        "w1-q001",
        "w1",
        "parent",
        False,
    )
    assert single.last.kinds == ("project",) and single.last.aspects == ("contact",)
    assert single.last.must == ("r.ahmann@paderborn.de",)
    first, second = conversation.turns
    assert conversation.conversation and conversation.lang == "mixed"
    assert first.lang == "mixed" and second.lang == "en"  # a turn's own language wins
    assert (first.filters.region, first.filters.year, first.filters.relation) == (
        "soest",
        2021,
        "running",
    )
    assert second.context and not second.answerable and second.beyond == ("today",)
    assert second.two_things  # two kinds
    assert read.split("train") == read.items and read.split("dev") == ()
    assert read.writers("train") == ("w1",)
    assert len(list(read.turns())) == 3


def test_every_problem_names_file_item_and_field(tmp_path: Path) -> None:
    broken = """
writer: w1
items:
  - id: w1-q001
    lang: de
    q: Was ist IVOD?
    kinds: [project, weather]
    aspects: [colour]
    targets: []
    answerable: "ja"
    filters: {year: zwanzig, relation: soon, status: done}
  - id: w1-q002
    lang: fr
    q: ""
    kinds: []
    targets: [none]
    answerable: false
  - id: w1-c001
    lang: de
    turns:
      - {q: a, kinds: [project], targets: [none], answerable: true}
      - {q: b, kinds: [project], targets: [none], answerable: true}
      - {q: c, kinds: [project], targets: [none], answerable: true}
      - {q: d, kinds: [project], targets: [none], answerable: true}
      - {q: e, kinds: [project], targets: [none], answerable: true}
  - id: w1-q001
    lang: de
    q: doppelt
    kinds: [topic]
    targets: [none]
    answerable: true
  - q: ohne id
"""
    found = problems(tmp_path, {"w1-part1.yml": broken})
    where = "w1-part1.yml: w1-q001"  # the file as a path, the item's id, the field
    expected = [
        f"{where}: kinds: 'weather' is none of",
        f"{where}: aspects: 'colour' is none of",
        f"{where}: targets: missing (use [none])",
        f"{where}: answerable: not true/false: 'ja'",
        f"{where}: filters.year: not a year: 'zwanzig'",
        f"{where}: filters.relation: 'soon' is none of",
        f"{where}: filters.status: 'done' is none of",
        "w1-part1.yml: w1-q002: lang: 'fr' is none of",
        "w1-part1.yml: w1-q002: q: missing",
        "w1-part1.yml: w1-q002: kinds: missing",
        "w1-part1.yml: w1-c001: turns: a conversation has 2 to 4 turns",
        "w1-part1.yml: w1-q001: id: used twice",
        "w1-part1.yml: an item without id",
    ]
    for fragment in expected:
        assert any(fragment in line for line in found), (fragment, found)


def test_file_level_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {"w1-part1.yml": "writer: w1\nitems: [\n", "w3-part1.yml": GOOD.replace("w1", "w3")},
    )
    assert any("w1-part1.yml: not YAML" in line for line in found), found
    assert "splits.yml: writer 'w3' is in no split" in found


def test_a_file_without_writer(tmp_path: Path) -> None:
    found = problems(tmp_path, {"w1-part1.yml": GOOD.replace("writer: w1\n", "")})
    assert any(line.endswith("w1-part1.yml: writer: missing") for line in found), found


def test_the_real_bank_loads_and_is_split_by_writer() -> None:
    real = load_bank(BANK_DIR)
    assert real.split("train") and real.split("dev")
    assert set(real.writers()) == set(real.writers("train")) | set(real.writers("dev"))
    assert not set(real.writers("train")) & set(real.writers("dev"))
    text = describe(real)
    assert f"{len(real.items)} items" in text and "not answerable" in text

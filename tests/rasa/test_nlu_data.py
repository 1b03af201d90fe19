"""Fast checks of the NLU data (no Rasa run): the generator and the held-out set."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import yaml

from index.domain import Contact, Project, Source
from index.loader import load
from tests.rasa.examples import examples
from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import generate_nlu  # noqa: E402


@pytest.fixture(scope="module")
def knowledge():
    return load()


def _nlu(text: str) -> list[dict]:
    return yaml.safe_load(text)["nlu"]


def test_generated_file_is_valid_rasa_yaml(knowledge) -> None:
    rendered = generate_nlu.render(generate_nlu.generate(knowledge))
    blocks = _nlu(rendered)
    kinds = {next(iter(b)) for b in blocks}
    assert kinds == {"intent", "lookup", "synonym"}
    lookups = {b["lookup"] for b in blocks if "lookup" in b}
    assert lookups == {"project", "region", "person", "topic"}


def test_every_project_name_is_a_synonym_of_its_id(knowledge) -> None:
    gen = generate_nlu.generate(knowledge)
    for project in knowledge.projects:
        names = set(gen.synonyms.get(project.id, []))
        for name in generate_nlu.project_names(knowledge)[project.id]:
            assert name in names or name.lower() == project.id, (project.id, name)


def test_places_map_to_their_region(knowledge) -> None:
    gen = generate_nlu.generate(knowledge)
    assert "Bielefeld" in gen.synonyms["owl-paderborn"]
    assert "Lippstadt" in gen.synonyms["soest"]
    assert "Paderborn" in gen.lookups["region"]


def test_people_are_tagged_by_printed_name(knowledge) -> None:
    gen = generate_nlu.generate(knowledge)
    assert "vom Sondern" in gen.synonyms["Manfred vom Sondern"]
    assert "Nicole Sommer" in gen.lookups["person"]
    assert not any("Poststelle" in p for p in gen.lookups["person"])


def test_a_new_project_flows_into_the_nlu_data(knowledge) -> None:
    new = Project(
        id="soest-drohnenpost",
        title="Drohnenpost Soest",
        aliases=("Paketdrohne",),
        region="soest",
        municipality="Stadt Soest",
        summary="Test.",
        description="Test.",
        topics=("Drohnenlogistik",),
        status="planned",
        contacts=(Contact(name="Erika Musterfrau", email="e.musterfrau@soest.de"),),
        source=Source("praesentation-2019", "Folie „Drohnenpost“"),
    )
    extended = dataclasses.replace(knowledge, projects=(*knowledge.projects, new))
    gen = generate_nlu.generate(extended)
    assert set(gen.synonyms["soest-drohnenpost"]) == {"Drohnenpost Soest", "Paketdrohne"}
    assert {"Drohnenpost Soest", "Paketdrohne"} <= set(gen.lookups["project"])
    assert "Drohnenlogistik" in gen.lookups["topic"]
    assert "Erika Musterfrau" in gen.lookups["person"]
    text = "\n".join(e for intent in gen.examples.values() for e in intent)
    assert "[Paketdrohne](project)" in text and "[Drohnenpost Soest](project)" in text


def test_generation_is_deterministic(knowledge) -> None:
    first = generate_nlu.render(generate_nlu.generate(knowledge))
    assert generate_nlu.render(generate_nlu.generate(knowledge)) == first


def test_held_out_set_is_not_training_data() -> None:
    generated = ROOT / "bot" / "data" / "generated"
    if not generated.exists():
        unavailable("bot/data/generated/ missing: run scripts/generate_nlu.py")
    training = examples(ROOT / "bot" / "data")
    held_out = examples(ROOT / "tests" / "rasa" / "nlu_holdout.yml")
    assert len(held_out) >= 80
    assert not training & held_out, sorted(training & held_out)


def test_at_least_a_third_of_each_intent_is_english() -> None:
    from index.language import detect

    data = _nlu((ROOT / "bot" / "data" / "nlu.yml").read_text(encoding="utf-8"))
    for block in data:
        if "intent" not in block:
            continue
        lines = [x[2:] for x in block["examples"].splitlines() if x.startswith("- ")]
        english = [x for x in lines if detect(x, "de") == "en"]
        assert len(english) * 3 >= len(lines) - 3, (block["intent"], len(english), len(lines))

"""A knowledge update needs no code: an invented region added to a copy of knowledge/ is
answered, with the trained model as it is (no retraining), as well as a real one.

The copy lives in a temporary folder (`KNOWLEDGE_DIR`, which the NLU's name evidence and the
index read); the index is built there with `index.store.build` (only the new passages are
embedded). Each kind of question is asked about the invented region and about a real one; the
expected facts are read from the knowledge, never copied into the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support import require_index, require_model

pytestmark = pytest.mark.rasa

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "update" / "musterkreis.yml"


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The in-process assistant on knowledge/ plus the invented region."""
    model = require_model()
    require_index()
    from actions import deps
    from evaluation.pipeline import Assistant, intent_actions
    from index import store
    from index.embedders import get_embedder
    from index.loader import load
    from index.retriever import DEFAULT_BACKEND, open_retriever

    folder = tmp_path_factory.mktemp("knowledge")
    knowledge_dir = folder / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge_dir)
    shutil.copy(FIXTURE, knowledge_dir / "regions" / "musterkreis.yml")
    store_dir = folder / "store"
    shutil.copytree(store.store_dir(DEFAULT_BACKEND), store_dir)  # reuse unchanged vectors
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_dir))
    store.build(load(), get_embedder(DEFAULT_BACKEND), store_dir, log=lambda *_: None)
    retriever = open_retriever(store_dir, knowledge_root=knowledge_dir)
    deps.set_retriever(retriever)
    from rasa.core.agent import Agent

    yield Assistant(Agent.load(str(model)), retriever, intent_actions())
    deps.set_retriever(None)
    monkeypatch.undo()


def _region(region_id: str) -> dict:
    if region_id == "musterkreis":
        return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return yaml.safe_load((ROOT / "knowledge" / "regions" / f"{region_id}.yml").read_text())


def _project(region_id: str, project_id: str) -> dict:
    return next(p for p in _region(region_id)["projects"] if p["id"] == project_id)


# (region, a project of it, how people call the project, a person printed for two projects)
CASES = {
    "musterkreis": ("Musterkreis", "musterkreis-hochwasserwarnung", "die Hochwasserwarnung"),
    "soest": ("Soest", "soest-govbot", "den GovBot"),
}


def ask(assistant, *turns: str) -> str:
    conversation = assistant.conversation()
    said = None
    for turn in turns:
        said = conversation.say(turn)
    assert said is not None and said.reply is not None, f"{turns}: a domain response"
    return "\n".join(said.reply.texts) + "\n" + "\n".join(b["title"] for b in said.reply.buttons)


@pytest.mark.parametrize("region_id", list(CASES))
def test_every_kind_about_a_region_is_answered(updated, region_id: str) -> None:
    name, project_id, called = CASES[region_id]
    region = _region(region_id)["region"]
    project = _project(region_id, project_id)
    projects = _region(region_id)["projects"]
    failures = []

    def check(reply: str, expected: list[str], question: str) -> None:
        missing = [e for e in expected if e not in reply]
        if missing:
            failures.append(f"{question!r}: missing {missing}")

    q = f"Wer ist Ansprechpartner für {called}?"
    check(ask(updated, q), [c["email"] for c in project["contacts"] if c.get("email")], q)
    q = f"Was macht {called} in {name}?"
    check(ask(updated, q), [project["title"]], q)
    q = f"Welche Projekte gibt es in der Modellregion {name}?"
    check(ask(updated, q), [p["title"] for p in projects], q)
    q = f"Welche Städte und Kreise gehören zur Modellregion {name}?"
    partners = [p for p in region["partners"] if p != region["lead_municipality"]]
    check(ask(updated, q), partners, q)
    q = f"Wie viele Projekte hat die Modellregion {name}?"
    check(ask(updated, q), [str(len(projects))], q)
    q = f"Welche Bezirksregierung ist für {name} zuständig?"
    check(ask(updated, q), [region["district_government"]], q)
    assert not failures, "\n".join(failures)


def test_the_invented_projects_are_found_by_what_they_do(updated) -> None:
    flood = _project("musterkreis", "musterkreis-hochwasserwarnung")
    waste = _project("musterkreis", "musterkreis-sperrmuell-online")
    reply = ask(updated, "Is there a flood warning project?")
    assert flood["title"] in reply
    reply = ask(updated, "Kann ich Sperrmüll online anmelden?")
    assert waste["title"] in reply
    follow_up = ask(
        updated, "Kann ich Sperrmüll online anmelden?", "Und wer ist da Ansprechpartner?"
    )
    assert waste["contacts"][0]["email"] in follow_up
    period = ask(updated, "Bis wann läuft die Sperrmüll-Anmeldung?")
    assert waste["period"]["end"]["printed"] in period


def test_the_invented_region_in_lists_and_filters(updated) -> None:
    region = _region("musterkreis")
    ending = [
        p["title"] for p in region["projects"] if p["period"]["end"]["value"].startswith("2022")
    ]
    reply = ask(updated, "Welche Projekte im Musterkreis enden 2022?")
    assert all(title in reply for title in ending)
    person = ask(updated, "Wofür ist Otto Beispiel zuständig?")
    owned = [p["title"] for p in region["projects"]
             if any(c["name"] == "Otto Beispiel" for c in p["contacts"])]  # fmt: skip
    assert all(title in person for title in owned)

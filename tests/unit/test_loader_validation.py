"""Validation of the knowledge files: every problem names its file and field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from index.loader import KnowledgeError, digest, load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load(root)
    return info.value.problems


def test_fixture_is_valid_and_ordered() -> None:
    k = load(FIXTURE)
    assert [r.id for r in k.regions] == ["aachen", "gelsenkirchen", "paderborn"]
    assert len(k.projects) == 8 and len(k.topics) == 2 and len(k.actors) == 2
    assert k.documents[: len(k.projects)] == k.projects
    assert k.digest == digest(FIXTURE)


def test_missing_required_field(kb: Path) -> None:
    edit(kb, "regions/aachen.yml", lambda d: d["projects"][1].pop("summary"))
    assert "regions/aachen.yml: projects[1].summary: is required" in problems(kb)


def test_bad_email_and_unquoted_phone(kb: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["region"]["contacts"][0]["email"] = "pauels@"
        d["region"]["contacts"][0]["phone"] = 2418800

    edit(kb, "regions/aachen.yml", change)
    found = problems(kb)
    assert any(p.startswith("regions/aachen.yml: region.contacts[0].email:") for p in found)
    assert any(p.startswith("regions/aachen.yml: region.contacts[0].phone:") for p in found)


def test_unknown_status_and_unknown_field(kb: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["projects"][0]["status"] = "finished"
        d["projects"][0]["budget"] = "1 Mio"

    edit(kb, "regions/gelsenkirchen.yml", change)
    found = problems(kb)
    assert any(p.startswith("regions/gelsenkirchen.yml: projects[0].status:") for p in found)
    assert "regions/gelsenkirchen.yml: projects[0].budget: unknown field" in found


def test_period_problems_name_the_date_field(kb: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["projects"][0]["period"]["start"]["value"] = "2019-13"
        d["projects"][1]["period"]["start"] = {
            "printed": "2023",
            "value": "2023",
            "precision": "year",
        }

    edit(kb, "regions/paderborn.yml", change)
    found = problems(kb)
    assert any(
        p.startswith("regions/paderborn.yml: projects[0].period.start.value:") for p in found
    )
    assert any(
        p.startswith("regions/paderborn.yml: projects[1].period:") and "after it ends" in p
        for p in found
    )


def test_region_id_must_equal_file_name(kb: Path) -> None:
    edit(kb, "regions/paderborn.yml", lambda d: d["region"].update(id="owl"))
    assert any(p.startswith("regions/paderborn.yml: region.id:") for p in problems(kb))


def test_duplicate_ids_across_files(kb: Path) -> None:
    edit(kb, "regions/paderborn.yml", lambda d: d["projects"][0].update(id="aachen-ivod"))
    assert any("'aachen-ivod'" in p and "used twice" in p for p in problems(kb))


def test_project_needs_a_contact_unless_in_review(kb: Path) -> None:
    edit(kb, "regions/paderborn.yml", lambda d: d["projects"][1].update(contacts=[]))
    assert "regions/paderborn.yml: projects[1].contacts: a project needs at least one contact" in (
        problems(kb)
    )


def test_state_project_with_unknown_actor(kb: Path) -> None:
    edit(kb, "state.yml", lambda d: d["projects"][0].update(actor="nobody"))
    assert any(p.startswith("state.yml: projects[0].actor:") for p in problems(kb))


def test_every_problem_is_reported_at_once(kb: Path) -> None:
    edit(kb, "regions/aachen.yml", lambda d: d["projects"][0].pop("title"))
    edit(kb, "programme.yml", lambda d: d["topics"][1].update(keywords="Geld"))
    found = problems(kb)
    assert "regions/aachen.yml: projects[0].title: is required" in found
    assert any(p.startswith("programme.yml: topics[1].keywords:") for p in found)


def test_invalid_yaml_and_missing_file(kb: Path) -> None:
    (kb / "regions" / "aachen.yml").write_text("region: [unclosed\n", encoding="utf-8")
    (kb / "programme.yml").unlink()
    found = problems(kb)
    assert any(p.startswith("regions/aachen.yml: not valid YAML") for p in found)
    assert "programme.yml: file is missing" in found


def test_digest_changes_with_content(kb: Path) -> None:
    before = digest(kb)
    edit(kb, "programme.yml", lambda d: d["topics"][0].update(title="Anders"))
    assert digest(kb) != before

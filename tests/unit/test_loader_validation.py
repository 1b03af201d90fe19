"""Validation of the knowledge files: every problem names its file and field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from index.loader import DEFAULT_ROOT, KnowledgeError, digest, load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knowledge"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def real_kb(tmp_path: Path) -> Path:
    """A copy of the project's own knowledge/, to break one field at a time."""
    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_ROOT, root)
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


def test_status_and_actor_are_optional_and_never_guessed(kb: Path) -> None:
    """Omitted when the documents print none: None, not a default "running" or actor."""

    def change(d: dict[str, Any]) -> None:
        d["projects"][0].pop("actor")
        d["projects"][0].pop("status")

    edit(kb, "state.yml", change)
    edit(kb, "regions/aachen.yml", lambda d: d["projects"][0].pop("status"))
    k = load(kb)
    state = k.project("land-gewerbe-service-portal")
    assert (state.actor, state.status) == (None, None)
    assert k.projects[0].region == "aachen" and k.projects[0].status is None


def test_a_project_without_status_still_needs_a_contact(kb: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["projects"][0].pop("status")
        d["projects"][0]["contacts"] = []

    edit(kb, "state.yml", change)
    assert "state.yml: projects[0].contacts: a project needs at least one contact" in problems(kb)


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


# --- the project's own knowledge, broken one field at a time -----------------------------


def test_an_unchanged_round_trip_copy_loads(real_kb: Path) -> None:
    edit(real_kb, "regions/soest.yml", lambda data: None)
    assert [p.id for p in load(real_kb).projects] == [p.id for p in load(DEFAULT_ROOT).projects]


def _set(*path: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


BROKEN = [
    pytest.param(
        "regions/soest.yml",
        _set("projects", 0, "contacts", 0, "email", value="u.gerke(at)soest.de"),
        "regions/soest.yml: projects[0].contacts[0].email: ",
        "u.gerke(at)soest.de",
        id="invalid-email",
    ),
    pytest.param(
        "state.yml",
        _set("actors", 1, "contacts", 0, "email", value="andreas.engel@KDN"),
        "state.yml: actors[1].contacts[0].email: ",
        "andreas.engel@KDN",
        id="invalid-email-state",
    ),
    pytest.param(
        "regions/soest.yml",
        _set("projects", 1, "status", value="finished"),
        "regions/soest.yml: projects[1].status: ",
        "finished",
        id="unknown-status",
    ),
    pytest.param(
        "regions/soest.yml",
        _set(
            "projects",
            0,
            "period",
            "end",
            value={"printed": "Oktober 2017", "value": "2017-10", "precision": "month"},
        ),
        "regions/soest.yml: projects[0].period: ",
        "2017-10",
        id="period-ends-before-start",
    ),
    pytest.param(
        "regions/soest.yml",
        _set("projects", 0, "period", "start", "precision", value="week"),
        "regions/soest.yml: projects[0].period.start.precision: ",
        "week",
        id="unknown-precision",
    ),
    pytest.param(
        "regions/soest.yml",
        _delete("projects", 2, "summary"),
        "regions/soest.yml: projects[2].summary: ",
        "required",
        id="missing-project-summary",
    ),
    pytest.param(
        "regions/soest.yml",
        _delete("region", "district_government"),
        "regions/soest.yml: region.district_government: ",
        "required",
        id="missing-district-government",
    ),
    pytest.param(
        "programme.yml",
        _delete("topics", 0, "text"),
        "programme.yml: topics[0].text: ",
        "required",
        id="missing-topic-text",
    ),
    pytest.param(
        "regions/soest.yml",
        _set("projects", 0, "contacts", 0, "phone", value=2921103),
        "regions/soest.yml: projects[0].contacts[0].phone: ",
        "2921103",
        id="phone-not-text",
    ),
]


@pytest.mark.parametrize(("rel", "mutate", "prefix", "detail"), BROKEN)
def test_broken_copy_is_reported_with_file_and_field(
    real_kb: Path, rel: str, mutate: Callable[[dict[str, Any]], None], prefix: str, detail: str
) -> None:
    edit(real_kb, rel, mutate)
    found = problems(real_kb)
    assert len(found) == 1, found
    assert found[0].startswith(prefix), found
    assert detail in found[0]


def test_duplicate_id_names_file_and_field(real_kb: Path) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["projects"][1]["id"] = data["projects"][0]["id"]

    edit(real_kb, "regions/soest.yml", duplicate)
    found = problems(real_kb)
    assert len(found) == 1, found
    assert "soest-digitale-buergerdienstleistungen-buergerportal" in found[0]
    assert "twice" in found[0]
    assert found[0].startswith("regions/soest.yml: projects[1].id: "), found


def test_yaml_syntax_error_names_the_file(real_kb: Path) -> None:
    path = real_kb / "regions" / "soest.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    found = problems(real_kb)
    assert any(p.startswith("regions/soest.yml: not valid YAML") for p in found), found
    assert any("line" in p for p in found), found


def test_all_problems_are_reported_together(real_kb: Path) -> None:
    def two_errors(data: dict[str, Any]) -> None:
        data["projects"][0]["contacts"][0]["email"] = "x@"
        data["projects"][3]["status"] = "done"

    edit(real_kb, "regions/soest.yml", two_errors)
    found = problems(real_kb)
    assert len(found) == 2, found
    assert any(p.startswith("regions/soest.yml: projects[0].contacts[0].email") for p in found)
    assert any(p.startswith("regions/soest.yml: projects[3].status") for p in found)

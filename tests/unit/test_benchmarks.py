"""The benchmarks' own plumbing (no figures): they must reach every custom action."""

from __future__ import annotations

from actions import actions as registry  # noqa: F401  (defines the action classes)
from actions.base import AnswerAction
from benchmarks.breakdown import concrete_actions
from benchmarks.scale import _rules


def test_the_benches_find_every_custom_action_the_rules_name() -> None:
    found = concrete_actions(AnswerAction)
    custom = {a for a in _rules().values() if a.startswith("action_")}
    assert custom <= set(found), custom - set(found)
    assert all(callable(cls) for cls in found.values())

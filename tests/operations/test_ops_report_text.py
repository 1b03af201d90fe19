"""The report's grouping of questions (pure functions, no servers)."""

from __future__ import annotations

from service import report
from service.trackerdb import Turn


def turn(text: str, kind: str, intent: str = "topic", conversation: int = 0) -> Turn:
    """A user turn and one reply of `kind` (the action's reply_kind); the text is irrelevant."""
    return Turn(conversation, text, intent, 0.9, ("…",), (kind,))


def test_spelling_variants_are_one_question_and_terminal_codes_are_dropped() -> None:
    assert report.normalised("Gibt es  ein Projekt?! ") == "gibt es ein projekt"
    assert report.normalised("\x1b[2J\u202eevil\u202c\u200b") == "[2jevil"
    assert report.normalised(" \u200b\t") == "(empty)"


def test_groups_are_read_from_the_reply_kinds_and_the_nlu() -> None:
    turns = [
        Turn(0, "Raumfahrt?", "topic", 0.9, ("Nichts gefunden. Fragen Sie: a@b.de",), ("none",)),
        turn("space travel", "none", conversation=1),
        turn("blubb", "ask", intent="nlu_fallback", conversation=2),
        turn("/show_more", "none", conversation=2),  # a button, not typed
        turn("Was ist IVOD?", "answer", conversation=2),
    ]
    built = report.build(turns, days=7)
    assert built.groups["no_answer"] == {"raumfahrt": 1, "space travel": 1}
    assert built.groups["not_understood"] == {"blubb": 1}
    assert (built.conversations, built.questions, built.with_contact) == (3, 4, 1)


def test_a_not_sure_reply_is_counted_as_unsure() -> None:
    built = report.build([turn("Parkplätze?", "unsure")], days=7)
    assert built.groups["unsure"] == {"parkplätze": 1}


def test_nothing_found_for_an_out_of_scope_question_is_its_own_group() -> None:
    built = report.build([turn("Wetter morgen?", "none", intent="out_of_scope")], days=7)
    assert built.groups["out_of_scope"] == {"wetter morgen": 1}
    assert not built.groups["no_answer"]


def test_a_refusal_and_an_answer() -> None:
    built = report.build([turn("x" * 10, "refusal"), turn("Was ist IVOD?", "answer")], days=7)
    assert built.groups["refused"] == {"x" * 10: 1}
    assert sum(sum(c.values()) for c in built.groups.values()) == 1


def test_the_report_renders_every_group() -> None:
    text = report.render(report.build([turn("Parkplätze?", "unsure")], days=7))
    for _, heading in report.GROUPS:
        assert f"{heading}: " in text
    assert "   1  parkplätze" in text

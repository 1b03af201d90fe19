"""The conversation evaluator's judge and the format of the conversation sets (the blind set
is only read here, never changed)."""

from __future__ import annotations

from actions.texts import t
from service.eval_conversations import DEFAULT_CASES, ROOT, Case, Judge, load_cases


def test_the_decision_is_read_from_the_opening_line() -> None:
    judge = Judge()
    assert judge.decision(t("no_answer", "de") + "\n- Projektbüro …") == "none"
    assert judge.decision(t("unsure", "en") + "\n1. IVOD") == "unsure"
    assert judge.decision(t("project_unknown", "de", name="Bürgerbus")) == "none"
    # a card that mentions, further down, that no milestones are printed is an answer
    assert judge.decision("Laufzeit von **X**: 2019\n" + t("milestones_none", "de")) == "answer"


def test_a_case_passes_on_what_the_reply_contains() -> None:
    judge = Judge()
    case = Case("x", "contact", "de", ("Wer?",), True, contains=("a@b.de",), not_contains=("c@d",))
    assert judge.judge(case, "Kontakt: A@B.de").passed  # case-insensitive
    assert not judge.judge(case, "Kontakt: a@b.de, c@d.de").passed
    assert not judge.judge(case, t("no_answer", "de")).passed
    none = Case("y", "no_answer", "de", ("Köln?",), False)
    assert judge.judge(none, t("no_answer", "de")).passed
    assert not judge.judge(none, "**Ein Projekt** – Soest").passed


def test_the_conversation_sets_load() -> None:
    blind = load_cases([DEFAULT_CASES])
    dev = load_cases([ROOT / "tests" / "eval" / "conversations" / "dev.yml"])
    for cases, least in ((blind, 150), (dev, 100)):
        assert len(cases) >= least
        assert len({c.id for c in cases}) == len(cases)
        assert sum(not c.answerable for c in cases) >= 30
        assert {c.lang for c in cases} == {"de", "en"}

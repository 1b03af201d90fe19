"""`evaluation.check_bank`: a bank label that disagrees with knowledge/ is reported with its
file, item, turn and field; labels that agree are not."""

from __future__ import annotations

import pytest

from evaluation.bank import Filters, Item, Labelled, load_bank
from evaluation.check_bank import Problem, Targets, check, check_turn
from index.domain import Knowledge
from index.loader import load

ZEONLINE = "owl-paderborn-zeonline"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load()


@pytest.fixture(scope="module")
def targets(knowledge: Knowledge) -> Targets:
    return Targets(knowledge)


def labelled(**values: object) -> Labelled:
    base: dict[str, object] = {
        "q": "Wer ist Ansprechpartner für ZEonline?",
        "lang": "de",
        "kinds": ("project",),
        "aspects": ("contact",),
        "targets": (ZEONLINE,),
        "answerable": True,
    }
    base.update(values)
    return Labelled(**base)  # type: ignore[arg-type]


def item(*turns: Labelled) -> Item:
    return Item("w9-q001", "w9", "tester", "de", turns, source="tests/eval/bank/w9-part1.yml")


def run(turn: Labelled, targets: Targets) -> list[Problem]:
    return check_turn(item(turn), 0, turn, targets)


def test_a_label_that_agrees_is_no_problem(knowledge: Knowledge, targets: Targets) -> None:
    zeonline = knowledge.project(ZEONLINE)
    (contact,) = [c for c in zeonline.contacts if c.email]
    assert run(labelled(must=(contact.email, contact.name.split()[-1])), targets) == []


def test_a_wrong_email_is_reported(knowledge: Knowledge, targets: Targets) -> None:
    other = next(c.email for c in knowledge.project("soest-govbot").contacts if c.email)
    (problem,) = run(labelled(must=(other,)), targets)
    assert problem.field == "must"
    assert f"e-mail {other!r} is no contact of" in problem.message
    assert str(problem) == f"tests/eval/bank/w9-part1.yml: w9-q001: must: {problem.message}"


def test_an_email_spelt_otherwise_names_the_printed_one(
    knowledge: Knowledge, targets: Targets
) -> None:
    printed = next(c.email for c in knowledge.project(ZEONLINE).contacts if c.email)
    (problem,) = run(labelled(must=(printed.upper(),)), targets)
    assert f"(printed {printed!r})" in problem.message


def test_unknown_targets_and_regions(targets: Targets) -> None:
    found = run(labelled(targets=("gibt-es-nicht",), filters=Filters(region="mars")), targets)
    assert {p.field for p in found} == {"targets", "filters.region"}


def test_a_year_outside_every_target_s_period(knowledge: Knowledge, targets: Targets) -> None:
    period = knowledge.project(ZEONLINE).period
    assert period is not None and period.end is not None
    late = period.end.year + 3
    found = run(labelled(aspects=("period",), must=(f"Dezember {late}",)), targets)
    assert any(
        p.field == "must" and f"year {late} outside the period" in p.message for p in found
    ), found


def test_a_fact_not_in_the_target_s_text(targets: Targets) -> None:
    (problem,) = run(labelled(must=("Raumfahrtprogramm",)), targets)
    assert problem.field == "must" and "not in the text" in problem.message
    # one of several is enough for must_any
    assert run(labelled(must_any=("Raumfahrtprogramm", "Gutachterausschüsse")), targets) == []


def test_an_unanswerable_turn_requires_no_fact(targets: Targets) -> None:
    found = run(labelled(answerable=False, must=("Gutachterausschüsse",)), targets)
    assert [p.field for p in found] == ["must"]
    assert "not answerable" in found[0].message


def test_a_follow_up_is_named_by_its_turn(targets: Targets) -> None:
    first, second = labelled(), labelled(targets=("gibt-es-nicht",), context=True)
    (problem,) = check([item(first, second)], targets.knowledge)
    assert str(problem).startswith("tests/eval/bank/w9-part1.yml: w9-q001 turn 2: targets:")


def test_the_real_bank_agrees_with_the_knowledge(knowledge: Knowledge) -> None:
    problems = check(list(load_bank().items), knowledge)
    assert problems == [], "\n".join(map(str, problems[:20]))

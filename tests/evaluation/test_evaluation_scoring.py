"""`evaluation.scoring`: how a reading of a turn is scored against the bank's labels."""

from __future__ import annotations

import pytest

from evaluation.bank import Item, Labelled
from evaluation.scoring import LIST_KINDS, Reading, Report, Scored, score


def label(kinds=("project",), aspects=(), targets=("p1",), answerable=True, lang="de"):
    return Labelled("q", lang, tuple(kinds), tuple(aspects), tuple(targets), answerable)


def item(*turns: Labelled, writer: str = "w1", id: str = "w1-q001") -> Item:
    return Item(id, writer, "", "de", turns)


def scored(labelled: Labelled, reading: Reading, index: int = 0) -> Scored:
    return Scored(item(labelled), index, labelled, reading)


def test_the_kind_is_right_when_the_main_kind_read_is_labelled() -> None:
    two = label(kinds=("project", "person"))
    assert scored(two, Reading(("person",))).kind_ok
    assert not scored(two, Reading(("topic", "project"))).kind_ok  # the main kind counts
    assert scored(two, Reading(("project", "person"))).kinds_exact
    assert not scored(two, Reading(("project",))).kinds_exact
    today = label(kinds=("current", "period_filter"))
    assert scored(today, Reading(("period_filter", "current"))).kinds_exact  # overlay aside
    assert scored(today, Reading(("current", "period_filter"))).kind_ok


def test_aspects_must_be_the_same_set() -> None:
    two = label(aspects=("contact", "period"))
    assert scored(two, Reading(("project",), ("period", "contact"))).aspects_ok
    assert not scored(two, Reading(("project",), ("contact",))).aspects_ok
    assert not scored(label(), Reading(("project",))).has_aspects


@pytest.mark.parametrize("kind", sorted(LIST_KINDS))
def test_a_list_s_target_is_right_when_one_is_shared(kind: str) -> None:
    listed = label(kinds=(kind,), targets=("soest", "p2", "p3"))
    assert scored(listed, Reading((kind,), targets=("p9", "p3"))).target_ok
    assert not scored(listed, Reading((kind,), targets=("p9",))).target_ok


def test_a_single_target_must_be_read_first() -> None:
    one = label(targets=("p1", "p2"))  # either is right
    assert scored(one, Reading(("project",), targets=("p2", "p7"))).target_ok
    assert not scored(one, Reading(("project",), targets=("p7", "p1"))).target_ok
    assert not scored(one, Reading(("project",), targets=())).target_ok


def test_about_nothing_is_right_when_nothing_is_read_or_answered() -> None:
    nothing = label(targets=("none",), answerable=False)
    assert scored(nothing, Reading(("topic",), targets=(), answerable=True)).target_ok
    assert scored(nothing, Reading(("topic",), targets=("p1",), answerable=False)).target_ok
    assert not scored(nothing, Reading(("topic",), targets=("p1",), answerable=True)).target_ok
    assert not scored(nothing, Reading(("topic",))).has_targets
    assert not scored(label(answerable=False), Reading(("project",))).has_targets


def test_no_answer_precision_and_recall() -> None:
    rows = [
        scored(label(answerable=False), Reading(("project",), answerable=False)),  # right
        scored(label(answerable=False), Reading(("project",), answerable=True)),  # missed
        scored(label(answerable=True), Reading(("project",), answerable=False)),  # wrong
        scored(label(answerable=True), Reading(("project",), answerable=True)),
        scored(label(answerable=True), Reading(("project",), answerable=True)),
    ]
    precision, recall, true, said, gold = Report.of(rows).no_answer()
    assert (true, said, gold) == (1, 2, 2)
    assert precision == pytest.approx(0.5) and recall == pytest.approx(0.5)
    empty = Report.of([scored(label(), Reading(("project",)))]).no_answer()
    assert empty[2:] == (0, 0, 0)


def test_the_report_groups_and_its_confusions() -> None:
    first = scored(label(lang="en"), Reading(("topic",)))
    follow = Scored(item(label(), label()), 1, label(), Reading(("project",)))
    report = Report.of([first, follow])
    assert report.groups["language"]["en"]["kind"].rate == 0.0
    assert report.groups["turn"]["follow-up"]["kind"].rate == 1.0
    assert report.groups["all"]["all"]["kind"].n == 2
    assert report.confusion() == {("project", "topic"): 1}
    text = report.render("title")
    assert text.startswith("title") and "project" in text and "→ topic" in text


def test_a_reading_per_turn() -> None:
    two = item(label(), label(kinds=("person",)))
    found = score(two, [Reading(("project",)), Reading(("person",))])
    assert [s.index for s in found] == [0, 1] and all(s.kind_ok for s in found)
    assert found[1].followup and not found[0].followup
    with pytest.raises(ValueError):
        score(two, [Reading(("project",))])  # one reading per turn

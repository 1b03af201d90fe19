"""`make eval-bank`: the understanding of every bank question, in one process, no servers.

Each item of the question bank (`tests/eval/bank/`) is a fresh conversation with the in-process
assistant (`evaluation.pipeline`: the trained NLU model and the real actions); every turn's
understanding is read (`Reading`) and scored against its labels (`evaluation.scoring`): kind,
aspect and target accuracy per language, per writer and for first turns and follow-ups, the
no-answer precision and recall, and the confusion between kinds.

    python -m evaluation.eval_bank [--split dev|train|all] [--json results/eval-bank.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from evaluation.bank import BankError, Item, load_bank
from evaluation.pipeline import Said
from evaluation.scoring import LIST_KINDS, Reading, Report, Scored, score
from understanding.kinds import bank_kind, main_kind


def reading(said: Said, retriever: Any) -> Reading:
    """What the assistant understood of a turn, in the bank's labels."""
    q = said.question
    if q is None:  # a domain response: small talk
        return Reading(("smalltalk",), answerable=False)
    kind = bank_kind(q.kind)
    if q.kind == "nlu_fallback":  # answered by the search, or "not understood"
        searched = q.search is not None and q.search.decision != "none"
        kind = "topic" if searched else "out_of_scope"
    kinds = [kind, *(bank_kind(k) for k in q.kinds[1:])]
    if q.current:
        kinds.append("current")
    t = q.targets
    people = retriever.names.people
    person = [people[t.person].contact.person_id] if t.person in people else []
    region = [t.region] if t.region else []
    actor = [t.actor] if t.actor else []
    by_kind = {
        "person": person + actor + list(t.projects),  # an actor's contacts when no one person
        "actor": actor + list(t.topics),
        "programme": list(t.topics),
        "stadt_land_digital": list(t.topics),
    }
    if kind in LIST_KINDS:  # the scope, and the projects the answer listed
        shown = said.reply.update.values.get("shown_projects") if said.reply else None
        targets = region + list(t.projects) + list(shown or [])
    else:
        targets = by_kind.get(kind, list(t.projects) + list(t.topics) + region)
    answerable = said.reply is not None and said.reply.kind not in ("none", "refusal")
    if kind in ("smalltalk", "out_of_scope"):
        answerable = False
    return Reading(tuple(dict.fromkeys(kinds)), q.aspects, tuple(dict.fromkeys(targets)),
                   answerable)  # fmt: skip


def run(items: list[Item], replies: dict[str, str] | None = None) -> list[Scored]:
    """Every item as a fresh conversation, scored; `replies` collects what the user sees of
    each item's last reply (its texts, then its button titles), by item id."""
    from evaluation.pipeline import Assistant

    assistant = Assistant.load()
    scored: list[Scored] = []
    for item in items:
        conversation = assistant.conversation()
        said = [conversation.say(turn.q) for turn in item.turns]
        scored += score(item, [reading(s, assistant.retriever) for s in said])
        if replies is not None:
            replies[item.id] = shown(said[-1])
    return scored


def shown(said: Said) -> str:
    """What the user sees of a turn: the texts, then the button titles ("" for small talk
    answered with a domain response, which the judge does not score)."""
    if said.reply is None:
        return ""
    titles = [str(b.get("title") or "") for b in said.reply.buttons if isinstance(b, dict)]
    return "\n".join(t for t in [*said.reply.texts, *titles] if t)


def judge_replies(items: list[Item], replies: dict[str, str]) -> str:
    """Each item's last reply judged as `make eval-e2e` judges a case: an answerable question
    passes when the reply shows what it must and nothing it must not, one the documents do not
    answer when the reply says so. Small talk is left out. Pass rates per language, first
    question or follow-up, and kind."""
    from service.eval_conversations import Case, Judge

    judge = Judge()
    groups: dict[str, list[bool]] = {}
    for item in items:
        last = item.last
        kind = main_kind(last.kinds)
        if kind is None:
            continue
        case = Case(item.id, kind, last.lang, tuple(t.q for t in item.turns), last.answerable,
                    last.must, last.must_any, last.must_not, item.conversation)  # fmt: skip
        passed = judge.judge(case, replies[item.id]).passed
        turn = "follow-up" if item.conversation else "first question"
        for key in ("all", f"language {last.lang}", turn, f"kind {kind}"):
            groups.setdefault(key, []).append(passed)
    lines = ["replies judged as make eval-e2e judges (small talk left out):"]
    order = ("all", "language", "first", "follow", "kind")
    for key, passed in sorted(
        groups.items(), key=lambda kv: (order.index(kv[0].split()[0].split("-")[0]), kv[0])
    ):
        lines.append(f"  {key:<28} {sum(passed) / len(passed):.3f} ({sum(passed)}/{len(passed)})")
    return "\n".join(lines)


def rescore(path: Path, items: list[Item]) -> list[Scored]:
    """The readings recorded in an earlier `--json` scored with today's scorer and labels, so
    that a first and a final figure are of one rule."""
    recorded = {
        (row["id"], row["turn"]): row for row in json.loads(path.read_text(encoding="utf-8"))
    }
    scored: list[Scored] = []
    for item in items:
        readings = []
        for i in range(len(item.turns)):
            raw = recorded[(item.id, i)]["reading"]
            readings.append(
                Reading(
                    tuple(raw["kinds"]),
                    tuple(raw["aspects"]),
                    tuple(raw["targets"]),
                    bool(raw["answerable"]),
                )
            )
        scored += score(item, readings)
    return scored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.eval_bank", description=__doc__)
    parser.add_argument("--split", choices=("dev", "train", "all"), default="dev")
    parser.add_argument("--json", type=Path, help="write every scored turn to this file")
    parser.add_argument("--rescore", type=Path, help="score the readings of an earlier --json")
    parser.add_argument(
        "--replies", action="store_true", help="also judge each item's last reply (as eval-e2e)"
    )
    args = parser.parse_args(argv)
    try:
        bank = load_bank()
    except BankError as exc:
        print(f"The question bank does not validate:\n{exc}", file=sys.stderr)
        return 2
    items = list(bank.items if args.split == "all" else bank.split(args.split))
    started = time.perf_counter()
    replies: dict[str, str] | None = {} if args.replies and not args.rescore else None
    scored = rescore(args.rescore, items) if args.rescore else run(items, replies)
    elapsed = time.perf_counter() - started
    turns = len(scored)
    title = (
        f"question bank, split {args.split}: {len(items)} items, {turns} turns "
        f"({elapsed:.0f} s, {1000 * elapsed / max(1, turns):.0f} ms per turn)"
    )
    print(Report.of(scored).render(title))
    if replies is not None:
        print("\n" + judge_replies(items, replies))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        rows = [
            {
                "id": s.item.id,
                "turn": s.index,
                "q": s.label.q,
                "labels": asdict(s.label),
                "reading": asdict(s.reading),
                "kind_ok": s.kind_ok,
                "aspects_ok": s.aspects_ok if s.has_aspects else None,
                "target_ok": s.target_ok,
            }
            for s in scored
        ]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

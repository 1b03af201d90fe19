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

from evaluation.bank import BankError, Item, load_bank
from evaluation.scoring import Report, Scored, score


def run(items: list[Item]) -> list[Scored]:
    from evaluation import baseline
    from evaluation.pipeline import Assistant
    from service.eval_conversations import Judge

    assistant = Assistant.load()
    from actions import deps

    retriever = deps.get_retriever()
    judge = Judge()
    scored: list[Scored] = []
    for item in items:
        conversation = assistant.conversation()
        readings = [
            baseline.read(conversation.say(turn.q), retriever, judge) for turn in item.turns
        ]
        scored += score(item, readings)
    return scored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.eval_bank", description=__doc__)
    parser.add_argument("--split", choices=("dev", "train", "all"), default="dev")
    parser.add_argument("--json", type=Path, help="write every scored turn to this file")
    args = parser.parse_args(argv)
    try:
        bank = load_bank()
    except BankError as exc:
        print(f"The question bank does not validate:\n{exc}", file=sys.stderr)
        return 2
    items = list(bank.items if args.split == "all" else bank.split(args.split))
    started = time.perf_counter()
    scored = run(items)
    elapsed = time.perf_counter() - started
    turns = len(scored)
    title = (
        f"question bank, split {args.split}: {len(items)} items, {turns} turns "
        f"({elapsed:.0f} s, {1000 * elapsed / max(1, turns):.0f} ms per turn)"
    )
    print(Report.of(scored).render(title))
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

"""`python -m evaluation.transitions`: learn what follows what in the bank's conversations.

Counts, over the conversations of the question bank's `train` writers, which kind a turn that
refers to the conversation (`context: true`) asks after which kind of turn, and writes the
smoothed probabilities (`understanding.transitions`) with `--write`. Prints the table.
"""

from __future__ import annotations

import argparse
import json
import sys

from evaluation.bank import load_bank
from understanding import transitions
from understanding.kinds import KINDS, main_kind


def pairs(items) -> list[tuple[str, str]]:
    found = []
    for item in items:
        kinds = [main_kind(t.kinds) or "smalltalk" for t in item.turns]
        for i, turn in enumerate(item.turns[1:], 1):
            if turn.context and kinds[i] != "smalltalk" and kinds[i - 1] != "smalltalk":
                found.append((kinds[i - 1], kinds[i]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.transitions", description=__doc__)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    found = pairs(load_bank().split("train"))
    learnable = [k for k in KINDS if k not in ("nlu_fallback",)]
    table = transitions.learn(found, learnable)
    print(f"{len(found)} follow-up turns of the train writers' conversations")
    for previous, row in sorted(table.items()):
        top = sorted(row.items(), key=lambda kv: -kv[1])[:4]
        print(f"  after {previous:<20} " + ", ".join(f"{k} {p:.2f}" for k, p in top))
    if args.write:
        data = {"learned_from": f"{len(found)} follow-up turns (bank, train)", "after": table}
        transitions.PATH.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"wrote {transitions.PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

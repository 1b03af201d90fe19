"""`make report`: what citizens asked that the assistant could not answer, for the editors.

Reads the tracker store and prints, for the last `--days` days (default 30), the questions
grouped by what went wrong and counted – the same question in other case or punctuation
counts as one – and the share of conversations that reached a contact (a reply with an
e-mail address or a phone number). No sender id or other conversation id is printed.

    python -m service.report [--days N] [--top K] [--url SQL_URL]

What went wrong is read from the bot's replies, recognised by the action server's own
catalogue texts (actions/texts.py), and from the NLU's fallback intent.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from actions.texts import CATALOGUE
from service import trackerdb
from service.stores import StoreUrlError

FALLBACK_INTENTS = {"nlu_fallback"}

# (group, heading, catalogue key): the first that matches a turn wins.
GROUPS = (
    ("not_understood", "Not understood (fallback)", "not_understood"),
    ("no_answer", "Nothing found in the documents", "no_answer"),
    ("unsure", "Unsure („Meinen Sie …?“)", "maybe_meant"),
    ("out_of_scope", "Out of scope", "out_of_scope"),
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(Tel\.|phone)\s*:?\s*\+?\d[\d /()-]{5,}", re.IGNORECASE)


@dataclass(frozen=True)
class Report:
    days: float
    conversations: int
    questions: int
    with_contact: int
    groups: dict[str, Counter[str]]

    @property
    def contact_share(self) -> float:
        return self.with_contact / self.conversations if self.conversations else 0.0


def normalised(text: str) -> str:
    """One spelling per question: case, spacing and trailing punctuation do not count.

    Control, format (bidi, zero-width) and surrogate characters are dropped, so what a citizen
    typed cannot move the cursor, recolour or reorder the editor's terminal."""
    visible = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return re.sub(r"\s+", " ", visible).strip().strip("?!.… ").casefold() or "(empty)"


def group_of(turn: trackerdb.Turn) -> str | None:
    replies = "\n".join(turn.replies)
    for group, _, key in GROUPS:
        if group == "not_understood" and turn.intent in FALLBACK_INTENTS:
            return group
        if any(text in replies for text in CATALOGUE[key]):
            return group
    return None


def build(turns: Iterable[trackerdb.Turn], days: float) -> Report:
    groups: dict[str, Counter[str]] = {group: Counter() for group, _, _ in GROUPS}
    conversations: set[int] = set()
    contacted: set[int] = set()
    questions = 0
    for turn in turns:
        conversations.add(turn.conversation)
        if any(EMAIL.search(r) or PHONE.search(r) for r in turn.replies):
            contacted.add(turn.conversation)
        if turn.text.startswith("/"):  # a button payload, not a question someone typed
            continue
        questions += 1
        group = group_of(turn)
        if group is not None:
            groups[group][normalised(turn.text)] += 1
    return Report(days, len(conversations), questions, len(contacted), groups)


def render(report: Report, top: int = 20) -> str:
    lines = [
        f"Last {report.days:g} days: {report.conversations} conversations, "
        f"{report.questions} typed questions.",
        f"Reached a contact (a reply with an e-mail address or phone number): "
        f"{report.with_contact} of {report.conversations} conversations "
        f"({report.contact_share:.0%}).",
    ]
    for group, heading, _ in GROUPS:
        counted = report.groups[group]
        lines += ["", f"{heading}: {sum(counted.values())}"]
        for question, count in counted.most_common(top):
            shown = question if len(question) <= 100 else question[:99] + "…"
            lines.append(f"  {count:4d}  {shown}")
        if len(counted) > top:
            lines.append(f"        … and {len(counted) - top} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.report", description=__doc__)
    parser.add_argument("--days", type=float, default=30.0)
    parser.add_argument("--top", type=int, default=20, help="questions shown per group")
    parser.add_argument("--url", default=None, help="SQL URL of the tracker store")
    args = parser.parse_args(argv)
    try:
        turns = list(trackerdb.turns(trackerdb.engine(args.url), args.days))
    except (StoreUrlError, trackerdb.NoTrackerStore, sa.exc.SQLAlchemyError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(render(build(turns, args.days), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

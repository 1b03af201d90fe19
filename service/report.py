"""`make report`: what citizens asked that the assistant could not answer, for the editors.

Reads the tracker store and prints, for the last `--days` days (default 30), the questions
grouped by what went wrong and counted – the same question in other case or punctuation
counts as one – and the share of conversations that reached a contact (a reply with an
e-mail address or a phone number). No sender id or other conversation id is printed.

    python -m service.report [--days N] [--top K] [--url SQL_URL]

What went wrong is read from the kind the action server gave each reply (`reply_kind`:
none, unsure, refusal – stored in the bot event's metadata; actions/turn.py) and the kind of
question the NLU read (not understood, out of scope); never from the replies' texts.
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

from service import trackerdb
from service.stores import StoreUrlError

# (group, heading): a turn is counted in the first group it belongs to (`group_of`).
GROUPS = (
    ("not_understood", "Not understood (fallback)"),
    ("out_of_scope", "Out of scope, nothing found"),
    ("no_answer", "Nothing found in the documents"),
    ("unsure", "Unsure („Meinen Sie …?“)"),
    ("refused", "Refused (too long, personal data, …)"),
)
# The kind of reply (actions.turn.ReplyKind) that puts a turn in a group.
REPLY_GROUPS = {"none": "no_answer", "unsure": "unsure", "refusal": "refused"}
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
    """The group of a turn: the NLU did not understand it (and nothing was answered); else
    what its reply's kind says – nothing found (out of scope when the NLU read it so), not
    sure, refused; None for an answer, a question back or small talk."""
    if turn.intent == "nlu_fallback" and "answer" not in turn.reply_kinds:
        return "not_understood"
    for kind in turn.reply_kinds:
        group = REPLY_GROUPS.get(kind)
        if group == "no_answer" and turn.intent == "out_of_scope":
            return "out_of_scope"
        if group is not None:
            return group
    return None


def build(turns: Iterable[trackerdb.Turn], days: float) -> Report:
    groups: dict[str, Counter[str]] = {group: Counter() for group, _ in GROUPS}
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
    for group, heading in GROUPS:
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

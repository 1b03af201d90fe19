"""The time a question names and how it relates a project's period to it (rules: dates are a
closed world).

"laufen 2021" → (2021, active, in); "enden 2021" → (2021, end, in); "vor 2019 gestartet" →
(2019, start, before); "bis 2020 abgeschlossen" → (2020, end, by); "im September 2019" adds
the month. The words come from `index.vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from index import vocabulary as v

YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
"""A four-digit year; the one year pattern of the project."""

Event = Literal["active", "start", "end"]
Compare = Literal["in", "before", "after", "by"]


@dataclass(frozen=True)
class YearQuery:
    year: int
    event: Event = "active"
    compare: Compare = "in"
    month: int | None = None

    @property
    def active_in(self) -> int | None:
        """The year a project must be active in, when that is the whole relation."""
        return self.year if self.event == "active" and self.compare == "in" else None


def year_query(tokens: list[str], text: str) -> YearQuery | None:
    """The first year of the question and the words around it that relate it; `tokens` are
    the folded words of `text`."""
    years = YEAR.findall(text)
    if not years:
        return None
    vocabulary = set(tokens)
    event: Event = "active"
    if vocabulary & v.START_WORDS:
        event = "start"
    elif vocabulary & v.END_WORDS:
        event = "end"
    compare: Compare = "in"
    position = tokens.index(years[0]) if years[0] in tokens else len(tokens)
    before_year = set(tokens[max(0, position - 2) : position])
    if before_year & v.BEFORE_WORDS:
        compare = "before"
    elif before_year & v.AFTER_WORDS:
        compare = "after"
    elif before_year & v.BY_WORDS:
        compare = "by"
        event = "end" if event == "active" else event
    month = v.MONTHS.get(tokens[position - 1]) if 0 < position <= len(tokens) else None
    return YearQuery(int(years[0]), event, compare, month)


def order_event(tokens: list[str]) -> tuple[Literal["first", "last"], Event]:
    """For an ordering: first or last, by start or by end ("Welches endet zuletzt?")."""
    vocabulary = set(tokens)
    ends = bool(vocabulary & (v.END_WORDS | v.FINISHED_WORDS | v.LONGEST_WORDS)) and not (
        vocabulary & v.START_WORDS
    )
    last = bool(vocabulary & v.LAST_WORDS) and not vocabulary & v.FIRST_WORDS
    return ("last" if last else "first"), ("end" if ends else "start")

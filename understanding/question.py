"""`Question`: everything a turn asks, understood once; the answers read nothing else.

Built by `understanding.read.understand` from the NLU's parse result (kind, facets, names,
the sentence embedding), the rules for the closed parts (dates, list positions, status words)
and the conversation so far. Frozen: an answer cannot change what was understood.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from index.domain import Hit
from index.language import Language
from understanding.dates import YearQuery
from understanding.kinds import Kind

How = Literal["payload", "name", "position", "context", "shown", "search", "none"]


@dataclass(frozen=True)
class Filters:
    """What a list is restricted to."""

    region: str | None = None  # region id
    municipality: str | None = None  # a partner town or district named ("Bielefeld")
    year: YearQuery | None = None
    status: str | None = None  # planned | in_review | running
    finished: bool = False  # "abgeschlossene Projekte" (no year)
    of_those: bool = False  # "welche davon …": the last list
    order: tuple[Literal["first", "last"], Literal["start", "end"]] | None = None


@dataclass(frozen=True)
class Search:
    """The retrieval over the documents' descriptions, restricted by place and time: the
    ranked hits and whether to answer with them."""

    hits: tuple[Hit, ...]
    decision: Literal["answer", "unsure", "none"]
    probability: float | None = None
    rule: str = ""

    @property
    def answer(self) -> tuple[Hit, ...]:
        return self.hits if self.decision == "answer" else ()


@dataclass(frozen=True)
class Targets:
    """What the question is about, resolved: by a button's id, a printed name, a list
    position, the conversation, or a search over the descriptions."""

    projects: tuple[str, ...] = ()
    how: How = "none"
    region: str | None = None
    regions: tuple[str, ...] = ()  # every region named ("Paderborn und Bielefeld")
    person: str | None = None  # person key of the name index
    actor: str | None = None
    topics: tuple[str, ...] = ()  # programme and Stadt.Land.Digital topic ids
    facts: tuple[str, ...] = ()  # the printed facts of those topics that answer it, best first
    place: str | None = None  # a place outside the model regions ("Köln")
    unknown_project: str | None = None  # a project name the documents do not know

    @property
    def project(self) -> str | None:
        return self.projects[0] if len(self.projects) == 1 else None


@dataclass(frozen=True)
class Question:
    text: str  # the message, cleaned ("" for a button)
    language: Language
    kind: Kind
    kinds: tuple[Kind, ...]  # main kind first; a message may ask two
    aspects: tuple[str, ...] = ()  # of a project, person or region: contact, period, …
    current: bool = False  # asks about today
    followup: bool = False  # only makes sense with the conversation so far
    beyond: tuple[str, ...] = ()  # asks what such documents do not print: phone, cost, …
    answerable: bool = True  # the documents answer it at all (the learned facet)
    payload: bool = False  # a button
    targets: Targets = Targets()
    filters: Filters = Filters()
    search: Search | None = None
    confidence: float = 1.0  # of the kind
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    def asks(self, aspect: str) -> bool:
        return aspect in self.aspects

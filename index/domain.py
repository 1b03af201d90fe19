"""The domain of the knowledge base: frozen dataclasses, built once by the loader.

Nothing here reads files; `index.loader` validates the YAML and constructs these objects.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

from index.text import words

Precision = Literal["day", "month", "quarter", "half_year", "season", "year"]
Status = Literal["planned", "in_review", "running"]
Kind = Literal["project", "topic"]

PRECISIONS: tuple[str, ...] = ("day", "month", "quarter", "half_year", "season", "year")
STATUSES: tuple[str, ...] = ("planned", "in_review", "running")
DOCUMENTS: dict[str, str] = {
    "praesentation-2019": (
        "Informationsveranstaltung „Digitales Nordrhein-Westfalen – Stadt der Zukunft“, "
        "Düsseldorf, 5. Juli 2019"
    ),
    "bericht-2017": (
        "Bericht des MWIDE an den Ausschuss für Digitalisierung und Innovation des Landtags "
        "NRW, November 2017 (Vorlage 17/29)"
    ),
}

# When each document was written: the facts are "as of" this date.
DOCUMENT_DATES: dict[str, datetime.date] = {
    "praesentation-2019": datetime.date(2019, 7, 5),
    "bericht-2017": datetime.date(2017, 11, 1),
}
# Approximate month of the printed season words ("Ende 2021" → November), for ordering only.
_SEASON_MONTHS = {
    "anfang": 2, "beginn": 2, "fruehjahr": 4, "frühjahr": 4, "mitte": 6, "sommer": 7,
    "herbst": 10, "ende": 11, "winter": 12,
}  # fmt: skip


@dataclass(frozen=True)
class Source:
    document: str
    location: str

    @property
    def document_title(self) -> str:
        return DOCUMENTS[self.document]

    @property
    def date(self) -> datetime.date:
        """When the document was written: its facts are as of this date."""
        return DOCUMENT_DATES[self.document]


@dataclass(frozen=True)
class Contact:
    name: str
    salutation: str | None = None
    title: str | None = None
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def display_name(self) -> str:
        """Name as one would address the person: "Prof. Dr. Andreas Engel", "Frau Gerke"."""
        parts = [self.salutation if not self.title else None, self.title, self.name]
        return " ".join(p for p in parts if p)

    @property
    def person_id(self) -> str:
        """`person:<surname>` as the question bank labels a person: the surname with its
        particle ("vom Sondern"), folded, words joined by "-" ("person:vom-sondern")."""
        parts = self.name.split()
        start = len(parts) - 1
        while start > 0 and parts[start - 1][:1].islower():
            start -= 1  # "vom", "von", "van", "de"
        return "person:" + "-".join(words(" ".join(parts[start:])))


@dataclass(frozen=True)
class DatePoint:
    printed: str
    value: str
    precision: Precision

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int:
        """The month the point stands for (the middle of a quarter or half year, a season's
        usual month); for ordering and "ends before" comparisons."""
        rest = self.value[5:]
        if self.precision in ("day", "month"):
            return int(rest[:2])
        if self.precision == "quarter":
            return 3 * int(rest[1]) - 1
        if self.precision == "half_year":
            return 6 * int(rest[1]) - 3
        first = self.printed.split()[0].lower() if self.printed.split() else ""
        return _SEASON_MONTHS.get(first, 6)

    @property
    def sort_key(self) -> tuple[int, int]:
        return self.year, self.month


@dataclass(frozen=True)
class Duration:
    printed: str
    months: int


@dataclass(frozen=True)
class Period:
    printed: str
    start: DatePoint | None = None
    end: DatePoint | None = None
    duration: Duration | None = None

    def active_in(self, year: int) -> bool | None:
        """Whether the period touches `year`; None when the document gives no dates."""
        if self.start is None and self.end is None:
            return None
        first = self.start.year if self.start else None
        last = self.end.year if self.end else None
        return (first is None or first <= year) and (last is None or year <= last)


@dataclass(frozen=True)
class Milestone:
    when: str
    what: str


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    short_name: str
    lead_municipality: str
    partners: tuple[str, ...]
    district_government: str
    summary: str
    contacts: tuple[Contact, ...]
    source: Source
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A state- or federal-level organisation (CIO NRW, KDN, d-NRW, MWIDE, Stadt.Land.Digital)."""

    id: str
    name: str
    short_name: str
    summary: str
    contacts: tuple[Contact, ...]
    source: Source
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    id: str
    title: str
    region: str | None
    municipality: str
    summary: str
    description: str
    topics: tuple[str, ...]
    status: Status | None
    """None: the documents print no status (the state projects of the CIO's talk)."""
    contacts: tuple[Contact, ...]
    source: Source
    aliases: tuple[str, ...] = ()
    period: Period | None = None
    milestones: tuple[Milestone, ...] = ()
    transferability: str | None = None
    actor: str | None = None
    """id of the state actor a state project is printed for; None when the documents name none."""

    kind: Kind = field(default="project", init=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    @property
    def details(self) -> str:
        """The slide text without the picture credits printed under it."""
        from index.vocabulary import CREDIT_LABELS

        lines = self.description.strip().splitlines()
        return "\n".join(
            line for line in lines if not line.strip().lower().startswith(CREDIT_LABELS)
        ).strip()

    @property
    def text(self) -> str:
        """Everything printed about the project, as one text."""
        parts = [self.title, self.summary, self.description, self.transferability or ""]
        parts += [f"{m.when} {m.what}" for m in self.milestones]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Topic:
    """A background fact of the programme (2017 report, Stadt.Land.Digital)."""

    id: str
    title: str
    text: str
    source: Source
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    actor: str | None = None
    """id of the actor whose talk or publication the topic is (Stadt.Land.Digital), if any."""

    kind: Kind = field(default="topic", init=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The topic's printed facts one by one, each a passage a question can be answered
        with: a list item with the line that introduces it, or a sentence."""
        found: list[str] = []
        header = ""
        for raw in self.text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line[0] in "•-–":
                found.append(f"{header} {line.lstrip('•-– ')}".strip())
            elif line.endswith(":"):
                header = line
                found.append(line.rstrip(":"))
            else:
                header = ""
                found += sentences(line)
        unique = dict.fromkeys(f for f in found if len(f) > 3)
        return tuple(Fact(self.id, i, text) for i, text in enumerate(unique))


@dataclass(frozen=True)
class Fact:
    """One printed fact of a topic ("… 40 % (2015) → 59 % (2017) …")."""

    topic: str  # the topic's id
    number: int  # its position in the topic
    text: str

    @property
    def id(self) -> str:
        return f"{self.topic}#{self.number}"


_ORDINAL = re.compile(r"\(?\d{1,2}\.")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"(])")


def sentences(text: str) -> list[str]:
    """`text` split into sentences; abbreviations ("Prof.", "z. B.") and ordinals ("17.
    Wahlperiode", "am 23. November") end none."""
    from index.vocabulary import ABBREVIATIONS

    found: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        last = found[-1].split()[-1] if found else ""
        if last in ABBREVIATIONS or _ORDINAL.fullmatch(last):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


Document = Project | Topic


@dataclass(frozen=True)
class Knowledge:
    regions: tuple[Region, ...]
    actors: tuple[Actor, ...]
    projects: tuple[Project, ...]
    topics: tuple[Topic, ...]
    digest: str
    """sha256 of the YAML files as read: the index manifest records it."""

    @property
    def documents(self) -> tuple[Document, ...]:
        """Everything retrieval can return, in a stable order (the FAISS ids)."""
        return (*self.projects, *self.topics)

    def region(self, region_id: str) -> Region:
        return next(r for r in self.regions if r.id == region_id)

    def project(self, project_id: str) -> Project:
        return next(p for p in self.projects if p.id == project_id)

    @property
    def last_planned_year(self) -> int:
        """The latest year any printed period reaches: the documents plan no further."""
        ends = [p.period.end.year for p in self.projects if p.period and p.period.end]
        return max(ends, default=self.as_of.year)

    @property
    def as_of(self) -> datetime.date:
        """The date of the newest document: what the knowledge says is as of then."""
        return max(DOCUMENT_DATES.values())

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every topic's facts, in topic order (after the documents in the search index)."""
        return tuple(f for topic in self.topics for f in topic.facts)

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.id == doc_id)

    def contacts(self) -> tuple[tuple[Contact, str], ...]:
        """Every printed contact with the id of what it belongs to (region, actor or project)."""
        owned: list[tuple[Contact, str]] = []
        for region in self.regions:
            owned += [(c, region.id) for c in region.contacts]
        for actor in self.actors:
            owned += [(c, actor.id) for c in actor.contacts]
        for project in self.projects:
            owned += [(c, project.id) for c in project.contacts]
        return tuple(owned)


@dataclass(frozen=True)
class Hit:
    """One retrieval result: a document, its fused score and why it matched."""

    document: Document
    score: float
    matched: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.document.id


@dataclass(frozen=True)
class PersonHit:
    """A contact person matched by name; one hit per person even when printed on many slides."""

    contact: Contact
    owners: tuple[str, ...]
    """ids of the regions, actors and projects the person is printed for, in knowledge order."""
    score: float

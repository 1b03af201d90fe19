"""The one analysis of a question: what it names, asks and filters by, computed once a turn.

`analyse(text, names)` needs only the name index (no embedding); the retriever adds dense and
BM25 scores on top of it (`index.retriever.Evidence`), and the actions read the same object to
choose between a structured lookup and a retrieval (`actions/answers/`). Nothing else
interprets the words of a question.

Word lists here are general German and English vocabulary of how people ask — question words,
status words, verbs of starting and ending, words for towns and districts — written from
grammar and everyday usage, not from the evaluation questions. Each says what it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from index.language import detect
from index.text import STOPWORDS, fold, wordlist, words

if TYPE_CHECKING:
    from index.names import NameIndex, NameMatch

YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
"""A four-digit year; the one year pattern of the project."""

Event = Literal["active", "start", "end"]
Compare = Literal["in", "before", "after", "by"]
Form = Literal["single", "list", "count", "first", "last"]

# --- vocabulary ---------------------------------------------------------------------------

PROJECT_WORDS = wordlist("projekt projekte projekten projekts vorhaben project projects")

# Status words as the documents and people use them → the knowledge's status values.
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        wordlist("geplant geplante geplanten geplantes geplanter planung planned planning"),
        "planned",
    ),
    **dict.fromkeys(
        wordlist("antragspruefung pruefung geprueft review reviewed"),
        "in_review",
    ),
    **dict.fromkeys(
        wordlist(
            "laufende laufenden laufender laufendes bewilligt bewilligte bewilligten "
            "genehmigt genehmigte genehmigten ongoing approved"
        ),
        "running",
    ),
}
# Finished, without a year: ended before the documents were written.
FINISHED_WORDS = wordlist(
    "abgeschlossen abgeschlossene abgeschlossenen beendet beendete beendeten fertig "
    "fertiggestellt finished completed complete ended done over"
)
# Verbs and nouns of beginning and ending (German and English inflections).
START_WORDS = wordlist(
    "beginn beginnt begann begonnen beginnen starten startet startete gestartet start starts "
    "started starting anfang angefangen faengt fing began begin begins beginning launch "
    "launched kick kicked"
)
END_WORDS = wordlist(
    "ende enden endet endete endeten auslaufen laeuft aus abschluss abgeschlossen beendet "
    "end ends ended ending finish finishes finished complete completed expire expires"
) - {"laeuft", "aus"}
BEFORE_WORDS = wordlist("vor before prior earlier frueher")
AFTER_WORDS = wordlist("nach after ab seit since later spaeter")
BY_WORDS = wordlist("bis until till by")
FIRST_WORDS = wordlist(
    "zuerst erstes erste ersten allererste allererstes allerersten fruehesten fruehste "
    "earliest first"
)
LAST_WORDS = wordlist(
    "zuletzt letztes letzte letzten allerletzte allerletztes spaetesten spaeteste "
    "laengsten latest last longest"
)
# "davon", "of those": an ordering among the projects just shown
SHOWN_WORDS = wordlist("davon darunter those them")
_MONTH_NAMES = (
    "januar februar maerz april mai juni juli august september oktober november dezember",
    "january february march april may june july august september october november december",
)
MONTHS = {name: i for block in _MONTH_NAMES for i, name in enumerate(block.split(), 1)}
COUNT_PATTERN = re.compile(r"\bwie ?viele?\b|\banzahl\b|\bhow many\b|\bnumber of\b")
# An amount asked for ("Wie hoch ist die Hundesteuer?", "how much does it cost?").
AMOUNT_PATTERN = re.compile(r"\bwie (?:hoch|teuer|viel)\b|\bhow (?:much|expensive)\b")
CURRENT_WORDS = wordlist(
    "aktuell aktuelle aktuellen derzeit momentan heute jetzt zurzeit gegenwaertig inzwischen "
    "mittlerweile currently current today now nowadays presently"
)
# The make-up of a region: its members, its lead, its supervising authority.
MAKEUP_WORDS = wordlist(
    "kommunen staedte kreise gemeinden mitglieder partner partnerkommunen partnerstaedte "
    "beteiligt beteiligten gehoeren gehoert zugehoerig bestehen besteht umfasst leitkommune "
    "federfuehrend federfuehrende bezirksregierung regierungsbezirk "
    "towns cities municipalities districts members partners belong belongs consist consists "
    "comprise comprises lead leading involved government supervises supervising"
)
LIST_WORDS = wordlist("welche welcher alle liste aufzaehlen which all list any")

# Things people ask about a project or a person that such documents do not print: everyday
# administration (`GENERIC_WORDS`), money, usage figures, app stores. A question about a known
# project that asks for one of these gets "the documents say nothing about that" first.
UNPRINTED_WORDS = wordlist(
    "kosten kostet kostenlos budget euro geld finanziert foerdersumme besucher nutzer "
    "nutzerzahlen downloads herunterladen runterladen vorname "
    "cost costs price money budget funding funded visitors users download downloads "
    "store firstname"
)
PHONE_WORDS = wordlist("telefon telefonnummer telefonnr tel anrufen phone telephone call")

# Which aspect of a project a question asks for, from the words people use for it.
ASPECT_WORDS: dict[str, frozenset[str]] = {
    "contact": wordlist(
        "ansprechpartner ansprechpartnerin ansprechpartnerinnen ansprechperson kontakt "
        "kontaktperson kontaktdaten kontaktadresse erreiche erreichen erreichbar email mail "
        "mailadresse emailadresse adresse telefon "
        "telefonnummer anrufen zustaendig zustaendige contact contacts reach email phone call "
        "responsible address charge"
    ),
    "period": wordlist(
        "laufzeit dauer dauert zeitraum zeitrahmen wann lange duration long period runtime "
        "timeline when stand fortschritt weit stage progress"
    ),
    "milestones": wordlist(
        "meilenstein meilensteine meilensteinen schritte zwischenziele milestone milestones steps"
    ),
    "transferability": wordlist(
        "uebertragbar uebertragbarkeit nachnutzen nachnutzung uebertragen transferable "
        "transferability transfer reuse replicate"
    ),
}

# Words that only express the facets of a list question (which projects, of what status, when,
# where) and no subject of their own. A question made only of these plus a region name is a
# request to list the region's projects.
FACET_WORDS = (
    PROJECT_WORDS
    | LIST_WORDS
    | wordlist(
        """
        gibt gib zeige zeig nenne nenn show name there still yet already noch gerade umgesetzt
        laufen laeuft laufend run runs running last lasts underway jahr jahre jahren mitte
        sollen year years until since plant planen under
        modellregion region regionen kommune kommunen stadt kreis city district model digital
        digitale digitalen digitales
        nrw nordrhein westfalen north rhine westphalia
        programm programms programme programmen program programs
        """
    )
    | set(STATUS_WORDS)
    | FINISHED_WORDS
    | START_WORDS
    | END_WORDS
    | CURRENT_WORDS
    | SHOWN_WORDS
)

# Generic intents of everyday administration, German and English: what a citizen wants done
# (apply, register, pay, opening hours) or asks about an administration as such. General
# vocabulary, not taken from the documents or questions; how much it counts is learned
# (`index.decision`), it is no rule of its own. Compared after stemming.
GENERIC_WORDS = wordlist(
    """
    beantragen beantrage antrag antraege anmelden anmeldung ummelden abmelden registrieren
    registrierung oeffnungszeiten geoeffnet oeffnet gebuehr gebuehren kosten kostet preis
    bezahlen termin termine formular mitarbeiter mitarbeitende beschaeftigte personal
    stadtverwaltung verwaltung rathaus buergeramt amt behoerde auto kfz fahrzeug
    apply application register registration opening hours open opens fee fees cost costs price
    appointment form employees employee staff city hall administration car cars vehicle
    """
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class YearQuery:
    """A year and how the question relates a project's period to it.

    "laufen 2021" → (2021, active, in); "enden 2021" → (2021, end, in);
    "vor 2019 gestartet" → (2019, start, before); "bis 2020 abgeschlossen" → (2020, end, by).
    """

    year: int
    event: Event = "active"
    compare: Compare = "in"
    month: int | None = None  # "im September 2019"


@dataclass(frozen=True)
class Analysis:
    """Everything the words of one question say; see the module docstring."""

    text: str
    tokens: tuple[str, ...]
    english: bool
    names: dict[str, NameMatch]  # best project/topic name match per document id
    region: str | None  # region mentioned
    municipalities: frozenset[str]  # folded names of the region mentions
    other_place: str | None  # a place outside the model regions (none mentioned)
    place_words: frozenset[str]  # its folded words
    people: frozenset[str]  # person keys of the contact persons mentioned
    actor: str | None  # a state or federal actor named ("KDN", "CIO", "d-NRW")
    covered: frozenset[str]  # words that name a region, place or person
    residual: tuple[str, ...]  # content words left after names, places, years and facets
    nouns: frozenset[str]  # folded words written capitalised after the first word
    topical: str  # the question without region, place and person names (for dense/BM25)
    year: YearQuery | None = None
    status: str | None = None
    finished: bool = False  # "abgeschlossene Projekte" (no year)
    current: bool = False  # "aktuell", "heute", "currently"
    form: Form = "single"
    makeup: bool = False  # asks which towns form a region, its lead or its authority
    wants_projects: bool = False
    generic_share: float = 0.0
    order_event: Event = "start"  # for form first/last: by start or by end
    named_project: str | None = None  # a project name given that no project has
    aspect: str | None = None  # contact | period | milestones | transferability, if asked
    asks_phone: bool = False  # "Telefonnummer", "phone"
    unprinted: tuple[str, ...] = ()  # the words (as written) asking what documents don't print

    @property
    def subject(self) -> tuple[str, ...]:
        """The residual words long enough to carry a subject (not "e", "d")."""
        return tuple(w for w in self.residual if len(w) >= 4)

    @property
    def structured(self) -> bool:
        """Whether the question is answered from the structured knowledge rather than by
        similarity: a count, an ordering, a period relation other than "active in", finished
        projects, or a region's make-up."""
        relation = self.year is not None and (
            self.year.event != "active" or self.year.compare != "in"
        )
        return (
            self.form in ("count", "first", "last")
            or relation
            or self.finished
            or (self.makeup and not self.wants_projects)
        )


@dataclass
class _Names:
    names: dict[str, NameMatch] = field(default_factory=dict)
    region: str | None = None
    municipalities: set[str] = field(default_factory=set)
    place: str | None = None
    place_words: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    actor: str | None = None
    covered: set[str] = field(default_factory=set)


def _names(text: str, index: NameIndex) -> _Names:
    found = _Names()
    matches = index.match(text)
    for m in matches:
        kind = m.entry.kind
        if kind == "region" and m.score >= 0.8:
            found.region = found.region or m.target
            found.municipalities.add(municipality_key(m.entry.display))
        elif kind == "place":
            if found.place is None:
                found.place, found.place_words = m.target, set(m.entry.text.split())
        elif kind == "person" and m.score >= 0.8:
            found.people.add(m.target)
        elif kind == "actor" and m.score >= 0.9:
            found.actor = found.actor or m.target
            continue  # an actor's name may also name a topic ("Stadt.Land.Digital")
        else:
            continue
        found.covered.update(w for span in m.spans for w in span.split())
    for m in matches:
        # A partial match on a word that names a region or person is that mention, not
        # the document's name ("Solingen" in "Ausländerbehörde Solingen").
        if m.entry.kind in ("project", "topic") and not (m.partial and m.span in found.covered):
            found.names.setdefault(m.target, m)
    if found.region is not None:
        found.place, found.place_words = None, set()
    return found


def year_query(tokens: list[str], text: str) -> YearQuery | None:
    """The first year of the question and the words around it that relate it."""
    years = YEAR.findall(text)
    if not years:
        return None
    vocabulary = set(tokens)
    event: Event = "active"
    if vocabulary & START_WORDS:
        event = "start"
    elif vocabulary & END_WORDS:
        event = "end"
    compare: Compare = "in"
    position = tokens.index(years[0]) if years[0] in tokens else len(tokens)
    before_year = set(tokens[max(0, position - 2) : position])
    if before_year & BEFORE_WORDS:
        compare = "before"
    elif before_year & AFTER_WORDS:
        compare = "after"
    elif before_year & BY_WORDS:
        compare = "by"
        event = "end" if event == "active" else event
    month = MONTHS.get(tokens[position - 1]) if 0 < position <= len(tokens) else None
    return YearQuery(int(years[0]), event, compare, month)


def _form(tokens: list[str], text: str, wants_projects: bool) -> tuple[Form, Event]:
    folded = " ".join(tokens)
    if COUNT_PATTERN.search(folded):
        return "count", "start"
    vocabulary = set(tokens)
    event: Event = "end" if vocabulary & END_WORDS and not vocabulary & START_WORDS else "start"
    ordering = bool(vocabulary & (START_WORDS | END_WORDS | SHOWN_WORDS)) or wants_projects
    if ordering and vocabulary & FIRST_WORDS and not YEAR.search(text):
        return "first", event
    if ordering and vocabulary & LAST_WORDS and not YEAR.search(text):
        return "last", "end" if not vocabulary & START_WORDS else "start"
    plural = vocabulary & wordlist("projekte projekten vorhaben projects")
    if plural or vocabulary & LIST_WORDS:
        return "list", event
    return "single", event


def analyse(text: str, index: NameIndex) -> Analysis:
    """The analysis of one question (pure apart from the name index it is given)."""
    tokens = words(text)
    found = _names(text, index)
    year = year_query(tokens, text)
    covered = found.covered
    residual = tuple(
        t
        for t in tokens
        if t not in STOPWORDS
        and t not in FACET_WORDS
        and t not in covered
        and not YEAR.fullmatch(t)
        and t not in COUNT_WORDS
        and t not in FIRST_WORDS
        and t not in LAST_WORDS
    )
    # Dense and BM25 see the question without the names of regions, places and persons:
    # those are matched exactly, and would otherwise make every document of a region look
    # relevant ("WLAN in Gelsenkirchen" is not about Gelsenkirchen's projects).
    kept = [w for w in _WORD.findall(text) if not set(words(w)) <= covered]
    topical = " ".join(kept) if covered and any(set(words(w)) - STOPWORDS for w in kept) else text
    statuses = {STATUS_WORDS[t] for t in tokens if t in STATUS_WORDS}
    vocabulary = set(tokens)
    wants_projects = bool(vocabulary & PROJECT_WORDS)
    form, order_event = _form(tokens, text, wants_projects)
    original = _WORD.findall(text)
    english = detect(text) == "en"
    return Analysis(
        text=text,
        tokens=tuple(tokens),
        english=english,
        names=found.names,
        region=found.region,
        municipalities=frozenset(found.municipalities),
        other_place=found.place,
        place_words=frozenset(found.place_words),
        people=frozenset(found.people),
        actor=found.actor,
        covered=frozenset(covered),
        residual=residual,
        nouns=frozenset(f for w in original[1:] if w[:1].isupper() for f in words(w)),
        topical=topical,
        year=year,
        status=statuses.pop() if len(statuses) == 1 else None,
        finished=bool(vocabulary & FINISHED_WORDS) and year is None,
        current=bool(vocabulary & CURRENT_WORDS) or "at the moment" in " ".join(tokens),
        form=form,
        makeup=bool(vocabulary & MAKEUP_WORDS),
        wants_projects=wants_projects,
        generic_share=generic_share(residual),
        order_event=order_event,
        named_project=named_project(text, found.names),
        aspect=aspect(vocabulary),
        asks_phone=bool(vocabulary & PHONE_WORDS),
        unprinted=unprinted(original, form, english=english),
    )


def unprinted(original: list[str], form: Form, english: bool = False) -> tuple[str, ...]:
    """The words of the question (as written) asking for what such documents do not print;
    "Wie viele …" counts as one when the question is not about projects or regions. In an
    English question only money and usage words count: its generic words ("registration")
    cannot be compared with the German text."""
    found = []
    for word in original:
        folded = words(word)
        if folded and (folded[0] in UNPRINTED_WORDS or (not english and is_generic(folded[0]))):
            found.append(word)
    if form == "count" and not found:
        found.append("Anzahl")
    if not found and AMOUNT_PATTERN.search(" ".join(words(" ".join(original)))):
        found.append("Betrag")
    return tuple(dict.fromkeys(found))


def aspect(vocabulary: set[str]) -> str | None:
    """The one project aspect the words ask for (None for none or several)."""
    asked = [name for name, marks in ASPECT_WORDS.items() if vocabulary & marks]
    return asked[0] if len(asked) == 1 else None


COUNT_WORDS = wordlist("wie viele vieler wieviele anzahl how many number")

# „das Projekt Bürgerbus Minden“, "the project Citizen Bus": a name right after the word.
_NAMED_PROJECT = re.compile(
    r"\b(?:[Pp]rojekts?|[Vv]orhabens?|[Pp]roject)\s+(?:namens\s+|called\s+|named\s+)?[„\"'“‚]?"
    r"((?:[A-ZÄÖÜ0-9][\w.\-]*)(?:\s+[A-ZÄÖÜ0-9][\w.\-]*){0,3})"
)


def named_project(text: str, names: dict[str, NameMatch]) -> str | None:
    """The name a question gives a project („das Projekt Bürgerbus Minden“) when no project
    of the knowledge has it; None when there is none or it is known."""
    m = _NAMED_PROJECT.search(text)
    if m is None:
        return None
    known = any(
        match.entry.kind == "project" and not match.partial and match.score >= 0.8
        for match in names.values()
    )
    return None if known else m.group(1).strip(" .?!“”\"'")


_GENERIC_STEMS: frozenset[str] | None = None


def is_generic(word: str) -> bool:
    """A generic administration intent (`GENERIC_WORDS`), compared after stemming."""
    global _GENERIC_STEMS
    from index.lexical import stem

    if _GENERIC_STEMS is None:
        _GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)
    return word in GENERIC_WORDS or stem(word) in _GENERIC_STEMS


def generic_share(residual: tuple[str, ...]) -> float:
    """Share of the subject words (3+ letters) that are generic administration intents."""
    subject = [w for w in residual if len(w) >= 3]
    if not subject:
        return 0.0
    return sum(is_generic(w) for w in subject) / len(subject)


def municipality_key(name: str) -> str:
    """A municipality's name without "Stadt"/"Kreis", folded: "Stadt Soest" → "soest"."""
    key = " ".join(fold(name).split())
    for prefix in ("stadt ", "kreis ", "gemeinde ", "landkreis "):
        key = key.removeprefix(prefix)
    return key

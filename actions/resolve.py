"""What a message refers to: a project, a place, a list position, a year or a status.

Entities from the NLU are hints; the retriever's fuzzy name matching on the whole message is
the fallback, and the conversation context (current project, projects shown) comes last, so
"Und wer ist da der Ansprechpartner?" refers to the project just shown while an explicitly
named project always wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from actions.turn import Turn
from index.domain import Hit, Project, Region
from index.text import fold, words

CLOSE = 0.05  # name matches within this of the best one are equally good → ask back

# --- list positions -----------------------------------------------------------------------

_ORDINAL_WORDS: dict[int, tuple[str, ...]] = {
    1: ("erste", "ersten", "erster", "erstes", "first", "1st", "eins", "one"),
    2: ("zweite", "zweiten", "zweiter", "zweites", "second", "2nd", "zwei", "two"),
    3: ("dritte", "dritten", "dritter", "drittes", "third", "3rd", "drei", "three"),
    4: ("vierte", "vierten", "vierter", "viertes", "fourth", "4th", "vier", "four"),
    5: ("fuenfte", "fuenften", "fuenfter", "fuenftes", "fifth", "5th", "fuenf", "five"),
    6: ("sechste", "sechsten", "sechster", "sechstes", "sixth", "6th", "sechs", "six"),
    -1: ("letzte", "letzten", "letzter", "letztes", "last"),
}
_BY_WORD = {w: n for n, ws in _ORDINAL_WORDS.items() for w in ws}
_CARDINALS = {"eins", "one", "zwei", "two", "drei", "three", "vier", "four", "fuenf", "five",
              "sechs", "six"}  # fmt: skip
_NUMBERED = re.compile(r"(?:nummer|nr\.?|number|no\.|#)\s*(\d)\b", re.IGNORECASE)
_DIGIT_ORDINAL = re.compile(r"(?<![\d.])(\d)\s*\.(?!\d)|\b(\d)(?:st|nd|rd|th)\b")
_BARE_DIGIT = re.compile(r"^\D{0,12}\b(\d)\b\D{0,12}$")


def ordinal(text: str) -> int | None:
    """1-based list position named in `text` ("das zweite", "Nummer 3", "the last one": -1)."""
    if m := _NUMBERED.search(text):
        return int(m.group(1))
    if m := _DIGIT_ORDINAL.search(text):
        return int(m.group(1) or m.group(2))
    tokens = words(text)
    for i, token in enumerate(tokens):
        if token in _BY_WORD and token not in _CARDINALS:
            return _BY_WORD[token]
        # a cardinal only after "nummer"/"number" or as the whole message ("zwei", "two")
        if token in _CARDINALS and (
            len(tokens) == 1 or (i and tokens[i - 1] in ("nummer", "number", "nr"))
        ):
            return _BY_WORD[token]
    if m := _BARE_DIGIT.match(text.strip()):
        return int(m.group(1))
    return None


def pick_position(ids: Sequence[str], position: int | None) -> str | None:
    if position is None or not ids:
        return None
    if position == -1:
        return ids[-1]
    return ids[position - 1] if 1 <= position <= len(ids) else None


# --- years, status, "of those" ------------------------------------------------------------

_ANAPHORA = re.compile(
    r"\b(davon|darunter|dabei|von denen|von diesen|(?:of|among|from) (?:those|these|them))\b"
)


def filters(turn: Turn) -> tuple[int | None, str | None]:
    """(year a project is active in, status) as the turn's analysis found them; a year in
    another relation ("enden 2021") is for the structured answers, not a filter."""
    a = turn.analysis
    year = a.year.year if a.year and a.year.event == "active" and a.year.compare == "in" else None
    return year, a.status


def refers_to_shown(text: str) -> bool:
    """„Welches davon …“, "which of those …": the message narrows the last list."""
    return bool(_ANAPHORA.search(fold(text)))


# --- projects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    projects: tuple[Project, ...] = ()
    how: str = "none"  # entity | name | position | context | shown | none

    @property
    def one(self) -> Project | None:
        return self.projects[0] if len(self.projects) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.projects) > 1


def best_projects(hits: Sequence[Hit]) -> list[Project]:
    """The project hits as good as the best one (several: the user has to choose)."""
    projects = [h for h in hits if isinstance(h.document, Project)]
    if not projects:
        return []
    top = projects[0].score
    return [h.document for h in projects if h.score >= top - CLOSE]  # type: ignore[misc]


def named_projects(turn: Turn) -> Resolution:
    """Projects the message names. A button's payload names them by id; otherwise a name
    matches as a whole — in the text, then in the NLU's project spans — and a rare word of a
    title ("Schlosskreuzung") counts only when no project is under discussion: in a
    follow-up, a word shared with another title ("Bürger") is weaker than the context."""
    knowledge = turn.knowledge
    text = turn.message.text
    if not text:
        return Resolution()
    if text.startswith("/"):
        ids = {p.id for p in knowledge.projects}
        chosen = [knowledge.project(v) for v in turn.message.values("project") if v in ids]
        return Resolution(tuple(dict.fromkeys(chosen)), "entity") if chosen else Resolution()
    hits = turn.retriever.match_projects(text)
    if found := best_projects([h for h in hits if not _partial(h)]):
        return Resolution(tuple(found), "name")
    for span in turn.message.spans("project"):
        whole = [h for h in turn.retriever.match_projects(span) if not _partial(h)]
        if found := best_projects(whole):
            return Resolution(tuple(found), "entity")
    in_context = bool(turn.context.current_project or turn.context.shown_projects)
    if not in_context and (found := best_projects(hits)):
        return Resolution(tuple(found), "name")
    return Resolution()


def _partial(hit: Hit) -> bool:
    return bool(hit.matched) and hit.matched[0].startswith("partial:")


def referenced_project(turn: Turn) -> Resolution:
    """The project(s) a question is about: named, by list position, or from the context.
    A project name the documents do not know is no reference to the context."""
    named = named_projects(turn)
    if named.projects:
        return named
    if turn.analysis.named_project is not None and not turn.message.text.startswith("/"):
        return Resolution(how="unknown")
    knowledge = turn.knowledge
    ctx = turn.context
    known = {p.id for p in knowledge.projects}
    shown = [i for i in ctx.shown_projects if i in known]
    if chosen := pick_position(shown, ordinal(turn.message.text)):
        return Resolution((knowledge.project(chosen),), "position")
    if ctx.current_project in known:
        return Resolution((knowledge.project(ctx.current_project),), "context")  # type: ignore[arg-type]
    if shown:
        return Resolution(tuple(knowledge.project(i) for i in shown), "shown")
    return Resolution()


def projects_by_id(turn: Turn, ids: Sequence[str]) -> list[Project]:
    known = {p.id: p for p in turn.knowledge.projects}
    return [known[i] for i in ids if i in known]


# --- places -------------------------------------------------------------------------------

_PLACE_PREFIXES = ("stadt ", "kreis ", "gemeinde ")


@dataclass(frozen=True)
class Place:
    region: Region | None = None
    municipality: str | None = None  # a partner town/district named, not the lead municipality
    mentioned: str | None = None  # the words used, for replies
    unknown: bool = False  # a place was named that is not in any model region

    @property
    def label(self) -> str:
        if self.municipality:
            return self.municipality
        if self.region:
            return self.region.short_name
        return self.mentioned or ""


def _base(name: str) -> str:
    folded = " ".join(words(name))
    for prefix in _PLACE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def municipality_in(region: Region, text: str) -> str | None:
    """The partner municipality of `region` named in `text` (never the lead municipality)."""
    said = f" {' '.join(words(text))} "
    lead = _base(region.lead_municipality)
    for partner in region.partners:
        full, base = " ".join(words(partner)), _base(partner)
        if f" {full} " in said and full != " ".join(words(region.lead_municipality)):
            return partner
        if base != lead and f" {base} " in said:
            return partner
    return None


def place(turn: Turn) -> Place:
    """The model region (and partner municipality) the message names, if any."""
    knowledge = turn.knowledge
    regions = {r.id: r for r in knowledge.regions}
    for entity in [e for e in turn.message.entities if e.entity == "region"]:
        region = regions.get(entity.value) or turn.retriever.match_region(entity.text)
        if region is None and entity.value != entity.text:
            region = turn.retriever.match_region(entity.value)
        if region is None:
            if turn.analysis.other_place is None:
                continue  # not a place the analysis knows ("Veranstaltungen"): no place
            return Place(mentioned=entity.text, unknown=True)
        return Place(region, municipality_in(region, entity.text), entity.text)
    text = turn.message.text
    if text and not text.startswith("/"):
        region = turn.retriever.match_region(text)
        if region is not None:
            return Place(region, municipality_in(region, text), region.short_name)
    return Place()


def context_region(turn: Turn) -> Region | None:
    """The region the conversation is about: of the last listing, of what was shown last, or
    of the current project."""
    knowledge = turn.knowledge
    regions = {r.id: r for r in knowledge.regions}
    ctx = turn.context
    if ctx.last_query and ctx.last_query.get("region") in regions:
        return regions[ctx.last_query["region"]]
    for doc_id in ctx.last_documents:
        if doc_id in regions:
            return regions[doc_id]
    known = {p.id: p for p in knowledge.projects}
    current = known.get(ctx.current_project or "")
    if current is not None and current.region in regions:
        return regions[current.region]
    return None


_ELLIPSIS = re.compile(r"^\s*(und|and|what about|how about|wie ist es mit|und was ist mit)\b", re.I)


def continues(turn: Turn) -> bool:
    """„Und wer hatte den angefordert?“, "and …": the message goes on from the last answer."""
    return bool(_ELLIPSIS.match(turn.message.text))


def elliptical(turn: Turn) -> bool:
    """„Und für Wuppertal?“, "and in Soest?": a short follow-up that repeats the last
    question for something else."""
    return len(turn.analysis.tokens) <= 5 and continues(turn)


def in_place(project: Project, where: Place) -> bool:
    """Whether a project belongs to the region (and municipality) of `where`."""
    if where.region is None or project.region != where.region.id:
        return False
    if where.municipality is None:
        return True
    return _base(where.municipality) in " ".join(words(project.municipality))


# --- search queries -----------------------------------------------------------------------

# Words that frame a question but say nothing about its subject; they only add noise to
# retrieval ("Projekte" fuzzily matches every "…-Projekt" title).
FRAMING: frozenset[str] = frozenset(
    """
    projekt projekte projekten projektes vorhaben project projects thema themen themenbereich
    topic topics bereich gibt welche welches welcher there any which something etwas
    """.split()  # noqa: SIM905
)


def _place_words(region: Region) -> set[str]:
    names = [
        region.name,
        region.short_name,
        *region.aliases,
        region.lead_municipality,
        *region.partners,
    ]
    return {w for name in names for w in words(name)}


def search_text(text: str, region: Region | None = None) -> str:
    """`text` without the framing words and, when `region` filters, without its place names."""
    drop = set(FRAMING) | (_place_words(region) if region is not None else set())
    kept = [
        token for token in text.split() if not (set(words(token)) and set(words(token)) <= drop)
    ]
    return " ".join(kept)


def core_text(text: str) -> str:
    """Only the content words of `text` (a second try when the whole question found nothing)."""
    from index.text import STOPWORDS

    return " ".join(
        w for w in text.split() if (ws := words(w)) and not set(ws) <= (STOPWORDS | FRAMING)
    )


# Words of a listing question that name no subject ("Welche Projekte laufen 2021 in Soest?").
LISTING: frozenset[str] = frozenset(
    """
    laufen laeuft lief liefen laufende laufenden gibt gab macht machen gemacht passiert
    passieren los aktiv aktive aktuell aktuellen active zeig zeige zeigen show alle all
    running run ran runs doing happening going starten startet gestartet start starts started
    working works geplant planned planen plant vorgesehen stand derzeit momentan gerade jahr
    year jahren years bitte please s heute today modellregion modellregionen regions region
    kommune kommunen town towns city cities stadt staedte model digitale digital
    """.split()  # noqa: SIM905
)


def subject_words(text: str, region: Region | None) -> list[str]:
    """Words of a region question that name a subject ("chatbot" in "Is there a chatbot in
    Soest?"); [] for a plain listing question."""
    from index.text import STOPWORDS

    places = _place_words(region) if region is not None else set()
    stems = {p[:6] for p in places if len(p) >= 6}
    found = []
    for word in words(text):
        if word in STOPWORDS or word in FRAMING or word in LISTING or word in places:
            continue
        if word.isdigit() or len(word) < 4 or (len(word) >= 6 and word[:6] in stems):
            continue
        found.append(word)
    return found

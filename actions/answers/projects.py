"""Questions about projects: search by topic, details, contact, period, transferability,
source, choosing from a list and paging through it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from actions import formatting as fmt
from actions.answers.common import (
    PAGE,
    asked,
    choice_reply,
    listing_reply,
    no_answer,
    project_reply,
    region_contact,
    unknown_place,
    unprinted_lead,
)
from actions.answers.people import person_info
from actions.answers.programme import programme_background
from actions.context import show_choice, show_one, show_page
from actions.resolve import (
    Place,
    Resolution,
    context_region,
    continues,
    core_text,
    filters,
    in_place,
    named_projects,
    ordinal,
    pick_position,
    place,
    projects_by_id,
    referenced_project,
    search_text,
)
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Hit, Project, Topic

SEARCH_K = 12
WHO_WORDS = frozenset({"wer", "wen", "wem", "wessen", "who", "whom", "whose"})
SHOWN_ASPECTS = 3  # a follow-up about "them" answers for each of up to this many projects
UNSURE_SHOWN = 3


def search_projects(turn: Turn) -> Reply:
    """„Gibt es Projekte zur Kita-Anmeldung?“: semantic search, filtered by place/year/status;
    the retriever decides between an answer, "meinen Sie …?" and nothing."""
    a = turn.analysis
    about_current = turn.context.current_project and not a.names and len(a.tokens) <= 8
    if a.aspect and (named_projects(turn).one is not None or about_current):
        return _aspect_of(turn)  # "When is the first content (of X) published?"
    where = place(turn)
    if where.unknown:
        return unknown_place(turn, where)
    when, state = filters(turn)
    region_id = where.region.id if where.region else None
    hits, unsure = _search(turn, where, when, state)
    outside = turn.analysis.other_place
    if not hits and outside and where.region is None:  # "Smart lighting in Essen"
        return unknown_place(turn, Place(mentioned=outside, unknown=True))
    if not hits and unsure:
        return unsure_reply(turn, unsure)
    projects = _projects(hits, where)
    if hits and isinstance(hits[0].document, Topic) and where.region is None:
        topics = [h.document for h in hits if isinstance(h.document, Topic)]
        return programme_background(turn, also=projects, found=topics)
    if not projects:
        return no_answer(turn, where)
    intro = _intro(len(projects), turn.language)
    return listing_reply(
        turn, projects, intro=intro, kind="search", region=region_id, year=when, status=state
    )


def find_projects(turn: Turn, where: Place, when: int | None, state: str | None) -> list[Project]:
    """Projects that fit the question within `where` (used by the region answer, too)."""
    return _projects(_search(turn, where, when, state)[0], where)


def _projects(hits: list[Hit], where: Place) -> list[Project]:
    projects = [h.document for h in hits if isinstance(h.document, Project)]
    return [p for p in projects if where.municipality is None or in_place(p, where)]


def _search(
    turn: Turn, where: Place, when: int | None, state: str | None
) -> tuple[list[Hit], list[Hit]]:
    """(answer, "not sure" candidates): the question as asked (minus framing and place
    words), then only its content words, then the topics the NLU recognised; with a place,
    finally the unfiltered search narrowed to that place. The first answer wins; the first
    "not sure" is kept in case no query answers. One embedding per turn: the narrower tries
    change the words matched (BM25, names), the dense scores stay the question's."""
    region_id = where.region.id if where.region else None
    text = turn.message.text if not turn.message.text.startswith("/") else ""
    queries = [search_text(text, where.region), core_text(search_text(text, where.region))]
    queries += turn.message.spans("topic")
    queries = [q for q in dict.fromkeys(queries) if q.strip()]
    asked = queries[0] if queries else None
    unsure: list[Hit] = []
    for query in queries:
        result = turn.retriever.query(
            query, region=region_id, year=when, status=state, k=SEARCH_K, dense_text=asked
        )
        if result.answer:
            return result.answer, []
        if result.decision.kind == "unsure" and not unsure:
            unsure = list(result.hits)
    if region_id is None:
        return [], unsure
    for query in queries:
        hits = turn.retriever.query(
            query, year=when, status=state, k=SEARCH_K, dense_text=asked
        ).answer
        # the region's projects, or a programme topic ("Warum war Paderborn die erste?")
        kept = [
            h for h in hits if not isinstance(h.document, Project) or h.document.region == region_id
        ]
        if kept:
            return kept, []
    return [], unsure


def unsure_reply(turn: Turn, hits: Sequence[Hit]) -> Reply:
    """„Ich bin nicht sicher – meinen Sie …?“: up to three titles as buttons, no contact."""
    shown = list(hits[:UNSURE_SHOWN])
    lines = [t("unsure", turn.language)]
    buttons: list[fmt.Button] = []
    for i, hit in enumerate(shown, 1):
        doc = hit.document
        if isinstance(doc, Project):
            title = fmt.choice_title(doc, turn.knowledge)
            buttons.append(fmt.button(title, "project_details", project=doc.id))
        else:
            title = doc.title
            buttons.append(fmt.button(title, "programme_background", topic=doc.id))
        lines.append(f"{i}. {title}")
    projects = [h.document.id for h in shown if isinstance(h.document, Project)]
    return Reply(texts=["\n".join(lines)], buttons=buttons, update=show_choice(projects))


def _intro(count: int, language: str) -> str:
    if count == 1:
        return t("list_intro_one", language)
    return t("list_intro", language, total=count)


def _aspect_of(turn: Turn) -> Reply:
    """The answer for the aspect the words ask for (period and milestones unless contact or
    transferability)."""
    answers = {"contact": project_contact, "transferability": transferability}
    return answers.get(turn.analysis.aspect or "", project_period)(turn)


def _asked_aspect(turn: Turn, own: str) -> Reply | None:
    """The answer for the aspect the words ask for, when the NLU chose another one
    ("Dauer ZEonline?" classified as a contact question); None when they agree (the period
    answer shows the milestones)."""
    aspect = turn.analysis.aspect
    if aspect is None or aspect == own or turn.message.text.startswith("/"):
        return None
    if own == "period" and aspect == "milestones":
        return None
    return _aspect_of(turn)


def project_details(turn: Turn) -> Reply:
    """„Erzähl mir mehr über govchain“: the named (or current) project in detail."""
    if other := _asked_aspect(turn, "details"):
        return other
    found = referenced_project(turn)
    if found.one:
        return project_reply(turn, found.one, detailed=True)
    if found.ambiguous:
        return choice_reply(turn, found.projects, "project_details")
    return search_projects(turn)


def project_contact(turn: Turn) -> Reply:
    """„Wer ist Ansprechpartner für das Bürgerbüro?“ (or "… da", after a project was shown)."""
    if other := _asked_aspect(turn, "contact"):
        return other
    a = turn.analysis
    if a.aspect is None and not set(a.tokens) & WHO_WORDS and not a.people and a.subject:
        # „Für welche Anwendungen soll govchain genutzt werden?“ asks what, not who
        return project_details(turn)
    found = named_projects(turn)
    if not found.projects and (
        turn.message.values("person") or turn.retriever.match_people(turn.message.text, limit=1)
    ):
        return person_info(turn)
    if not found.projects:
        where = place(turn)
        if where.region is not None and not turn.message.text.startswith("/"):
            return region_contact(turn, where)
        region = context_region(turn)
        office = OFFICE_WORDS & set(turn.analysis.tokens)
        if region is not None and (office or _about_region(turn)):
            return region_contact(turn, Place(region=region))  # „Gibt es ein Projektbüro?“
        found = referenced_project(turn)
    reply = _aspect_reply(
        turn,
        found,
        "project_contact",
        lambda p: fmt.contact_answer(p, turn.knowledge, turn.language),
    )
    # hand-over first: "Nachricht an … schreiben", for each project whose contacts are shown
    named = [found.one] if found.one else list(found.projects) if _each_shown(found) else []
    handover = [
        b
        for p in named
        for b in fmt.project_handover(p, turn.knowledge, asked(turn), turn.language)
    ]
    reply.buttons[:0] = handover
    return reply


def _each_shown(found: Resolution) -> bool:
    """A follow-up about a short list just shown is answered for each of its projects."""
    return found.how == "shown" and 1 < len(found.projects) <= SHOWN_ASPECTS


def project_period(turn: Turn) -> Reply:
    """„Wie lange läuft das?“: printed period and milestones."""
    if other := _asked_aspect(turn, "period"):
        return other
    return _aspect_reply(
        turn,
        referenced_project(turn),
        "project_period",
        lambda p: fmt.with_note(
            fmt.period_answer(p, turn.knowledge, turn.language, turn.today), turn.language
        ),
        otherwise=lambda: programme_background(turn),  # „Bis wann soll alles umgesetzt sein?“
    )


def transferability(turn: Turn) -> Reply:
    """„Ist das übertragbar?“: what the slide says, or that it says nothing."""
    if other := _asked_aspect(turn, "transferability"):
        return other
    return _aspect_reply(
        turn,
        referenced_project(turn),
        "transferability",
        lambda p: fmt.with_note(fmt.transferability_answer(p, turn.language), turn.language),
        otherwise=lambda: programme_background(
            turn, query="Übertragbarkeit Transparenz Best Practices"
        ),
    )


def _aspect_reply(
    turn: Turn,
    found: Resolution,
    intent: str,
    render: Callable[[Project], str],
    otherwise: Callable[[], Reply] | None = None,
) -> Reply:
    """One aspect (contact, period, transferability) of the project the user means: ask back
    when several fit, fall back when none does, else answer with buttons for the others."""
    if found.ambiguous:
        if _each_shown(found):
            # „Und wer ist für die zuständig?“ after a short list: the aspect of each
            texts = [render(p) for p in found.projects]
            return Reply(
                texts=["\n\n".join(texts)], update=show_choice([p.id for p in found.projects])
            )
        return choice_reply(turn, found.projects, intent)
    if found.one is None:
        if (name := turn.analysis.named_project) is not None:
            return unknown_project(turn, name)
        topics = [d for d in turn.knowledge.topics if d.id in turn.context.last_documents]
        if topics and continues(turn):  # „Und wie lange lief der?“ about the topic shown
            return programme_background(turn, query=f"{turn.message.text} {topics[0].title}")
        if otherwise:
            return otherwise()
        return _ask_project(turn)
    project = found.one
    lead = unprinted_lead(turn, project)
    asks_phone = intent == "project_contact" and turn.analysis.asks_phone
    if asks_phone and not any(c.phone for c in project.contacts):
        lead = t("phone_none", turn.language, who=f"**{project.title}**")
    return Reply(
        texts=["\n".join(x for x in (lead, render(project)) if x)],
        buttons=_other_buttons(project, turn.language, intent),
        update=show_one(project.id),
        custom=fmt.timeline([project], turn.language) if intent == "project_period" else None,
    )


def source(turn: Turn) -> Reply:
    """„Woher stammt das?“: document title and slide/section of what was shown last."""
    knowledge = turn.knowledge
    named = named_projects(turn).projects if turn.message.values("project") else ()
    ids = [p.id for p in named] or list(turn.context.last_documents)
    if not ids and turn.context.current_project:
        ids = [turn.context.current_project]
    sources = []
    for doc_id in ids:
        document = next((d for d in knowledge.documents if d.id == doc_id), None)
        region = next((r for r in knowledge.regions if r.id == doc_id), None)
        if document is not None:
            sources.append((document.title, document.source))
        elif region is not None:
            sources.append((region.name, region.source))
    if not sources:
        lines = [t("source_nothing", turn.language)]
        lines += [
            f"- {title}" for title in sorted({d.source.document_title for d in knowledge.documents})
        ]
        return Reply(texts=["\n".join(lines)])
    return Reply(texts=[fmt.source_answer(sources, turn.language)])


def select_item(turn: Turn) -> Reply:
    """„das zweite“, "Nummer 3", a button: the chosen project of the last list."""
    named = named_projects(turn) if turn.message.values("project") else None
    if named and named.one:
        return project_reply(turn, named.one, detailed=True)
    if turn.analysis.aspect and len(turn.analysis.tokens) > 3:
        return _aspect_of(turn)  # "When is the first content published?" is no choice
    shown = [p.id for p in projects_by_id(turn, turn.context.shown_projects)]
    if not shown:
        if len(turn.analysis.tokens) > 3:  # a question ("Welche Kommune war die erste?")
            return search_projects(turn)
        return Reply(
            texts=[t("select_no_list", turn.language)], buttons=fmt.start_buttons(turn.language)
        )
    position = ordinal(turn.message.text)
    chosen = pick_position(shown, position)
    if chosen is None and position is not None and position > len(shown):
        # lists are numbered across pages: "Nummer 5" on the second page of a listing
        chosen = pick_position(_known_ids(turn, turn.context.results), position)
    if chosen is None:
        key = "select_which" if position is None else "select_out_of_range"
        return choice_reply(
            turn, projects_by_id(turn, shown), "project_details", key, position=position
        )
    return project_reply(turn, turn.knowledge.project(chosen), detailed=True)


def show_more(turn: Turn) -> Reply:
    """„Mehr anzeigen“: the next page of the last listing."""
    ctx, language = turn.context, turn.language
    if not ctx.last_query:
        return Reply(
            texts=[t("nothing_to_show_more", language)], buttons=fmt.start_buttons(language)
        )
    if not ctx.remaining:
        return Reply(texts=[t("no_more", language)])
    ids, update = show_page(ctx, PAGE)
    projects = projects_by_id(turn, ids)
    first, last, total = ctx.offset + 1, ctx.offset + len(ids), len(ctx.results)
    key = "more_intro" if last > first else "more_intro_one"
    intro = t(key, language, first=first, last=last, total=total)
    texts = [intro, fmt.project_list(projects, turn.knowledge, language, start=first)]
    buttons = fmt.choice_buttons(projects, turn.knowledge)
    if ctx.offset + len(ids) < len(ctx.results):
        buttons.append(fmt.more_button(language))
    return Reply(
        texts=[fmt.with_note("\n\n".join(texts), language)], buttons=buttons, update=update
    )


def _known_ids(turn: Turn, ids: tuple[str, ...]) -> list[str]:
    return [p.id for p in projects_by_id(turn, ids)]


# Words for a region's project office rather than a project's contact (general vocabulary).
OFFICE_WORDS = frozenset(
    ["projektbuero", "projektbueros", "buero", "geschaeftsstelle", "office", "modellregion"]
)


def _about_region(turn: Turn) -> bool:
    """The conversation's last answer was about a region (its office, make-up or list)."""
    regions = {r.id for r in turn.knowledge.regions}
    return bool(set(turn.context.last_documents) & regions) and not turn.context.current_project


def unknown_project(turn: Turn, name: str) -> Reply:
    """A project is named that the documents do not know („Bürgerbus Minden“)."""
    lines = [t("project_unknown", turn.language, name=fmt.echo(name))]
    return Reply(texts=["\n".join(lines)], buttons=fmt.start_buttons(turn.language))


def _ask_project(turn: Turn) -> Reply:
    return Reply(texts=[t("ask_project", turn.language)], buttons=fmt.start_buttons(turn.language))


def _other_buttons(project: Project, language: str, answered: str) -> list[fmt.Button]:
    """Follow-up buttons without the one just answered."""
    return [
        b
        for b in fmt.follow_up_buttons(project, language)
        if not b["payload"].startswith(f"/{answered}")
    ]

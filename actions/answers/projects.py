"""Questions about projects: which projects fit a subject, what one project does and its
contact, period, milestones, transferability, status and source; choosing from a list and
paging through it."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import (
    PAGE,
    asked,
    beyond_lead,
    choice_reply,
    keep_asked,
    listing_reply,
    no_answer,
    page_reply,
    project_reply,
    projects_of,
    today_lead,
    topics_of,
    unknown_place,
    unknown_project,
    unsure_reply,
)
from actions.context import Update, show_choice, show_one, show_page
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Project

SHOWN_ASPECTS = 3  # a follow-up about "them" answers for each of up to this many projects
# The aspects of a project the answer states, in the order a person reads them.
ASPECT_ORDER = (
    "description",
    "status",
    "municipality",
    "period",
    "milestones",
    "transferability",
    "contact",
    "source",
)


def topic(turn: Turn) -> Reply:
    """„Gibt es Projekte zur Kita-Anmeldung?“: the projects whose description fits, within the
    place and time named; "not sure" offers candidates, "nothing" names who can help."""
    q, knowledge = turn.question, turn.knowledge
    targets = q.targets
    if targets.unknown_project is not None:
        return unknown_project(turn, targets.unknown_project)
    projects = projects_of(turn, targets.projects)
    if targets.how in ("name", "position", "context", "payload", "shown") and projects:
        if len(projects) == 1:
            return project(turn)
        return listing_reply(
            turn, projects, intro=_intro(len(projects), turn.language), kind="search"
        )
    search = q.search
    if search is not None and search.decision == "unsure":
        return unsure_reply(turn, search.hits)
    region = knowledge.region(q.filters.region) if q.filters.region else None
    if not projects and targets.topics and search is not None and search.decision == "answer":
        from actions.answers.programme import programme

        return programme(turn)
    if not projects:
        if targets.place and region is None:
            return unknown_place(turn, targets.place)
        return no_answer(turn, region)
    if q.filters.municipality:
        local = [p for p in projects if _in_municipality(p, q.filters.municipality)]
        projects = local or projects
    if len(projects) == 1:
        return facts_reply(turn, projects[0])
    unanswered = not q.answerable and not q.current
    intro = (
        t("unanswered_list", turn.language) if unanswered else _intro(len(projects), turn.language)
    )
    year = q.filters.year.active_in if q.filters.year else None
    reply = listing_reply(
        turn,
        projects,
        intro=intro,
        kind="search",
        region=q.filters.region,
        year=year,
        status=q.filters.status,
        dates=year is not None,
    )
    if unanswered:
        reply.kind = "none"  # it opens with what the documents do not answer
    return reply


def project(turn: Turn) -> Reply:
    """One or more facts about one project — what it does, who to contact, its period and
    milestones, transferability, status, source — every aspect asked, in one reply."""
    q = turn.question
    targets = q.targets
    projects = projects_of(turn, targets.projects)
    if len(projects) > 1:
        if targets.how == "shown" and len(projects) <= SHOWN_ASPECTS and q.aspects:
            return _each(turn, projects)  # „Und wer ist für die zuständig?“ after a short list
        return choice_reply(turn, projects, q.aspects[0] if q.aspects else None)
    if not projects:
        if targets.unknown_project is not None:
            return unknown_project(turn, targets.unknown_project)
        if q.asks("source") and (q.followup or not q.text):
            return source(turn)  # „Woher stammt das?“ about what was shown
        if q.search is not None and q.search.decision == "unsure":
            return unsure_reply(turn, q.search.hits)
        if targets.topics:
            from actions.answers.programme import programme

            return programme(turn)
        if targets.place and not q.filters.region:
            return unknown_place(turn, targets.place)
        if not q.text and not q.payload:
            return Reply(
                kind="ask",
                texts=[t("ask_project", turn.language)],
                buttons=fmt.start_buttons(turn.language),
            )
        region = turn.knowledge.region(q.filters.region) if q.filters.region else None
        return no_answer(turn, region)
    return facts_reply(turn, projects[0])


def facts_reply(turn: Turn, chosen: Project) -> Reply:
    """The aspects asked of one project; none asked: its card (details on a button)."""
    q, language, knowledge = turn.question, turn.language, turn.knowledge
    aspects = [a for a in ASPECT_ORDER if q.asks(a)]
    if aspects == ["description"] or not aspects:
        return project_reply(turn, chosen, detailed=q.asks("description"))
    phone = any(c.phone for c in chosen.contacts)
    beyond = beyond_lead(turn, chosen.title, phone)
    parts = [lead for lead in (today_lead(turn, chosen), beyond) if lead]
    if q.asks("description"):
        parts.append(fmt.project_card(chosen, knowledge, language, detailed=True))
    # how far a project is („Wie weit ist man mit …?“): its period, milestones and status
    timed = q.asks("period") or q.asks("milestones") or q.asks("status")
    if q.asks("municipality") and not q.asks("description"):
        where = fmt.region_name(chosen, knowledge, language)
        parts.append(
            t(
                "where_intro",
                language,
                title=chosen.title,
                where=where,
                municipality=chosen.municipality,
            )
        )
    if timed:
        parts.append(fmt.period_answer(chosen, knowledge, language, turn.today))
        if q.asks("status") and chosen.status is None:
            parts.append(t("status_none", language, title=chosen.title))
    if q.asks("transferability"):
        parts.append(fmt.transferability_answer(chosen, language))
    if q.asks("contact"):
        if "phone" in q.beyond and not phone:
            parts.append(t("phone_none", language, who=f"**{chosen.title}**"))
        parts.append(fmt.contact_answer(chosen, knowledge, language))
    if q.asks("source"):
        parts.append(fmt.source_answer([(chosen.title, chosen.source)], language))
    shown = {
        "contact" if q.asks("contact") else "",
        "period" if q.asks("period") else "",
        "transferability" if q.asks("transferability") else "",
        "source" if q.asks("source") else "",
    }
    buttons = fmt.project_handover(chosen, knowledge, asked(turn), language)
    if not q.asks("description"):
        buttons.append(fmt.details_button(chosen, language))
    buttons += fmt.follow_up_buttons(chosen, language, without=shown)
    return Reply(
        kind="none" if beyond else "answer",  # opens with what the documents do not say
        texts=[fmt.with_note("\n\n".join(parts), language)],
        buttons=buttons,
        update=show_one(chosen.id).merge(keep_asked(turn)),
        custom=fmt.timeline([chosen], language) if timed else None,
    )


def _each(turn: Turn, projects: list[Project]) -> Reply:
    """The aspect asked, for each project of a short list just shown."""
    q, language, knowledge = turn.question, turn.language, turn.knowledge
    parts = []
    for p in projects:
        if q.asks("contact"):
            parts.append(fmt.contact_answer(p, knowledge, language))
        elif q.asks("period") or q.asks("milestones"):
            parts.append(fmt.period_answer(p, knowledge, language, turn.today))
        elif q.asks("transferability"):
            parts.append(fmt.transferability_answer(p, language))
        else:
            parts.append(fmt.project_card(p, knowledge, language))
    buttons = []
    if q.asks("contact"):
        buttons = [
            b for p in projects for b in fmt.project_handover(p, knowledge, asked(turn), language)
        ]
    return Reply(
        texts=["\n\n".join(parts)],
        buttons=buttons + fmt.choice_buttons(projects, knowledge),
        update=show_choice([p.id for p in projects]),
    )


def _in_municipality(p: Project, municipality: str) -> bool:
    from index.query import municipality_key

    return municipality_key(municipality) in municipality_key(p.municipality)


def _intro(count: int, language: str) -> str:
    if count == 1:
        return t("list_intro_one", language)
    return t("list_intro", language, total=count)


# --- the conversation's own moves ----------------------------------------------------------


def select_item(turn: Turn) -> Reply:
    """„das zweite“, "Nummer 3", a button: the chosen project of the last list."""
    q = turn.question
    if q.targets.project is not None:
        return facts_reply(turn, projects_of(turn, q.targets.projects)[0])
    shown = projects_of(turn, turn.context.shown_projects)
    if not shown:
        return Reply(
            kind="ask",
            texts=[t("select_no_list", turn.language)],
            buttons=fmt.start_buttons(turn.language),
        )
    return choice_reply(turn, shown, None, "select_which")


def show_more(turn: Turn) -> Reply:
    """„Mehr anzeigen“: the next page of the last listing, in the format of the first page."""
    ctx, language = turn.context, turn.language
    if not ctx.last_query:
        return Reply(
            kind="ask",
            texts=[t("nothing_to_show_more", language)],
            buttons=fmt.start_buttons(language),
        )
    if not ctx.remaining:
        return Reply(texts=[t("no_more", language)])
    ids, update = show_page(ctx, PAGE)
    page = projects_of(turn, ids)
    first, last, total = ctx.offset + 1, ctx.offset + len(ids), len(ctx.results)
    key = "more_intro_one" if len(ids) == 1 else "more_intro"
    intro = t(key, language, first=first, last=last, total=total)
    return page_reply(
        turn,
        page,
        intro=intro,
        total=total,
        shown=last,
        dates=bool(ctx.last_query.get("dates")),
        update=update,
        start=first,
    )


def source(turn: Turn) -> Reply:
    """„Woher stammt das?“: document title and slide or section of what was shown last."""
    knowledge, ctx = turn.knowledge, turn.context
    ids = list(turn.question.targets.projects) or list(ctx.last_documents)
    if not ids and ctx.current_project:
        ids = [ctx.current_project]
    found = []
    for doc_id in ids:
        project = next((p for p in knowledge.projects if p.id == doc_id), None)
        topic = next(iter(topics_of(turn, [doc_id])), None)
        region = next((r for r in knowledge.regions if r.id == doc_id), None)
        actor = next((a for a in knowledge.actors if a.id == doc_id), None)
        for named in (project, topic, region, actor):
            if named is not None:
                found.append((getattr(named, "title", None) or named.name, named.source))
    if not found:
        lines = [t("source_nothing", turn.language)]
        lines += [
            f"- {title}" for title in sorted({d.source.document_title for d in knowledge.documents})
        ]
        return Reply(kind="ask", texts=["\n".join(lines)])
    return Reply(texts=[fmt.source_answer(found, turn.language)], update=Update())

"""Building blocks the answers share: a project's card, lists, choices, "not sure", "not in
the documents" with the office that can help, and the leads that say first what a person
asked (a question about today, a fact the documents do not print)."""

from __future__ import annotations

from collections.abc import Sequence

from actions import formatting as fmt
from actions.context import Update, show_choice, show_listing, show_one
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Contact, Hit, Project, Region, Topic

PAGE = fmt.PAGE_SIZE
UNSURE_SHOWN = 3


# --- what is asked beyond the documents, and about today -------------------------------------


def beyond_lead(turn: Turn, about: str, phone_printed: bool) -> str:
    """Said first when the question asks what the documents do not print: „Dazu (Kosten,
    Telefonnummer) sagen die Unterlagen zu X nichts“ for each such thing it names, or — when the
    question is one the documents do not answer (the learned facet) without naming such a
    thing — „Das beantworten die Unterlagen zu X nicht“; "" otherwise."""
    q = turn.question
    asked = [b for b in q.beyond if not (b == "phone" and phone_printed)]
    if q.asks("cost"):
        asked.append("cost")
    if q.asks("result"):
        asked.append("result")
    if asked:
        what = ", ".join(t(f"beyond_{b}", turn.language) for b in dict.fromkeys(asked))
        return t("not_in_documents", turn.language, what=what, title=about)
    if not q.answerable and not q.current:
        return t("unanswered", turn.language, title=f"**{about}**")
    return ""


def today_lead(turn: Turn, project: Project) -> str:
    """Say it first: what the documents planned for this project and when, and that today's
    state is not in them (a question about today, „Kann ich … online …?“)."""
    if not turn.question.current:
        return ""
    language = turn.language
    date = fmt.as_of(turn.knowledge, language)
    end = project.period.end if project.period else None
    status = fmt.status_label(project.status, language) if project.status else ""
    said = {
        "title": project.title,
        "date": date,
        "status": status or t("status_described", language),
    }
    if end is not None:
        return t("today_planned", language, end=fmt.point_text(end, language), **said)
    return t("today_status", language, **said)


def current_note(turn: Turn) -> str:
    return t(
        "current_note",
        turn.language,
        date=fmt.as_of(turn.knowledge, turn.language),
        today=fmt.date_text(turn.today, turn.language),
    )


# --- one project, several, a choice ------------------------------------------------------------


def project_reply(
    turn: Turn, project: Project, *, detailed: bool = False, intro: str = ""
) -> Reply:
    """One project's card (compact unless `detailed`), the questions asked beyond the documents
    said first, buttons for the next questions and the hand-over."""
    language = turn.language
    phone = any(c.phone for c in project.contacts)
    beyond = beyond_lead(turn, project.title, phone)
    leads = [today_lead(turn, project), beyond, intro]
    card = fmt.project_card(project, turn.knowledge, language, detailed=detailed)
    text = "\n\n".join(x for x in (*leads, card) if x)
    buttons = [] if detailed else [fmt.details_button(project, language)]
    buttons += fmt.follow_up_buttons(project, language)
    return Reply(
        kind="none" if beyond else "answer",  # opens with what the documents do not say
        texts=[fmt.with_note(text, language)],
        buttons=buttons + fmt.project_handover(project, turn.knowledge, asked(turn), language),
        update=show_one(project.id).merge(keep_asked(turn)),
    )


def listing_reply(
    turn: Turn,
    projects: Sequence[Project],
    *,
    intro: str,
    kind: str,
    region: str | None = None,
    year: int | None = None,
    status: str | None = None,
    dates: bool = False,
) -> Reply:
    """Up to `PAGE` projects of a result list, one line each (with `dates`: their periods and
    the timeline), a button per project and "show more"; a single project as its card. Lists
    answering a question about "today" say what date the facts are of."""
    if turn.question.current:
        intro = "\n".join(x for x in (current_note(turn), intro) if x)
    update = show_listing(
        [p.id for p in projects],
        page=PAGE,
        kind=kind,
        region=region,
        year=year,
        status=status,
        dates=dates,
    ).merge(keep_asked(turn))  # a project chosen from the list was asked for by this question
    if len(projects) == 1:
        reply = project_reply(turn, projects[0], intro=intro)
        reply.update.merge(update)
        return reply
    page = list(projects[:PAGE])
    return page_reply(
        turn, page, intro=intro, total=len(projects), shown=len(page), dates=dates, update=update
    )


def page_reply(
    turn: Turn,
    page: Sequence[Project],
    *,
    intro: str,
    total: int,
    shown: int,
    dates: bool,
    update: Update,
    start: int = 1,
) -> Reply:
    """A page of a list in its format: one line per project (with `dates` their periods and the
    timeline picture), a button each, and "show more" while results remain."""
    language = turn.language
    body = fmt.project_list(page, turn.knowledge, language, start=start, dates=dates)
    texts = [intro, body]
    buttons = fmt.choice_buttons(page, turn.knowledge)
    if shown < total:
        texts.append(t("list_more", language, shown=shown, total=total))
        buttons.append(fmt.more_button(language))
    else:
        texts.append(t("list_pick", language))
    return Reply(
        texts=[fmt.with_note("\n\n".join(x for x in texts if x), language)],
        buttons=buttons,
        update=update,
        custom=fmt.timeline(page, language) if dates else None,
    )


def choice_reply(
    turn: Turn,
    projects: Sequence[Project],
    aspect: str | None,
    key: str = "which_project",
    **values: object,
) -> Reply:
    """Ask which of several projects the person means, one button each."""
    shown = list(projects[:PAGE])
    lines = [t(key, turn.language, **values)]
    lines += [f"{i}. {fmt.choice_title(p, turn.knowledge)}" for i, p in enumerate(shown, 1)]
    return Reply(
        kind="ask",
        texts=["\n".join(lines)],
        buttons=fmt.choice_buttons(shown, turn.knowledge, aspect),
        update=show_choice([p.id for p in shown]).merge(keep_asked(turn)),
    )


def unsure_reply(turn: Turn, hits: Sequence[Hit]) -> Reply:
    """„Ich bin nicht sicher – meinen Sie …?“: up to three titles as buttons, no contact."""
    shown = list(hits[:UNSURE_SHOWN])
    lines = [t("unsure", turn.language)]
    buttons: list[fmt.Button] = []
    for i, hit in enumerate(shown, 1):
        doc = hit.document
        if isinstance(doc, Project):
            title = fmt.choice_title(doc, turn.knowledge)
            buttons.append(fmt.button(title, "project", project=doc.id))
        else:
            title = doc.title
            buttons.append(fmt.button(title, "programme", topic=doc.id))
        lines.append(f"{i}. {title}")
    projects = [h.document.id for h in shown if isinstance(h.document, Project)]
    return Reply(
        kind="unsure",
        texts=["\n".join(lines)],
        buttons=buttons,
        update=show_choice(projects).merge(keep_asked(turn)),
    )


# --- nothing in the documents ------------------------------------------------------------------


def programme_contacts(turn: Turn) -> list[Contact]:
    """Who answers general questions: the ministry's reachable contacts."""
    return [
        c
        for a in turn.knowledge.actors
        if a.id == "mwide"
        for c in a.contacts
        if c.email or c.phone
    ]


def office_contacts(region: Region) -> list[Contact]:
    reachable = [c for c in region.contacts if c.email or c.phone]
    return reachable or list(region.contacts)


def no_answer(
    turn: Turn, region: Region | None = None, key: str = "no_answer", lead: str | None = None
) -> Reply:
    """Nothing fits: say so and name who can help (the region's office or the programme)."""
    language = turn.language
    lines = [lead or t(key, language)]
    if region is not None:
        lines.append(t("no_answer_region", language, region=region.short_name))
        lines += [f"- {fmt.contact_line(c, language)}" for c in office_contacts(region)]
    else:
        lines.append(t("no_answer_programme", language))
        lines += [f"- {fmt.contact_line(c, language)}" for c in programme_contacts(turn)]
        lines.append(t("project_offices", language))
        for r in turn.knowledge.regions:
            for contact in office_contacts(r)[:1]:
                lines.append(f"- {r.short_name}: {fmt.contact_line(contact, language)}")
    return Reply(kind="none", texts=["\n".join(lines)], buttons=fmt.start_buttons(language))


def unknown_place(turn: Turn, place: str) -> Reply:
    """A place that is not part of any model region: say so, list the regions."""
    language = turn.language
    lines = [t("unknown_place", language, place=fmt.echo(place))]
    lines += [f"- **{r.name}** – {r.lead_municipality}" for r in turn.knowledge.regions]
    return Reply(
        kind="none",
        texts=["\n".join(lines)],
        buttons=fmt.region_buttons(turn.knowledge.regions, language),
    )


def unknown_project(turn: Turn, name: str) -> Reply:
    """A project is named that the documents do not know („Bürgerbus Minden“)."""
    return Reply(
        kind="none",
        texts=[t("project_unknown", turn.language, name=fmt.echo(name))],
        buttons=fmt.start_buttons(turn.language),
    )


def region_contact(turn: Turn, region: Region) -> Reply:
    """The project office of a region, with the hand-over to it."""
    language = turn.language
    date = fmt.date_text(region.source.date, language)
    return Reply(
        texts=[fmt.region_contacts(region, language)],
        buttons=fmt.handover_buttons(
            region.contacts, region.short_name, asked(turn), language, kind="region", as_of=date
        )
        + fmt.region_buttons([region], language),
        update=Update().set(last_documents=[region.id], current_region=region.id),
    )


# --- the citizen's question ---------------------------------------------------------------------


def asked(turn: Turn) -> str:
    """The citizen's question about what is shown, in their own words: this message, or — for a
    follow-up or a button — the question that led to the current project."""
    q = turn.question
    if q.text and not q.followup and q.targets.how not in ("context", "position", "payload"):
        return q.text
    return turn.context.asked or q.text


def keep_asked(turn: Turn) -> Update:
    """Keep the question that led here for the hand-over of later turns."""
    text = asked(turn)
    return Update().set(asked=text) if text else Update()


def topics_of(turn: Turn, ids: Sequence[str]) -> list[Topic]:
    """The topics of `ids` in the order given (the understanding's, best first)."""
    known = {d.id: d for d in turn.knowledge.topics}
    return [known[i] for i in dict.fromkeys(ids) if i in known]


def projects_of(turn: Turn, ids: Sequence[str]) -> list[Project]:
    known = {p.id: p for p in turn.knowledge.projects}
    return [known[i] for i in ids if i in known]

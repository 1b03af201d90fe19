"""Building blocks shared by the answers: project listings, choices and "nothing found"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from actions import formatting as fmt
from actions.context import Update, show_choice, show_listing, show_one
from actions.resolve import Place
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Contact, Project, Region
from index.text import fold, words

PAGE = fmt.PAGE_SIZE


_NUMBER = re.compile(r"(?<![\d./])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\d./])")


def unprinted_lead(turn: Turn, project: Project) -> str:
    """„Dazu (Kosten) sagen die Unterlagen zu X nichts“, when the question asks for what the
    project's documents do not print; "" otherwise."""
    text = fold(project.text)
    asked = []
    for word in turn.analysis.unprinted:
        if word in ("Anzahl", "Betrag"):
            printed = bool(_NUMBER.search(project.text))
        else:
            printed = any(w[:5] in text for w in words(word))
        if not printed:
            asked.append(word)
    if not asked:
        return ""
    what = ", ".join(fmt.echo(w) for w in asked)
    return t("not_in_documents", turn.language, what=what, title=project.title)


def project_reply(
    turn: Turn, project: Project, *, detailed: bool = False, intro: str = ""
) -> Reply:
    """One project: its card and the follow-up buttons; follow-ups refer to it. A question
    for what the documents do not print about it says so first."""
    card = fmt.project_card(project, turn.knowledge, turn.language, detailed=detailed)
    intro = "\n".join(x for x in (unprinted_lead(turn, project), intro) if x)
    text = f"{intro}\n\n{card}" if intro else card
    return Reply(
        texts=[fmt.with_note(text, turn.language)],
        buttons=fmt.follow_up_buttons(project, turn.language)
        + fmt.project_handover(project, turn.knowledge, asked(turn), turn.language),
        update=show_one(project.id),
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
    """Up to `PAGE` projects of a result list, one line each (with `dates`: their periods),
    a button per project and "show more"; a single project as its card. Lists answering a
    question about "today" say what date the facts are of."""
    language = turn.language
    if turn.analysis.current:
        note = t(
            "current_note",
            language,
            date=fmt.as_of(turn.knowledge, language),
            today=fmt.date_text(turn.today, language),
        )
        intro = f"{note}\n{intro}" if intro else note
    page = list(projects[:PAGE])
    update = show_listing(
        [p.id for p in projects],
        page=PAGE,
        kind=kind,
        text=turn.message.text,
        region=region,
        year=year,
        status=status,
    )
    if len(projects) == 1:
        reply = project_reply(turn, projects[0], intro=intro)
        reply.update.values.update(update.values)
        return reply
    body = fmt.project_list(page, turn.knowledge, language, dates=dates)
    texts = [intro, body]
    buttons = fmt.choice_buttons(page, turn.knowledge)
    if len(projects) > PAGE:
        texts.append(t("list_more", language, shown=len(page), total=len(projects)))
        buttons.append(fmt.more_button(language))
    else:
        texts.append(t("list_pick", language))
    return Reply(
        texts=[fmt.with_note("\n\n".join(texts), language)],
        buttons=buttons,
        update=update,
        custom=fmt.timeline(page, language) if dates or year is not None else None,
    )


def choice_reply(
    turn: Turn,
    projects: Sequence[Project],
    intent: str,
    key: str = "which_project",
    **values: object,
) -> Reply:
    """Ask which of several projects the user means, one button each."""
    shown = list(projects[:PAGE])
    lines = [t(key, turn.language, **values)]
    lines += [f"{i}. {fmt.choice_title(p, turn.knowledge)}" for i, p in enumerate(shown, 1)]
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.choice_buttons(shown, turn.knowledge, intent),
        update=show_choice([p.id for p in shown]),
    )


def programme_contacts(turn: Turn) -> list[Contact]:
    """Who answers general questions: the ministry's reachable contacts."""
    found: list[Contact] = []
    for actor in turn.knowledge.actors:
        if actor.id == "mwide" or actor.short_name == "MWIDE":
            found += [c for c in actor.contacts if c.email or c.phone]
    return found


def office_contacts(region: Region) -> list[Contact]:
    reachable = [c for c in region.contacts if c.email or c.phone]
    return reachable or list(region.contacts)


def no_answer(
    turn: Turn, where: Place | None = None, key: str = "no_answer", lead: str | None = None
) -> Reply:
    """Nothing fits: say so and name who can help (the region's office or the programme)."""
    language = turn.language
    lines = [lead or t(key, language)]
    if where is not None and where.region is not None:
        lines.append(t("no_answer_region", language, region=where.region.short_name))
        lines += [f"- {fmt.contact_line(c, language)}" for c in office_contacts(where.region)]
    else:
        lines.append(t("no_answer_programme", language))
        lines += [f"- {fmt.contact_line(c, language)}" for c in programme_contacts(turn)]
        lines.append(t("project_offices", language))
        for region in turn.knowledge.regions:
            contacts = office_contacts(region)[:1]
            lines += [f"- {region.short_name}: {fmt.contact_line(c, language)}" for c in contacts]
    handover = region_handover(turn, where.region) if where and where.region else []
    return Reply(texts=["\n".join(lines)], buttons=handover + fmt.start_buttons(language))


def asked(turn: Turn) -> str:
    """The citizen's question, for the body of a hand-over e-mail (formatting.handover)."""
    return fmt.asked(turn.message.text, turn.context.last_query)


def region_handover(turn: Turn, region: Region) -> list[fmt.Button]:
    """The hand-over ("Nachricht an … schreiben") to a region's project office."""
    contacts = office_contacts(region)
    return fmt.handover_buttons(
        contacts, region.short_name, asked(turn), turn.language, kind="region"
    )


def region_contact(turn: Turn, where: Place) -> Reply:
    """„Wer ist Ansprechpartner in Soest?“: the project office of the region."""
    assert where.region is not None
    return Reply(
        texts=[fmt.region_contacts(where.region, turn.language)],
        buttons=region_handover(turn, where.region)
        + fmt.region_buttons([where.region], turn.language),
        update=Update().set(last_documents=[where.region.id]),
    )


def unknown_place(turn: Turn, where: Place) -> Reply:
    """A place that is not in any model region: say so and list the regions."""
    language = turn.language
    lines = [t("unknown_place", language, place=fmt.echo(where.mentioned or ""))]
    lines += [f"- {r.name} ({r.lead_municipality})" for r in turn.knowledge.regions]
    return Reply(
        texts=["\n".join(lines)], buttons=fmt.region_buttons(turn.knowledge.regions, language)
    )


def dated(turn: Turn, reply: Reply) -> Reply:
    """A question about "today" is answered with the date the facts are of: the note is
    added unless the reply already says it."""
    date = fmt.as_of(turn.knowledge, turn.language)
    if not reply.texts or any(date in text for text in reply.texts):
        return reply
    note = t(
        "current_note", turn.language, date=date, today=fmt.date_text(turn.today, turn.language)
    )
    reply.texts[-1] = f"{reply.texts[-1]}\n\n{note}"
    return reply

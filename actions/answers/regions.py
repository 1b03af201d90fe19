"""Projects of a region or municipality ("Welche Projekte laufen 2021 in Soest?"), narrowing a
shown list to a place ("Welches davon ist in Paderborn?") and the regions overview."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import listing_reply, no_answer, unknown_place
from actions.answers.projects import find_projects, search_projects
from actions.resolve import (
    Place,
    filters,
    in_place,
    place,
    projects_by_id,
    refers_to_shown,
    subject_words,
)
from actions.texts import t
from actions.turn import Reply, Turn


def region_projects(turn: Turn) -> Reply:
    where = place(turn)
    if where.unknown:
        return unknown_place(turn, where)
    if where.region is not None and refers_to_shown(turn.message.text) and turn.context.results:
        return filter_shown(turn, where)
    if turn.message.values("topic"):
        return search_projects(turn)  # "Projekte zur Kita-Anmeldung in Soest"
    when, state = filters(turn)
    if where.region is None and when is None and state is None:
        return overview(turn)
    region_id = where.region.id if where.region else None
    language = turn.language
    described = _filters(when, state, language)
    notes: list[str] = []
    subject = " ".join(subject_words(turn.message.text, where.region))
    if subject and where.region is not None:  # "Is there a chatbot in Soest?"
        if found := find_projects(turn, where, when, state):
            intro = t("region_subject_intro", language, region=where.region.short_name)
            return listing_reply(turn, found, intro=intro, kind="search", region=region_id)
        notes.append(
            t(
                "region_subject_none",
                language,
                subject=fmt.echo(subject),
                region=where.region.short_name,
            )
        )
    projects = turn.retriever.projects_in(region=region_id, year=when, status=state)
    if where.municipality and where.region is not None:
        own = [p for p in projects if in_place(p, where)]
        if own:
            projects = own
        else:
            notes.append(
                t(
                    "municipality_none",
                    language,
                    place=fmt.echo(where.mentioned or where.municipality or ""),
                    region=where.region.short_name,
                )
            )
    if not projects:
        key = "region_empty" if where.region else "all_regions_empty"
        name = where.region.short_name if where.region else ""
        lead = t(key, language, region=name, filters=described)
        return no_answer(turn, where if where.region else None, lead=lead)
    if where.region is not None:
        intro = t(
            "region_intro",
            language,
            region=where.region.short_name,
            filters=described,
            total=len(projects),
        )
    else:
        intro = t("all_regions_intro", language, filters=described, total=len(projects))
    return listing_reply(
        turn,
        projects,
        intro="\n".join([*notes, intro]),
        kind="region",
        region=region_id,
        year=when,
        status=state,
    )


def filter_shown(turn: Turn, where: Place) -> Reply:
    """„Welches davon ist in Paderborn?“: narrow the last list to a place."""
    language = turn.language
    candidates = projects_by_id(turn, turn.context.results or turn.context.shown_projects)
    kept = [p for p in candidates if in_place(p, where)]
    if not kept:
        reply = Reply(texts=[t("filter_none_match", language, place=where.label)])
        if where.region is not None:
            reply.buttons = fmt.region_buttons([where.region], language)
        return reply
    return listing_reply(
        turn,
        kept,
        intro=t("filter_intro", language, place=where.label),
        kind="filter",
        region=where.region.id if where.region else None,
    )


def overview(turn: Turn) -> Reply:
    """No place or year given: the regions and how many projects each has."""
    regions = turn.knowledge.regions
    return Reply(
        texts=[fmt.regions_overview(turn.knowledge, turn.language)],
        buttons=fmt.region_buttons(regions, turn.language),
    )


def _filters(when: int | None, state: str | None, language: str) -> str:
    text = t("filter_year", language, year=when) if when else ""
    if state:
        text += t("filter_status", language, status=fmt.status_label(state, language))
    return text

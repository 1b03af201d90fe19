"""Lists answered from the structured knowledge, not by similarity: a region's projects,
counts, orderings by start or end, period relations („enden 2021“, „vor 2019 gestartet“),
status („Welche Projekte sind geplant?“) and finished projects. Every answer that states a
period or a status says what date the facts are of.

The scope of a list is the region (and town) named, or — for „welche davon …“ — the list just
shown; a subject named within a region („Gibt es in Soest einen Chatbot?“) is a search, which
`understanding` already ran.
"""

from __future__ import annotations

from collections.abc import Sequence

from actions import formatting as fmt
from actions.answers.common import listing_reply, no_answer, projects_of, unknown_place
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import DatePoint, Project, Region
from understanding.dates import YearQuery


def _region(turn: Turn) -> Region | None:
    region = turn.question.filters.region
    return turn.knowledge.region(region) if region else None


def scoped(turn: Turn) -> list[Project]:
    """The projects of the place, status (and for a count, the year) the question names, or of
    the list just shown („welche davon …“)."""
    q = turn.question
    f = q.filters
    if f.of_those and turn.context.results:
        projects = projects_of(turn, turn.context.results)
    else:
        projects = turn.retriever.projects_in(region=f.region)
    if f.region and f.of_those:
        projects = [p for p in projects if p.region == f.region] or projects
    if f.municipality:
        from index.query import municipality_key

        key = municipality_key(f.municipality)
        projects = [p for p in projects if key in municipality_key(p.municipality)] or projects
    if f.status:
        projects = [p for p in projects if p.status == f.status]
    return projects


def _place_unknown(turn: Turn) -> Reply | None:
    q = turn.question
    if q.targets.place and not q.filters.region:
        return unknown_place(turn, q.targets.place)
    return None


def region_projects(turn: Turn) -> Reply:
    """„Was läuft in Soest?“: the region's projects (of a year or status when named), with the
    date of the documents; a partner town without projects of its own says so first; no place
    named: the regions and how many projects each has."""
    if refused := _place_unknown(turn):
        return refused
    q, language = turn.question, turn.language
    region = _region(turn)
    if q.search is not None and q.search.answer:  # a subject within the region
        from actions.answers.projects import topic

        return topic(turn)
    year = q.filters.year.active_in if q.filters.year else None
    if region is None and year is None and not q.filters.status and not q.filters.of_those:
        return overview(turn)
    projects = scoped(turn)
    if year is not None:
        projects = [p for p in projects if p.period and p.period.active_in(year)]
    described = _described(year, q.filters.status, language)
    if not projects:
        key = "region_empty" if region else "all_regions_empty"
        lead = t(key, language, region=region.short_name if region else "", filters=described)
        return no_answer(turn, region, lead=lead)
    date = fmt.as_of(turn.knowledge, language)
    notes = []
    town = q.filters.municipality
    if town and region is not None and not _own(projects, town):
        notes.append(t("municipality_none", language, place=town, region=region.short_name))
    if region is not None:
        intro = t("region_intro", language, region=region.short_name, filters=described,
                  total=len(projects), date=date)  # fmt: skip
    else:
        intro = t("all_regions_intro", language, filters=described, total=len(projects),
                  date=date)  # fmt: skip
    reply = listing_reply(
        turn,
        projects,
        intro="\n".join([*notes, intro]),
        kind="region",
        region=region.id if region else None,
        year=year,
        status=q.filters.status,
        dates=year is not None,
    )
    if notes:
        reply.kind = "none"  # it opens with: the town has no project of its own
    return reply


def _own(projects: Sequence[Project], municipality: str) -> bool:
    from index.query import municipality_key

    key = municipality_key(municipality)
    return any(key in municipality_key(p.municipality) for p in projects)


def overview(turn: Turn) -> Reply:
    """No place or year given: the regions and how many projects each has."""
    regions = turn.knowledge.regions
    return Reply(
        texts=[fmt.regions_overview(turn.knowledge, turn.language)],
        buttons=fmt.region_buttons(regions, turn.language),
    )


def status_filter(turn: Turn) -> Reply:
    """„Welche Projekte sind noch in Planung?“: the projects of a printed status."""
    q, language = turn.question, turn.language
    if not q.filters.status:
        return region_projects(turn)
    projects = scoped(turn)
    label = fmt.status_label(q.filters.status, language)
    date = fmt.as_of(turn.knowledge, language)
    if not projects:
        return Reply(
            kind="none", texts=[t("status_filter_none", language, status=label, date=date)]
        )
    intro = t("status_filter_intro", language, status=label, date=date, total=len(projects))
    region = _region(turn)
    return listing_reply(
        turn,
        projects,
        intro=intro,
        kind="status",
        region=region.id if region else None,
        status=q.filters.status,
    )


def count(turn: Turn) -> Reply:
    """„Wie viele Projekte hat Gelsenkirchen?“; no region and no list: how many regions."""
    q, language = turn.question, turn.language
    region = _region(turn)
    if region is None and not q.filters.year and not q.filters.status and not q.filters.of_those:
        if q.targets.place:
            return unknown_place(turn, q.targets.place)
        regions = turn.knowledge.regions
        lines = [
            t("count_regions", language, count=len(regions), projects=len(turn.knowledge.projects))
        ]
        lines += [
            f"- **{r.name}** – {r.lead_municipality}: "
            + t(
                "count_of_region",
                language,
                count=sum(p.region == r.id for p in turn.knowledge.projects),
            )
            for r in regions
        ]
        state = sum(p.region is None for p in turn.knowledge.projects)
        if state:
            lines.append(f"- {t('state_line', language, count=state)}")
        return Reply(texts=["\n".join(lines)], buttons=fmt.region_buttons(regions, language))
    projects = scoped(turn)
    year = q.filters.year.active_in if q.filters.year else None
    if year is not None:
        projects = [p for p in projects if p.period and p.period.active_in(year)]
    scope = t("scope_region", language, region=region.short_name) if region else ""
    if not projects:
        return Reply(kind="none", texts=[t("count_none", language, scope=scope)])
    key = "count_one" if len(projects) == 1 else "count_projects"
    intro = t(key, language, count=len(projects), scope=scope)
    return listing_reply(
        turn, projects, intro=intro, kind="count", region=region.id if region else None
    )


# --- periods ------------------------------------------------------------------------------------


def _point(project: Project, event: str) -> DatePoint | None:
    period = project.period
    if period is None:
        return None
    return period.start if event == "start" else period.end


def _undated_note(turn: Turn, undated: Sequence[Project]) -> str:
    if not undated:
        return ""
    return t("undated", turn.language, titles=", ".join(p.title for p in undated))


def ordering(turn: Turn) -> Reply:
    """„Welches Projekt startete zuerst?“: the projects ordered by start (or end)."""
    q, language = turn.question, turn.language
    which, event = q.filters.order or ("first", "start")
    projects = scoped(turn)
    dated = [p for p in projects if _point(p, event) is not None]
    undated = [p for p in projects if _point(p, event) is None]
    if not dated:
        return listing_reply(turn, projects, intro=_undated_note(turn, undated), kind="order")
    ordered = sorted(dated, key=lambda p: _point(p, event).sort_key)  # type: ignore[union-attr]
    if which == "last":
        ordered.reverse()
    best = _point(ordered[0], event)
    assert best is not None
    leaders = [p for p in ordered if _point(p, event).sort_key == best.sort_key]  # type: ignore[union-attr]
    key = "order_first" if which == "first" else "order_last"
    lines = [t(key, language, event=t(f"event_{event}", language))]
    lines += [f"**{p.title}** – {fmt.point_text(best, language)}" for p in leaders]
    lines.append(t("order_rest", language))
    lines += [
        f"{i}. {p.title} – {fmt.point_text(_point(p, event), language)}"  # type: ignore[arg-type]
        for i, p in enumerate(ordered[: fmt.PAGE_SIZE], 1)
    ]
    if note := _undated_note(turn, undated):
        lines.append(note)
    lines.append(t("as_of", language, date=fmt.as_of(turn.knowledge, language)))
    shown = ordered[: fmt.PAGE_SIZE]
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.choice_buttons(shown, turn.knowledge),
        update=Update().set(
            shown_projects=[p.id for p in shown],
            current_project=leaders[0].id if len(leaders) == 1 else None,
            last_documents=[p.id for p in leaders],
        ),
    )


def _relates(project: Project, query: YearQuery) -> bool | None:
    """Whether the project's period stands in the asked relation to the year; None if the
    documents give no date for it."""
    period = project.period
    if period is None or (period.start is None and period.end is None):
        return None
    year = query.year
    if query.event == "active":
        first = period.start.year if period.start else None
        last = period.end.year if period.end else None
        if query.compare == "in":
            return period.active_in(year)
        if query.compare == "before":
            return first is not None and first < year
        if query.compare == "after":
            return last is None or last > year
        return last is not None and last <= year
    point = _point(project, query.event)
    if point is None:
        return None
    if query.month is not None and query.compare == "in":  # „im September 2019“
        exact = point.precision in ("day", "month")
        return point.year == year and exact and point.month == query.month
    return {
        "in": point.year == year,
        "before": point.year < year,
        "after": point.year > year,
        "by": point.year <= year,
    }[query.compare]


def period_filter(turn: Turn) -> Reply:
    """„Welche Projekte enden 2021?“, "started before 2019", finished projects, or what runs
    "today": a filter on the printed dates."""
    q, language = turn.question, turn.language
    if q.filters.year is not None and q.filters.year.year > turn.knowledge.last_planned_year:
        return after_documents(turn, q.filters.year.year)
    projects = scoped(turn)
    if q.filters.year is None:
        if q.filters.finished:
            return finished(turn, projects)
        date = fmt.as_of(turn.knowledge, language)
        intro = t("current_intro", language, date=date)
        region = _region(turn)
        return listing_reply(
            turn,
            projects,
            intro=intro,
            kind="current",
            region=region.id if region else None,
            dates=True,
        )
    query = q.filters.year
    relation = t(f"relation_{query.event}_{query.compare}", language, year=query.year)
    verdicts = [(p, _relates(p, query)) for p in projects]
    matching = [p for p, ok in verdicts if ok]
    undated = [p for p, ok in verdicts if ok is None]
    if not matching:
        lines = [t("period_filter_none", language, relation=relation)]
        if note := _undated_note(turn, undated):
            lines.append(note)
        lines.append(t("as_of", language, date=fmt.as_of(turn.knowledge, language)))
        return Reply(kind="none", texts=["\n".join(lines)], buttons=fmt.start_buttons(language))
    intro = t("period_filter_intro", language, relation=relation)
    region = _region(turn)
    reply = listing_reply(
        turn,
        matching,
        intro=intro,
        kind="period",
        region=region.id if region else None,
        year=query.year,
        dates=True,
    )
    if note := _undated_note(turn, undated):
        reply.texts[-1] += "\n\n" + note
    return reply


def finished(turn: Turn, projects: Sequence[Project]) -> Reply:
    """„Welche Projekte sind abgeschlossen?“: ended before the documents were written."""
    language = turn.language
    as_of = turn.knowledge.as_of
    dated = [p for p in projects if _point(p, "end") is not None]
    done = [p for p in dated if _point(p, "end").sort_key < (as_of.year, as_of.month)]  # type: ignore[union-attr]
    date = fmt.as_of(turn.knowledge, language)
    if done:
        intro = t("finished_intro", language, date=date)
        return listing_reply(turn, done, intro=intro, kind="finished", dates=True)
    ends = sorted(dated, key=lambda p: _point(p, "end").sort_key)  # type: ignore[union-attr]
    earliest = fmt.point_text(_point(ends[0], "end"), language) if ends else "?"  # type: ignore[arg-type]
    lines = [t("finished_none", language, date=date, end=earliest)]
    lines.append(t("current_note", language, date=date, today=fmt.date_text(turn.today, language)))
    return Reply(texts=["\n".join(lines)], buttons=fmt.start_buttons(language))


def after_documents(turn: Turn, year: int) -> Reply:
    """„Wie ist der Stand 2026?“: a year the documents do not reach."""
    language = turn.language
    text = t(
        "after_documents",
        language,
        date=fmt.as_of(turn.knowledge, language),
        last=turn.knowledge.last_planned_year,
        year=year,
    )
    return Reply(kind="none", texts=[text], buttons=fmt.start_buttons(language))


def _described(year: int | None, status: str | None, language: str) -> str:
    text = t("filter_year", language, year=year) if year else ""
    if status:
        text += t("filter_status", language, status=fmt.status_label(status, language))
    return text

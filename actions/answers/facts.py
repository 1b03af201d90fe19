"""Questions answered from the structured knowledge, not by similarity: a region's make-up,
counts, orderings by start or end, period relations ("enden 2021", "vor 2019 gestartet"),
finished projects and "what runs today".

`structured(turn)` answers when the turn's analysis says the question is of one of these
forms (`Analysis.structured`, `Analysis.current`), else returns None and the caller answers
by retrieval. Every answer that states a period or status says what date the facts are of.
"""

from __future__ import annotations

from collections.abc import Sequence

from actions import formatting as fmt
from actions.answers.actors import actor_info
from actions.answers.common import listing_reply, unknown_place
from actions.context import Update
from actions.resolve import (
    Place,
    context_region,
    continues,
    elliptical,
    in_place,
    place,
    projects_by_id,
    refers_to_shown,
)
from actions.texts import t
from actions.turn import Reply, Turn
from index.analysis import Analysis, YearQuery
from index.domain import DatePoint, Project, Region


def structured(turn: Turn) -> Reply | None:
    """The structured answer to this turn, or None when retrieval should answer it."""
    a = turn.analysis
    if turn.message.text.startswith("/"):
        return None  # a button: its own answer
    if a.year is not None and a.year.year > turn.knowledge.last_planned_year:
        return after_documents(turn, a.year.year)  # „Wer ist 2026 CIO?“
    whole_name = any(not m.partial for m in a.names.values())
    if a.actor is not None and not (a.wants_projects or a.people or whole_name):
        actor = next(x for x in turn.knowledge.actors if x.id == a.actor)
        return actor_info(turn, actor)  # „Was macht d-NRW?“, "Wer war vom KDN da?"
    if whole_name and not a.makeup:
        return None  # a named project or topic: its own answer
    kind = _kind(a)
    last = (turn.context.last_query or {}).get("kind")
    if kind is None and elliptical(turn) and last in REPEATABLE:
        kind = last  # „Und für Wuppertal?“ after a region's make-up
    if kind is None and a.makeup and continues(turn) and context_region(turn):
        kind = "makeup"  # "And which partners work with it?"
    if kind is None:
        return None
    where = place(turn)
    if where.unknown:
        return unknown_place(turn, where)
    if where.region is None and kind in ("makeup", "count") and not _about_regions(a):
        where = Place(region=context_region(turn))  # "And which partners work with it?"
    if kind == "makeup":
        return region_makeup(turn, where.region)
    if kind == "count_regions":
        return _regions_count(turn)
    projects = _scoped(turn, where, a)
    if kind == "count":
        return count_reply(turn, projects, where)
    if kind == "order":
        return ordering_reply(turn, projects, a)
    if kind == "finished":
        return finished_reply(turn, projects)
    if kind == "period" and a.year is not None:
        return period_reply(turn, projects, a.year, where)
    return current_reply(turn, projects, where)


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
    return Reply(texts=[text], buttons=fmt.start_buttons(language))


REPEATABLE = ("makeup", "count")


def _kind(a: Analysis) -> str | None:
    """Which structured answer fits, if any. Each needs the question to be about projects or
    regions, so that "Wie viele Einwohner hat Köln?" is not answered with a count."""
    listing = a.wants_projects or a.form == "list"
    if a.makeup and not a.wants_projects and (a.region is not None or _about_regions(a)):
        return "makeup"
    if a.form == "count":
        if a.wants_projects:
            return "count"
        return "count_regions" if _about_regions(a) else None
    if a.form in ("first", "last"):
        return "order"
    if a.finished and listing and a.form != "single":
        return "finished"
    relation = a.year is not None and (a.year.event != "active" or a.year.compare != "in")
    if relation and listing:
        return "period"
    if a.current and a.wants_projects and a.form == "list" and not a.subject:
        return "current"
    return None


def _about_regions(a: Analysis) -> bool:
    return bool(set(a.tokens) & {"modellregionen", "regionen", "regions", "modellregion"})


def _scoped(turn: Turn, where: Place, a: Analysis) -> list[Project]:
    """The projects of the place and status the question names (all of them otherwise)."""
    if refers_to_shown(turn.message.text) and turn.context.results:
        projects = projects_by_id(turn, turn.context.results)  # „Welches davon …?“
        if a.status:
            projects = [p for p in projects if p.status == a.status]
        return [p for p in projects if where.region is None or in_place(p, where)] or projects
    projects = turn.retriever.projects_in(
        region=where.region.id if where.region else None, status=a.status
    )
    if where.municipality:
        projects = [p for p in projects if in_place(p, where)] or projects
    active = a.year.year if a.year and a.year.event == "active" and a.year.compare == "in" else None
    if active is not None and a.form == "count":
        projects = [p for p in projects if p.period and p.period.active_in(active)]
    return projects


def _scope(turn: Turn, where: Place) -> str:
    if where.region is None:
        return ""
    return t("scope_region", turn.language, region=where.region.short_name)


# --- a region's make-up ---------------------------------------------------------------------


def region_makeup(turn: Turn, region: Region | None) -> Reply:
    """Lead municipality, partners and district government of a region (all regions' leads
    when none is named)."""
    language = turn.language
    regions = turn.knowledge.regions
    if region is None:
        lines = [t("makeup_all", language)]
        lines += [
            f"- **{r.name}** – {r.lead_municipality}; {r.district_government}" for r in regions
        ]
        return Reply(texts=["\n".join(lines)], buttons=fmt.region_buttons(regions, language))
    lines = [
        t("makeup_intro", language, region=region.name),
        f"- {t('makeup_lead', language, lead=region.lead_municipality)}",
    ]
    partners = [p for p in region.partners if p != region.lead_municipality]
    if partners:
        lines.append(f"- {t('makeup_partners', language, partners=', '.join(partners))}")
    else:
        lines.append(f"- {t('makeup_no_partners', language)}")
    if region.district_government:
        government = region.district_government
        lines.append(f"- {t('makeup_government', language, government=government)}")
    lines.append(f"_{t('label_source', language)}: {fmt.source_line(region.source)}_")
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.region_buttons([region], language),
        update=Update().set(
            last_documents=[region.id], last_query={"kind": "makeup", "region": region.id}
        ),
    )


# --- counts ---------------------------------------------------------------------------------


def _regions_count(turn: Turn) -> Reply:
    regions = turn.knowledge.regions
    lines = [t("count_regions", turn.language, count=len(regions))]
    lines += [f"- **{r.name}** – {r.lead_municipality}" for r in regions]
    return Reply(texts=["\n".join(lines)], buttons=fmt.region_buttons(regions, turn.language))


def count_reply(turn: Turn, projects: Sequence[Project], where: Place) -> Reply:
    scope = _scope(turn, where)
    if not projects:
        return Reply(texts=[t("count_none", turn.language, scope=scope)])
    key = "count_one" if len(projects) == 1 else "count_projects"
    intro = t(key, turn.language, count=len(projects), scope=scope)
    return listing_reply(turn, projects, intro=intro, kind="count")


# --- periods ----------------------------------------------------------------------------------


def _point(project: Project, event: str) -> DatePoint | None:
    period = project.period
    if period is None:
        return None
    return period.start if event == "start" else period.end


def _dated(projects: Sequence[Project], event: str) -> tuple[list[Project], list[Project]]:
    dated = [p for p in projects if _point(p, event) is not None]
    return dated, [p for p in projects if _point(p, event) is None]


def _undated_note(turn: Turn, undated: Sequence[Project]) -> str:
    if not undated:
        return ""
    titles = ", ".join(p.title for p in undated)
    return t("undated", turn.language, titles=titles)


def ordering_reply(turn: Turn, projects: Sequence[Project], a: Analysis) -> Reply:
    """„Welches Projekt startete zuerst?“: the projects ordered by start (or end)."""
    language = turn.language
    event = a.order_event
    dated, undated = _dated(projects, event)
    if not dated:
        return listing_reply(turn, projects, intro=_undated_note(turn, undated), kind="order")
    ordered = sorted(dated, key=lambda p: _point(p, event).sort_key)  # type: ignore[union-attr]
    if a.form == "last":
        ordered.reverse()
    best = _point(ordered[0], event)
    assert best is not None
    leaders = [p for p in ordered if _point(p, event).sort_key == best.sort_key]  # type: ignore[union-attr]
    key = "order_first" if a.form == "first" else "order_last"
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
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.choice_buttons(ordered[: fmt.PAGE_SIZE], turn.knowledge),
        update=Update().set(
            shown_projects=[p.id for p in ordered[: fmt.PAGE_SIZE]],
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


def period_reply(turn: Turn, projects: Sequence[Project], query: YearQuery, where: Place) -> Reply:
    """„Welche Projekte enden 2021?“, "started before 2019": a filter on the printed dates."""
    language = turn.language
    relation = t(f"relation_{query.event}_{query.compare}", language, year=query.year)
    verdicts = [(p, _relates(p, query)) for p in projects]
    matching = [p for p, ok in verdicts if ok]
    undated = [p for p, ok in verdicts if ok is None]
    if not matching:
        lines = [t("period_filter_none", language, relation=relation)]
        if note := _undated_note(turn, undated):
            lines.append(note)
        lines.append(t("as_of", language, date=fmt.as_of(turn.knowledge, language)))
        return Reply(texts=["\n".join(lines)], buttons=fmt.start_buttons(language))
    intro = t("period_filter_intro", language, relation=relation)
    reply = listing_reply(turn, matching, intro=intro, kind="period", dates=True)
    extra = [x for x in (_undated_note(turn, undated),) if x]
    if extra:
        reply.texts[-1] += "\n\n" + "\n".join(extra)
    return reply


def finished_reply(turn: Turn, projects: Sequence[Project]) -> Reply:
    """„Welche Projekte sind abgeschlossen?“: ended before the documents were written."""
    language = turn.language
    as_of = turn.knowledge.as_of
    dated, _ = _dated(projects, "end")
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


def current_reply(turn: Turn, projects: Sequence[Project], where: Place) -> Reply:
    """„Welche Projekte laufen aktuell?“: what the documents planned, and that today's state
    is not in them."""
    date = fmt.as_of(turn.knowledge, turn.language)
    intro = t("current_intro", turn.language, date=date)  # listing_reply adds today's note
    return listing_reply(turn, projects, intro=intro, kind="current", dates=True)

"""A general municipal service the documents do not describe (renewing an ID card, the dog
tax, registering a business): that answer first, then who provides the service, and a project
close to it named as related — never as the answer."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import projects_of
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn


def service(turn: Turn) -> Reply:
    q, language, knowledge = turn.question, turn.language, turn.knowledge
    region = knowledge.region(q.filters.region) if q.filters.region else None
    place = q.filters.municipality or (region.lead_municipality if region else None)
    lines = [t("service_none", language)]
    if place:
        lines.append(t("service_office_of", language, place=place))
    elif q.targets.place:
        lines.append(t("service_office_of", language, place=fmt.echo(q.targets.place)))
    else:
        lines.append(t("service_office", language))
    related = projects_of(turn, q.targets.projects)[:2]
    buttons: list[fmt.Button] = []
    if related:
        lines.append(t("service_related", language))
        lines += [fmt.list_line(p, knowledge, language, i) for i, p in enumerate(related, 1)]
        buttons = fmt.choice_buttons(related, knowledge)
    return Reply(
        kind="none",
        texts=["\n".join(lines)],
        buttons=buttons or fmt.start_buttons(language),
        update=Update().set(shown_projects=[p.id for p in related], current_project=None),
    )

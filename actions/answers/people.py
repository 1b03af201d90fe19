"""A contact person: who they are, what they are printed for, how to reach them."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import asked, beyond_lead, projects_of, region_contact
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn


def person(turn: Turn) -> Reply:
    q, language, knowledge = turn.question, turn.language, turn.knowledge
    key = q.targets.person
    people = turn.retriever.names.people
    if key is None or key not in people:
        if q.filters.region is not None:  # „Wen frage ich in Soest?“: the office
            return region_contact(turn, knowledge.region(q.filters.region))
        if q.targets.actor is not None:  # "who are their contacts?" after an actor
            from actions.answers.actors import actor

            return actor(turn)
        if q.targets.project is not None:  # „Wer betreut das?“ about the project shown
            from actions.answers.projects import facts_reply

            return facts_reply(turn, projects_of(turn, q.targets.projects)[0])
        return Reply(
            kind="none", texts=[t("person_unknown", language)], buttons=fmt.start_buttons(language)
        )
    found = people[key]
    contact, owners = found.contact, list(found.owners)
    projects = projects_of(turn, owners)
    card = fmt.person_card(contact, owners, knowledge, language)
    lead = beyond_lead(turn, contact.display_name, phone_printed=bool(contact.phone))
    date = fmt.date_text(knowledge.as_of, language)
    return Reply(
        kind="none" if lead else "answer",  # opens with what the documents do not say
        texts=["\n".join(x for x in (lead, card) if x)],
        buttons=fmt.person_handover(contact, projects, asked(turn), language, as_of=date)
        + fmt.choice_buttons(projects[: fmt.PAGE_SIZE], knowledge),
        update=Update().set(
            shown_projects=[p.id for p in projects],
            current_project=projects[0].id if len(projects) == 1 else None,
            current_person=key,
            last_documents=owners,
        ),
    )

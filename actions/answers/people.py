"""Questions about people: "Wer ist Nicole Sommer?", "Wie erreiche ich Herrn vom Sondern?"."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import asked, region_contact
from actions.context import Update
from actions.resolve import CLOSE, place, projects_by_id
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import PersonHit


def find_people(turn: Turn) -> list[PersonHit]:
    """People named by the entities, else anywhere in the message."""
    for value in turn.message.values("person") + turn.message.spans("person"):
        if hits := list(turn.retriever.match_people(value, limit=3)):
            return hits
    text = turn.message.text
    if text and not text.startswith("/"):
        if found := list(turn.retriever.match_people(text, limit=3)):
            return found
        # „Betreut der noch ein anderes Projekt?“: the contact of the project under discussion
        current = next(
            (p for p in turn.knowledge.projects if p.id == turn.context.current_project), None
        )
        if current is not None and len(current.contacts) == 1:
            return list(turn.retriever.match_people(current.contacts[0].name, limit=1))
    return []


def person_info(turn: Turn) -> Reply:
    language = turn.language
    hits = find_people(turn)
    if not hits:
        where = place(turn)  # „Wo ist das Projektbüro in Soest?“: an office, not a person
        if where.region is not None:
            return region_contact(turn, where)
        return Reply(texts=[t("person_unknown", language)], buttons=fmt.start_buttons(language))
    close = [h for h in hits if h.score >= hits[0].score - CLOSE]
    if len(close) > 1:
        lines = [t("person_which", language)]
        lines += [f"- {fmt.contact_line(h.contact, language)}" for h in close]
        buttons = [
            fmt.button(h.contact.display_name, "person_info", person=h.contact.name) for h in close
        ]
        return Reply(texts=["\n".join(lines)], buttons=buttons)
    person = close[0]
    knowledge = turn.knowledge
    projects = projects_by_id(turn, person.owners)
    update = Update().set(
        shown_projects=[p.id for p in projects],
        current_project=projects[0].id if len(projects) == 1 else None,
        last_documents=list(person.owners),
    )
    card = fmt.person_card(person.contact, person.owners, knowledge, language)
    name = person.contact.display_name
    if turn.analysis.asks_phone and not person.contact.phone:
        card = t("phone_none", language, who=name) + "\n" + card
    elif missing := [w for w in turn.analysis.unprinted if w not in ("Anzahl", "Betrag")]:
        what = ", ".join(fmt.echo(w) for w in missing)  # „Wie ist der Vorname von Frau Gerke?“
        card = t("not_in_documents", language, what=what, title=name) + "\n" + card
    return Reply(
        texts=[card],
        buttons=fmt.person_handover(person.contact, projects, asked(turn), language)
        + fmt.choice_buttons(projects[: fmt.PAGE_SIZE], knowledge),
        update=update,
    )

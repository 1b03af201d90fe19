"""The programme and Stadt.Land.Digital: the printed fact that answers the question, with its
source; related topics named; no topic found: the topics to choose from."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import current_note, projects_of, topics_of, unsure_reply
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn


def programme(turn: Turn) -> Reply:
    q, language = turn.question, turn.language
    topics = topics_of(turn, q.targets.topics)
    if not topics:
        if q.search is not None and q.search.decision == "unsure" and q.search.hits:
            return unsure_reply(turn, q.search.hits)
        return menu(turn)
    best = topics[0]
    facts = [f for f in best.facts if f.id in q.targets.facts]
    # a short topic is shown whole (all its facts, „Wo fanden die Workshops statt?“), a long
    # one by the facts that answer the question
    short = len(best.text) <= fmt.TOPIC_TEXT_LIMIT
    parts = [
        fmt.facts_answer(best, facts, language)
        if facts and not short
        else fmt.topic_answer(best, language)
    ]
    if not q.answerable:
        parts.insert(0, t("unanswered", language, title=f"**{best.title}**"))  # as beyond_lead
    elif q.current:
        parts.insert(0, current_note(turn))
    if len(topics) > 1:
        titles = "; ".join(topic.title for topic in topics[1:])
        parts.append(t("programme_more", language, titles=titles))
    projects = projects_of(turn, q.targets.projects)[: fmt.PAGE_SIZE]
    if projects:
        parts.append(t("programme_projects", language))
    buttons = fmt.choice_buttons(projects, turn.knowledge)
    if facts:  # the whole topic on request
        buttons.append(fmt.button(t("button_topic_more", language), "programme", topic=best.id))
    buttons += [fmt.button(topic.title, "programme", topic=topic.id) for topic in topics[1:3]]
    return Reply(
        kind="answer" if q.answerable else "none",
        texts=[fmt.with_note("\n\n".join(parts), language)],
        buttons=buttons,
        update=Update().set(
            last_documents=[best.id], current_project=None, shown_projects=[p.id for p in projects]
        ),
    )


def menu(turn: Turn) -> Reply:
    """Nothing specific found: say so and offer the main programme topics."""
    language = turn.language
    topics = [d for d in turn.knowledge.topics if d.id.startswith("programm-")][:6]
    topics = topics or list(turn.knowledge.topics[:6])
    buttons = [fmt.button(d.title, "programme", topic=d.id) for d in topics]
    return Reply(
        kind="none",
        texts=[t("programme_none", language), t("programme_menu", language)],
        buttons=buttons,
    )

"""The state and federal actors: CIO NRW, KDN, d-NRW, MWIDE, Stadt.Land.Digital."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import no_answer
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn


def actor(turn: Turn) -> Reply:
    """Who the actor is, as the documents print it, with its printed contacts."""
    language = turn.language
    chosen = next((a for a in turn.knowledge.actors if a.id == turn.question.targets.actor), None)
    if chosen is None:
        if turn.question.targets.topics:
            from actions.answers.programme import programme

            return programme(turn)
        return no_answer(turn)
    lines = [f"**{chosen.name}**", chosen.summary.strip()]
    if chosen.contacts:
        lines.append(f"{t('label_contact', language)}:")
        lines += [f"- {fmt.contact_line(c, language)}" for c in chosen.contacts]
    lines.append(f"_{t('label_source', language)}: {fmt.source_line(chosen.source)}_")
    return Reply(
        texts=[fmt.with_note("\n".join(lines), language)],
        buttons=fmt.start_buttons(language),
        update=Update().set(last_documents=[chosen.id], current_project=None),
    )

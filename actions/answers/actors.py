"""Questions about the state and federal actors: CIO NRW, KDN, d-NRW, MWIDE, Stadt.Land.Digital."""

from __future__ import annotations

from actions import formatting as fmt
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Actor


def actor_info(turn: Turn, actor: Actor) -> Reply:
    """Who the actor is, as the documents print it, with its printed contacts."""
    language = turn.language
    lines = [f"**{actor.name}**", actor.summary.strip()]
    if actor.contacts:
        lines.append(f"{t('label_contact', language)}:")
        lines += [f"- {fmt.contact_line(c, language)}" for c in actor.contacts]
    lines.append(f"_{t('label_source', language)}: {fmt.source_line(actor.source)}_")
    return Reply(
        texts=[fmt.with_note("\n".join(lines), language)],
        buttons=fmt.start_buttons(language),
        update=Update().set(last_documents=[actor.id], current_project=None),
    )

"""Small talk and the polite answers for everything the assistant cannot help with."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import listing_reply
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Project

SIMPLE = {
    "greet": "greet",
    "goodbye": "goodbye",
    "thank": "thank",
    "bot_capabilities": "capabilities",
    "bot_challenge": "bot_challenge",
    "affirm": "affirm",
    "deny": "deny",
}
WITH_EXAMPLES = {"greet", "bot_capabilities", "affirm"}


def small_talk(turn: Turn) -> Reply:
    """Greeting, thanks, goodbye, "was kannst du?", "bist du ein Bot?", yes and no."""
    intent = turn.message.intent
    key = SIMPLE.get(intent, "capabilities")
    buttons = fmt.start_buttons(turn.language) if intent in WITH_EXAMPLES else []
    return Reply(texts=[t(key, turn.language)], buttons=buttons)


def out_of_scope(turn: Turn) -> Reply:
    return Reply(texts=[t("out_of_scope", turn.language)], buttons=fmt.start_buttons(turn.language))


def fallback(turn: Turn) -> Reply:
    """The NLU was unsure: if the words clearly fit projects, offer them; else say so."""
    text = turn.message.text
    if text and not text.startswith("/"):
        hits = turn.retriever.search(text, kinds=("project",), k=fmt.PAGE_SIZE)
        projects = [h.document for h in hits if isinstance(h.document, Project)]
        if projects:
            return listing_reply(
                turn, projects, intro=t("maybe_meant", turn.language), kind="fallback"
            )
    return Reply(
        texts=[t("not_understood", turn.language)], buttons=fmt.start_buttons(turn.language)
    )


def too_long(language: str, limit: int) -> Reply:
    return Reply(texts=[t("too_long", language, limit=limit)])


def markup(language: str) -> Reply:
    return Reply(texts=[t("markup", language)])


def empty(language: str) -> Reply:
    return Reply(texts=[t("empty", language)], buttons=fmt.start_buttons(language))


def error(language: str) -> Reply:
    return Reply(texts=[t("error", language)])

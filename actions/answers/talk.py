"""Small talk the action answers (greetings, thanks and goodbyes are domain responses), the
assistant about itself, and the polite answers for what it cannot help with."""

from __future__ import annotations

import os

from actions import formatting as fmt
from actions.answers.common import projects_of
from actions.texts import t
from actions.turn import Reply, Turn

SIMPLE = {
    "greet": "greet",
    "goodbye": "goodbye",
    "thank": "thank",
    "bot_capabilities": "capabilities",
    "bot_challenge": "bot_challenge",
    "affirm": "affirm",
    "deny": "deny",
}
WITH_EXAMPLES = {"greet", "bot_capabilities", "affirm", "deny"}


def small_talk(turn: Turn) -> Reply:
    kind = turn.question.kind
    buttons = fmt.start_buttons(turn.language) if kind in WITH_EXAMPLES else []
    return Reply(
        kind="talk", texts=[t(SIMPLE.get(kind, "capabilities"), turn.language)], buttons=buttons
    )


def about_assistant(turn: Turn) -> Reply:
    """„Was passiert mit meinen Daten?“, „Wer betreibt dich?“, „Wie aktuell bist du?“: what the
    README states — what is stored, for how long, no IP address, the date of the documents."""
    language = turn.language
    days = retention_days()
    date = fmt.as_of(turn.knowledge, language)
    text = t("about_assistant", language, days=days, date=date)
    return Reply(kind="talk", texts=[text], buttons=fmt.start_buttons(language))


def retention_days() -> int:
    """`RETENTION_DAYS` as `make purge` applies it (default 30)."""
    try:
        return max(1, int(os.environ.get("RETENTION_DAYS", "30")))
    except ValueError:
        return 30


def out_of_scope(turn: Turn) -> Reply:
    """Nothing the documents or a town hall would answer; a project the words clearly fit is
    named as a pointer, not as the answer."""
    language = turn.language
    lines = [t("out_of_scope", language)]
    related = projects_of(turn, turn.question.targets.projects)[:1]
    if related:
        lines.append(t("service_related", language))
        lines += [fmt.list_line(related[0], turn.knowledge, language, 1)]
    buttons = fmt.choice_buttons(related, turn.knowledge) or fmt.start_buttons(language)
    return Reply(kind="none", texts=["\n".join(lines)], buttons=buttons)


def fallback(turn: Turn) -> Reply:
    """The NLU was not sure what is asked: what the search found, or „not understood“."""
    q = turn.question
    if q.search is not None and q.search.decision != "none":
        from actions.answers.projects import topic

        return topic(turn)
    return Reply(
        kind="none",
        texts=[t("not_understood", turn.language)],
        buttons=fmt.start_buttons(turn.language),
    )


def too_long(language: str, limit: int) -> Reply:
    return Reply(kind="refusal", texts=[t("too_long", language, limit=limit)])


def markup(language: str) -> Reply:
    return Reply(kind="refusal", texts=[t("markup", language)])


def empty(language: str) -> Reply:
    return Reply(kind="refusal", texts=[t("empty", language)], buttons=fmt.start_buttons(language))


def error(language: str) -> Reply:
    return Reply(kind="refusal", texts=[t("error", language)])

"""Questions about the programme: background, goals, funding, selection criteria, pillars."""

from __future__ import annotations

import re
from collections.abc import Sequence

from actions import formatting as fmt
from actions.context import Update
from actions.resolve import continues, core_text
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Project, Topic
from index.text import fold

RELATED = 2
DEFAULT_QUERY = "Ziel des Programms Digitale Modellregionen"

# How people ask (German inflections, English) → the words the programme documents use.
TERMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (r"foerder|funding|funded|subsid", "Förderung Finanzierung Förderrichtlinie"),
        (r"geld|finanz|kosten|budget|million|money|pays?\b|paid|cost", "Finanzierung"),
        (
            r"kriter|ausgewaehlt|auswahl|ausgesucht|criteria|select|chosen|picked",
            "Auswahl Kriterien",
        ),
        (r"saeule|pillar", "Zwei Säulen eGovernment digitale Stadtentwicklung"),
        (r"\bziel|warum|wozu|\bgoal|\baim|\bwhy\b|purpose|achieve", "Ziel des Programms"),
        (r"zeitraum|zeitrahmen|wie lange|bis wann|timeframe|how long|until when", "Zeitrahmen"),
        (r"international|ausland|abroad|estland|estonia", "Internationale Zusammenarbeit"),
        (r"hintergrund|background|history|anlass|entstanden", "Anlass Bericht"),
        (r"uebertrag|transfer|best practice", "Übertragbarkeit Transparenz Best Practices"),
    )
)


def expand(text: str) -> str:
    """The question plus the documents' words for what it asks about."""
    folded = fold(text)
    extra = [words for pattern, words in TERMS if pattern.search(folded)]
    return " ".join([text, *extra])


def programme_background(
    turn: Turn,
    query: str | None = None,
    also: Sequence[Project] = (),
    found: Sequence[Topic] = (),
) -> Reply:
    """The best-matching background topic with its source; related topics named and related
    projects (`also`) offered as buttons. Without a match: the topics to choose from.
    `found`: the topics a search of this turn already ranked (no second search)."""
    language = turn.language
    chosen = [d for d in turn.knowledge.topics if d.id in turn.message.values("topic")]
    text = query or turn.message.text
    if not text or text.startswith("/"):
        text = DEFAULT_QUERY
    topics = chosen or list(found[: 1 + RELATED]) or _topics(turn, text)
    if not topics and continues(turn):  # „Und wer hatte den angefordert?“: the topic shown
        topics = [d for d in turn.knowledge.topics if d.id in turn.context.last_documents]
    if not topics:
        return _menu(turn)
    best = topics[0]
    parts = [fmt.topic_answer(best, language)]
    if len(topics) > 1:
        titles = "; ".join(topic.title for topic in topics[1:])
        parts.append(t("programme_more", language, titles=titles))
    projects = list(also[: fmt.PAGE_SIZE])
    if projects:
        parts.append(t("programme_projects", language))
    return Reply(
        texts=[fmt.with_note("\n\n".join(parts), language)],
        buttons=fmt.choice_buttons(projects, turn.knowledge),
        update=Update().set(
            last_documents=[best.id], current_project=None, shown_projects=[p.id for p in projects]
        ),
    )


def _topics(turn: Turn, text: str) -> list[Topic]:
    for query in dict.fromkeys([text, expand(text), expand(core_text(text))]):
        if not query.strip():
            continue
        # the expansions change the words matched; the dense scores stay the question's
        hits = turn.retriever.query(query, kinds=("topic",), k=1 + RELATED, dense_text=text).answer
        topics = [h.document for h in hits if isinstance(h.document, Topic)]
        if topics:
            return topics
    return []


def _menu(turn: Turn) -> Reply:
    """Nothing specific found: say so and offer the main programme topics."""
    language = turn.language
    topics = [d for d in turn.knowledge.topics if d.id.startswith("programm-")][:6]
    topics = topics or list(turn.knowledge.topics[:6])
    buttons = [fmt.button(d.title, "programme_background", topic=d.id) for d in topics]
    return Reply(
        texts=[t("programme_none", language), t("programme_menu", language)], buttons=buttons
    )

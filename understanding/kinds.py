"""The kinds of question, the facets a question may ask, and how the NLU names them.

One vocabulary of labels for the question bank (`tests/eval/bank/SCHEMA.md`), the NLU's
intents (`bot/domain.yml`), the facet classifier and the answers' table
(`actions.answers.ANSWERS`):

- a **kind** is what is asked: the NLU's intent, one per message (the main one);
- a **facet** is what else the message asks or says, several at once: the aspects of a
  project or region ("contact", "period", …), whether it asks about today ("current"), whether it
  only makes sense with the earlier turns ("context"), what it asks beyond what documents
  like these print ("phone", "cost", "first_name", "opinion"), and whether the documents
  answer it at all ("unanswerable": a project in another town, results after 2019, today's
  state, a service they do not describe).
"""

from __future__ import annotations

from typing import Literal, get_args

SmallTalk = Literal[
    "greet",
    "goodbye",
    "thank",
    "bot_capabilities",
    "bot_challenge",
    "about_assistant",
    "affirm",
    "deny",
]
Kind = Literal[
    # questions about the documents (the bank's kinds)
    "topic",
    "project",
    "region_projects",
    "region_makeup",
    "compare_regions",
    "count",
    "ordering",
    "period_filter",
    "status_filter",
    "person",
    "actor",
    "programme",
    "stadt_land_digital",
    "service",
    "out_of_scope",
    # small talk (the bank's "smalltalk")
    SmallTalk,
    # the conversation's own moves
    "select_item",
    "show_more",
    # Rasa's FallbackClassifier: the NLU is not sure
    "nlu_fallback",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
SMALL_TALK: frozenset[Kind] = frozenset(get_args(SmallTalk))
MOVES: frozenset[Kind] = frozenset({"select_item", "show_more"})
# The questions about the documents as the question bank labels them (SCHEMA.md): the NLU's
# kinds without small talk, the conversation's moves and the fallback; a comparison of regions
# (a kind added after the bank was written) is labelled as their make-up there.
QUESTION_KINDS: tuple[Kind, ...] = tuple(
    k for k in KINDS if k not in SMALL_TALK | MOVES | {"nlu_fallback", "compare_regions"}
)

Aspect = Literal[
    "description",
    "contact",
    "period",
    "milestones",
    "transferability",
    "source",
    "status",
    "municipality",
    "partners",
    "lead",
    "district_government",
    "cost",
    "figure",
    "date",
    "place",
    "result",
]
ASPECTS: tuple[Aspect, ...] = get_args(Aspect)

# What a question asks beyond what the documents print, as far as its words show it (the
# bank's `beyond`); "today" is the facet "current".
BEYOND_FACETS: tuple[str, ...] = ("phone", "first_name", "opinion")
FACETS: tuple[str, ...] = (*ASPECTS, "current", "context", *BEYOND_FACETS, "unanswerable")


def bank_kind(kind: str) -> str:
    """The bank's kind of an NLU intent: small talk is one kind there; a comparison of regions
    (a kind added after the bank was written) is a question about the regions' make-up."""
    if kind in SMALL_TALK:
        return "smalltalk"
    return "region_makeup" if kind == "compare_regions" else kind


def facets_of(
    aspects: tuple[str, ...],
    kinds: tuple[str, ...],
    beyond: tuple[str, ...],
    context: bool,
    answerable: bool = True,
) -> tuple[str, ...]:
    """The facets of a labelled turn of the bank."""
    found = [a for a in aspects if a in ASPECTS]
    if "current" in kinds or "today" in beyond:
        found.append("current")
    if context:
        found.append("context")
    found += [b for b in beyond if b in BEYOND_FACETS]
    if not answerable:
        found.append("unanswerable")
    return tuple(dict.fromkeys(found))


def main_kind(kinds: tuple[str, ...]) -> str | None:
    """The NLU intent a labelled turn trains: its first kind that is not the overlay
    "current"; None for the bank's small talk, whose finer intent it does not label."""
    for kind in kinds:
        if kind == "current":
            continue
        return None if kind == "smalltalk" else kind
    return None

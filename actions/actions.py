"""The custom actions of the domain: thin classes, each delegating to one answer function."""

from __future__ import annotations

from abc import abstractmethod

from actions.answers import facts, people, programme, projects, regions, talk
from actions.answers.common import dated
from actions.base import AnswerAction
from actions.turn import Reply, Turn


class InformationAction(AnswerAction):
    """An action whose questions may be structured ones (counts, orderings, period filters,
    a region's make-up): those are answered from the structured knowledge whatever intent
    the NLU chose, the rest by the action's own answer."""

    def answer(self, turn: Turn) -> Reply:
        reply = facts.structured(turn) or self.default(turn)
        return dated(turn, reply) if turn.analysis.current else reply

    @abstractmethod
    def default(self, turn: Turn) -> Reply: ...


class ActionSmallTalk(AnswerAction):
    action_name = "action_small_talk"

    def answer(self, turn: Turn) -> Reply:
        if turn.message.intent in QUESTION_LIKE and not turn.message.text.startswith("/"):
            a = turn.analysis
            if a.names or a.actor or a.region or a.people or a.wants_projects:
                # "Gibt es einen Chatbot in Soest?", "Who is the CIO right now?": questions
                return facts.structured(turn) or projects.search_projects(turn)
            if turn.context.current_project and a.subject and len(a.tokens) > 3:
                return projects.project_details(turn)  # "What use cases does it have?"
        return talk.small_talk(turn)


# Small-talk intents that a question about the knowledge is easily mistaken for.
QUESTION_LIKE = frozenset({"bot_challenge", "bot_capabilities", "affirm", "deny"})


class ActionOutOfScope(InformationAction):
    action_name = "action_out_of_scope"

    def default(self, turn: Turn) -> Reply:
        # The NLU's "out of scope" is one opinion; a confident retrieval answer is another.
        if turn.retriever.query(turn.message.text).decision.answer:
            return projects.search_projects(turn)
        return talk.out_of_scope(turn)


class ActionDefaultFallback(InformationAction):
    action_name = "action_default_fallback"

    def default(self, turn: Turn) -> Reply:
        text = turn.message.text
        if not text.startswith("/"):
            if turn.analysis.people:
                return people.person_info(turn)
            if turn.retriever.query(text).decision.kind != "none":
                return projects.search_projects(turn)
        return talk.fallback(turn)


class ActionSearchProjects(InformationAction):
    action_name = "action_search_projects"

    def default(self, turn: Turn) -> Reply:
        return projects.search_projects(turn)


class ActionProjectDetails(InformationAction):
    action_name = "action_project_details"

    def default(self, turn: Turn) -> Reply:
        return projects.project_details(turn)


class ActionProjectContact(InformationAction):
    action_name = "action_project_contact"

    def default(self, turn: Turn) -> Reply:
        return projects.project_contact(turn)


class ActionProjectPeriod(InformationAction):
    action_name = "action_project_period"

    def default(self, turn: Turn) -> Reply:
        return projects.project_period(turn)


class ActionTransferability(AnswerAction):
    action_name = "action_transferability"

    def answer(self, turn: Turn) -> Reply:
        return projects.transferability(turn)


class ActionSource(AnswerAction):
    action_name = "action_source"

    def answer(self, turn: Turn) -> Reply:
        return projects.source(turn)


class ActionSelectItem(AnswerAction):
    action_name = "action_select_item"

    def answer(self, turn: Turn) -> Reply:
        return projects.select_item(turn)


class ActionShowMore(AnswerAction):
    action_name = "action_show_more"

    def answer(self, turn: Turn) -> Reply:
        return projects.show_more(turn)


class ActionPersonInfo(InformationAction):
    action_name = "action_person_info"

    def default(self, turn: Turn) -> Reply:
        return people.person_info(turn)


class ActionRegionProjects(InformationAction):
    action_name = "action_region_projects"

    def default(self, turn: Turn) -> Reply:
        return regions.region_projects(turn)


class ActionProgrammeBackground(InformationAction):
    action_name = "action_programme_background"

    def default(self, turn: Turn) -> Reply:
        return programme.programme_background(turn)

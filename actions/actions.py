"""The custom actions of the domain: thin classes, each delegating to one answer function."""

from __future__ import annotations

from actions.answers import people, programme, projects, regions, talk
from actions.base import AnswerAction
from actions.turn import Reply, Turn


class ActionSmallTalk(AnswerAction):
    action_name = "action_small_talk"

    def answer(self, turn: Turn) -> Reply:
        return talk.small_talk(turn)


class ActionOutOfScope(AnswerAction):
    action_name = "action_out_of_scope"

    def answer(self, turn: Turn) -> Reply:
        return talk.out_of_scope(turn)


class ActionDefaultFallback(AnswerAction):
    action_name = "action_default_fallback"

    def answer(self, turn: Turn) -> Reply:
        return talk.fallback(turn)


class ActionSearchProjects(AnswerAction):
    action_name = "action_search_projects"

    def answer(self, turn: Turn) -> Reply:
        return projects.search_projects(turn)


class ActionProjectDetails(AnswerAction):
    action_name = "action_project_details"

    def answer(self, turn: Turn) -> Reply:
        return projects.project_details(turn)


class ActionProjectContact(AnswerAction):
    action_name = "action_project_contact"

    def answer(self, turn: Turn) -> Reply:
        return projects.project_contact(turn)


class ActionProjectPeriod(AnswerAction):
    action_name = "action_project_period"

    def answer(self, turn: Turn) -> Reply:
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


class ActionPersonInfo(AnswerAction):
    action_name = "action_person_info"

    def answer(self, turn: Turn) -> Reply:
        return people.person_info(turn)


class ActionRegionProjects(AnswerAction):
    action_name = "action_region_projects"

    def answer(self, turn: Turn) -> Reply:
        return regions.region_projects(turn)


class ActionProgrammeBackground(AnswerAction):
    action_name = "action_programme_background"

    def answer(self, turn: Turn) -> Reply:
        return programme.programme_background(turn)

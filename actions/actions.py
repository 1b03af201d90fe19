"""The custom action of the domain: `action_answer` answers every question (see
`actions.base`); small talk that needs no knowledge is a domain response."""

from __future__ import annotations

from actions.base import AnswerAction

__all__ = ["AnswerAction"]

"""Helpers for reading the bot's REST replies in end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], list[dict]]


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def buttons_of(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in m.get("buttons", [])]

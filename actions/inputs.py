"""Cleaning what users type before anything else looks at it.

Markup is removed (the widget and the channels send plain text; HTML in a message is either a
paste accident or an attempt at injection), entities are decoded, control characters and
runs of whitespace collapse. Messages longer than `MAX_LENGTH` are not processed at all.
"""

from __future__ import annotations

import html
import re

from channels.bounds import MAX_MESSAGE_CHARS as MAX_LENGTH  # the one bound of every channel

_BLOCKS = re.compile(r"<(script|style|iframe|object|embed|svg)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z!][^>]{0,500}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Plain text of a user message: no tags, scripts, entities or control characters."""
    for _ in range(2):  # twice: "&lt;b&gt;" decodes to a tag that must go as well
        text = _BLOCKS.sub(" ", text)
        text = _TAG.sub(" ", text)
        text = html.unescape(text)
    text = _BLOCKS.sub(" ", text)
    text = _TAG.sub(" ", text).replace("<", " ").replace(">", " ")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def has_markup(text: str) -> bool:
    """Whether the message contains HTML tags (also when written as entities)."""
    return bool(_TAG.search(text) or _TAG.search(html.unescape(text)))


def too_long(text: str) -> bool:
    return len(text) > MAX_LENGTH

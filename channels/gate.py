"""The common entry of every channel into the Rasa server (issue 16).

Each channel of this project (`channels.rest`, `channels.socketio`, `channels.telegram`)
hands its messages to Rasa through a `Gate` instead of Rasa's handler directly. The gate

- stores the conversation under the channel's namespace (`rest:<id>`, `socketio:<id>`, …:
  `channels.bounds.namespaced`), so no channel can reach another channel's conversations;
- keeps only the metadata the channel needs (none, in this project);
- answers a message over `MAX_MESSAGE_CHARS` with a polite "please ask a shorter question"
  in the user's language, without handing it to Rasa: the NLU never sees it, nothing of it
  is stored;
- hands long messages (over `LONG_MESSAGE_CHARS`) to Rasa one at a time (all channels
  together): each holds the server's one core for up to 0.4 s, and ten clients sending
  them at once made an ordinary question wait 4 s; now it waits for one at most.

`install_log_redaction()` keeps message texts out of the Rasa server's log at the default
level (Rasa's structured warnings quote them, e.g. `message.parsing.failed` for a message
starting with "/"), `install_server_hardening()` takes the version out of `GET /`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.texts import t
from channels.bounds import (
    LONG_TURNS_AT_ONCE,
    MAX_MESSAGE_CHARS,
    long,
    metadata,
    namespaced,
    too_long,
)
from index.language import detect

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

# Keys of Rasa's structured log events that carry what a user wrote or what the bot said
# (the keys Rasa's own anonymiser knows, rasa.utils.log_utils).
CONTENT_KEYS = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text",
        "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
        "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
        "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
        "entity", "token_text", "user_message", "json_message",
    }
)  # fmt: skip
REDACTED = "[not logged]"

# Rasa also warns with the whole text when a "/" message does not parse as an intent with
# arguments ("Failed to parse arguments in line '<text>'", through the warnings module). Rasa
# sets its warning filters before it loads the channels, so this filter comes first.
warnings.filterwarnings("ignore", message="Failed to parse arguments in line", category=UserWarning)


def too_long_text(text: str) -> str:
    """The polite refusal of an over-long message, in the language it is written in."""
    return t("too_long", detect(text[:MAX_MESSAGE_CHARS]), limit=MAX_MESSAGE_CHARS)


_long_turns: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def long_turns() -> asyncio.Semaphore:
    """The server's one queue of long turns (per event loop: a semaphore belongs to one)."""
    loop = asyncio.get_running_loop()
    if loop not in _long_turns:
        _long_turns[loop] = asyncio.Semaphore(LONG_TURNS_AT_ONCE)
    return _long_turns[loop]


@dataclass
class Gate:
    """The entry of one channel into Rasa; see the module docstring."""

    channel: str
    handler: Handler
    metadata_keys: Iterable[str] = field(default_factory=tuple)

    async def __call__(self, message: UserMessage) -> Any:
        message.sender_id = namespaced(self.channel, message.sender_id)
        message.metadata = metadata(message.metadata, self.metadata_keys)
        text = message.text or ""
        if too_long(text):
            await message.output_channel.send_response(
                message.sender_id, {"text": too_long_text(text)}
            )
            return None
        if long(text):
            async with long_turns():
                return await self.handler(message)
        return await self.handler(message)


class ContentRedaction(logging.Filter):
    """Blanks the content fields of Rasa's structured (JSON) log lines: the event name and
    everything else stay. Installed on the root logger's handlers, so it sees every line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            return True  # --debug: the developer asked for everything
        message = record.msg
        if isinstance(message, str) and message.startswith("{") and '"event"' in message:
            try:
                event = json.loads(message)
            except ValueError:
                return True
            if isinstance(event, dict) and CONTENT_KEYS & event.keys():
                record.msg = json.dumps(
                    {k: REDACTED if k in CONTENT_KEYS else v for k, v in event.items()}
                )
                record.args = ()
        return True


_REDACTION = ContentRedaction()


def install_log_redaction() -> None:
    """Keep message texts out of the Rasa server's log (idempotent). Rasa has configured its
    logging before it loads the channels, so the filter goes onto the handlers it made."""
    for handler in logging.getLogger().handlers:
        if _REDACTION not in handler.filters:
            handler.addFilter(_REDACTION)


def install_server_hardening(blueprint: Blueprint) -> None:
    """When the server starts: `GET /` (the health check) without Rasa's version, and
    the log redaction above."""

    @blueprint.listener("before_server_start")
    async def harden(app: Sanic, _loop: Any) -> None:
        install_log_redaction()
        if getattr(app.ctx, "hardened", False):
            return
        app.ctx.hardened = True

        async def no_version(request: Request, answer: HTTPResponse) -> HTTPResponse | None:
            if request.path == "/" and answer.status == 200:
                return response.text("Hello from Rasa")
            return None

        app.register_middleware(no_version, "response")

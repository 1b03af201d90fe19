"""The REST channel of the web widget and the Matrix bridge, hardened at the edge.

Rasa's own `RestInput` reads `request.json` without checks: an empty body or a JSON list
ends in HTTP 500 with a stack trace in the log. This subclass keeps the same URL
(`POST /webhooks/rest/webhook`) and the same answer (a JSON list of messages) but first
checks the request and answers what it cannot use with HTTP 400 and a short JSON error:

    {"error": "<what is wrong>"}

It also speaks when Rasa stays silent because the action server cannot be reached (Rasa
logs the failed action, drops its events and sends nothing): if a turn produced no message and
the action server's `/health` does not answer, the reply says that searching is not possible
right now. The next turn tries the action server again, so the bot recovers by itself.

credentials.yml: `channels.rest.RestInput:` instead of `rest:`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from index.language import detect

logger = logging.getLogger(__name__)

# Rasa warns with the whole message text when a message starting with "/" does not parse as an
# intent ("Failed to parse arguments in line '<text>'", shown once per text): at the default
# log level no message text is to reach the log. Rasa sets its warning filters before it
# loads the channels, so this filter comes first.
warnings.filterwarnings("ignore", message="Failed to parse arguments in line", category=UserWarning)

MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 10_000  # the actions answer "too long" above 1,000 characters themselves
MAX_SENDER_CHARS = 255  # the tracker store's sender_id column

UNAVAILABLE = {
    "de": "Entschuldigung, ich kann gerade nicht in den Unterlagen suchen. Bitte versuchen "
    "Sie es in ein paar Minuten noch einmal.",
    "en": "Sorry, I can't search the documents right now. Please try again in a few minutes.",
}


class BadRequest(ValueError):
    """The request cannot be used; the message is what the client is told."""


@dataclass(frozen=True)
class Incoming:
    sender: str
    message: str
    metadata: dict[str, Any] | None


def parse(body: bytes) -> Incoming:
    """The checked content of one webhook request, or BadRequest saying what is wrong."""
    if not body.strip():
        raise BadRequest("empty body: send a JSON object with sender and message")
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object with sender and message")
    sender, message, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest("sender must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"sender longer than {MAX_SENDER_CHARS} characters")
    if not isinstance(message, str):
        raise BadRequest("message must be a string")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"message longer than {MAX_MESSAGE_CHARS} characters")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("metadata must be a JSON object")
    return Incoming(sender, message, metadata)


def bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


async def action_server_up(request: Request) -> bool:
    """True when the action endpoint (or the balancer in front of it) answers /health."""
    agent = getattr(request.app.ctx, "agent", None)
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not endpoint.url:
        return True  # no action server configured: silence has another cause
    health = endpoint.url.rsplit("/webhook", 1)[0] + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(health) as answer:
            return answer.status == 200
    except (aiohttp.ClientError, TimeoutError, OSError):
        return False


async def last_language(request: Request, sender: str) -> str | None:
    agent = getattr(request.app.ctx, "agent", None)
    try:
        tracker = await agent.tracker_store.retrieve(sender)  # type: ignore[union-attr]
    except Exception:  # the store may be the very thing that is down
        return None
    return tracker.get_slot("language") if tracker is not None else None


class RestInput(RasaRestInput):
    """Rasa's REST channel (name `rest`, same URL) with request checks; see the module."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("project_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                incoming = parse(request.body or b"")
            except BadRequest as reason:
                return bad_request(str(reason))
            collector = CollectingOutputChannel()
            message = UserMessage(
                incoming.message,
                collector,
                incoming.sender,
                input_channel=self.name(),
                metadata=incoming.metadata,
            )
            try:
                await on_new_message(message)
            except asyncio.CancelledError:
                logger.error("REST message handling timed out")
            except Exception:  # Rasa's RestInput does the same: log, answer what was said
                logger.exception("REST message handling failed")
            if not collector.messages and not await action_server_up(request):
                language = detect(incoming.message, await last_language(request, incoming.sender))
                text = UNAVAILABLE["en" if language == "en" else "de"]
                collector.messages.append({"recipient_id": incoming.sender, "text": text})
            return response.json(collector.messages)

        return webhook

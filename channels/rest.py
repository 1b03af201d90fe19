"""The REST channel of the web widget, and the Matrix bridge's channel, hardened at the edge.

Rasa's own `RestInput` reads `request.json` without checks: an empty body or a JSON list
ends in HTTP 500 with a stack trace in the log. This subclass keeps the same URL
(`POST /webhooks/rest/webhook`) and the same answer (a JSON list of messages) but first
checks the request against the bounds every channel applies (`channels.bounds`) and answers
what it cannot use with HTTP 400 and a short JSON error:

    {"error": "<what is wrong>"}

Request: `{"sender": <UUID>, "message": <text>, "message_id": <UUID, optional>,
"metadata": <object, optional, not kept>}`. The conversation is stored as `rest:<sender>`
(`channels.gate`); a sender that is not UUID-shaped is refused, so a client reaches only a
conversation whose random id it made itself. A message over 1,000 characters gets a polite
"please ask a shorter question" and is not processed.

**Retried turns.** With a `message_id`, a request that the balancer retries on another Rasa
server after the first one died between storing the turn and answering is answered from the
stored reply (`service.sqlstore.SQLTrackerStore.answered`) instead of being processed twice.
Requests with the same message id run one after the other (`one_at_a_time`), so a repeat
sent while the first is still running waits for it and gets its stored answer.

It also speaks when Rasa stays silent because the action server cannot be reached (Rasa
logs the failed action, drops its events and sends nothing): if a turn produced no message and
the action server's `/health` does not answer, the reply says that searching is not possible
right now. The next turn tries the action server again, so the bot recovers by itself.

`MatrixInput` (`POST /webhooks/matrix/webhook`) is the same channel for the Matrix bridge:
it needs the bridge's token (`Authorization: Bearer …`, MATRIX_BRIDGE_TOKEN or
run/matrix-bridge.token) and stores conversations as `matrix:<pseudonym>`.

credentials.yml: `channels.rest.RestInput:` instead of `rest:`, and `channels.rest.MatrixInput:`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.bounds import (
    Refused,
    channel_id,
    json_object,
    metadata,
    namespaced,
    random_id,
    text_field,
)
from channels.gate import Gate, install_server_hardening
from channels.tokens import bridge_token
from index.language import detect

logger = logging.getLogger(__name__)

REPEAT_POLL = 0.05  # seconds between a repeated request's looks at the first one's lock
UNAVAILABLE = {
    "de": "Entschuldigung, ich kann gerade nicht in den Unterlagen suchen. Bitte versuchen "
    "Sie es in ein paar Minuten noch einmal.",
    "en": "Sorry, I can't search the documents right now. Please try again in a few minutes.",
}


@dataclass(frozen=True)
class Incoming:
    sender: str  # the client's own id, not namespaced
    message: str
    message_id: str | None


def parse(body: bytes, sender_rule: Callable[[object, str], str] = random_id) -> Incoming:
    """The checked content of one webhook request, or Refused saying what is wrong."""
    data = json_object(body)
    sender = sender_rule(data.get("sender"), "sender")
    message = text_field(data.get("message"))
    message_id = data.get("message_id")
    if message_id is not None:
        message_id = random_id(message_id, "message_id")
    metadata(data.get("metadata"))  # checked; no channel here keeps any
    return Incoming(sender, message, message_id)


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


def tracker_store(request: Request) -> Any:
    """The project's SQL tracker store behind Rasa's wrappers (fail-safe, awaitable)."""
    store = getattr(getattr(request.app.ctx, "agent", None), "tracker_store", None)
    while store is not None and not hasattr(store, "answered"):
        store = getattr(store, "_tracker_store", None)
    return store


async def stored_answer(request: Request, sender: str, message_id: str) -> list[dict] | None:
    """The stored answer of a turn that was already processed (a retried request)."""
    store = tracker_store(request)
    if store is None:
        return None
    try:
        answered = await asyncio.to_thread(store.answered, sender, message_id)
    except Exception:  # the store may be down: process the turn as Rasa would
        logger.warning("could not look up an answered turn; processing it")
        return None
    if answered is None:
        return None
    collector = CollectingOutputChannel()
    for message in answered:
        await collector.send_response(sender, message)
    return collector.messages


@contextlib.asynccontextmanager
async def one_at_a_time(
    request: Request, sender: str, message_id: str | None
) -> AsyncIterator[None]:
    """Requests that carry the same message id run one after the other, on every server of a
    cluster (the lock store's lock on `<conversation>#<message id>`), so a repeat finds the
    first one's stored answer instead of processing the turn twice; a server that died
    holding it lets go after the lock store's expiry. Without a message id: nothing to wait for."""
    lock_store = getattr(getattr(request.app.ctx, "agent", None), "lock_store", None)
    if message_id is None or lock_store is None:
        yield None
        return
    async with lock_store.lock(f"{sender}#{message_id}", wait_time_in_seconds=REPEAT_POLL):
        yield None


class RestInput(RasaRestInput):
    """Rasa's REST channel (name `rest`, same URL) with request checks; see the module."""

    route_name: ClassVar[str] = "project_rest_webhook"

    @classmethod
    def name(cls) -> str:
        return "rest"

    def sender_rule(self, value: object, field: str) -> str:
        """The client's id: a random UUID made by the client (the widget makes one)."""
        return random_id(value, field)

    def authorised(self, request: Request) -> bool:
        return True

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(self.route_name, __name__)
        install_server_hardening(webhook)
        gate = Gate(self.name(), on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "not authorised"}, status=401)
            try:
                incoming = parse(request.body or b"", self.sender_rule)
            except Refused as reason:
                return bad_request(str(reason))
            sender = namespaced(self.name(), incoming.sender)
            collector = CollectingOutputChannel()
            message = UserMessage(
                incoming.message,
                collector,
                incoming.sender,
                input_channel=self.name(),
                message_id=incoming.message_id,
            )
            async with one_at_a_time(request, sender, incoming.message_id):
                replayed = None
                if incoming.message_id is not None:
                    replayed = await stored_answer(request, sender, incoming.message_id)
                if replayed is not None:
                    collector.messages = replayed
                else:
                    try:
                        await gate(message)
                    except asyncio.CancelledError:
                        logger.error("REST message handling timed out")
                    except Exception:  # as Rasa's RestInput: log (no content), answer it
                        logger.exception("REST message handling failed")
            if not collector.messages and not await action_server_up(request):
                language = detect(incoming.message, await last_language(request, sender))
                text = UNAVAILABLE["en" if language == "en" else "de"]
                collector.messages.append({"text": text})
            # the client's own id, as it sent it (Rasa would answer with the stored id)
            answer = [{**m, "recipient_id": incoming.sender} for m in collector.messages]
            return response.json(answer)

        return webhook


class MatrixInput(RestInput):
    """The Matrix bridge's channel (`/webhooks/matrix/webhook`): the REST channel's checks, a
    bearer token, and the bridge's pseudonyms as ids (stored as `matrix:<pseudonym>`)."""

    route_name: ClassVar[str] = "project_matrix_webhook"

    @classmethod
    def name(cls) -> str:
        return "matrix"

    def __init__(self) -> None:
        super().__init__()
        self.token = bridge_token()

    def sender_rule(self, value: object, field: str) -> str:
        return channel_id(value, field)

    def authorised(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode())

"""Rasa's socket.io channel for the standard Rasa web clients (rasa-webchat and others).

Referenced in credentials.yml as `channels.socketio.SocketIOInput`; it keeps the channel name
"socketio" and the path `/socket.io/`, so a client configured for Rasa's own channel works
unchanged. What this adds to rasa.core.channels.socketio (Rasa 3.6.21):

- With `session_persistence: true`, Rasa 3.6 calls `sio.enter_room(sid, session_id)` without
  `await`. Since python-socketio 5.10 (installed: 5.18.1) `AsyncServer.enter_room` is a
  coroutine, so the socket never joins the session's room and every bot message, emitted to
  that room, is lost: the client waits forever (RasaHQ/rasa#13027, fixed upstream in
  PR #13148 for Rasa 3.8). The `session_request` handler here awaits it.
- WebSocket upgrades are switched off: the client stays on Engine.IO's HTTP long-polling.
  Sanic 21.12 (Rasa 3.6's web server) calls `asyncio.wait()` with bare coroutines in its
  websocket `recv`, which Python 3.11 forbids (TypeError); the upgrade breaks half-way and the
  client hangs in "upgrading" (only no-op packets arrive, never the connect acknowledgement).
- Replies are the project's one markup (channels/markdown.py) with bare e-mail addresses and
  phone numbers turned into `mailto:`/`tel:` links; the web clients render Markdown.
- The bounds of every channel (`channels.bounds`, `channels.gate`): Engine.IO reads at most
  64 kB per request (its default is 1 MB: one 900,000-character message held DIET for ten
  minutes), every event's fields are checked (a malformed event gets a short polite answer,
  never a stack trace in the log), a message over 1,000 characters is answered with "please
  ask a shorter question" and not processed, metadata is not kept.
- Conversations belong to their client: a session id must be a random UUID (anything else
  gets a fresh one), a socket speaks only in the session it asked for, and the conversation
  is stored as `socketio:<session id>` (its replies go to that room only).
- Origins: a socket whose browser origin is not in CORS_ORIGINS (space separated; the stack
  sets it, and passes the same list to `rasa run --cors`) is refused at its socket.io
  connect; Rasa's channel accepted every origin. (Engine.IO's own CORS handling stays off:
  Rasa's CORS layer already answers with the allowed origin, and two such headers make the
  browser refuse the answer.)
- The widget's timeline (custom payload {"timeline": …}) is not sent: rasa-webchat cannot show
  it, and the answer's text states the same facts.
- A button whose payload is a `mailto:` address (the hand-over "Write to …") is sent as a
  link quick reply (`type: web_url`), which rasa-webchat opens instead of sending the address
  back to the bot as a message.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.bounds import MAX_READ_BYTES, Refused, namespaced, random_id, text_field
from channels.gate import Gate, install_server_hardening
from channels.markdown import is_link_payload, linkify

logger = logging.getLogger(__name__)

MALFORMED = {
    "de": "Diese Nachricht konnte ich nicht lesen. Bitte schreiben Sie Ihre Frage noch einmal.",
    "en": "I couldn't read that message. Please type your question again.",
}


class NoTracebacks(logging.Filter):
    """Engine.IO and python-socketio log a whole traceback for every packet they cannot
    decode (1.5–5.7 kB each, from any client): one line without the packet instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            record.msg = "socket.io: a malformed packet was dropped (%s)"
            record.args = (type(error).__name__,)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


for _name in ("engineio.server", "socketio.server"):
    logging.getLogger(_name).addFilter(NoTracebacks())


def allowed_origins() -> list[str] | None:
    """CORS_ORIGINS (space separated); None when unset (then Rasa's `--cors` is unset too and
    browsers refuse every other origin's answers)."""
    return os.environ.get("CORS_ORIGINS", "").split() or None


def origin_allowed(environ: dict[str, Any]) -> bool:
    """A request without an Origin header (not a browser's cross-origin request) passes."""
    origin, allowed = environ.get("HTTP_ORIGIN"), allowed_origins()
    return not origin or allowed is None or origin in allowed


def checked_message(data: object, session: str | None) -> str:
    """The text of a `user_uttered` event from a socket whose session is `session`."""
    if session is None:
        raise Refused("send session_request first")
    if not isinstance(data, dict):
        raise Refused("the event must be an object")
    claimed = data.get("session_id")
    if claimed is not None and claimed != session:
        raise Refused("session_id is not this socket's session")
    return text_field(data.get("message"))


def quick_reply(button: dict[str, Any]) -> dict[str, Any]:
    """A Rasa button as a socket.io quick reply; link payloads (mailto:, http…) as links."""
    title = str(button.get("title") or button.get("payload") or "")
    target = str(button.get("url") or button.get("payload") or "")
    if is_link_payload(target):
        return {"type": "web_url", "content_type": "text", "title": title, "url": target}
    return {"content_type": "text", "title": title, "payload": str(button.get("payload", ""))}


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    """Rasa's socket.io output with linked contacts and link buttons."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, linkify(text), **kwargs)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        parts = linkify(text).strip().split("\n\n") or [text]
        messages: list[dict[str, Any]] = [{"text": part} for part in parts]
        messages[-1]["quick_replies"] = [quick_reply(b) for b in buttons if isinstance(b, dict)]
        for message in messages:
            await self._send_message(recipient_id, message)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """The widget's timeline picture is left out (its facts are in the answer's text);
        Rasa's emit(**payload) would fail on it. Other custom payloads as in Rasa."""
        if "timeline" in json_message:
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """Rasa's socket.io input channel with the changes listed in the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> SocketIOOutput | None:
        if self.sio is None:
            return super().get_output_channel()  # Rasa's warning, None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],  # Rasa's CORS layer sends the headers: see the module
            max_http_buffer_size=MAX_READ_BYTES,
            allow_upgrades=False,  # no websocket: see the module docstring
        )
        self.sio = sio
        blueprint = rasa_socketio.SocketBlueprint(
            sio, self.socketio_path, "socketio_webhook", __name__
        )
        install_server_hardening(blueprint)
        gate = Gate(self.name(), on_new_message)
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], *_: Any) -> bool:
            if origin_allowed(environ):
                return True
            logger.warning("socket.io: a connection from another origin refused")
            return False

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            """A session id the client made (or was given) is kept if it is a random UUID;
            anything else, or none, gets a fresh one."""
            asked = data.get("session_id") if isinstance(data, dict) else None
            try:
                session = random_id(asked, "session_id")
            except Refused:
                session = uuid.uuid4().hex
            if not self.session_persistence:
                session = uuid.uuid4().hex  # one conversation per socket
            await sio.save_session(sid, {"session": session}, namespace=namespace)
            await sio.enter_room(sid, namespaced(self.name(), session), namespace=namespace)
            await sio.emit("session_confirm", session, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            try:
                stored = await sio.get_session(sid, namespace=namespace)
                text = checked_message(data, stored.get("session"))
            except (Refused, KeyError):
                language = "en" if isinstance(data, dict) and data.get("lang") == "en" else "de"
                await sio.emit(
                    self.bot_message_evt,
                    {"text": MALFORMED[language]},
                    room=sid,
                    namespace=namespace,
                )
                return
            message = UserMessage(
                text,
                self.get_output_channel(),
                stored["session"],
                input_channel=self.name(),
            )
            try:
                await gate(message)
            except Exception:  # as Rasa's REST channel: log (no content), keep serving
                logger.exception("socket.io message handling failed")

        return blueprint

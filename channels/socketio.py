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
- The widget's timeline (custom payload {"timeline": …}) is not sent: rasa-webchat cannot show
  it, and the answer's text states the same facts.
- A button whose payload is a `mailto:` address (the hand-over "Write to …") is sent as a
  link quick reply (`type: web_url`), which rasa-webchat opens instead of sending the address
  back to the bot as a message.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from channels.markdown import is_link_payload, linkify


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
    """Rasa's socket.io input channel with the fixes listed in the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> SocketIOOutput | None:
        if self.sio is None:
            return super().get_output_channel()  # Rasa's warning, None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> Any:
            message.output_channel = self.get_output_channel()
            return await on_new_message(message)

        blueprint = super().blueprint(handle)
        sio = self.sio
        assert sio is not None  # set by Rasa's blueprint()
        sio.eio.allow_upgrades = False  # no websocket: see the module docstring
        namespace = self.namespace

        # Replaces Rasa's handler of the same event (python-socketio keeps one per event).
        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=namespace)
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=namespace)

        return blueprint

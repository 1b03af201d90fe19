"""A minimal Engine.IO 4 / socket.io 5 client over HTTP long-polling, for the abuse tests.

rasa-webchat speaks the same protocol (the project's socket.io channel allows no websocket
upgrade). Written out here rather than python-socketio's client because the tests send what
no well-behaved client would: oversized packets, broken JSON, events of the wrong shape.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

SEPARATOR = "\x1e"  # Engine.IO 4 packet separator in a polling payload


@dataclass
class Polling:
    """One socket.io connection to `base` (the Rasa server's URL)."""

    base: str
    sid: str = ""
    events: list[tuple[str, list[Any]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        query = "EIO=4&transport=polling" + (f"&sid={self.sid}" if self.sid else "")
        return f"{self.base}/socket.io/?{query}"

    def _request(self, data: bytes | None = None, timeout: float = 30.0) -> tuple[int, str]:
        headers = {"Content-Type": "text/plain;charset=UTF-8"} if data is not None else {}
        request = urllib.request.Request(self.url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def connect(self) -> Polling:
        status, body = self._request()
        assert status == 200 and body.startswith("0"), (status, body[:200])
        self.sid = json.loads(body[1:])["sid"]
        assert self.post("40") == 200
        return self

    def post(self, packet: str | bytes, timeout: float = 30.0) -> int:
        """POST one raw packet; the HTTP status."""
        data = packet.encode() if isinstance(packet, str) else packet
        return self._request(data, timeout)[0]

    def emit(self, event: str, *args: Any) -> int:
        return self.post("42" + json.dumps([event, *args]))

    def poll(self, timeout: float = 30.0) -> None:
        """One long-poll GET: collects the events the server sent, answers its pings."""
        status, body = self._request(timeout=timeout)
        assert status == 200, (status, body[:200])
        for packet in body.split(SEPARATOR):
            if packet == "2":  # ping
                self.post("3")
            elif packet.startswith("42"):
                name, *args = json.loads(packet[2:])
                self.events.append((name, args))

    def wait_for(self, name: str, count: int = 1, timeout: float = 30.0) -> list[list[Any]]:
        """The arguments of the first `count` events `name` not yet taken; AssertionError
        after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = [args for event, args in self.events if event == name]
            if len(found) >= count:
                taken = found[:count]
                for args in taken:
                    self.events.remove((name, args))
                return taken
            left = deadline - time.monotonic()
            assert left > 0, f"no {name!r} within {timeout} s (got {self.events[:5]!r})"
            self.poll(timeout=max(left, 1.0) + 30)

    def session(self, session_id: str | None = None) -> str:
        """session_request → the confirmed session id."""
        assert self.emit("session_request", {"session_id": session_id}) == 200
        return self.wait_for("session_confirm")[0][0]

    def say(self, session_id: str, text: str, timeout: float = 30.0) -> list[str]:
        """Send a message, return the texts of the bot's first answer bubble(s) that arrive
        within a short pause after the first one."""
        assert self.emit("user_uttered", {"message": text, "session_id": session_id}) == 200
        first = self.wait_for("bot_uttered", timeout=timeout)[0][0]
        texts = [str(first.get("text", ""))]
        while True:  # the rest of the turn's bubbles, if any, arrive together
            pending = [args for event, args in self.events if event == "bot_uttered"]
            if not pending:
                break
            texts += [str(args[0].get("text", "")) for args in pending]
            self.events = [(e, a) for e, a in self.events if e != "bot_uttered"]
        return texts

    def close(self) -> None:
        if self.sid:
            self.post("41")

"""Matrix bridge: a Matrix bot user that forwards room messages to Rasa's REST channel.

Run it in the second environment (matrix-nio needs a newer aiohttp than Rasa):

    MATRIX_HOMESERVER=https://matrix.example.org MATRIX_USER=@assistent:example.org \\
    MATRIX_PASSWORD=… RASA_REST_URL=http://localhost:5005/webhooks/rest/webhook \\
    .venv-channels/bin/python -m channels.matrix_bridge

Environment:

| variable | meaning |
| --- | --- |
| MATRIX_HOMESERVER | base URL of the homeserver (client API) |
| MATRIX_USER | the bot's Matrix ID (@assistent:example.org) or its local part |
| MATRIX_PASSWORD | its password, or instead |
| MATRIX_ACCESS_TOKEN | an access token of the bot user (then MATRIX_PASSWORD is not used) |
| MATRIX_DEVICE_ID | optional: reuse this device at password login instead of a new one |
| MATRIX_DISPLAY_NAME | optional: display name set at start |
| RASA_REST_URL | the Rasa server's Matrix channel, default …:5005/webhooks/matrix/webhook |
| MATRIX_BRIDGE_TOKEN | that channel's token; default run/matrix-bridge.token (the Rasa server's) |
| RASA_TIMEOUT | seconds to wait for Rasa's answer, default 60 |
| MATRIX_BRIDGE_LOG_LEVEL | DEBUG, INFO (default), WARNING |

Behaviour:

- joins every room it is invited to (also invitations that arrived while it was stopped);
- ignores its own messages and every message older than its start;
- sends each text message to the Rasa server's Matrix channel (channels.rest.MatrixInput,
  with the bridge's token) as sender `<keyed hash of room id and user id>` (key
  MATRIX_SENDER_KEY or run/matrix-sender.key), stored by Rasa as `matrix:<hash>`, so every
  person in every room has a conversation of their own that no other channel can reach,
  and posts the answers into the room as
  `m.text` with a plain `body` and an HTML `formatted_body` (channels.markdown: Markdown is
  rendered, everything else escaped);
- buttons are shown as a numbered list; a reply with a number or a button title sends that
  button's payload (the last buttons of each room are kept);
- if Rasa cannot be reached it says so politely in German (and English) and keeps running;
- network errors towards the homeserver are retried with back-off (reconnect);
- SIGTERM or SIGINT stop it cleanly (exit code 0): answers in progress are finished for a few
  seconds, a password login is logged out again, the connections are closed;
- message texts are only logged at DEBUG level (they may contain personal data).

End-to-end encryption is not supported (matrix-nio without libolm): rooms with the bot must be
unencrypted. In an encrypted room it says so once instead of staying silent.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinError,
    LoginResponse,
    MegolmEvent,
    RoomMemberEvent,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)

from channels.markdown import is_link_payload, to_html, to_plain
from channels.tokens import kept_secret, pseudonym

logger = logging.getLogger("channels.matrix_bridge")

DEFAULT_REST_URL = "http://localhost:5005/webhooks/matrix/webhook"
DEVICE_NAME = "Modellregionen-Assistent (Rasa-Bridge)"
SYNC_TIMEOUT_MS = 30_000
MAX_BACKOFF = 30.0
SHUTDOWN_GRACE = 5.0
FIRST_SYNC_FILTER = {"room": {"timeline": {"limit": 1}}, "presence": {"not_types": ["*"]}}

UNAVAILABLE = (
    "Entschuldigung, der Assistent ist gerade nicht erreichbar. Bitte versuchen Sie es in "
    "ein paar Minuten noch einmal.\n\n"
    "_Sorry, the assistant is not available right now. Please try again in a few minutes._"
)
ENCRYPTED = (
    "Ich kann verschlüsselte Nachrichten leider nicht lesen. Bitte schreiben Sie mir in einem "
    "Raum ohne Ende-zu-Ende-Verschlüsselung.\n\n"
    "_I can't read encrypted messages. Please write to me in a room without end-to-end "
    "encryption._"
)
BUTTON_HINT = "Antworten Sie mit der Nummer einer Option (z. B. „1“)."


class ConfigError(ValueError):
    """A required setting is missing or wrong; the message says which one."""


@dataclass(frozen=True)
class Config:
    homeserver: str
    user: str
    password: str | None
    access_token: str | None
    rest_url: str
    device_id: str | None = None
    display_name: str | None = None
    rasa_timeout: float = 60.0
    sender_key: bytes = b""  # keyed hash of room and user in Rasa's sender id
    bridge_token: str = ""  # Authorization: Bearer … for the Rasa server's Matrix channel

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        missing = [name for name in ("MATRIX_HOMESERVER", "MATRIX_USER") if not env.get(name)]
        if not env.get("MATRIX_PASSWORD") and not env.get("MATRIX_ACCESS_TOKEN"):
            missing.append("MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN")
        if missing:
            raise ConfigError(f"missing environment variables: {', '.join(missing)}")
        try:
            timeout = float(env.get("RASA_TIMEOUT") or 60)
        except ValueError as error:
            raise ConfigError(f"RASA_TIMEOUT is not a number: {env['RASA_TIMEOUT']!r}") from error
        return cls(
            homeserver=env["MATRIX_HOMESERVER"].rstrip("/"),
            user=env["MATRIX_USER"],
            password=env.get("MATRIX_PASSWORD") or None,
            access_token=env.get("MATRIX_ACCESS_TOKEN") or None,
            rest_url=env.get("RASA_REST_URL") or DEFAULT_REST_URL,
            device_id=env.get("MATRIX_DEVICE_ID") or None,
            display_name=env.get("MATRIX_DISPLAY_NAME") or None,
            rasa_timeout=timeout,
            sender_key=sender_key(env),
            bridge_token=kept_secret("MATRIX_BRIDGE_TOKEN", "matrix-bridge.token", env),
        )


def sender_key(env: dict[str, str]) -> bytes:
    """MATRIX_SENDER_KEY, else a random key kept in run/matrix-sender.key (owner-only), so
    the pseudonyms stay the same across restarts of the bridge."""
    return kept_secret("MATRIX_SENDER_KEY", "matrix-sender.key", env).encode()


# --- rendering the bot's answers and reading button replies ---------------------------------


def sender_id(room_id: str, user_id: str, key: bytes) -> str:
    """The conversation id of one person in one room: a pseudonym (keyed SHA-256), so the
    tracker store holds no Matrix user id (Rasa stores it as `matrix:<pseudonym>`)."""
    return pseudonym(key, room_id, user_id)


def message_content(text: str, buttons: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An m.room.message (m.text) with a plain body and an HTML formatted_body. Reply buttons
    become a numbered list to answer with; link buttons (the hand-over's mailto:) links."""
    body = to_plain(text) if text else ""
    formatted = to_html(text) if text else ""
    links = [b for b in buttons or [] if is_link_payload(button_target(b))]
    choices = [b for b in buttons or [] if b not in links]
    for button in links:
        label = str(button.get("title") or "")
        markup = f"[{label}]({button_target(button)})"
        body = f"{body}\n\n{to_plain(markup)}".strip()
        formatted += to_html(markup)
    if choices:
        titles = [str(b.get("title") or b.get("payload") or "") for b in choices]
        listing = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
        body = f"{body}\n\n{listing}\n{BUTTON_HINT}".strip()
        items = "".join(f"<li>{html.escape(title)}</li>" for title in titles)
        formatted += f"<ol>{items}</ol><p><em>{html.escape(BUTTON_HINT)}</em></p>"
    return {
        "msgtype": "m.text",
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": formatted,
    }


def button_target(button: dict[str, Any]) -> str:
    return str(button.get("url") or button.get("payload") or "")


def render(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rasa's REST answer → (Matrix contents to post, the reply buttons of the answer)."""
    contents: list[dict[str, Any]] = []
    last_buttons: list[dict[str, Any]] = []
    for message in messages:
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
        text = str(message.get("text") or "")
        custom = message.get("custom")
        if not text and isinstance(custom, dict) and isinstance(custom.get("text"), str):
            text = custom["text"]
        if text or buttons:
            contents.append(message_content(text, buttons))
        if message.get("image"):
            contents.append(message_content(f"[Bild]({message['image']})"))
        choices = [b for b in buttons if not is_link_payload(button_target(b))]
        if choices:
            last_buttons = choices
    return contents, last_buttons


_NUMBER_RE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def normalise_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(".!?").casefold()


def choose_button(text: str, buttons: list[dict[str, Any]]) -> str | None:
    """The payload of the button a reply stands for ("2", "2.", or a title), else None."""
    if not buttons:
        return None
    number = _NUMBER_RE.match(text)
    if number:
        index = int(number.group(1))
        if 1 <= index <= len(buttons):
            return str(buttons[index - 1].get("payload") or buttons[index - 1].get("title"))
        return None
    wanted = normalise_title(text)
    for button in buttons:
        if wanted and normalise_title(str(button.get("title", ""))) == wanted:
            return str(button.get("payload") or button.get("title"))
    return None


def strip_reply_fallback(body: str) -> str:
    """Remove the quoted "> <@user> …" lines a client puts in front of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


# --- the bridge -----------------------------------------------------------------------------


class HomeserverError(RuntimeError):
    """The homeserver answered with an error that may go away (rate limit, 5xx …)."""


# Error codes that no retry can fix: wrong credentials or a deactivated account.
FATAL_CODES = {"M_FORBIDDEN", "M_UNKNOWN_TOKEN", "M_USER_DEACTIVATED", "M_INVALID_USERNAME"}


def _raise_for(response: Any, what: str) -> None:
    if getattr(response, "status_code", None) in FATAL_CODES:
        raise ConfigError(f"{what}: {response}")
    raise HomeserverError(f"{what}: {response}")


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, timeout or an error status)."""


@dataclass
class Bridge:
    config: Config
    client: AsyncClient = field(init=False)
    started_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    buttons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _http: aiohttp.ClientSession | None = None
    _room_locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _joining: set[str] = field(default_factory=set)
    _warned_encrypted: set[str] = field(default_factory=set)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _logged_in_with_password: bool = False

    def __post_init__(self) -> None:
        self.client = AsyncClient(
            self.config.homeserver,
            self.config.user,
            device_id=self.config.device_id,
            config=AsyncClientConfig(
                max_timeout_retry_wait_time=MAX_BACKOFF,
                request_timeout=SYNC_TIMEOUT_MS / 1000 + 30,
            ),
        )

    # -- lifecycle --------------------------------------------------------------------------
    def stop(self) -> None:
        if not self._stop.is_set():
            logger.info("Stopping the Matrix bridge …")
        self._stop.set()

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.config.rasa_timeout)
        self._http = aiohttp.ClientSession(timeout=timeout)
        try:
            if not await self._until_stopped(self._login()):
                return
            await self._sync_loop()
        finally:
            await self._shutdown()

    async def _until_stopped(self, coroutine: Any) -> bool:
        """Run `coroutine` unless stop() comes first; True if it finished."""
        task = asyncio.ensure_future(coroutine)
        stopper = asyncio.ensure_future(self._stop.wait())
        done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            stopper.cancel()
            task.result()
            return True
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return False

    async def _login(self) -> None:
        delay = 1.0
        while not self._stop.is_set():
            try:
                await self._login_once()
                logger.info(
                    "Logged in as %s (device %s) on %s; answers from %s",
                    self.client.user_id,
                    self.client.device_id,
                    self.config.homeserver,
                    self.config.rest_url,
                )
                if self.config.display_name:
                    await self.client.set_displayname(self.config.display_name)
                return
            except ConfigError:
                raise
            except (TimeoutError, aiohttp.ClientError, OSError, HomeserverError) as error:
                logger.warning("Login failed (%s); retrying in %.0f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)

    async def _login_once(self) -> None:
        if self.config.access_token:
            self.client.access_token = self.config.access_token
            whoami = await self.client.whoami()
            if not isinstance(whoami, WhoamiResponse):
                _raise_for(whoami, "MATRIX_ACCESS_TOKEN was refused")
            self.client.restore_login(
                whoami.user_id,
                whoami.device_id or self.config.device_id or "",
                self.config.access_token,
            )
            return
        response = await self.client.login(self.config.password, device_name=DEVICE_NAME)
        if not isinstance(response, LoginResponse):
            _raise_for(response, f"login as {self.config.user} failed")
        self._logged_in_with_password = True

    async def _sync_loop(self) -> None:
        first = True
        delay = 1.0
        while not self._stop.is_set():
            try:
                finished = await self._until_stopped(self._sync_once(first))
            except ConfigError:
                raise
            except Exception as error:  # network or homeserver trouble: reconnect
                logger.warning("Sync failed (%s); retrying in %.0f s", error, delay)
                await self._sleep_or_stop(delay)
                delay = min(delay * 2, MAX_BACKOFF)
                continue
            if not finished:
                return
            if first:
                logger.info("Matrix bridge ready: waiting for invitations and messages")
            first = False
            delay = 1.0

    async def _sync_once(self, first: bool) -> None:
        response = await self.client.sync(
            timeout=0 if first else SYNC_TIMEOUT_MS,
            full_state=first or None,
            # The first sync only learns the rooms: their history is not answered anyway.
            sync_filter=FIRST_SYNC_FILTER if first else None,
        )
        if not isinstance(response, SyncResponse):
            if getattr(response, "status_code", "") == "M_UNKNOWN_TOKEN":
                if self.config.access_token:
                    raise ConfigError(f"MATRIX_ACCESS_TOKEN is no longer valid: {response}")
                logger.warning("Logged out by the homeserver; logging in again")
                await self._login_once()
                return
            raise HomeserverError(f"sync error: {response}")
        for room_id in response.rooms.invite:
            self._spawn(self._join(room_id))
        if first:  # history from before the start: not answered
            return
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                self._dispatch(room_id, event)

    async def _sleep_or_stop(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    async def _shutdown(self) -> None:
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=SHUTDOWN_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._logged_in_with_password:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.logout(), timeout=5)
        await self.client.close()
        if self._http is not None:
            await self._http.close()
        logger.info("Matrix bridge stopped")

    # -- events ------------------------------------------------------------------------------
    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_log_task_error)

    def _dispatch(self, room_id: str, event: Any) -> None:
        if getattr(event, "sender", None) == self.client.user_id:
            return
        if getattr(event, "server_timestamp", 0) < self.started_ms:
            return
        if isinstance(event, RoomMessageText):
            content = event.source.get("content", {})
            relation = content.get("m.relates_to") or {}
            if relation.get("rel_type") == "m.replace" or "m.new_content" in content:
                return  # an edit of an earlier message
            self._spawn(self._answer(room_id, event.sender, event.event_id, event.body))
        elif isinstance(event, MegolmEvent) and room_id not in self._warned_encrypted:
            self._warned_encrypted.add(room_id)
            logger.warning("Encrypted message in %s: end-to-end encryption is unsupported", room_id)
            self._spawn(self._post(room_id, [message_content(ENCRYPTED)]))
        elif isinstance(event, RoomMemberEvent) and event.membership in ("leave", "ban"):
            self._spawn(self._leave_if_alone(room_id))

    async def _join(self, room_id: str) -> None:
        if room_id in self._joining:
            return
        self._joining.add(room_id)
        try:
            for attempt in range(5):
                response = await self.client.join(room_id)
                if not isinstance(response, JoinError):
                    logger.info("Joined %s", room_id)
                    return
                logger.warning("Could not join %s: %s (attempt %d)", room_id, response, attempt + 1)
                await self._sleep_or_stop(2**attempt)
        finally:
            self._joining.discard(room_id)

    async def _leave_if_alone(self, room_id: str) -> None:
        room = self.client.rooms.get(room_id)
        if room is not None and room.joined_count <= 1:
            logger.info("Everyone left %s; leaving it too", room_id)
            self.buttons.pop(room_id, None)
            await self.client.room_leave(room_id)
            await self.client.room_forget(room_id)

    async def _answer(self, room_id: str, user_id: str, event_id: str, body: str) -> None:
        lock = self._room_locks.setdefault(room_id, asyncio.Lock())
        async with lock:  # one answer after the other in each room
            text = strip_reply_fallback(body).strip()
            if not text:
                return
            payload = choose_button(text, self.buttons.get(room_id, []))
            logger.debug("%s in %s: %r -> %r", user_id, room_id, text, payload or text)
            with contextlib.suppress(Exception):
                await self.client.room_read_markers(room_id, event_id, event_id)
            await self._typing(room_id, True)
            try:
                answer = await self.ask_rasa(
                    sender_id(room_id, user_id, self.config.sender_key), payload or text, room_id
                )
            except RasaUnavailable as error:
                logger.error("Rasa not available at %s: %s", self.config.rest_url, error)
                await self._typing(room_id, False)
                await self._post(room_id, [message_content(UNAVAILABLE)])
                return
            contents, buttons = render(answer)
            self.buttons[room_id] = buttons
            await self._typing(room_id, False)
            await self._post(room_id, contents)

    async def ask_rasa(self, sender: str, text: str, room_id: str) -> list[dict[str, Any]]:
        assert self._http is not None
        body = {"sender": sender, "message": text}
        headers = {"Authorization": f"Bearer {self.config.bridge_token}"}
        try:
            post = self._http.post(self.config.rest_url, json=body, headers=headers)
            async with post as response:
                if response.status != 200:
                    raise RasaUnavailable(f"HTTP {response.status}")
                answer = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            raise RasaUnavailable(str(error) or type(error).__name__) from error
        if not isinstance(answer, list):
            raise RasaUnavailable(f"unexpected answer {answer!r:.100}")
        return [m for m in answer if isinstance(m, dict)]

    async def _typing(self, room_id: str, typing: bool) -> None:
        with contextlib.suppress(Exception):
            await self.client.room_typing(
                room_id, typing, timeout=int(self.config.rasa_timeout * 1000)
            )

    async def _post(self, room_id: str, contents: list[dict[str, Any]]) -> None:
        for content in contents:
            response = await self.client.room_send(
                room_id, "m.room.message", content, ignore_unverified_devices=True
            )
            if not isinstance(response, RoomSendResponse):
                logger.error("Could not post into %s: %s", room_id, response)


def _log_task_error(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Error in the Matrix bridge", exc_info=task.exception())


async def main_async(config: Config) -> None:
    bridge = Bridge(config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, bridge.stop)
    await bridge.run()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("MATRIX_BRIDGE_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("nio", "nio.responses", "nio.rooms", "nio.client", "nio.events"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    try:
        config = Config.from_env()
    except ConfigError as error:
        print(f"matrix_bridge: {error} (see docs/messengers.md)", file=sys.stderr)
        return 2
    try:
        asyncio.run(main_async(config))
    except ConfigError as error:
        print(f"matrix_bridge: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

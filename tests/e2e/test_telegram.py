"""Telegram end to end: the real Rasa server with credentials.telegram.yml, the real action
server, and a local stand-in for Telegram's Bot API (Telegram itself is not reachable here).

The stand-in answers like the Bot API does, including its errors (unknown token, unknown chat,
callback_data over 64 bytes, HTML that Telegram cannot parse, a webhook that is not HTTPS), and
records every call. The test posts real update payloads to Rasa's webhook and reads what the
bot sent back to the stand-in.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from actions.texts import t
from channels.bounds import MAX_MESSAGE_CHARS
from service.stack import ROOT, Stack
from tests.support import ports_for, require_free_ports, require_index, require_model

pytestmark = pytest.mark.e2e

TOKEN = "7311402211:AAF-test-token-for-the-local-stand-in"
BOT_NAME = "modellregionen_test_bot"
WEBHOOK_URL = "https://bot.example.org/webhooks/telegram/webhook"
SECRET = "s3cret-from-the-test"
PORTS = ports_for(5205, 5255, 5285)
CHAT_ID = 480_015_123
OTHER_CHAT_ID = 480_015_999


# --- the Bot API stand-in --------------------------------------------------------------------

TELEGRAM_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "span", "tg-spoiler", "blockquote", "tg-emoji",
}  # fmt: skip


class _EntityParser(HTMLParser):
    """Checks text the way Telegram's parse_mode=HTML does: known tags, properly nested."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_HTML_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


_BARE_LT = re.compile(r"<(?!/?[a-zA-Z][\w-]*(?:\s[^<>]*)?>)")
_BARE_AMP = re.compile(r"&(?!#?\w+;)")


def parse_entities(text: str) -> tuple[str, str | None]:
    """(visible text, error or None) of a parse_mode=HTML message."""
    parser = _EntityParser()
    parser.feed(text)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    # A bare "<" or "&" that is not part of a tag or an entity is refused by Telegram too.
    if not parser.error and _BARE_LT.search(text):
        parser.error = "Unsupported start tag"
    if not parser.error and _BARE_AMP.search(text):
        parser.error = "Character entity expected"
    return "".join(parser.text), parser.error


@dataclass
class FakeTelegram:
    """A Telegram Bot API server on 127.0.0.1 for one bot; `calls` records every request."""

    token: str
    username: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    chats: set[int] = field(default_factory=set)
    callback_ids: set[str] = field(default_factory=set)
    webhook: dict[str, str] = field(default_factory=dict)
    port: int = 0
    _next_message_id: int = 100
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": int(self.token.split(":")[0]),
            "is_bot": True,
            "first_name": "Modellregionen NRW",
            "username": self.username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c["params"] for c in self.calls if c["method"] == method]

    # The handler -----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if request.content_type == "application/json":
            params = dict(await request.json())
        else:
            params = {k: str(v) for k, v in (await request.post()).items()}
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        call = {"method": method, "params": params, "token": token}
        self.calls.append(call)
        if token != self.token:
            answer = _error(401, "Unauthorized")
        else:
            handler = getattr(self, f"_api_{method.lower()}", None)
            answer = handler(params) if handler else _error(404, "Not Found")
        call["status"] = answer.status
        if answer.status != 200:
            self.errors.append({**call, "answer": json.loads(answer.body)})  # type: ignore[arg-type]
        return answer

    def _api_getme(self, params: dict[str, Any]) -> web.Response:
        return _ok(self.bot_user())

    def _api_setwebhook(self, params: dict[str, Any]) -> web.Response:
        url = urlsplit(params.get("url", ""))
        if url.scheme != "https":
            return _error(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if (url.port or 443) not in (443, 80, 88, 8443):
            return _error(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            )
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token", "")}
        return _ok(True, description="Webhook was set")

    def _api_answercallbackquery(self, params: dict[str, Any]) -> web.Response:
        if params.get("callback_query_id") not in self.callback_ids:
            return _error(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return _ok(True)

    def _api_sendmessage(self, params: dict[str, Any]) -> web.Response:
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            return _error(400, "Bad Request: chat not found")
        if chat_id not in self.chats:
            return _error(400, "Bad Request: chat not found")
        text = params.get("text", "")
        if params.get("parse_mode", "").upper() == "HTML":
            text, error = parse_entities(text)
            if error:
                return _error(400, f"Bad Request: can't parse entities: {error}")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not 1 <= len(data.encode()) <= 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        self._next_message_id += 1
        return _ok(
            {
                "message_id": self._next_message_id,
                "from": self.bot_user(),
                "chat": {"id": chat_id, "type": "private", "first_name": "Erika"},
                "date": int(time.time()),
                "text": text,
                **({"reply_markup": markup} if "inline_keyboard" in markup else {}),
            }
        )

    # Start and stop --------------------------------------------------------------------------
    def start(self) -> None:
        ready = threading.Event()

        async def serve() -> None:
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(serve())
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())  # type: ignore[union-attr]
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram", daemon=True)
        self._thread.start()
        assert ready.wait(10), "the Telegram stand-in did not start"

    def stop(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


def _ok(result: Any, description: str | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": True, "result": result}
    if description:
        body["description"] = description
    return web.json_response(body)


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


# --- updates as Telegram sends them ----------------------------------------------------------

_update_ids = iter(range(900_000_001, 900_100_000))


def user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Erika", "language_code": "de"}


def message_update(chat_id: int, text: str) -> dict[str, Any]:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 100_000,
            "from": user(chat_id),
            "chat": {"id": chat_id, "first_name": "Erika", "type": "private"},
            "date": int(time.time()),
            "text": text,
            **(
                {"entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


def callback_update(chat_id: int, bot_message: dict[str, Any], data: str) -> dict[str, Any]:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(4_000_000_000_000 + update_id),
            "from": user(chat_id),
            "message": bot_message,
            "chat_instance": "-81234567890",
            "data": data,
        },
    }


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN, BOT_NAME, chats={CHAT_ID, OTHER_CHAT_ID})
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def stack(telegram: FakeTelegram) -> Iterator[Stack]:
    require_model()
    require_index()
    require_free_ports(PORTS.rasa, PORTS.actions, purpose="the Telegram test")
    env = {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_BOT_NAME": BOT_NAME,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_SECRET_TOKEN": SECRET,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # Stack passes its environment on to the Rasa server
    try:
        with Stack(ports=PORTS, web=False, credentials=ROOT / "credentials.telegram.yml") as s:
            yield s
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def post_update(stack: Stack, update: dict[str, Any], secret: str | None = SECRET) -> str:
    """POST an update to Rasa's Telegram webhook as Telegram would; return the body."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/telegram/webhook",
        data=json.dumps(update).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def sent_after(telegram: FakeTelegram, mark: int, chat_id: int) -> list[dict[str, Any]]:
    return [
        c["params"]
        for c in telegram.calls[mark:]
        if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == str(chat_id)
    ]


def visible(messages: list[dict[str, Any]]) -> str:
    """The text a Telegram user sees (HTML tags removed, entities decoded)."""
    return "\n".join(parse_entities(m["text"])[0] for m in messages)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


# --- tests -----------------------------------------------------------------------------------


def test_webhook_is_registered_with_the_configured_api(
    stack: Stack, telegram: FakeTelegram
) -> None:
    assert telegram.called("getMe"), "getMe was never called on the stand-in"
    assert telegram.webhook == {"url": WEBHOOK_URL, "secret_token": SECRET}
    registration = telegram.called("setWebhook")[0]
    assert "callback_query" in registration["allowed_updates"]
    assert all(c["token"] == TOKEN for c in telegram.calls)


def test_contact_question_is_answered_in_the_chat(stack: Stack, telegram: FakeTelegram) -> None:
    mark = len(telegram.calls)
    body = post_update(stack, message_update(CHAT_ID, "Wer ist Ansprechpartner für ZEonline?"))
    assert body == "success"
    sent = sent_after(telegram, mark, CHAT_ID)
    assert sent, f"nothing sent to chat {CHAT_ID}; calls: {telegram.calls[mark:]}"
    text = visible(sent)
    assert "ZEonline" in text
    assert "r.ahmann@paderborn.de" in text
    assert "Rainer Ahmann" in text
    assert all(m.get("parse_mode", "").upper() == "HTML" for m in sent)
    html_text = "".join(m["text"] for m in sent)
    assert "<b>ZEonline</b>" in html_text  # **bold** as Telegram HTML
    # the hand-over is an inline mailto: link (keyboard buttons cannot open mailto:)
    assert '<a href="mailto:r.ahmann@paderborn.de?subject=Frage%20zum%20Projekt' in html_text
    assert ">Nachricht an Rainer Ahmann schreiben</a>" in html_text
    assert not [b for m in sent for b in buttons(m) if "Nachricht an" in b["text"]]
    assert not sent_after(telegram, mark, OTHER_CHAT_ID)
    assert not telegram.errors


def test_project_answer_has_buttons_and_a_button_press_is_answered(
    stack: Stack, telegram: FakeTelegram
) -> None:
    mark = len(telegram.calls)
    post_update(stack, message_update(CHAT_ID, "Was ist das Projekt Smartphone-Bürger-ID?"))
    sent = sent_after(telegram, mark, CHAT_ID)
    assert "Smartphone-Bürger-ID" in visible(sent)
    with_buttons = [m for m in sent if buttons(m)]
    assert with_buttons, f"a project answer without buttons: {sent}"
    keyboard = with_buttons[-1]
    titles = [b["text"] for b in buttons(keyboard)]
    assert any("Ansprechpartner" in t for t in titles), titles
    # vertical keyboard: one button per row
    assert all(len(row) == 1 for row in keyboard["reply_markup"]["inline_keyboard"])

    # The user presses "Ansprechpartner": Telegram sends a callback_query with its data.
    contact = next(b for b in buttons(keyboard) if "Ansprechpartner" in b["text"])
    # Its payload ('/project{…gelsenkirchen-smartphone-buerger-id…"aspect":"contact"}') is
    # longer than Telegram's 64 bytes of callback_data; the channel sent a short key instead.
    assert len(contact["callback_data"].encode()) <= 64
    assert not telegram.errors
    bot_message = {
        "message_id": 1,
        "from": telegram.bot_user(),
        "chat": {"id": CHAT_ID, "first_name": "Erika", "type": "private"},
        "date": int(time.time()),
        "text": keyboard["text"],
    }
    update = callback_update(CHAT_ID, bot_message, contact["callback_data"])
    telegram.callback_ids.add(update["callback_query"]["id"])
    mark = len(telegram.calls)
    assert post_update(stack, update) == "success"
    answered = telegram.called("answerCallbackQuery")
    assert {"callback_query_id": update["callback_query"]["id"]} in answered
    text = visible(sent_after(telegram, mark, CHAT_ID))
    assert "Ansprechpartner für Smartphone-Bürger-ID" in text.replace("\n", " ")
    assert "manfred.vom.sondern@gelsenkirchen.de" in text
    assert not telegram.errors


def test_start_command_greets(stack: Stack, telegram: FakeTelegram) -> None:
    mark = len(telegram.calls)
    post_update(stack, message_update(OTHER_CHAT_ID, "/start"))
    sent = sent_after(telegram, mark, OTHER_CHAT_ID)
    assert "Ich beantworte Fragen zu den Digitalen Modellregionen NRW" in visible(sent)
    assert any(buttons(m) for m in sent), "the greeting offers example questions"


def test_english_question_is_answered_in_english(stack: Stack, telegram: FakeTelegram) -> None:
    mark = len(telegram.calls)
    post_update(stack, message_update(OTHER_CHAT_ID, "Who is the contact person for ZEonline?"))
    text = visible(sent_after(telegram, mark, OTHER_CHAT_ID))
    assert "r.ahmann@paderborn.de" in text
    assert "Contact for ZEonline" in text
    assert "Ansprechpartner" not in text


def test_update_without_the_secret_token_is_refused(stack: Stack, telegram: FakeTelegram) -> None:
    mark = len(telegram.calls)
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_update(stack, message_update(CHAT_ID, "Hallo"), secret="wrong")
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as missing:
        post_update(stack, message_update(CHAT_ID, "Hallo"), secret=None)
    assert missing.value.code == 403
    assert not sent_after(telegram, mark, CHAT_ID)


def test_set_webhook_route_needs_the_secret_and_keeps_it(
    stack: Stack, telegram: FakeTelegram
) -> None:
    """Rasa's GET /webhooks/telegram/set_webhook registers the webhook again; without the
    secret anyone could call it, and Rasa's own version would drop the secret token."""
    url = f"{stack.rasa_url}/webhooks/telegram/set_webhook"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    assert refused.value.code == 403
    calls = len(telegram.called("setWebhook"))
    request = urllib.request.Request(url, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.read().decode() == "Webhook setup successful"
    assert len(telegram.called("setWebhook")) == calls + 1
    assert telegram.webhook == {"url": WEBHOOK_URL, "secret_token": SECRET}


def test_credentials_file_reads_the_environment() -> None:
    text = (ROOT / "credentials.telegram.yml").read_text(encoding="utf-8")
    assert "channels.telegram.TelegramInput:" in text
    for variable in ("TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL"):
        assert "${" + variable + "}" in text
    assert TOKEN not in text


def stored_senders(stack: Stack, since: float) -> set[str]:
    """The conversation ids with events since `since` in the stack's SQLite tracker store (the
    file outlives the stack)."""
    path = stack.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT DISTINCT sender_id FROM events WHERE timestamp >= ?", (since,))
        return {row[0] for row in rows}


def test_the_tracker_store_holds_a_pseudonym_not_the_chat_id(
    stack: Stack, telegram: FakeTelegram
) -> None:
    """Data protection: a chat is stored under a keyed hash of its id; the replies still reach
    the chat, and the next message of the same chat continues its conversation."""
    mark, since = len(telegram.calls), time.time()
    for text in ("Was macht das Projekt ZEonline?", "Und wer ist da der Ansprechpartner?"):
        assert post_update(stack, message_update(CHAT_ID, text)) == "success"
    assert "r.ahmann@paderborn.de" in visible(sent_after(telegram, mark, CHAT_ID))
    senders = {s for s in stored_senders(stack, since) if s.startswith("telegram:")}
    assert senders and not any(str(CHAT_ID) in s or str(OTHER_CHAT_ID) in s for s in senders)
    assert all(re.fullmatch(r"telegram:[0-9a-f]{32}", s) for s in senders), senders


def test_an_over_long_message_gets_please_shorten_in_its_chat_and_is_not_stored(
    stack: Stack, telegram: FakeTelegram
) -> None:
    """The channels' bound through Telegram's pseudonymised path: the refusal reaches the chat
    the update came from, nothing of the message is stored, the next question is answered."""
    mark, since = len(telegram.calls), time.time()
    flood = "Who runs ZEonline and what does it do? " * 30  # over 1,000 characters
    assert len(flood) > MAX_MESSAGE_CHARS
    assert post_update(stack, message_update(CHAT_ID, flood)) == "success"
    refusal = visible(sent_after(telegram, mark, CHAT_ID))
    assert refusal == t("too_long", "en", limit=MAX_MESSAGE_CHARS)
    assert not sent_after(telegram, mark, OTHER_CHAT_ID)
    path = stack.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (stored,) = db.execute(
            "SELECT COUNT(*) FROM events WHERE timestamp >= ? AND data LIKE ?",
            (since, "%Who runs ZEonline and what does it do? Who runs%"),
        ).fetchone()
    assert stored == 0
    mark = len(telegram.calls)
    question = message_update(CHAT_ID, "Wer ist Ansprechpartner für ZEonline?")
    assert post_update(stack, question) == "success"
    assert "r.ahmann@paderborn.de" in visible(sent_after(telegram, mark, CHAT_ID))

"""Telegram through Rasa's own Telegram connector, with a configurable Bot API server.

Referenced in credentials.telegram.yml as `channels.telegram.TelegramInput`; the webhook stays
`/webhooks/telegram/webhook` because the channel keeps the name "telegram". Configuration:

| credentials key | environment (credentials.telegram.yml) | meaning |
| --- | --- | --- |
| access_token | TELEGRAM_TOKEN | the token from @BotFather |
| verify | TELEGRAM_BOT_NAME | the bot's username (without @), checked against getMe |
| webhook_url | TELEGRAM_WEBHOOK_URL | public HTTPS URL of …/webhooks/telegram/webhook |
| api_url | TELEGRAM_API_URL (optional) | Bot API base URL, default https://api.telegram.org |
| secret_token | TELEGRAM_SECRET_TOKEN (optional) | given to setWebhook; requests without: 403 |
| button_type | TELEGRAM_BUTTON_TYPE (optional) | inline, vertical (default) or reply |

`api_url` falls back to the environment variable TELEGRAM_API_URL, so a local Bot API server
or a test stand-in can be used without changing the credentials file.

What this adds to Rasa's connector (rasa.core.channels.telegram):

- the Bot API base URL (aiogram 2's `TelegramAPIServer`), for all calls incl. setWebhook;
- setWebhook at start-up runs in a short-lived HTTP session of its own. Rasa's connector runs
  it with `asyncio.run(…)` in the bot it then keeps, whose session stays bound to that closed
  loop: every reply from Sanic's loop fails with "Event loop is closed";
- getMe is asked once at start-up, and a TELEGRAM_BOT_NAME that does not match the bot stops
  the start with a clear message (Rasa's connector answers every update with "failed" then);
- the project's markup in the bot's answers (**bold**, _italic_, lists, links) is sent as
  Telegram HTML; a link button (the hand-over's "Nachricht an … schreiben", a mailto: URL)
  becomes an inline link below the text, since keyboard buttons cannot open mailto:;
- buttons are vertical by default (one per row: the titles are long German phrases), and a
  payload longer than Telegram's 64 bytes of callback_data is replaced by a short key;
- callback queries are answered (answerCallbackQuery), so the client stops its spinner;
- with a secret token, updates and Rasa's /set_webhook route need Telegram's secret header,
  and that route registers the webhook with the secret (Rasa's version would drop it);
- "/start", which every Telegram chat begins with, is handled as a greeting ("Hallo");
- errors while handling an update are logged, not raised (Telegram would resend it forever);
- the bounds of every channel (`channels.gate`): a message over 1,000 characters is answered
  with "please ask a shorter question" and not processed; the conversation is stored as
  `telegram:<pseudonym>`, a keyed hash of the chat id (`channels.tokens.pseudonym`, key
  TELEGRAM_SENDER_KEY or run/telegram-sender.key), so the tracker store holds no Telegram
  account and no other channel can reach the conversation; the replies of an update go to its
  chat, which only that update's output channel knows (`ToChat`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ClassVar, TypeVar

from aiogram import Bot, types
from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels import telegram as rasa_telegram
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from channels.bounds import client_part
from channels.gate import Gate, install_server_hardening
from channels.markdown import is_link_payload, to_telegram_html
from channels.tokens import kept_secret, pseudonym

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_API_URL = "https://api.telegram.org"
BUTTON_TYPES = ("inline", "vertical", "reply")
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for InlineKeyboardButton.callback_data
CALLBACK_KEY_PREFIX = "cb:"
START_COMMAND = "/start"
START_TEXT = "Hallo"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def with_inline_links(text: str, buttons: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Link buttons (the hand-over's mailto:) as inline links below the text, since Telegram's
    keyboard buttons cannot open mailto: addresses; the reply buttons stay buttons."""
    links, replies = [], []
    for button in buttons:
        target = (
            str(button.get("url") or button.get("payload") or "")
            if isinstance(button, dict)
            else ""
        )
        (links if is_link_payload(target) else replies).append(button)
    lines = [f"[{b.get('title') or 'E-Mail'}]({b.get('url') or b.get('payload')})" for b in links]
    return "\n".join([text.rstrip(), *lines]) if lines else text, replies


class TelegramOutput(rasa_telegram.TelegramOutput):
    """Rasa's Telegram output (an aiogram 2 Bot) talking to a configurable Bot API server."""

    _payloads: ClassVar[OrderedDict[str, str]] = OrderedDict()  # short key -> payload, shared
    _payloads_max: ClassVar[int] = 10_000

    def __init__(
        self,
        access_token: str | None,
        api_url: str | None = None,
        button_type: str = "vertical",
        secret_token: str | None = None,
    ) -> None:
        # Rasa's TelegramOutput.__init__ would pass the token alone; add the server.
        Bot.__init__(
            self,
            access_token,
            server=TelegramAPIServer.from_base(api_url or DEFAULT_API_URL),
            parse_mode=types.ParseMode.HTML,
        )
        self.button_type = button_type
        self.secret_token = secret_token

    async def set_webhook(self, url: str, *args: Any, **kwargs: Any) -> bool:
        """setWebhook with the secret token and the update types the channel handles (also
        for Rasa's /webhooks/telegram/set_webhook route, which would otherwise drop both)."""
        payload: dict[str, Any] = {"url": url, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        return bool(await self.request("setWebhook", payload))

    async def get_me(self) -> types.User:
        """getMe, asked once: Rasa's connector asks it for every incoming update."""
        cached = getattr(self, "_me", None)
        if cached is None:
            cached = await super().get_me()
            self._me = cached
        return cached

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa sends to the conversation id (`telegram:<chat id>`): to the chat id."""
        await super().send_response(client_part(recipient_id), message)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """The widget's timeline picture is left out (the answer's text has its facts);
        Rasa's default would post the JSON as a message."""
        if "timeline" in json_message:
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            if part.strip():
                await self.send_message(recipient_id, to_telegram_html(part))

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        text, buttons = with_inline_links(text, buttons)
        if not buttons:
            await self.send_text_message(recipient_id, text, **kwargs)
            return
        button_type = button_type if button_type in BUTTON_TYPES else self.button_type
        short = [
            {**button, "payload": self.callback_data(str(button.get("payload", "")))}
            if isinstance(button, dict)
            else button
            for button in buttons
        ]
        await super().send_text_with_buttons(
            recipient_id, to_telegram_html(text), short, button_type=button_type, **kwargs
        )

    @classmethod
    def callback_data(cls, payload: str) -> str:
        """The payload itself if Telegram accepts it as callback_data, else a short key."""
        if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(
            CALLBACK_KEY_PREFIX
        ):
            return payload
        key = CALLBACK_KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]
        cls._payloads[key] = payload
        cls._payloads.move_to_end(key)
        while len(cls._payloads) > cls._payloads_max:
            cls._payloads.popitem(last=False)
        return key

    @classmethod
    def payload_for(cls, data: str) -> str | None:
        """The payload a callback_data stands for; None for an unknown (expired) key."""
        if not data.startswith(CALLBACK_KEY_PREFIX):
            return data
        return cls._payloads.get(data)


class ToChat(OutputChannel):
    """The output channel of one update: Rasa addresses the conversation (a pseudonym), this
    sends to the chat the update came from."""

    def __init__(self, output: TelegramOutput, chat_id: str) -> None:
        self.output = output
        self.chat_id = chat_id

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.output.send_response(self.chat_id, message)


def sender_key() -> bytes:
    """TELEGRAM_SENDER_KEY, else a random key kept in run/telegram-sender.key (owner-only), so
    a chat keeps its conversation across restarts."""
    return kept_secret("TELEGRAM_SENDER_KEY", "telegram-sender.key").encode()


class TelegramInput(rasa_telegram.TelegramInput):
    """Rasa's Telegram input channel with the additions listed in the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        button_type = str(
            credentials.get("button_type") or os.environ.get("TELEGRAM_BUTTON_TYPE") or "vertical"
        )
        if button_type not in BUTTON_TYPES:
            raise RasaException(
                f"Telegram button_type must be one of {', '.join(BUTTON_TYPES)}, "
                f"not {button_type!r}"
            )
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            api_url=credentials.get("api_url") or os.environ.get("TELEGRAM_API_URL"),
            secret_token=credentials.get("secret_token") or os.environ.get("TELEGRAM_SECRET_TOKEN"),
            button_type=button_type,
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        *,
        api_url: str | None = None,
        secret_token: str | None = None,
        button_type: str = "vertical",
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.secret_token = secret_token or None
        self.button_type = button_type
        self._output: TelegramOutput | None = None

    def get_output_channel(self) -> TelegramOutput:
        """The output channel; at the first call the webhook is registered with Telegram."""
        if self._output is None:
            output = self._new_output()
            output._me = _run_blocking(self._register_webhook())
            self._output = output
        return self._output

    def _new_output(self) -> TelegramOutput:
        return TelegramOutput(self.access_token, self.api_url, self.button_type, self.secret_token)

    async def _register_webhook(self) -> types.User:
        # A throw-away Bot whose HTTP session is closed in this (temporary) event loop.
        bot = self._new_output()
        try:
            me = await bot.get_me()
            if self.verify and me.username != self.verify.lstrip("@"):
                raise RasaException(
                    f"TELEGRAM_BOT_NAME is '{self.verify}', but the token belongs to the bot "
                    f"'{me.username}'. Set TELEGRAM_BOT_NAME to '{me.username}'."
                )
            if not self.webhook_url:
                logger.warning("No Telegram webhook URL configured; setWebhook skipped.")
                return me
            await bot.set_webhook(self.webhook_url)
            logger.info("Telegram webhook set to %s (bot @%s)", self.webhook_url, me.username)
            return me
        except TelegramAPIError as error:
            raise RasaException(f"Failed to set channel webhook: {error}") from error
        finally:
            await bot.session.close()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        gate = Gate(self.name(), on_new_message)
        key = sender_key()

        async def handle(message: UserMessage) -> Any:
            chat = str(message.sender_id)
            message.sender_id = pseudonym(key, chat)
            message.output_channel = ToChat(self.get_output_channel(), chat)
            text = (message.text or "").strip()
            if text == START_COMMAND or text.startswith(START_COMMAND + " "):
                message.text = START_TEXT
            elif text.startswith(CALLBACK_KEY_PREFIX):
                payload = TelegramOutput.payload_for(text)
                if payload is None:
                    logger.info("Unknown Telegram callback key %s (expired?)", text)
                    payload = START_TEXT
                message.text = payload
            return await gate(message)

        blueprint = super().blueprint(handle)
        install_server_hardening(blueprint)
        output = self.get_output_channel()

        @blueprint.middleware("request")
        async def check_update(request: Request) -> Any:
            path = request.path.rstrip("/")
            if path.endswith("/set_webhook"):  # Rasa's route to register the webhook again
                return None if self._has_secret(request) else response.text("forbidden", 403)
            if request.method != "POST" or not path.endswith("/webhook"):
                return None
            if not self._has_secret(request):
                logger.warning("Telegram update without the right secret token rejected")
                return response.text("forbidden", status=403)
            update = request.json if isinstance(request.json, dict) else None
            query = (update or {}).get("callback_query")
            if isinstance(query, dict) and query.get("id"):
                try:  # stop the spinner on the button; the answer follows as a message
                    await output.answer_callback_query(str(query["id"]))
                except TelegramAPIError as error:
                    logger.warning("answerCallbackQuery failed: %s", error)
            return None

        return blueprint

    def _has_secret(self, request: Request) -> bool:
        """True without a configured secret, else if the request carries it (constant time)."""
        if not self.secret_token:
            return True
        return hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret_token)


def _run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, also if a loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(coroutine))
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target, name="telegram-set-webhook")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]

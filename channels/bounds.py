"""The one set of bounds on what a client may send, applied by every channel (issue 16).

Every channel of the Rasa server (REST, socket.io, Telegram, the Matrix bridge's channel)
checks what arrives against these rules before anything reaches Rasa's NLU; the common entry
that applies them is `channels.gate`. Standard library only: `service.stack` (which
`.venv-channels` imports too) reads the size limits from here for Sanic and Engine.IO.

- a message: at most `MAX_MESSAGE_CHARS` (1,000) characters; a longer one is not processed
  at all and gets a polite "please ask a shorter question" (`channels.gate`); one over
  `LONG_MESSAGE_CHARS` (280) waits until no other long one is in progress;
- a request body (REST, an Engine.IO request): at most `MAX_BODY_BYTES` (64 kB); Sanic and
  Engine.IO stop reading at `MAX_READ_BYTES`;
- JSON: nested at most `MAX_JSON_DEPTH` levels (deeper: refused, never a RecursionError);
- a client-made id (REST `sender`, socket.io `session_id`, a `message_id`): UUID-shaped,
  32 hex digits or 8-4-4-4-12, i.e. unguessable when the client made it at random;
- `metadata`: dropped, unless a channel names the keys it needs; then a flat object of
  those keys with scalar values, at most `MAX_METADATA_BYTES` (1 kB) as JSON.

Conversation ids are namespaced by channel (`rest:…`, `socketio:…`, `telegram:…`,
`matrix:…`), so no channel can address another channel's conversations: whoever holds a
conversation id holds that conversation, and the id is made by the client at random.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

MAX_MESSAGE_CHARS = 1_000
# A message longer than this costs the NLU and the search far more than a question does
# (up to about 0.4 s of the Rasa server's one core at 1,000 characters); such turns are
# handled one at a time, so ordinary questions pass between them (`channels.gate`).
LONG_MESSAGE_CHARS = 280
LONG_TURNS_AT_ONCE = 1
MAX_BODY_BYTES = 64 * 1024
# What the web servers read at most before the checks here (a little above the body limit,
# for headers and Engine.IO's packet framing): Sanic's REQUEST_MAX_SIZE, Engine.IO's
# max_http_buffer_size.
MAX_READ_BYTES = MAX_BODY_BYTES + 4 * 1024
MAX_JSON_DEPTH = 20
MAX_METADATA_BYTES = 1024
MAX_CHANNEL_ID_CHARS = 64  # a channel's own ids (Telegram chat ids, Matrix pseudonyms)

CHANNELS = ("rest", "socketio", "telegram", "matrix")
SEPARATOR = ":"

_UUID = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_CHANNEL_ID = re.compile(r"-?[0-9A-Za-z_]{1,64}")


class Refused(ValueError):
    """What the client sent cannot be used; the message says what is wrong (and is what the
    client is told: short, no echo of the input)."""


def random_id(value: object, field: str = "sender") -> str:
    """A client-made conversation or message id: UUID-shaped, else Refused."""
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise Refused(f"{field} must be a random UUID (32 hex digits or 8-4-4-4-12)")
    return value


def channel_id(value: object, field: str = "sender") -> str:
    """An id a channel itself vouches for (Telegram's chat id, the Matrix bridge's keyed
    pseudonym): letters, digits, '_' and '-', at most 64 characters."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _CHANNEL_ID.fullmatch(value):
        raise Refused(f"{field} must be an id of letters and digits (at most 64)")
    return value


def namespaced(channel: str, client_id: str) -> str:
    """The conversation id Rasa stores for `client_id` of `channel` (e.g. `rest:<uuid>`)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return f"{channel}{SEPARATOR}{client_id}"


def client_part(sender_id: str) -> str:
    """The client's own id inside a namespaced conversation id (what a channel sends to)."""
    channel, separator, rest = sender_id.partition(SEPARATOR)
    return rest if separator and channel in CHANNELS else sender_id


def too_long(text: str) -> bool:
    return len(text) > MAX_MESSAGE_CHARS


def long(text: str) -> bool:
    return len(text) > LONG_MESSAGE_CHARS


def text_field(value: object, field: str = "message") -> str:
    """A message text: a string (its length is the gate's business: a polite answer)."""
    if not isinstance(value, str):
        raise Refused(f"{field} must be a string")
    return value


def depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply `value` (parsed JSON) nests, counted iteratively up to `limit` + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def json_object(body: bytes | str, what: str = "body") -> dict[str, Any]:
    """A JSON object of at most MAX_BODY_BYTES, nested at most MAX_JSON_DEPTH; else Refused."""
    raw = body.encode() if isinstance(body, str) else body
    if not raw.strip():
        raise Refused(f"empty {what}: send a JSON object")
    if len(raw) > MAX_BODY_BYTES:
        raise Refused(f"{what} larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(f"{what} is not JSON") from None
    except RecursionError:
        raise Refused(f"{what} nested too deeply") from None
    if not isinstance(data, dict):
        raise Refused(f"{what} must be a JSON object")
    if depth(data) > MAX_JSON_DEPTH:
        raise Refused(f"{what} nested too deeply")
    return data


def metadata(value: object, keys: Iterable[str] = ()) -> dict[str, Any] | None:
    """The metadata a channel keeps: None unless it names `keys`; then only those keys, flat
    (string, number, boolean or null values) and at most MAX_METADATA_BYTES as JSON."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Refused("metadata must be a JSON object")
    wanted = frozenset(keys)
    if not wanted:
        return None  # no channel of this project needs any: nothing is stored
    kept = {key: item for key, item in value.items() if key in wanted}
    if any(isinstance(item, dict | list) for item in kept.values()):
        raise Refused("metadata must be flat (no objects or lists)")
    try:
        size = len(json.dumps(kept).encode())
    except (TypeError, ValueError):
        raise Refused("metadata values must be strings, numbers or booleans") from None
    if size > MAX_METADATA_BYTES:
        raise Refused(f"metadata larger than {MAX_METADATA_BYTES} bytes")
    return kept or None

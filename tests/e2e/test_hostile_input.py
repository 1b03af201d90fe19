"""1,000 generated hostile inputs through the running REST channel.

Empty and blank messages, 1,001 to 100 k characters, markup and script, control and bidi
characters, emoji and intent injection (`/restart`, `/select_item{"index": 99}`, …), alone and
mixed with ordinary questions. Every answer must be HTTP 200 (or 400 for what the channel
refuses), carry no stack trace and echo no markup; afterwards the bot still answers a normal
question correctly, also in a conversation that received the hostile inputs. A message over
1,000 characters is answered with "please ask a shorter question"; a body over 64 kB is
refused (400, or 413 beyond what the server reads at all).

Bounded: 2 conversations in parallel (more only contend for Rasa's one process), each
request with a 60 s timeout; about two to three minutes on the 2-core machine.
"""

from __future__ import annotations

import json
import random
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from channels.bounds import MAX_BODY_BYTES, MAX_MESSAGE_CHARS
from index.loader import load
from service.stack import Stack, new_sender, send
from tests.e2e.chat import text_of

pytestmark = pytest.mark.e2e

COUNT = 1000
WORKERS = 2

FRAGMENTS: dict[str, list[str]] = {
    "blank": ["", " ", "\t", "\n\n", "\u00a0", "\u200b", "\u3000", " \r\n "],
    "markup": [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<b>Open Data</b>",
        "<iframe src='//example.org'></iframe>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
        "[klick](javascript:alert(1))",
        "**fett** _kursiv_ `code`",
        "{{7*7}} ${7*7} <%= 7*7 %>",
        "'; DROP TABLE events; --",
        "&lt;script&gt;",
    ],
    "control": ["\x00", "\x07", "\x1b[31mrot\x1b[0m", "\x08\x08", "\x7f", "\ufffd", "\ud7ff"],
    "bidi": ["\u202eevil\u202c", "\u2066x\u2069", "\u200f", "\u061c", "\u202a\u202b"],
    "emoji": ["😀", "🇩🇪", "👩\u200d💻", "🤖🤖🤖", "❤️", "\U0001f9ea"],
    "injection": [
        "/restart",
        '/select_item{"index": 99}',
        '/select_item{"index": -1}',
        '/select_item{"index": "zwei"}',
        '/greet{"language":"xx"}',
        '/greet{"language": "<script>"}',
        '/project{"project":"does-not-exist","aspect":"contact"}',
        '/project{"project": null, "aspect": "source"}',
        '/project{"project":"owl-paderborn-zeonline","aspect":"<script>"}',
        '/programme{"topic":"../../etc/passwd"}',
        "/show_more",
        "/session_start",
        "/nlu_fallback",
        "/action_restart",
        "/greet{",
        "/",
        "/{}",
        '/greet{"a":' + "[" * 50,
    ],
    "question": [
        "Was macht das Projekt ZEonline?",
        "Welche Projekte gibt es in Soest?",
        "Who is the contact?",
        "das zweite",
        "Projekte zu Open Data",
    ],
}

LONG = ["a" * 10_000, "Open Data " * 1_000, "ä" * 100_000, "<b>" * 34_000]
TRACE = re.compile(r"Traceback|File \"|Exception|Error:", re.IGNORECASE)
MARKUP = re.compile(r"<\s*[a-zA-Z/!]|on\w+\s*=|javascript:", re.IGNORECASE)


def generated(count: int = COUNT, seed: int = 8) -> list[str]:
    """The fixed fragments once each, then random mixtures of 1–3 fragments."""
    rng = random.Random(seed)
    inputs = [f for fragments in FRAGMENTS.values() for f in fragments] + LONG
    kinds = list(FRAGMENTS)
    while len(inputs) < count:
        parts = [rng.choice(FRAGMENTS[rng.choice(kinds)]) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.03:
            parts.append(rng.choice(LONG)[: rng.choice([1_001, 9_999, 20_000])])
        inputs.append(rng.choice(["", " ", "\n"]).join(parts))
    return inputs


def post(url: str, sender: str, message: str) -> tuple[int, str]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def shown_texts(messages: list[dict]) -> list[str]:
    """What a client shows: texts and button titles."""
    shown = [m.get("text") or "" for m in messages]
    return shown + [b.get("title") or "" for m in messages for b in m.get("buttons", [])]


def problems(message: str, status: int, body: str) -> list[str]:
    found = []
    if status >= 500 or status not in (200, 400, 413):
        found.append(f"HTTP {status}")
    if TRACE.search(body):
        found.append("trace text")
    if status == 200:
        answer = json.loads(body)
        if not isinstance(answer, list):
            found.append("not a list")
        elif any(MARKUP.search(text) for text in shown_texts(answer)):
            found.append("markup echoed")
    size = len(json.dumps({"sender": "", "message": message}).encode())
    if status in (400, 413) and size <= MAX_BODY_BYTES - 100:
        found.append("a request within the limit refused")
    polite = "zu lang" in body or "too long" in body
    if status == 200 and len(message.strip()) > MAX_MESSAGE_CHARS and not polite:
        found.append("an over-long message not refused politely")
    return found


def run_conversation(url: str, sender: str, messages: list[str]) -> list[str]:
    failures = []
    for message in messages:
        status, body = post(url, sender, message)
        for problem in problems(message, status, body):
            failures.append(f"{problem}: {message[:60]!r} -> {body[:160]!r}")
    return failures


def test_generated_hostile_inputs_get_no_error_trace_or_markup(stack: Stack) -> None:
    inputs = generated()
    assert len(inputs) >= 1000
    senders = [new_sender() for _ in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = pool.map(
            run_conversation,
            [stack.rest_url] * WORKERS,
            senders,
            [inputs[n::WORKERS] for n in range(WORKERS)],
        )
        failures = [f for result in results for f in result]
    assert not failures, f"{len(failures)} bad answers, e.g.:\n" + "\n".join(failures[:15])

    zeonline = load().project("owl-paderborn-zeonline")
    question = "Wer ist der Ansprechpartner für ZEonline?"
    for sender in (senders[0], new_sender()):  # a battered and a fresh conversation
        assert zeonline.contacts[0].email in text_of(send(stack.rest_url, sender, question))

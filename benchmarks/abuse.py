"""`make bench-abuse`: a normal user's latency while 10 clients send maximum-size messages,
and the Rasa server's memory before and after (issue 16). Figures printed, never asserted.

Three phases of `--seconds` each against the stack `make run` starts (on test ports):

1. quiet: one user asks unique questions one after the other;
2. the same user while `--clients` clients send messages of exactly 1,000 characters (the
   most the NLU reads; unique texts, so no cache answers them);
3. the same user while the clients send 60,000-character messages (a 64 kB body, the most a
   channel takes): answered "please ask a shorter question" without the NLU.

Every request goes to 127.0.0.1 and every phase stops by itself at its deadline.

    python -m benchmarks.abuse [--seconds 30] [--clients 10]
"""

from __future__ import annotations

import argparse
import random
import threading
import time
import uuid

from benchmarks.common import machine_line, rss_mb
from benchmarks.load import Sample, turn
from channels.bounds import MAX_MESSAGE_CHARS
from service.stack import Stack
from tests.support import ports_for

QUESTIONS = (
    "Was macht das Projekt ZEonline",
    "Welche Projekte gibt es zu Open Data",
    "Wer ist der Ansprechpartner für die Smartphone-Bürger-ID",
    "Welche Projekte laufen 2021 in Soest",
    "Gibt es Projekte zur Kita-Anmeldung",
    "Wie wird das Programm finanziert",
)
WORDS = [
    "Projekt",
    "Region",
    "Digitalisierung",
    "Verwaltung",
    "Bürger",
    "Portal",
    "Daten",
    "offen",
    "Kommune",
    "Stadt",
    "Kreis",
    "Antrag",
    "online",
    "Service",
    "Plattform",
    "Beteiligung",
    "Schule",
    "Verkehr",
    "Energie",
    "Netz",
    "Förderung",
    "Land",
]


def normal_user(url: str, deadline: float, sample: Sample, seed: int) -> None:
    """Unique questions (a number added) one after the other until `deadline`."""
    rng, n = random.Random(seed), 0
    while time.monotonic() < deadline:
        n += 1
        turn(url, str(uuid.uuid4()), f"{rng.choice(QUESTIONS)}? ({seed}-{n})", sample)


def filler(rng: random.Random, length: int) -> str:
    """A unique text of exactly `length` characters."""
    words, size = [], 0
    while size < length:
        words.append(rng.choice(WORDS) + str(rng.randrange(10_000)))
        size += len(words[-1]) + 1
    return " ".join(words)[:length]


def abuser(url: str, deadline: float, sample: Sample, seed: int, length: int) -> None:
    rng, sender = random.Random(seed), str(uuid.uuid4())
    while time.monotonic() < deadline:
        turn(url, sender, filler(rng, length), sample)


def phase(stack: Stack, seconds: float, clients: int, length: int) -> tuple[Sample, Sample]:
    """The normal user's sample and the abusers' sample of one phase."""
    user, abusers = Sample(), Sample()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=abuser, args=(stack.rest_url, deadline, abusers, i, length))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    normal_user(stack.rest_url, deadline, user, seed=length + clients)
    user.seconds = time.monotonic() - started
    for thread in threads:
        thread.join()
    abusers.seconds = user.seconds
    return user, abusers


def line(name: str, user: Sample, abusers: Sample | None) -> str:
    text = (
        f"{name:38s} normal user: {user.messages:4d} turns, p50 {user.p50:7.1f} ms, "
        f"p95 {user.p95:7.1f} ms, errors {len(user.errors)}"
    )
    if abusers is not None:
        text += f"; abusers: {abusers.messages} messages ({abusers.rate:.1f}/s)"
        text += f", errors {len(abusers.errors)}"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.abuse", description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=10, help="clients sending big messages")
    args = parser.parse_args(argv)
    print(machine_line(), flush=True)
    with Stack(ports=ports_for(5705, 5755, 8780), web=False) as stack:
        rasa = next(s for s in stack.running if s.name == "rasa")
        assert rasa.process is not None
        warm = Sample()
        normal_user(stack.rest_url, time.monotonic() + 5, warm, seed=0)  # warm-up
        before = rss_mb(rasa.process.pid)
        print(f"Rasa server after warm-up: {before:.0f} MB", flush=True)
        quiet, _ = phase(stack, args.seconds, 0, 0)
        print(line("quiet", quiet, None), flush=True)
        for length in (MAX_MESSAGE_CHARS, 60_000):
            user, abusers = phase(stack, args.seconds, args.clients, length)
            name = f"{args.clients} clients x {length:,} characters"
            print(line(name, user, abusers), flush=True)
        after = rss_mb(rasa.process.pid)
        print(f"Rasa server at the end: {after:.0f} MB ({after - before:+.0f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Soak test: many concurrent conversations for a few minutes, single node or cluster.

    python -m service.soak --target single|cluster [--minutes 5] [--conversations 20]

Starts the set-up on loopback (its own ports), then runs `--conversations` threads, each
holding one scripted conversation after another (a new sender each round) until the time is
up, and prints: messages/s, latency p50/p95, errors (HTTP errors, timeouts), wrong answers
(checked against knowledge/), and each Rasa server's memory (RSS) at start and after the soak.
Bounded: it stops by itself after `--minutes` plus the last turns in flight.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from index.loader import load
from service.cluster import Cluster, ClusterPorts
from service.stack import Ports, Stack, send

Check = Callable[[str], bool]


def script() -> list[tuple[str, Check]]:
    """One conversation: each turn with what the answer must contain (from knowledge/)."""
    knowledge = load()
    zeonline = knowledge.project("owl-paderborn-zeonline")
    soest = [p.title for p in knowledge.projects if p.region == "soest"]
    return [
        ("Was macht das Projekt ZEonline?", lambda text: "ZEonline" in text),
        ("Und wer ist da der Ansprechpartner?", lambda text: zeonline.contacts[0].email in text),
        ("Welche Projekte gibt es in Soest?", lambda text: sum(t in text for t in soest) >= 2),
        ("Gibt es ein Projekt zur bemannten Raumfahrt?", lambda text: "@" in text),
    ]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wrong: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def converse(url: str, turns: list[tuple[str, Check]], until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        sender = str(uuid.uuid4())  # the REST channel takes random UUIDs only
        for text, check in turns:
            started = time.monotonic()
            try:
                answer = "\n".join(m.get("text", "") for m in send(url, sender, text, 60))
                ok, failed = check(answer), False
            except Exception:  # an HTTP error or a timeout is what is counted here
                ok, failed = False, True
            with tally.lock:
                tally.latencies.append(time.monotonic() - started)
                tally.errors += failed
                tally.wrong += not ok and not failed


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def soak(url: str, rasa_pids: dict[str, int], minutes: float, conversations: int) -> None:
    turns = script()
    before = {name: rss_mb(pid) for name, pid in rasa_pids.items()}
    tally = Tally()
    started = time.monotonic()
    until = started + minutes * 60
    threads = [
        threading.Thread(target=converse, args=(url, turns, until, tally), daemon=True)
        for _ in range(conversations)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    after = {name: rss_mb(pid) for name, pid in rasa_pids.items()}
    latencies = sorted(tally.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    print(f"messages        {len(latencies)} in {elapsed:.0f} s = {len(latencies) / elapsed:.2f}/s")
    print(f"latency p50/p95 {statistics.median(latencies):.2f} s / {p95:.2f} s")
    print(f"errors          {tally.errors}")
    print(f"wrong answers   {tally.wrong}")
    for name in rasa_pids:
        print(f"{name:15s} RSS {before[name]:.0f} MB at start, {after[name]:.0f} MB after")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.soak", description=__doc__)
    parser.add_argument("--target", choices=["single", "cluster"], default="single")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--conversations", type=int, default=20)
    args = parser.parse_args(argv)
    offset = int(os.environ.get("TEST_PORT_OFFSET", "0"))
    started = time.monotonic()
    if args.target == "single":
        with Stack(ports=Ports(6360 + offset, 6361 + offset, 6362 + offset), web=False) as stack:
            print(f"single node ready after {time.monotonic() - started:.0f} s")
            rasa = next(s for s in stack.running if s.name == "rasa")
            assert rasa.process is not None
            soak(stack.rest_url, {"rasa": rasa.process.pid}, args.minutes, args.conversations)
    else:
        with Cluster(ports=ClusterPorts().shifted(offset), web=False) as cluster:
            print(f"cluster ready after {time.monotonic() - started:.0f} s")
            pids = {
                name: s.process.pid
                for name, s in cluster.running.items()
                if name.startswith("rasa") and s.process is not None
            }
            soak(cluster.rest_url, pids, args.minutes, args.conversations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load on a Rasa REST channel: users holding scripted conversations for a bounded time.

Every request goes to 127.0.0.1 only; every phase stops by itself at its deadline (a turn in
flight finishes, no new one starts).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from benchmarks.common import CpuMeter, p50_p95
from benchmarks.conversations import Script
from service.stack import send


@dataclass
class Sample:
    """What one phase measured against one server."""

    latencies: list[float] = field(default_factory=list)  # ms per answered turn
    errors: list[str] = field(default_factory=list)  # failed requests
    empty: int = 0  # turns answered with no message at all
    seconds: float = 0.0
    busy: float = 0.0  # share of the machine's CPU time busy meanwhile (any process)
    steal: float = 0.0  # share stolen by the hypervisor meanwhile

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, ms: float | None, error: str = "", empty: bool = False) -> None:
        with self._lock:
            if error:
                self.errors.append(error)
            else:
                self.latencies.append(float(ms or 0.0))
                self.empty += empty

    def merge(self, other: Sample) -> Sample:
        total = self.seconds + other.seconds or 1.0
        return Sample(
            self.latencies + other.latencies,
            self.errors + other.errors,
            self.empty + other.empty,
            self.seconds + other.seconds,
            (self.busy * self.seconds + other.busy * other.seconds) / total,
            (self.steal * self.seconds + other.steal * other.seconds) / total,
        )

    @property
    def messages(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else float("nan")

    @property
    def p50(self) -> float:
        return p50_p95(self.latencies)[0]

    @property
    def p95(self) -> float:
        return p50_p95(self.latencies)[1]


def turn(rest_url: str, sender: str, text: str, sample: Sample) -> list[dict]:
    """Send one message and record its latency (or the error)."""
    started = time.perf_counter()
    try:
        replies = send(rest_url, sender, text)
    except Exception as exc:  # a benchmark counts failures instead of stopping
        sample.add(None, error=f"{type(exc).__name__}: {exc}")
        return []
    sample.add((time.perf_counter() - started) * 1000, empty=not replies)
    return replies


def converse(
    rest_url: str, script: Script, sample: Sample, deadline: float, sender: str = ""
) -> None:
    """One conversation under a new sender id, stopped early at `deadline`."""
    sender = sender or str(uuid.uuid4())  # the REST channel takes random UUIDs only
    for text in script.turns:
        if time.monotonic() >= deadline:
            return
        turn(rest_url, sender, text, sample)


def run_users(rest_url: str, scripts: tuple[Script, ...], users: int, seconds: float) -> Sample:
    """`users` threads, each holding conversations back to back (user i starts with script i)
    until `seconds` have passed. The rate counts the turns answered in the wall time until
    the last thread finished."""
    sample = Sample()
    meter = CpuMeter()
    started = time.monotonic()
    deadline = started + seconds

    def user(index: int) -> None:
        n = index
        while time.monotonic() < deadline:
            converse(rest_url, scripts[n % len(scripts)], sample, deadline)
            n += 1

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sample.seconds = time.monotonic() - started
    sample.busy, sample.steal = meter.read()
    return sample

"""`make bench`: figures of the running system, printed, never asserted.

- training time (`rasa train --force` into a scratch folder, so the served model is untouched)
- cold start of the action server and the Rasa server (process start → health answered)
- REST round trip p50/p95 for one user holding successive conversations of the scripted
  9 turns, and separately the turns 100–200 of one very long conversation (Rasa sends the
  whole tracker to the action server on every turn, so a turn costs more as it grows)
- messages/s and p95 with 20 concurrent users, and the number of errors
- resident memory of each server process (with its children)

Targets on 2 cores (issue 3): p95 ≤ 100 ms for one user, ≥ 30 msg/s with 20 conversations and
no errors, cold start ≤ 30 s, training ≤ 5 min.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.stack import ROOT, VENV_BIN, Ports, Stack, send

# One conversation: a question, follow-ups that use the context, a region, English, small talk.
CONVERSATION = [
    "Hallo",
    "Welche Projekte gibt es zu Open Data?",
    "Wer ist da der Ansprechpartner?",
    "Wie lange läuft das?",
    "Welche Projekte gibt es in Soest?",
    "das zweite",
    "Who is the contact for the Smartphone-Bürger-ID?",
    "Gibt es ein Projekt zur Raumfahrt?",
    "Danke",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB (from /proc)."""
    total_kb = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def converse(
    rest_url: str, turns: int, latencies: list[float], errors: list[str], sender: str = ""
) -> None:
    """Hold one conversation of `turns` messages (the script repeats when `turns` is longer)."""
    sender = sender or f"bench-{uuid.uuid4().hex[:8]}"
    for i in range(turns):
        text = CONVERSATION[i % len(CONVERSATION)]
        started = time.perf_counter()
        try:
            replies = send(rest_url, sender, text)
            if not replies:
                errors.append(f"no reply to {text!r}")
        except Exception as exc:  # a benchmark counts failures instead of stopping
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        latencies.append((time.perf_counter() - started) * 1000)


def user(rest_url: str, conversations: int, latencies: list[float], errors: list[str]) -> None:
    """One user: successive conversations of the scripted length, each with a new sender id."""
    for _ in range(conversations):
        converse(rest_url, len(CONVERSATION), latencies, errors)


def report(label: str, latencies: list[float], errors: list[str], extra: str = "") -> None:
    p50, p95 = statistics.median(latencies), percentile(latencies, 95)
    print(f"{label}, {len(latencies)} messages:")
    print(f"  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  errors {len(errors)}{extra}")
    for error in errors[:5]:
        print(f"    {error}")


def bench_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "rasa"), "train", "--force", "--config", "config.yml",
             "--domain", "bot/domain.yml", "--data", "bot/data", "--out", out],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.bench", description=__doc__)
    parser.add_argument("--conversations", type=int, default=22, help="for the one-user figure")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--rounds", type=int, default=3, help="conversations per concurrent user")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args(argv)

    ports = Ports(rasa=5405, actions=5455, web=8480)
    print(f"Benchmark on {ports} (2 cores expected)\n")
    with Stack(ports=ports, web=False) as stack:
        cold = stack.startup_seconds()
        print("Cold start (process start → healthy):")
        for name, seconds in cold.items():
            print(f"  {name:8s} {seconds:6.1f} s   target ≤ 30 s")

        user(stack.rest_url, 2, [], [])  # warm-up: first messages load lazy parts
        latencies: list[float] = []
        errors: list[str] = []
        user(stack.rest_url, args.conversations, latencies, errors)
        report("\nOne user, successive 9-turn conversations", latencies, errors,
               "   target p95 ≤ 100 ms")  # fmt: skip

        latencies, errors, sender = [], [], f"bench-long-{uuid.uuid4().hex[:8]}"
        converse(stack.rest_url, 100, [], errors, sender)
        converse(stack.rest_url, 100, latencies, errors, sender)
        report("\nOne very long conversation, turns 101–200", latencies, errors)

        latencies, errors = [], []
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            for _ in range(args.users):
                pool.submit(user, stack.rest_url, args.rounds, latencies, errors)
        elapsed = time.perf_counter() - started
        rate = len(latencies) / elapsed  # list.append is atomic: the workers need no lock
        report(f"\n{args.users} concurrent users × {args.rounds} conversations", latencies,
               errors, f"   {rate:.1f} messages/s   target ≥ 30 msg/s, no errors")  # fmt: skip

        print("\nResident memory:")
        for service in stack.running:
            assert service.process is not None
            print(f"  {service.name:8s} {rss_mb(service.process.pid):7.0f} MB")

    if not args.skip_training:
        print("\nTraining (rasa train --force) …", flush=True)
        print(f"  {bench_training():6.1f} s   target ≤ 300 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

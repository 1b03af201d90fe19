"""`make bench`: the running system measured from outside, beside Rasa's example bot.

Both run at the same time on loopback ports: this assistant's stack (action server + Rasa
server, HTTP API enabled with a random token) and Rasa's example bot (`rasa init --no-prompt`,
default pipeline and policies, no custom actions; trained once into run/example-bot/ and
reused). Their phases alternate in slices (ours, example, ours, example …), so both see the
same load of the shared machine, and every latency and throughput is printed with its ratio
to the example bot's. The ratios decide; absolute figures move with the machine's load, which
is printed for every phase (load average, CPU busy and steal shares).

Phases, each bounded in time:

1. cold start of each server (process start → health answered);
2. one user holding the six scripted 9-turn conversations (benchmarks/conversations.py)
   back to back: p50/p95 per turn;
3. replies that need no search ("danke", "hi") against the example bot's "hi", message by
   message in turn;
4. 20 concurrent users: messages/s, p95, errors;
5. one long conversation: p50/p95 of turns 101–200;
6. the per-turn breakdown (benchmarks/breakdown.py);
7. resident memory; optionally py-spy flame graphs under load (`--profile`, results/) and
   the training time (`--training`).

Ratio targets (issue 9): p95 per turn ≤ 0.6× the example bot's, throughput ≥ 1.5×, a reply
without search ≤ 0.5×. Query embeddings are not cached in the bench's action server
(EMBED_CACHE_SIZE=0) unless `--embed-cache`: the scripts repeat their texts, a real user
does not.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import breakdown
from benchmarks.common import RESULTS, ROOT, CpuMeter, load_average, machine_line, rss_mb
from benchmarks.conversations import CONVERSATIONS, EXAMPLE_BOT, EXAMPLE_NO_SEARCH, NO_SEARCH
from benchmarks.load import Sample, run_users, turn
from service.stack import (
    LOG_DIR,
    VENV_BIN,
    Ports,
    Service,
    Stack,
    endpoints_file,
    services,
    start,
    stop,
    wait_healthy,
)

EXAMPLE_DIR = ROOT / "run" / "example-bot"
PARSES = ROOT / "run" / "bench-parses.json"  # the NLU's parse of every scripted text


# ------------------------------------------------------------------------ the bench's stack


@dataclass
class Variant:
    """How the bench's stack differs from `make run` (to measure a change before making it)."""

    selective_domain: bool | None = None  # None: as endpoints.yml says
    tracker_events: str | None = None  # "all" | "turn"; None: as endpoints.yml says
    redis_port: int | None = None  # tracker and lock store in a redis-server on this port
    rasa_workers: int = 1  # SANIC_WORKERS (needs the redis lock store)
    action_workers: int = 1  # ACTION_SERVER_SANIC_WORKERS

    def endpoints(self, ports: Ports) -> Path:
        """endpoints.yml with the bench's action port and this variant's changes."""
        import yaml

        # the stores `make run` uses (the SQL tracker store), then this variant's changes
        data = yaml.safe_load(endpoints_file(ports).read_text(encoding="utf-8")) or {}
        action = data.setdefault("action_endpoint", {})
        action["url"] = f"http://localhost:{ports.actions}/webhook"
        if self.selective_domain is not None:
            action["enable_selective_domain"] = self.selective_domain
        if self.tracker_events is not None:
            action["tracker_events"] = self.tracker_events
        if self.redis_port:
            redis = {"type": "redis", "url": "127.0.0.1", "port": self.redis_port}
            data["tracker_store"] = {**redis, "db": 0, "record_exp": 3600}
            data["lock_store"] = {**redis, "db": 1}
        LOG_DIR.mkdir(exist_ok=True)
        path = LOG_DIR / f"bench-endpoints-{ports.rasa}.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path


@dataclass
class BenchStack(Stack):
    """`Stack` (action server + Rasa server) with a `Variant`'s endpoints and workers."""

    variant: Variant = field(default_factory=Variant)

    @property
    def sql_store(self) -> bool:
        return self.variant.redis_port is None

    def planned(self) -> list[Service]:
        endpoints = self.variant.endpoints(self.ports)
        found = services(self.ports, web=False)
        for service in found:
            if service.name == "rasa":
                service.argv[service.argv.index("--endpoints") + 1] = str(endpoints)
                service.env["SANIC_WORKERS"] = str(self.variant.rasa_workers)
            else:
                service.env["ACTION_SERVER_SANIC_WORKERS"] = str(self.variant.action_workers)
        return found

    @property
    def endpoints_path(self) -> Path:
        rasa = next(s for s in self.running if s.name == "rasa")
        return Path(rasa.argv[rasa.argv.index("--endpoints") + 1])


def redis_service(port: int) -> Service:
    """A throw-away redis-server on loopback, nothing persisted."""
    argv = [shutil.which("redis-server") or "redis-server", "--port", str(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]  # fmt: skip
    return Service("redis", port, argv, "")


def wait_redis(service: Service, timeout: float = 20.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", service.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"redis-server on {service.port} did not answer; log {service.log_path}")


# ------------------------------------------------------------------------- the example bot


def example_model(log: bool = True) -> Path:
    """Rasa's example bot, trained once (`rasa init --no-prompt`, no network) and cached."""
    models = sorted((EXAMPLE_DIR / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    if log:
        print("Training Rasa's example bot once (rasa init --no-prompt) …", flush=True)
    shutil.rmtree(EXAMPLE_DIR, ignore_errors=True)
    EXAMPLE_DIR.mkdir(parents=True)
    subprocess.run(
        [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(EXAMPLE_DIR)],
        cwd=EXAMPLE_DIR, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip
    return sorted((EXAMPLE_DIR / "models").glob("*.tar.gz"))[-1]


def example_service(port: int, token: str) -> Service:
    argv = [
        str(VENV_BIN / "rasa"), "run",
        "--model", str(example_model()),
        "--endpoints", str(EXAMPLE_DIR / "endpoints.yml"),
        "--credentials", str(EXAMPLE_DIR / "credentials.yml"),
        "--port", str(port), "--interface", "127.0.0.1",
        "--enable-api", "--auth-token", token,
    ]  # fmt: skip
    return Service("example-bot", port, argv, f"http://127.0.0.1:{port}/")


# ---------------------------------------------------------------------------------- output


@dataclass
class Pair:
    ours: Sample
    example: Sample


def ratio(a: float, b: float) -> str:
    return f"{a / b:5.2f}×" if b and b == b and a == a else "   – "


def load_note(sample: Sample) -> str:
    return f"CPU busy {sample.busy:4.0%}, steal {sample.steal:4.0%}"


def print_latency(title: str, pair: Pair, target: str) -> None:
    o, e = pair.ours, pair.example
    print(f"\n{title}")
    print(
        f"  {'':12}{'messages':>9}{'p50 ms':>9}{'p95 ms':>9}{'msg/s':>8}{'errors':>7}{'empty':>6}"
    )
    for name, s in (("assistant", o), ("example bot", e)):
        print(
            f"  {name:12}{s.messages:9d}{s.p50:9.1f}{s.p95:9.1f}{s.rate:8.1f}"
            f"{len(s.errors):7d}{s.empty:6d}   {load_note(s)}"
        )
    print(
        f"  {'ratio':12}{'':9}{ratio(o.p50, e.p50):>9}{ratio(o.p95, e.p95):>9}"
        f"{ratio(o.rate, e.rate):>8}   {target}"
    )
    for error in (o.errors + e.errors)[:5]:
        print(f"    {error[:160]}")


# ---------------------------------------------------------------------------------- phases


def alternate(ours_url: str, example_url: str, users: int, seconds: float, slices: int) -> Pair:
    """`slices` rounds of (ours for seconds/slices, then the example bot as long)."""
    ours, example = Sample(), Sample()
    for _ in range(slices):
        ours = ours.merge(run_users(ours_url, CONVERSATIONS, users, seconds / slices))
        example = example.merge(run_users(example_url, (EXAMPLE_BOT,), users, seconds / slices))
    return Pair(ours, example)


def no_search(ours_url: str, example_url: str, messages: int) -> Pair:
    """Replies without search, message by message in turn; a new sender every 9 messages."""
    ours, example = Sample(), Sample()
    meter, started = CpuMeter(), time.monotonic()
    sender = ""
    for i in range(messages):
        if i % 9 == 0:
            sender = str(uuid.uuid4())  # the channels take random UUIDs only (channels.bounds)
        turn(ours_url, sender, NO_SEARCH[i % len(NO_SEARCH)], ours)
        turn(example_url, sender, EXAMPLE_NO_SEARCH[0], example)
    for s in (ours, example):
        s.seconds = time.monotonic() - started
        s.busy, s.steal = meter.read()
    return Pair(ours, example)


def long_conversation(url: str, scripts: tuple, turns: int) -> Sample:
    """One sender, the scripts one after the other for `turns` turns; the second half is
    returned."""
    texts = [t for s in scripts for t in s.turns]
    sender = str(uuid.uuid4())
    first, second = Sample(), Sample()
    meter, started = CpuMeter(), time.monotonic()
    for i in range(turns):
        turn(url, sender, texts[i % len(texts)], first if i < turns // 2 else second)
    second.seconds = time.monotonic() - started
    second.busy, second.steal = meter.read()
    return second


# ------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.system", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=5400,
        help="Rasa on +5, actions on +55, example bot on +6 (default 5400)",
    )
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="one-user phase, per server (default 30)"
    )
    parser.add_argument(
        "--load-seconds", type=float, default=40.0, help="concurrent phase, per server (default 40)"
    )
    parser.add_argument("--slices", type=int, default=2, help="alternations per phase")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--no-search", type=int, default=60, help="messages per server")
    parser.add_argument("--long", type=int, default=200, help="turns of the long conversation")
    parser.add_argument(
        "--selective-domain",
        choices=("on", "off"),
        help="override enable_selective_domain of endpoints.yml",
    )
    parser.add_argument(
        "--tracker-events",
        choices=("all", "turn"),
        help="override tracker_events of endpoints.yml (rasa_components.action_calls)",
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help="tracker + lock store in a redis-server on base port + 79",
    )
    parser.add_argument("--rasa-workers", type=int, default=1, help="SANIC_WORKERS (needs --redis)")
    parser.add_argument("--action-workers", type=int, default=1, help="ACTION_SERVER_SANIC_WORKERS")
    parser.add_argument(
        "--embed-cache",
        action="store_true",
        help="keep the action server's query-embedding cache on",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy flame graphs of both servers under load (results/)",
    )
    parser.add_argument(
        "--no-training",
        action="store_true",
        help="skip timing `rasa train` from scratch at the end (3–5 minutes)",
    )
    parser.add_argument(
        "--example-running",
        action="store_true",
        help="use an example bot already serving on base port + 6 (repeated runs)",
    )
    parser.add_argument("--verbose", action="store_true", help="every turn of the breakdown")
    args = parser.parse_args(argv)

    token = secrets.token_hex(16)
    os.environ["RASA_AUTH_TOKEN"] = token  # the HTTP API only ever behind a token
    if not args.embed_cache:
        os.environ["EMBED_CACHE_SIZE"] = "0"
    if args.rasa_workers > 1 and not args.redis:
        parser.error("--rasa-workers > 1 needs --redis (Rasa refuses more workers otherwise)")
    base = args.base_port
    variant = Variant(
        selective_domain=None if args.selective_domain is None else args.selective_domain == "on",
        tracker_events=args.tracker_events,
        redis_port=base + 79 if args.redis else None,
        rasa_workers=args.rasa_workers,
        action_workers=args.action_workers,
    )
    ports = Ports(rasa=base + 5, actions=base + 55, web=base + 80)
    example_model()  # before anything is timed
    print(f"Benchmark on 127.0.0.1:{ports.rasa}/{ports.actions}, example bot :{base + 6}")
    print(f"{variant}")
    print(f"{machine_line()}\n")

    example = example_service(base + 6, token)
    redis = redis_service(base + 79) if args.redis else None
    try:
        if redis:
            start(redis)
            wait_redis(redis)
        with BenchStack(ports=ports, web=False, variant=variant, timeout=600) as stack:
            cold = stack.startup_seconds()
            try:
                if args.example_running:
                    example.process = None
                    example_cold = float("nan")
                else:
                    start(example)
                    example_cold = wait_healthy(example, timeout=600)
                calls = breakdown.ActionCalls.of(stack.endpoints_path)
                run(args, stack, example, cold, example_cold, token, calls)
            finally:
                stop(example)
    finally:
        if redis:
            stop(redis)
    if not args.no_training:
        from benchmarks.nlu import train_from_scratch

        print("\nTraining from scratch (rasa train, empty cache, config.yml) …", flush=True)
        wall, cpu = train_from_scratch(ROOT / "config.yml")
        print(f"  {wall:6.1f} s wall, {cpu:.1f} CPU s   target ≤ 120 s")
    print(f"\n{machine_line()} at the end")
    return 0


def run(
    args: argparse.Namespace,
    stack: Stack,
    example: Service,
    cold: dict[str, float | None],
    example_cold: float,
    token: str,
    calls: breakdown.ActionCalls,
) -> None:
    ours_url, example_url = (
        stack.rest_url,
        f"{example.health_url.rstrip('/')}/webhooks/rest/webhook",
    )
    print("Cold start (process start → healthy), started one after the other:")
    for name, seconds in (*cold.items(), ("example bot", example_cold)):
        print(f"  {name:12} {seconds or 0:6.1f} s")
    print(f"  ratio Rasa server / example bot {ratio(cold.get('rasa') or 0, example_cold)}")

    # Warm-up: the first messages load lazy parts (TensorFlow graphs, the embedder).
    alternate(ours_url, example_url, 1, 6.0, 1)
    warm = {s.name: rss_mb(s.process.pid) for s in [*stack.running, example] if s.process}

    pair = alternate(ours_url, example_url, 1, args.seconds, args.slices)
    print_latency(
        "One user, 9-turn conversations back to back", pair,
        "target p95 ≤ 0.6× (≤ 60 ms on a quiet machine)",
    )  # fmt: skip

    pair = no_search(ours_url, example_url, args.no_search)
    print_latency(
        f"A reply that needs no search ({' / '.join(NO_SEARCH)} vs the example bot's "
        f"{EXAMPLE_NO_SEARCH[0]!r})",
        pair, "target ≤ 0.5×",
    )  # fmt: skip

    profiler = Profiler(stack) if args.profile else None
    if profiler:
        profiler.start(args.load_seconds / args.slices)
    pair = alternate(ours_url, example_url, args.users, args.load_seconds, args.slices)
    if profiler:
        profiler.finish()
    print_latency(
        f"{args.users} concurrent users", pair,
        "target throughput ≥ 1.5×, p95 ≤ 500 ms, 0 errors",
    )  # fmt: skip

    long = long_conversation(ours_url, CONVERSATIONS, args.long)
    print(f"\nOne long conversation, turns {args.long // 2 + 1}–{args.long}:")
    print(
        f"  p50 {long.p50:6.1f} ms  p95 {long.p95:6.1f} ms  errors {len(long.errors)}   "
        f"{load_note(long)}"
    )

    print(
        f"\nPer-turn breakdown, one pass over the {len(CONVERSATIONS)} conversations "
        f"({calls}; load average {load_average()}):"
    )
    api = breakdown.RasaApi(stack.rasa_url, token)
    parses: dict[str, dict] = {}
    rows = breakdown.measure(ours_url, api, stack.actions_url, CONVERSATIONS, calls, parses)
    PARSES.parent.mkdir(exist_ok=True)
    PARSES.write_text(json.dumps(parses, ensure_ascii=False, indent=1), encoding="utf-8")
    breakdown.report(rows, verbose=args.verbose)

    print("\nResident memory (with children), after the warm-up → at the end:")
    end = {s.name: rss_mb(s.process.pid) for s in [*stack.running, example] if s.process}
    for name, mb in end.items():
        print(f"  {name:12} {warm.get(name, float('nan')):7.0f} → {mb:7.0f} MB")
    ours = [s.name for s in stack.running]
    print(
        f"  {'this stack':12} {sum(warm.get(n, 0) for n in ours):7.0f} → "
        f"{sum(end.get(n, 0) for n in ours):7.0f} MB   target ≤ 1600 MB, flat"
    )


class Profiler:
    """py-spy (sampling, non-blocking) on the action server and the Rasa server during the
    assistant's first slice of the concurrent phase: an SVG flame graph and the raw collapsed stacks
    (for docs/performance.md) per process, under results/."""

    def __init__(self, stack: Stack) -> None:
        self.targets = [(s.name, s.process.pid) for s in stack.running if s.process]
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, seconds: float) -> None:
        spy = VENV_BIN / "py-spy"
        if not spy.exists():
            print("\n(py-spy is not installed: `make bench` installs requirements/bench.txt)")
            return
        RESULTS.mkdir(exist_ok=True)
        for name, pid in self.targets:
            for fmt, suffix in (("flamegraph", "svg"), ("raw", "txt")):
                argv = [str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)),
                        "--rate", "50", "--nonblocking", "--subprocesses", "--format", fmt,
                        "--output", str(RESULTS / f"profile-{name}.{suffix}")]  # fmt: skip
                self.processes.append(
                    subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                )

    def finish(self) -> None:
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.processes:
            print(
                f"\nFlame graphs: {', '.join(f'results/profile-{n}.svg' for n, _ in self.targets)}"
            )


if __name__ == "__main__":
    raise SystemExit(main())

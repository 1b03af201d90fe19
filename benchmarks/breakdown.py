"""Where a turn's time goes: Rasa NLU, the action server round trip, the action, retrieval.

For every turn of the scripted conversations, one after the other against the bench's own
stack (HTTP API enabled with a random token):

- **total**: the REST channel round trip (`/webhooks/rest/webhook`);
- **nlu**: the same text through `/model/parse` (the NLU pipeline alone, plus one HTTP call);
- **action rt**: the request Rasa sent to the action server for that turn (tracker up to the
  action, or only its turn with `tracker_events: turn`; the domain unless
  `enable_selective_domain`), posted again to `/webhook`: HTTP,
  JSON both ways, rasa_sdk and the action;
- **action**: the same action run in this process with a rasa_sdk `Tracker` and
  `CollectingDispatcher` on the real retriever; **understand** is the part spent reading the
  turn into a `Question` (`understanding.read.understand`: names, filters, targets and the
  search), split further by timing proxies around the retriever's public parts: **embed**
  (query embedding; none when the NLU's embedding is in the parse), **faiss** (dense
  scores), **bm25** (lexical scores), **names** (fuzzy names); **retr** is all retriever
  calls together (the search, and the lookups the answer makes);
- **rest**: total − nlu − action rt: dialogue policy, tracker store and lock, the channel,
  the bot's messages.

Turns answered from the domain's responses have no action round trip.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import p50_p95
from benchmarks.conversations import Script
from service.stack import send

PARTS = ("embed", "faiss", "bm25", "names")
COLUMNS = ("total", "nlu", "action_rt", "rest", "action", "understand", "retr", *PARTS)


class Clock:
    """Milliseconds per part, collected by `Timed` proxies during one turn."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def reset(self) -> None:
        self.ms.clear()
        self.calls.clear()


class Timed:
    """A proxy that times every method call of `target` as `part` (attributes pass through)."""

    def __init__(self, target: Any, part: str, clock: Clock) -> None:
        self._target, self._part, self._clock = target, part, clock

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return attribute(*args, **kwargs)
            finally:
                self._clock.ms[self._part] += (time.perf_counter() - started) * 1000
                self._clock.calls[f"{self._part}.{name}"] += 1

        return timed


def instrument(retriever: Any, clock: Clock) -> Any:
    """Wrap the retriever's parts in place and return a timed proxy of the retriever itself.
    A part the retriever does not have (after a refactoring) is simply not timed."""
    for attribute, part in (
        ("embedder", "embed"),
        ("dense", "faiss"),
        ("lexical", "bm25"),
        ("names", "names"),
    ):
        if hasattr(retriever, attribute):
            setattr(retriever, attribute, Timed(getattr(retriever, attribute), part, clock))
    return Timed(retriever, "retr", clock)


def timed_function(function: Callable[..., Any], part: str, clock: Clock) -> Callable[..., Any]:
    """`function`, timing every call as `part`."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            clock.ms[part] += (time.perf_counter() - started) * 1000
            clock.calls[part] += 1

    return timed


class RasaApi:
    """The few HTTP API calls of the Rasa server the breakdown needs (token protected)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.token = base_url, token

    def _call(self, path: str, body: dict | None = None) -> Any:
        sep = "&" if "?" in path else "?"
        request = urllib.request.Request(
            f"{self.base_url}{path}{sep}token={self.token}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def parse(self, text: str) -> tuple[float, dict]:
        started = time.perf_counter()
        result = self._call("/model/parse", {"text": text})
        return (time.perf_counter() - started) * 1000, result

    def tracker(self, sender: str) -> dict:
        return self._call(f"/conversations/rest:{sender}/tracker?include_events=ALL")

    def domain(self) -> dict:
        return self._call("/domain")


@dataclass(frozen=True)
class ActionCalls:
    """What a call to the action server carries, as endpoints.yml's action_endpoint says."""

    selective_domain: bool = False  # enable_selective_domain: no domain in the request
    turn_events: bool = False  # tracker_events: turn (rasa_components.action_calls)

    @classmethod
    def of(cls, endpoints: Path) -> ActionCalls:
        import yaml

        data = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
        action = data.get("action_endpoint") or {}
        return cls(
            selective_domain=bool(action.get("enable_selective_domain")),
            turn_events=action.get("tracker_events", "all") == "turn",
        )

    def __str__(self) -> str:
        return (
            f"selective domain {'on' if self.selective_domain else 'off'}, "
            f"tracker events {'of the turn' if self.turn_events else 'all'}"
        )


def action_request(
    state: dict, domain: dict, custom: set[str], calls: ActionCalls
) -> tuple[str, dict] | None:
    """The request Rasa sent to the action server in the last turn of `state`, rebuilt: the
    events up to the custom action (from the turn's user message on with `turn_events`), the
    slots as they were then. None if no custom action ran (the reply came from the domain's
    responses)."""
    events = state.get("events") or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    found = next(
        (
            i
            for i in range(last_user + 1, len(events))
            if events[i].get("event") == "action" and events[i].get("name") in custom
        ),
        None,
    )
    if found is None:
        return None
    before = events[:found]
    slots = {name: spec.get("initial_value") for name, spec in (domain.get("slots") or {}).items()}
    for event in before:
        if event.get("event") == "slot":
            slots[event["name"]] = event.get("value")
        elif event.get("event") == "session_started":
            pass  # carry_over_slots_to_new_session keeps them
    sent = before[max(last_user, 0) :] if calls.turn_events else before
    tracker = {**state, "events": sent, "slots": slots}
    name = events[found]["name"]
    body: dict[str, Any] = {
        "next_action": name,
        "sender_id": state.get("sender_id"),
        "tracker": tracker,
        "version": "3.6.21",
    }
    if not calls.selective_domain:
        body["domain"] = domain
    return name, body


def post(url: str, body: dict) -> tuple[float, int]:
    """POST `body`; (milliseconds, request size in bytes)."""
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000, len(data)


@dataclass
class Row:
    script: str
    text: str
    action: str
    ms: dict[str, float] = field(default_factory=dict)
    request_kb: float = 0.0
    embeddings: int = 0  # query embeddings computed in this turn (in process)


@dataclass
class InProcess:
    """The custom actions and an instrumented real retriever in this process."""

    actions: dict[str, Callable[[], Any]]
    clock: Clock

    @classmethod
    def load(cls) -> InProcess:
        from actions import actions as registry  # noqa: F401  (defines the subclasses)
        from actions import base, deps
        from index.retriever import open_retriever

        clock = Clock()
        retriever = open_retriever()
        retriever.warm_up()
        deps.set_retriever(instrument(retriever, clock))
        if not hasattr(base.understand, "__wrapped_understand__"):  # time the reading of a turn
            timed = timed_function(base.understand, "understand", clock)
            timed.__wrapped_understand__ = base.understand  # type: ignore[attr-defined]
            base.understand = timed  # type: ignore[assignment]
        return cls(concrete_actions(base.AnswerAction), clock)

    def run(self, body: dict) -> float:
        from rasa_sdk import Tracker
        from rasa_sdk.executor import CollectingDispatcher

        action = self.actions[body["next_action"]]()
        tracker = Tracker.from_dict(body["tracker"])
        self.clock.reset()
        started = time.perf_counter()
        asyncio.run(action.run(CollectingDispatcher(), tracker, body.get("domain") or {}))
        return (time.perf_counter() - started) * 1000


def concrete_actions(base: type) -> dict[str, Callable[[], Any]]:
    """`base` and every action class below it that can be instantiated, by the name it gives
    Rasa (`Action.name()`)."""
    import inspect

    found: dict[str, Callable[[], Any]] = {}
    pending = [base]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if not inspect.isabstract(cls):
            found[cls().name()] = cls
    return found


def measure(
    rest_url: str,
    api: RasaApi,
    actions_url: str,
    scripts: tuple[Script, ...],
    calls: ActionCalls,
    parses: dict[str, dict] | None = None,
) -> list[Row]:
    """One pass over every script, turn by turn (sequential: nothing else runs meanwhile).
    The NLU's parse of every text is stored in `parses` (benchmarks.scale reuses them)."""
    parses = {} if parses is None else parses
    local = InProcess.load()
    domain = api.domain()
    rows: list[Row] = []
    for script in scripts:
        sender = str(uuid.uuid4())
        for text in script.turns:
            started = time.perf_counter()
            send(rest_url, sender, text)
            total = (time.perf_counter() - started) * 1000
            nlu, parsed = api.parse(text)
            parses[text] = parsed
            found = action_request(api.tracker(sender), domain, set(local.actions), calls)
            row = Row(script.name, text, found[0] if found else "(domain response)")
            row.ms = {"total": total, "nlu": nlu, "action_rt": 0.0, "action": 0.0}
            if found:
                row.ms["action_rt"], size = post(f"{actions_url}/webhook", found[1])
                row.request_kb = size / 1024
                row.ms["action"] = local.run(found[1])
                row.ms.update(
                    {p: local.clock.ms.get(p, 0.0) for p in (*PARTS, "retr", "understand")}
                )
                row.embeddings = local.clock.calls.get("embed.embed_queries", 0)
            row.ms["rest"] = total - nlu - row.ms["action_rt"]
            rows.append(row)
    return rows


def report(rows: list[Row], verbose: bool = False) -> None:
    header = f"{'':34}" + "".join(f"{c:>10}" for c in COLUMNS) + f"{'req KB':>8}{'emb':>4}"
    if verbose:
        print(header)
        for row in rows:
            label = f"{row.text[:22]:22} {row.action[7:18]:11}"
            cells = "".join(f"{row.ms.get(c, 0.0):10.1f}" for c in COLUMNS)
            print(f"{label}{cells}{row.request_kb:8.1f}{row.embeddings:4d}")
    print(
        f"{'ms per turn (' + str(len(rows)) + ' turns)':34}" + "".join(f"{c:>10}" for c in COLUMNS)
    )
    for label, pick in (("mean", None), ("p50", 0), ("p95", 1)):
        cells = ""
        for c in COLUMNS:
            values = [r.ms.get(c, 0.0) for r in rows]
            value = sum(values) / len(values) if pick is None else p50_p95(values)[pick]
            cells += f"{value:10.1f}"
        print(f"{'  ' + label:34}{cells}")
    sent = [r for r in rows if r.request_kb]
    if sent:
        print(
            f"  action server requests: {len(sent)} of {len(rows)} turns, "
            f"{sum(r.request_kb for r in sent) / len(sent):.1f} KB on average "
            f"(max {max(r.request_kb for r in sent):.1f} KB); "
            f"query embeddings per turn: max {max(r.embeddings for r in rows)}, "
            f"turns with more than one: {sum(r.embeddings > 1 for r in rows)}"
        )

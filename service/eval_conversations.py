"""`make eval-e2e`: conversation cases against the running assistant, through the REST channel.

A case (tests/eval/blind/README.md) is a list of user turns and what the *last* reply must
and must not contain. The reply is what a user sees: the texts and the button titles,
compared case-insensitively with white space collapsed. A case whose answer is not in the
documents passes when the reply says so (`decision` is "none"); its figures are reported as
no-answer precision and recall.

The decision of a reply is read from its opening line, the way a user reads it: a reply that
opens with a catalogue entry of `actions.texts` saying "the documents do not have this" (or
"I did not understand", "I can't help with that": no claim either) is "none"; one that opens
with "not sure" is "unsure" (`NONE_KEYS`, `UNSURE_KEYS`). An answerable case passes when the
last reply contains what it must and nothing it must not; a case whose answer is not in the
documents passes when the reply is "none" and shows nothing it must not.

`--rejudge FILE` scores the replies recorded in an earlier `--json` file again with today's
judge, so that a first run and a final run are compared by the same rule.

Prints the pass rate per kind and per language, no-answer precision/recall and the REST
round-trip latency per turn; `--json` writes every case's outcome. Never asserts: the
figures are for the note and the README.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from benchmarks.common import percentile
from service.stack import ROOT, Ports, Stack, StackError, send

DEFAULT_CASES = ROOT / "tests" / "eval" / "blind-2026-12" / "cases.yml"

# Catalogue entries whose words mean "the documents do not answer this" or "not sure".
NONE_KEYS = (
    "no_answer",
    "unknown_place",
    "person_unknown",
    "programme_none",
    "region_subject_none",
    "project_unknown",
    "not_in_documents",
    "phone_none",
    "after_documents",
    "out_of_scope",
    "not_understood",
    "contact_none",
    "period_none",
    "transfer_none",
    "municipality_none",
    "filter_none_match",
    "region_empty",
    "all_regions_empty",
    "count_none",
    "period_filter_none",
    "status_filter_none",
    "service_none",
    "unanswered",
    "unanswered_list",
)
UNSURE_KEYS = ("unsure", "maybe_meant")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    lang: str
    turns: tuple[str, ...]
    answerable: bool
    contains: tuple[str, ...] = ()
    contains_any: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    followup: bool = False

    @classmethod
    def from_yaml(cls, raw: dict, where: str) -> Case:
        try:
            turns = raw["turns"]
            if isinstance(turns, str):
                turns = [turns]
            return cls(
                id=str(raw["id"]),
                kind=str(raw.get("kind", "?")),
                lang=str(raw.get("lang", "de")),
                turns=tuple(str(t) for t in turns),
                answerable=bool(raw.get("answerable", True)),
                contains=tuple(str(s) for s in raw.get("contains") or ()),
                contains_any=tuple(str(s) for s in raw.get("contains_any") or ()),
                not_contains=tuple(str(s) for s in raw.get("not_contains") or ()),
                followup=bool(raw.get("followup", len(turns) > 1)),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: case {raw.get('id', '?')}: {exc}") from exc


def load_cases(paths: Iterable[Path]) -> list[Case]:
    cases: list[Case] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cases += [Case.from_yaml(raw, str(path)) for raw in data.get("cases") or ()]
    return cases


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def visible_text(messages: Sequence[dict]) -> str:
    """What a user sees of one turn's replies: texts, then button titles."""
    parts = [str(m.get("text") or "") for m in messages]
    parts += [str(b.get("title") or "") for m in messages for b in m.get("buttons") or ()]
    return "\n".join(p for p in parts if p)


def _phrases(keys: Sequence[str]) -> list[str]:
    """The longest literal piece of each catalogue entry, in both languages."""
    from actions.texts import CATALOGUE

    found = []
    for key in keys:
        for template in CATALOGUE.get(key, ()):
            pieces = re.split(r"\{[^}]*\}", template)
            found.append(normalise(max(pieces, key=len)).strip(" „“”\"'.:"))
    return [p for p in found if len(p) >= 12]


@dataclass
class Outcome:
    case: Case
    reply: str
    decision: str  # answer | unsure | none
    passed: bool
    missing: list[str] = field(default_factory=list)
    unwanted: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    error: str = ""


class Judge:
    def __init__(self) -> None:
        self.none = _phrases(NONE_KEYS)
        self.unsure = _phrases(UNSURE_KEYS)

    def decision(self, reply: str) -> str:
        opening = normalise(reply.strip().split("\n", 1)[0])
        if any(p in opening for p in self.none):
            return "none"
        if any(p in opening for p in self.unsure):
            return "unsure"
        return "answer"

    def judge(self, case: Case, reply: str) -> Outcome:
        said = normalise(reply)
        decision = self.decision(reply)
        missing = [s for s in case.contains if normalise(s) not in said]
        if case.contains_any and not any(normalise(s) in said for s in case.contains_any):
            missing.append(" | ".join(case.contains_any))
        unwanted = [s for s in case.not_contains if normalise(s) in said]
        if case.answerable:
            passed = not missing and not unwanted
        else:
            passed = decision == "none" and not unwanted
        return Outcome(case, reply, decision, passed, missing, unwanted)


def run_case(rest_url: str, case: Case, judge: Judge) -> Outcome:
    sender = str(uuid.uuid4())  # the REST channel takes random UUIDs only
    latencies: list[float] = []
    messages: list[dict] = []
    try:
        for text in case.turns:
            started = time.perf_counter()
            messages = send(rest_url, sender, text)
            latencies.append((time.perf_counter() - started) * 1000)
    except Exception as exc:  # a failed request is a failed case, reported, not a crash
        outcome = Outcome(case, "", "error", False, error=f"{type(exc).__name__}: {exc}")
        outcome.latencies_ms = latencies
        return outcome
    outcome = judge.judge(case, visible_text(messages))
    outcome.latencies_ms = latencies
    return outcome


def report(outcomes: Sequence[Outcome]) -> str:
    lines = []

    def table(title: str, key) -> None:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in outcomes:
            groups[key(o)].append(o)
        lines.append(f"\n{title:<22} {'cases':>5} {'passed':>6} {'rate':>6}")
        for name in sorted(groups):
            group = groups[name]
            ok = sum(o.passed for o in group)
            lines.append(f"{name:<22} {len(group):>5} {ok:>6} {ok / len(group):>6.3f}")

    table("kind", lambda o: o.case.kind)
    table("language", lambda o: o.case.lang)
    table("turns", lambda o: "follow-up" if o.case.followup else "single")
    passed = sum(o.passed for o in outcomes)
    lines.append(f"\nall: {passed}/{len(outcomes)} = {passed / max(1, len(outcomes)):.3f}")
    said_none = [o for o in outcomes if o.decision == "none"]
    gold_none = [o for o in outcomes if not o.case.answerable]
    true_none = [o for o in said_none if not o.case.answerable]
    precision = len(true_none) / len(said_none) if said_none else float("nan")
    recall = len(true_none) / len(gold_none) if gold_none else float("nan")
    lines.append(
        f"no-answer: precision {precision:.3f} ({len(true_none)}/{len(said_none)}), "
        f"recall {recall:.3f} ({len(true_none)}/{len(gold_none)})"
    )
    unsure = sum(o.decision == "unsure" for o in outcomes)
    errors = sum(o.decision == "error" for o in outcomes)
    lines.append(f"replies 'not sure': {unsure}; request errors: {errors}")
    latencies = [ms for o in outcomes for ms in o.latencies_ms]
    if latencies:
        lines.append(
            f"latency per turn: p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {percentile(latencies, 95):.0f} ms ({len(latencies)} turns)"
        )
    return "\n".join(lines)


def failures(outcomes: Sequence[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if o.passed:
            continue
        lines.append(f"\n✗ {o.case.id} [{o.case.kind}/{o.case.lang}] {' → '.join(o.case.turns)}")
        if o.error:
            lines.append(f"  error: {o.error}")
        lines.append(f"  decision: {o.decision}; answerable: {o.case.answerable}")
        if o.missing:
            lines.append(f"  missing: {o.missing}")
        if o.unwanted:
            lines.append(f"  unwanted: {o.unwanted}")
        lines.append("  reply: " + o.reply[:300].replace("\n", " ⏎ "))
    return "\n".join(lines)


def evaluate(rest_url: str, cases: Sequence[Case], workers: int = 1) -> list[Outcome]:
    judge = Judge()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda c: run_case(rest_url, c, judge), cases))


def rejudge(path: Path, cases: Sequence[Case]) -> list[Outcome]:
    """The replies recorded in `path` judged again; the cases are today's (none was edited)."""
    recorded = {row["case"]["id"]: row for row in json.loads(path.read_text(encoding="utf-8"))}
    judge = Judge()
    outcomes = []
    for case in cases:
        row = recorded[case.id]
        outcome = judge.judge(case, row["reply"]) if not row.get("error") else None
        if outcome is None:
            outcome = Outcome(case, "", "error", False, error=row["error"])
        outcome.latencies_ms = list(row.get("latencies_ms") or ())
        outcomes.append(outcome)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m service.eval_conversations", description=__doc__
    )
    parser.add_argument("cases", nargs="*", type=Path, default=[DEFAULT_CASES])
    parser.add_argument("--url", help="REST webhook of a running assistant (default: start one)")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    parser.add_argument("--failures", action="store_true", help="print each failed case")
    parser.add_argument("--workers", type=int, default=1, help="conversations at once")
    parser.add_argument("--rejudge", type=Path, help="score the replies of an earlier --json")
    args = parser.parse_args(argv)
    try:
        cases = load_cases(args.cases)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"Cannot read the cases: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print("No cases found.", file=sys.stderr)
        return 2
    try:
        if args.rejudge:
            outcomes = rejudge(args.rejudge, cases)
        elif args.url:
            outcomes = evaluate(args.url, cases, args.workers)
        else:
            with Stack(ports=Ports(rasa=5605, actions=5655, web=8680), web=False) as stack:
                outcomes = evaluate(stack.rest_url, cases, args.workers)
    except StackError as exc:
        print(f"Could not start the assistant: {exc}", file=sys.stderr)
        return 1
    print(f"{len(cases)} conversations from {', '.join(str(p) for p in args.cases)}")
    print(report(outcomes))
    if args.failures:
        print(failures(outcomes))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        rows = [{**asdict(o), "case": asdict(o.case)} for o in outcomes]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

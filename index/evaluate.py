"""Retrieval quality on tests/eval/questions_*.yml: Hit@1, Hit@3, MRR and no-answer P/R.

Question format (one file per author, merged)::

    questions:
      - q: "Welche Projekte laufen 2021 in Soest?"
        gold: [soest-..., soest-...]   # any of these is a correct answer; [] = no answer
        lang: de
        region: soest                 # optional hard filters, as the assistant's NLU would
        year: 2021                    #   pass them to search(); omitted = search(q) only
        status: running

How questions are scored:

- A question with gold ids counts for Hit@1 / Hit@3 / MRR: the rank of the first gold id among
  what the assistant shows for `Retriever.query(q, k=10)`: the answer, or the three titles of
  a "meinen Sie …?" reply; "nothing found" is a miss. How many replies were "not sure" is
  reported beside it.
- Region/year phrased only in the text ("… 2021 in Soest?") are *not* extracted by the
  evaluator: `search` sees the plain text (it boosts mentioned regions and years itself),
  and every project that satisfies the question is gold. Filters given as keys are passed.
- No-answer: positive class = gold []; predicted positive = the decision "nothing found".

Every question falls deterministically (hash of its text) into a dev split (~67 %) or a held-out
split (~33 %). These questions were written by the project's earlier sessions; the answer
decision is learned on the question bank instead (`python -m evaluation.decision`), so all of
them score the decision as it is, none trains it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from index.domain import Knowledge
from index.text import fold

if TYPE_CHECKING:
    from index.retriever import Retriever

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
TARGETS: dict[str, float] = {
    "hit@1": 0.92,
    "hit@3": 0.97,
    "mrr": 0.95,
    "no_answer_precision": 0.90,
    "no_answer_recall": 0.90,
}
HELDOUT_EVERY = 3  # one question in three is held out
EVAL_K = 10
UNSURE_SHOWN = 3  # a "meinen Sie …?" reply offers this many titles


@dataclass(frozen=True)
class Question:
    q: str
    gold: tuple[str, ...]
    lang: str
    file: str
    region: str | None = None
    year: int | None = None
    status: str | None = None

    @property
    def split(self) -> str:
        digest = hashlib.sha1(fold(self.q).strip().encode()).hexdigest()
        return "heldout" if int(digest, 16) % HELDOUT_EVERY == 0 else "dev"


class QuestionError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def load_questions(knowledge: Knowledge, paths: Iterable[Path] | None = None) -> list[Question]:
    """All questions; raise `QuestionError` naming file and index of every bad one."""
    files = sorted(paths) if paths is not None else sorted(EVAL_DIR.glob("questions_*.yml"))
    known = {d.id for d in knowledge.documents}
    regions = {r.id for r in knowledge.regions}
    problems: list[str] = []
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML: {exc}".replace("\n", " "))
            continue
        for i, raw in enumerate(data.get("questions") or []):
            where = f"{path.name}: questions[{i}]"
            if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
                problems.append(f"{where}: needs a text 'q'")
                continue
            gold = raw.get("gold")
            if not isinstance(gold, list):
                problems.append(f"{where}.gold: expected a list of ids ([] = no answer)")
                continue
            problems += [f"{where}.gold: unknown id {g!r}" for g in gold if g not in known]
            if raw.get("region") is not None and raw["region"] not in regions:
                problems.append(f"{where}.region: unknown region {raw['region']!r}")
            key = fold(raw["q"]).strip()
            if key in seen:
                problems.append(f"{where}: duplicate of a question in {seen[key]}")
            seen[key] = path.name
            questions.append(
                Question(
                    q=raw["q"],
                    gold=tuple(gold),
                    lang=str(raw.get("lang", "de")),
                    file=path.name,
                    region=raw.get("region"),
                    year=raw.get("year"),
                    status=raw.get("status"),
                )
            )
    if problems:
        raise QuestionError(problems)
    return questions


@dataclass
class Outcome:
    question: Question
    ids: list[str]  # what is shown: the answer, the "not sure" titles, or []
    decision: str = "answer"  # answer | unsure | none

    @property
    def rank(self) -> int | None:
        """1-based rank of the first gold id, None if absent."""
        return next((i + 1 for i, d in enumerate(self.ids) if d in self.question.gold), None)


@dataclass
class Metrics:
    n: int = 0
    answerable: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    no_answer: int = 0
    no_answer_precision: float = 0.0
    no_answer_recall: float = 0.0
    unsure: int = 0  # "meinen Sie …?" replies
    failures: list[Outcome] = field(default_factory=list)

    def as_dict(self) -> dict[str, float]:
        return {
            "hit@1": self.hit1,
            "hit@3": self.hit3,
            "mrr": self.mrr,
            "no_answer_precision": self.no_answer_precision,
            "no_answer_recall": self.no_answer_recall,
        }

    def misses(self) -> list[str]:
        values = self.as_dict()
        return [f"{k} {values[k]:.3f} < {t:.2f}" for k, t in TARGETS.items() if values[k] < t]


def score(outcomes: list[Outcome]) -> Metrics:
    m = Metrics(n=len(outcomes))
    answerable = [o for o in outcomes if o.question.gold]
    m.answerable = len(answerable)
    if answerable:
        ranks = [o.rank for o in answerable]
        m.hit1 = sum(r == 1 for r in ranks) / len(ranks)
        m.hit3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
        m.mrr = sum(1 / r for r in ranks if r) / len(ranks)
    truth = [not o.question.gold for o in outcomes]
    predicted = [o.decision == "none" for o in outcomes]
    m.no_answer = sum(truth)
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    m.no_answer_precision = tp / sum(predicted) if any(predicted) else 1.0
    m.no_answer_recall = tp / sum(truth) if any(truth) else 1.0
    m.unsure = sum(o.decision == "unsure" for o in outcomes)
    m.failures = [o for o in outcomes if (o.rank != 1 if o.question.gold else bool(o.ids))]
    return m


def run_questions(retriever: Retriever, questions: list[Question]) -> list[Outcome]:
    """Each question through the public API (`Retriever.query`), as the assistant asks it."""
    outcomes = []
    for q in questions:
        result = retriever.query(q.q, region=q.region, year=q.year, status=q.status, k=EVAL_K)
        shown = result.hits if result.decision.kind != "none" else ()
        if result.decision.kind == "unsure":
            shown = shown[:UNSURE_SHOWN]
        outcomes.append(Outcome(q, [h.id for h in shown], result.decision.kind))
    return outcomes


def by_split(outcomes: list[Outcome]) -> dict[str, Metrics]:
    return {
        "all": score(outcomes),
        "dev": score([o for o in outcomes if o.question.split == "dev"]),
        "heldout": score([o for o in outcomes if o.question.split == "heldout"]),
    }


def _format(m: Metrics) -> str:
    return (
        f"n={m.n:3d} Hit@1 {m.hit1:.3f}  Hit@3 {m.hit3:.3f}  MRR {m.mrr:.3f}  "
        f"no-answer P {m.no_answer_precision:.3f} R {m.no_answer_recall:.3f} "
        f"({m.no_answer} no-answer; {m.unsure} 'not sure')"
    )


def report(
    backend: str, results: dict[str, Metrics], verbose: bool = False, log: Any = print
) -> None:
    log(f"\n== {backend}")
    for split, m in results.items():
        log(f"  {split:8} {_format(m)}")
    if verbose and results["all"].failures:
        log("  failures (gold not at rank 1, or an answer where none exists):")
        for o in results["all"].failures:
            gold = ", ".join(o.question.gold) or "[]"
            got = ", ".join(o.ids[:3]) or "[]"
            log(f"    [{o.question.split}] {o.question.q!r}")
            log(f"        gold {gold}\n        got  {got}")


def as_json(results: dict[str, dict[str, Metrics]]) -> str:
    return json.dumps(
        {b: {s: {"n": m.n, **m.as_dict()} for s, m in r.items()} for b, r in results.items()},
        indent=2,
    )

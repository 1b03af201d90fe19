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
  `search(q, k=10)`; an empty result is a miss.
- Region/year phrased only in the text ("… 2021 in Soest?") are *not* extracted by the
  evaluator: `search` sees the plain text (it boosts mentioned regions and years itself),
  and every project that satisfies the question is gold. Filters given as keys are passed.
- No-answer: positive class = gold []; predicted positive = `search` returned [].

Every question falls deterministically (hash of its text) into a dev split (~67 %) or a held-out
split (~33 %). Thresholds and weights are tuned on dev only (`--calibrate`); held-out figures
are reported separately to show whether the tuning generalises.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from index.domain import Knowledge
from index.text import fold

if TYPE_CHECKING:
    from index.retriever import Evidence, Retriever

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
TARGETS: dict[str, float] = {
    "hit@1": 0.90,
    "hit@3": 0.97,
    "mrr": 0.93,
    "no_answer_precision": 0.90,
    "no_answer_recall": 0.90,
}
HELDOUT_EVERY = 3  # one question in three is held out
EVAL_K = 10


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
    ids: list[str]

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
    predicted = [not o.ids for o in outcomes]
    m.no_answer = sum(truth)
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    m.no_answer_precision = tp / sum(predicted) if any(predicted) else 1.0
    m.no_answer_recall = tp / sum(truth) if any(truth) else 1.0
    m.failures = [o for o in outcomes if (o.rank != 1 if o.question.gold else bool(o.ids))]
    return m


def _mask(retriever: Retriever, q: Question) -> Any:
    return retriever.filter_mask(q.region, q.year, q.status)


def evidences(retriever: Retriever, questions: list[Question]) -> list[Evidence]:
    """Evidence per question (the expensive part: one embedding each), for fast re-ranking."""
    from index.retriever import apply_filters

    found = []
    for q in questions:
        ev = retriever.evidence(q.q)
        apply_filters(ev, q.region, q.year, q.status)
        found.append(ev)
    return found


def run_questions(
    retriever: Retriever, questions: list[Question], evs: list[Evidence] | None = None
) -> list[Outcome]:
    evs = evs if evs is not None else evidences(retriever, questions)
    return [
        Outcome(q, [h.id for h in retriever.rank(ev, _mask(retriever, q), k=EVAL_K)])
        for q, ev in zip(questions, evs, strict=True)
    ]


def by_split(outcomes: list[Outcome]) -> dict[str, Metrics]:
    return {
        "all": score(outcomes),
        "dev": score([o for o in outcomes if o.question.split == "dev"]),
        "heldout": score([o for o in outcomes if o.question.split == "heldout"]),
    }


def _objective(m: Metrics) -> float:
    """What calibration maximises: first the shortfalls below the targets (each target is a
    separate requirement, so falling short on one is not bought back by excess on another),
    then the metrics themselves as a tie-break."""
    values = m.as_dict()
    shortfall = sum(min(0.0, values[k] - t) for k, t in TARGETS.items())
    return 10 * shortfall + sum(values.values())


def calibrate(retriever: Retriever, questions: list[Question], log: Any = print) -> None:
    """Grid-search the no-answer score and the fusion weights on the dev split only.

    Prints the best setting with its dev and held-out figures next to the current settings;
    it changes no code: copy the values into `index.retriever` to adopt them. Among equally
    good thresholds the middle of the range is taken, not its edge.
    """
    import numpy as np

    evs = evidences(retriever, questions)
    masks = [_mask(retriever, q) for q in questions]
    dev = [i for i, q in enumerate(questions) if q.split == "dev"]
    held = [i for i, q in enumerate(questions) if q.split == "heldout"]
    original = (retriever.weights, retriever.calibration)

    def outcomes(indices: list[int], answer: list[bool], ranked: list[list[str]]) -> Metrics:
        return score([Outcome(questions[i], ranked[i] if answer[i] else []) for i in indices])

    def rankings() -> list[list[str]]:
        return [
            [h.id for h in retriever.ranked(ev, m, EVAL_K)]
            for ev, m in zip(evs, masks, strict=True)
        ]

    rules = [retriever.rule_decision(ev, m) for ev, m in zip(evs, masks, strict=True)]
    # Per question: z, known share, log(1 + bm25), generic share, supported.
    parts = np.zeros((len(questions), 5))
    for i, (ev, m) in enumerate(zip(evs, masks, strict=True)):
        m = retriever.effective_mask(ev, m)
        if rules[i] is None and m.any():
            z, bm25, supported = retriever.evidence_parts(ev, m)
            parts[i] = (z, ev.known_share, bm25, ev.generic_share, float(supported))
    ranked = rankings()

    english = np.array([ev.english for ev in evs], dtype=float)
    ruled = np.array([r is not None for r in rules])
    rule_value = np.array([bool(r) for r in rules])

    def decisions(
        known_w: float, bm25_w: float, threshold: float, en: float, gen_w: float, sup_w: float
    ) -> list[bool]:
        value = (
            parts[:, 0]
            + known_w * parts[:, 1]
            + bm25_w * parts[:, 2]
            - gen_w * parts[:, 3]
            + sup_w * parts[:, 4]
        )
        return list(np.where(ruled, rule_value, value >= threshold + en * english))

    undecided = [i for i, r in enumerate(rules) if r is None]
    for answerable in (True, False):
        values = sorted(parts[i][0] for i in undecided if bool(questions[i].gold) == answerable)
        if values:
            log(
                f"{'answerable' if answerable else 'no-answer '} (decided by score, n="
                f"{len(values)}) z: min {values[0]:.2f} median {values[len(values) // 2]:.2f} "
                f"max {values[-1]:.2f}"
            )

    # Fast metrics on dev for the grid: rank of the first gold id per question (0 = absent).
    gold = np.array([bool(questions[i].gold) for i in dev])
    ranks = np.array([Outcome(questions[i], ranked[i]).rank or 0 for i in dev], dtype=float)
    n_gold, n_none = max(1, int(gold.sum())), max(1, int((~gold).sum()))
    dev_parts = parts[dev]
    dev_ruled, dev_rule, dev_en = ruled[dev], rule_value[dev], english[dev]
    thresholds = np.round(np.arange(1.5, 10.0, 0.1), 2)

    def grid_values(known_w: float, bm25_w: float, en: float, gen_w: float, sup_w: float):
        value = (
            dev_parts[:, 0]
            + known_w * dev_parts[:, 1]
            + bm25_w * dev_parts[:, 2]
            - gen_w * dev_parts[:, 3]
            + sup_w * dev_parts[:, 4]
            - en * dev_en
        )
        answer = np.where(dev_ruled[:, None], dev_rule[:, None], value[:, None] >= thresholds)
        hit = answer & gold[:, None] & (ranks[:, None] > 0)
        hit1 = (hit & (ranks[:, None] == 1)).sum(0) / n_gold
        hit3 = (hit & (ranks[:, None] <= 3)).sum(0) / n_gold
        mrr = (hit / np.where(ranks > 0, ranks, 1)[:, None]).sum(0) / n_gold
        tp = (~answer & ~gold[:, None]).sum(0)
        predicted = (~answer).sum(0)
        precision = np.where(predicted > 0, tp / np.maximum(predicted, 1), 1.0)
        recall = tp / n_none
        metrics = np.stack([hit1, hit3, mrr, precision, recall])
        targets = np.array(list(TARGETS.values()))[:, None]
        shortfall = np.minimum(0.0, metrics - targets).sum(0)
        return 10 * shortfall + metrics.sum(0)

    # The objective on a fixed grid; among equally good thresholds the middle of the plateau
    # is taken rather than its edge.
    axes = (
        (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0),  # known_weight
        (0.0, 0.25, 0.5, 0.75),  # bm25_weight
        (-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5),  # english_offset
        (0.0, 1.0, 1.5, 2.0, 2.5, 3.0),  # generic_weight
        (0.0, 0.5, 1.0, 1.5),  # support_weight
    )
    best: tuple[Any, ...] | None = None  # (value, plateau width), weights…, threshold
    for known_w, bm25_w, en, gen_w, sup_w in itertools.product(*axes):
        values = grid_values(known_w, bm25_w, en, gen_w, sup_w)
        top = float(values.max())
        plateau = thresholds[values >= top - 1e-9]
        # Equally good settings: prefer the widest plateau (the decision least sensitive to
        # the exact threshold), not the first one on the grid.
        key = (round(top, 9), len(plateau))
        if best is None or key > best[0]:
            best = (key, known_w, bm25_w, en, gen_w, sup_w, float(plateau[len(plateau) // 2]))
    assert best is not None
    _, known_w, bm25_w, en, gen_w, sup_w, threshold = best
    retriever.calibration = replace(
        original[1],
        threshold=threshold,
        known_weight=known_w,
        bm25_weight=bm25_w,
        english_offset=en,
        generic_weight=gen_w,
        support_weight=sup_w,
    )

    # Fusion weights, with the no-answer decision fixed.
    answer = decisions(known_w, bm25_w, threshold, en, gen_w, sup_w)
    w0 = retriever.weights
    best_w = (_objective(outcomes(dev, answer, ranked)), w0)
    for bm25, name, person, region, penalty in itertools.product(
        (0.3, 0.6, 0.9), (0.8, 1.2, 1.6), (1.0, 1.5), (0.35, 0.7, 1.0), (0.0, 0.3)
    ):
        retriever.weights = replace(
            w0, bm25=bm25, name=name, person=person, region=region, topic_penalty=penalty
        )
        value = _objective(outcomes(dev, answer, rankings()))
        if value > best_w[0] + 1e-9:
            best_w = (value, retriever.weights)
    retriever.weights = best_w[1]
    tuned = rankings()
    log(f"best on dev: {retriever.calibration}\n             {retriever.weights}")
    for label, indices in (("dev", dev), ("heldout", held)):
        log(f"  {label:8} " + _format(outcomes(indices, answer, tuned)))
    retriever.weights, retriever.calibration = original
    current = [retriever.answerable(ev, m) for ev, m in zip(evs, masks, strict=True)]
    log("current settings:")
    for label, indices in (("dev", dev), ("heldout", held)):
        log(f"  {label:8} " + _format(outcomes(indices, current, ranked)))


def _format(m: Metrics) -> str:
    return (
        f"n={m.n:3d} Hit@1 {m.hit1:.3f}  Hit@3 {m.hit3:.3f}  MRR {m.mrr:.3f}  "
        f"no-answer P {m.no_answer_precision:.3f} R {m.no_answer_recall:.3f} "
        f"({m.no_answer} no-answer)"
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

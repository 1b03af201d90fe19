"""The answer decision learned on the question bank: `python -m evaluation.decision`.

Whether to answer with the best document of a search, offer candidates („meinen Sie …?“) or
say the documents have nothing (`index.decision`) is learned from the bank's `train` writers:
every turn that stands on its own (not a follow-up) and asks about projects or the programme
(kinds topic, project, programme, stadt_land_digital) is searched as the assistant searches it
— the same query (`Retriever.read`: the names matched, the whole message embedded, as the NLU
does) and the same kinds of document — and labelled by whether the best document is one of its
targets and whether the documents answer it at all. Turns a structural rule decides (a whole
name, a person, a list) are left out, as at run time.

Prints the per-fold figures of 5-fold cross-validation, the thresholds and the
coverage/precision curve per language (all out-of-fold); `--write` saves the parameters
(`index/decision/<backend>.json`). `--split dev` scores the saved decision on the dev writers
(no learning): the share answered, its precision, and no-answer precision and recall.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from evaluation.bank import Item, Labelled, load_bank
from understanding.kinds import main_kind

SEARCHED = {
    "topic": ("project",),
    "project": ("project",),
    "programme": ("topic",),
    "stadt_land_digital": ("topic",),
}
K = 10


@dataclass(frozen=True)
class Searched:
    item: Item
    turn: Labelled
    kinds: tuple[str, ...]


def searched_turns(items: Iterable[Item]) -> list[Searched]:
    """The turns of `items` the decision is for (see the module docstring)."""
    found = []
    for item in items:
        for turn in item.turns:
            kind = main_kind(turn.kinds)
            if kind in SEARCHED and not turn.context:
                found.append(Searched(item, turn, SEARCHED[kind]))
    return found


def rows(retriever, turns: list[Searched]):
    """(turn, ranking, decision row) for every turn no structural rule decides."""
    from index.decision import Labelled as Row

    documents = {d.id for d in retriever.knowledge.documents}
    found = []
    for s in turns:
        ranking = retriever.rank(retriever.read(s.turn.q), kinds=s.kinds, k=K)
        if ranking.rule is not None or not ranking.hits:
            continue
        gold = [t for t in s.turn.targets if t in documents]
        correct = s.turn.answerable and bool(gold) and ranking.hits[0].id in gold
        answerable = s.turn.answerable and bool(gold)
        language = "en" if s.turn.lang == "en" else "de"
        found.append((s, ranking, Row(ranking.features, correct, answerable, language)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.decision", description=__doc__)
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--write", action="store_true", help="save the learned parameters")
    args = parser.parse_args(argv)
    from index.decision import CURVE_STEPS, curve, format_curve, learn
    from index.retriever import open_retriever

    retriever = open_retriever()
    bank = load_bank()
    turns = searched_turns(bank.split(args.split))
    found = rows(retriever, turns)
    labelled = [row for _, _, row in found]
    if args.split == "dev":
        decider = retriever.decider
        said = [decider.decide(r.values).kind for r in labelled]
        report_dev(labelled, said, len(turns))
        return 0
    source = f"{len(labelled)} of {len(turns)} searched turns of the question bank's train writers"
    decider, oof = learn(labelled, trained_on=source)
    print(f"learned on {source} (the others are decided by structural rules)")
    print("fold   n  log-loss   AUC   accuracy@0.5")
    for f in decider.folds:
        print(f"{f['fold']:>4} {f['n']:>3}  {f['log_loss']:8.3f} {f['auc']:6.3f}"
              f"   {f['accuracy@0.5']:.3f}")  # fmt: skip
    print(f"thresholds: unsure_at {decider.unsure_at:.2f}, answer_at {decider.answer_at:.2f}")
    print("coefficients (standardised): "
          + ", ".join(f"{f} {c:+.2f}" for f, c in zip(decider.features, decider.coef,
                                                       strict=True)))  # fmt: skip
    print(format_curve(curve(labelled, oof, CURVE_STEPS)))
    if args.write:
        print(f"wrote {decider.save(retriever.embedder.backend)}")
    return 0


def report_dev(labelled, said: list[str], searched: int) -> None:
    answered = [r for r, s in zip(labelled, said, strict=True) if s == "answer"]
    none_said = [r for r, s in zip(labelled, said, strict=True) if s == "none"]
    gold_none = [r for r in labelled if not r.answerable]
    true_none = [r for r in none_said if not r.answerable]
    print(f"dev: {len(labelled)} of {searched} searched turns decided by the learned decision")
    print(
        f"answered {len(answered)} ({len(answered) / max(1, len(labelled)):.3f}), "
        f"right {sum(r.correct for r in answered) / max(1, len(answered)):.3f}; "
        f"'not sure' {said.count('unsure')}; "
        f"no-answer precision {len(true_none) / max(1, len(none_said)):.3f} "
        f"recall {len(true_none) / max(1, len(gold_none)):.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())

"""`python -m evaluation.followups`: learn how a turn is read with the conversation.

Learns `understanding.followups` (the kind asked and whether the message refers to the
conversation, given the NLU's output, the previous question's kind and the names in the
message) on the conversations of the question bank's `train` writers:

1. every NLU example (`bot/data/nlu.yml`, the bank's train writers in
   `bot/data/generated/bank.yml`) and every train conversation turn is featurised once by the
   trained model's own featurizers (the pipeline up to the classifiers);
2. for each train writer, the kind and "context" classifiers (`understanding.learning`, the
   settings of config.yml) are trained without that writer's questions and read that writer's
   turns: the NLU's outputs as on phrasings it never saw (the featurizers' vocabulary was
   fitted on all of them: a small leak, the same for every writer);
3. the second reading is cross-validated over the writers (leave one writer out) for each
   regularisation strength, and the "context" threshold chosen on its out-of-writer
   probabilities; each fold's accuracy is printed beside the NLU's own and the previous
   prior's (P_nlu × P(kind | previous kind));
4. with `--write`, the model is fitted on all train writers and written to
   `understanding/followups.json`.

Needs a trained model (`make train`); `make learn` runs it. A follow-up turn is every turn after
the first of a conversation whose previous question (small talk aside) has a kind.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from evaluation.bank import Item, load_bank
from evaluation.pipeline import Assistant
from understanding.followups import PATH, Model, Turn
from understanding.kinds import QUESTION_KINDS, main_kind
from understanding.learning import Facets, Kinds, best_threshold, f_beta, regression

ROOT = Path(__file__).resolve().parent.parent
NLU_FILES = (ROOT / "bot" / "data" / "nlu.yml", ROOT / "bot" / "data" / "generated" / "bank.yml")
FEATURES_UNTIL = "run_CountVectorsFeaturizer3"
STRENGTHS = (0.3, 1.0, 3.0)
GATES = (0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    facets: frozenset[str]


@dataclass(frozen=True)
class FollowUp:
    writer: str
    text: str
    previous: str
    kind: str  # the label
    context: bool  # the label
    single: bool = False  # a single question, asked after a drawn previous kind


def nlu_examples() -> list[Example]:
    """The NLU's training examples, read by Rasa's own loader."""
    from rasa.shared.nlu.constants import INTENT, METADATA, TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    found = []
    for path in NLU_FILES:
        for message in load_data(str(path)).intent_examples:
            metadata = message.get(METADATA) or {}
            example = metadata.get("example") if isinstance(metadata, dict) else None
            facets = example.get("facets") if isinstance(example, dict) else None
            found.append(
                Example(str(message.get(TEXT)), str(message.get(INTENT)), frozenset(facets or ()))
            )
    return found


def follow_ups(items: tuple[Item, ...]) -> list[FollowUp]:
    """Every turn after the first of a conversation (small talk aside), and every single
    question as if asked after a previous question: a self-contained question asks the same
    whatever came before (its previous kind drawn, seeded, from the conversations' previous
    kinds), which teaches the model when the previous kind does not matter."""
    found = []
    for item in items:
        previous = None
        for turn in item.turns:
            kind = main_kind(turn.kinds)
            if kind is None:  # small talk: the NLU's word stands, the previous kind stays
                continue
            if previous is not None:
                found.append(FollowUp(item.writer, turn.q, previous, kind, turn.context))
            previous = kind
    previous_kinds = sorted(t.previous for t in found)
    draw = random.Random(42)
    for item in items:
        kind = main_kind(item.turns[0].kinds)
        if not item.conversation and kind is not None:
            previous = draw.choice(previous_kinds)
            found.append(FollowUp(item.writer, item.turns[0].q, previous, kind, False, True))
    return found


def featurise(assistant: Assistant, texts: list[str], dense_weight: float) -> sp.csr_matrix:
    """The sentence features of config.yml's classifiers for each text, by the trained model."""
    from rasa.core.channels.channel import UserMessage

    from rasa_components.classifiers import sentence_features

    runner = assistant.agent.processor.graph_runner
    rows = []
    for start in range(0, len(texts), 256):
        batch = [UserMessage(t) for t in texts[start : start + 256]]
        out = runner.run(inputs={"__message__": batch}, targets=[FEATURES_UNTIL])
        rows.append(sentence_features(out[FEATURES_UNTIL], dense_weight))
    return sp.vstack(rows).tocsr()


def settings() -> tuple[float, float, float]:
    """(kind c, facet c, dense weight) of config.yml."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    by_name = {c["name"].rsplit(".", 1)[-1]: c for c in config["pipeline"]}
    kind, facet = by_name["KindClassifier"], by_name["FacetClassifier"]
    return float(kind["c"]), float(facet["c"]), float(kind.get("dense_weight", 2.0))


def out_of_writer(
    assistant: Assistant, examples: list[Example], turns: list[FollowUp]
) -> list[Turn]:
    """Each follow-up as the second reading sees it, the NLU trained without its writer."""
    from rasa_components.classifiers import KindClassifier

    kind_c, facet_c, weight = settings()
    top = int(KindClassifier.get_default_config()["ranking_length"])
    x_examples = featurise(assistant, [e.text for e in examples], weight)
    x_turns = featurise(assistant, [t.text for t in turns], weight)
    bank = load_bank()
    seen: list[Turn | None] = [None] * len(turns)
    for writer in sorted({t.writer for t in turns}):
        own = {turn.q for item in bank.items if item.writer == writer for turn in item.turns}
        keep = np.array([e.text not in own for e in examples])
        kinds = Kinds.fit(x_examples[keep], [e.kind for e in examples if e.text not in own], kind_c)
        context = Facets.fit(
            x_examples[keep],
            [e.facets & {"context"} for e in examples if e.text not in own],
            facet_c,
        )
        rows = [i for i, t in enumerate(turns) if t.writer == writer]
        p_kinds = kinds.probabilities(x_turns[rows])
        p_context = context.probabilities(x_turns[rows])[:, 0]
        for i, pk, pc in zip(rows, p_kinds, p_context, strict=True):
            order = np.argsort(-pk)[:top]
            ranking = {kinds.classes[j]: float(pk[j]) for j in order}
            names = tuple(assistant.retriever.names.match(turns[i].text))
            words = len(turns[i].text.split())
            seen[i] = Turn(ranking, float(pc), turns[i].previous, names, words)
        print(f"  NLU without {writer}: {len(rows)} follow-ups read", flush=True)
    return [s for s in seen if s is not None]


def fit(
    x: np.ndarray, y: np.ndarray, refers: np.ndarray, single: np.ndarray, chosen: Chosen
) -> Model:
    """The kind model learned on the follow-ups, the "refers" model on all turns."""
    kinds = regression(chosen.kind_c).fit(x[~single], y[~single])
    context = regression(chosen.context_c).fit(x, refers)
    return Model(
        tuple(str(k) for k in kinds.classes_),
        kinds.coef_,
        kinds.intercept_,
        context.coef_[0],
        float(context.intercept_[0]),
        chosen.context_at,
        chosen.gate,
    )


@dataclass(frozen=True)
class Chosen:
    kind_c: float
    gate: float
    context_c: float
    context_at: float


def prior_kind(turn: Turn, table: dict[str, dict[str, float]]) -> str:
    """The previous reading: the NLU's ranking × P(kind | previous kind), when "context"."""
    prior = table.get(turn.previous or "", {})
    ranking = {k: p for k, p in turn.kinds.items() if k in QUESTION_KINDS}
    nlu = max(turn.kinds, key=turn.kinds.get)
    if turn.context < 0.5 or not prior or nlu not in QUESTION_KINDS:
        return nlu
    return max(ranking, key=lambda k: ranking[k] * prior.get(k, 0.0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.followups", description=__doc__)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    turns = follow_ups(load_bank().split("train"))
    single = np.array([t.single for t in turns])
    print(
        f"{int((~single).sum())} follow-up turns of the train writers' conversations, "
        f"{int(single.sum())} single questions after a drawn previous kind"
    )
    seen = out_of_writer(Assistant.load(), nlu_examples(), turns)
    x = np.array([s.features() for s in seen])
    y = np.array([t.kind for t in turns])
    refers = np.array([t.context for t in turns])
    writers = np.array([t.writer for t in turns])
    names = sorted(set(writers))
    p_context = np.array([s.context for s in seen])
    nlu = np.array([max(s.kinds, key=s.kinds.__getitem__) for s in seen])
    pairs = Counter((t.previous, t.kind) for t in turns if t.context)
    after = Counter(t.previous for t in turns if t.context)
    table = {  # P(kind | previous kind), add-one smoothed over the question kinds
        p: {k: (pairs[(p, k)] + 1) / (after[p] + len(QUESTION_KINDS)) for k in QUESTION_KINDS}
        for p in {t.previous for t in turns}
    }
    prior = np.array([prior_kind(s, table) for s in seen])

    def accuracy(predicted: np.ndarray, rows: np.ndarray) -> float:
        return float((predicted[rows] == y[rows]).mean())

    # the kind: learned on follow-ups, read where P(context) >= gate; both chosen together
    grid = {}
    for c in STRENGTHS:
        learned = np.empty(len(turns), dtype=object)
        for writer in names:
            test = writers == writer
            train = ~test & ~single
            learned[test] = regression(c).fit(x[train], y[train]).predict(x[test])
        for gate in GATES:
            grid[(c, gate)] = np.where(p_context >= gate, learned, nlu)
    score = {key: accuracy(p, ~single) + accuracy(p, single) for key, p in grid.items()}
    kind_c, gate = max(score, key=score.__getitem__)
    print("\nkind accuracy, leave one writer out, follow-ups / single questions (all writers):")
    for (c, g), predicted in grid.items():
        both = f"{accuracy(predicted, ~single):.3f} / {accuracy(predicted, single):.3f}"
        print(f"  c={c:<5} gate {g}: {both}")
    chosen_kinds = grid[(kind_c, gate)]
    print(
        f"chosen c={kind_c}, gate {gate}; per writer beside the NLU alone and the previous prior:"
    )
    for writer in names:
        fu, one = (writers == writer) & ~single, (writers == writer) & single
        figures = [
            f"{label} {accuracy(p, fu):.3f} / {accuracy(p, one):.3f}"
            for label, p in (
                ("learned", chosen_kinds),
                ("NLU alone", nlu),
                ("with the prior", prior),
            )
        ]
        print(f"  {writer}: " + ", ".join(figures))
    # whether the message refers to the conversation: learned on all turns, F1 out of writer
    best = None
    for c in STRENGTHS:
        oof = np.zeros(len(turns))
        for writer in names:
            test = writers == writer
            oof[test] = regression(c).fit(x[~test], refers[~test]).predict_proba(x[test])[:, 1]
        at = best_threshold(oof, refers)
        f1 = f_beta(oof >= at, refers)
        if best is None or f1 > best[0]:
            best = (f1, c, at, oof)
    assert best is not None
    _, context_c, context_at, oof = best
    print(
        f"\n'refers to the conversation' (c={context_c}, threshold {context_at}), F1 out of writer:"
    )
    for writer in names:
        test = writers == writer
        print(
            f"  {writer}: learned {f_beta(oof[test] >= context_at, refers[test]):.3f}, "
            f"the facet alone (0.5) {f_beta(p_context[test] >= 0.5, refers[test]):.3f}"
        )
    if args.write:
        chosen = Chosen(kind_c, gate, context_c, context_at)
        model = fit(x, y, refers, single, chosen)
        learned_from = (
            f"{int((~single).sum())} follow-ups and {int(single.sum())} single questions "
            "of the bank's train writers"
        )
        PATH.write_text(model.to_json(learned_from, asdict(chosen)), encoding="utf-8")
        print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

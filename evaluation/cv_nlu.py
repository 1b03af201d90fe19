"""`make cv-nlu`: choose the kind classifier's regularisation by cross-validation.

Trains the NLU of config.yml once more, into a temporary folder, with the kind classifier's
`cross_validate` set to the strengths given (5 folds on the training data: the bank's train
writers and bot/data/nlu.yml), and prints the accuracy of every fold and strength, and the
facet classifier's per-fold F1 and thresholds (which it chooses by cross-validation in every
training). The model trained here is thrown away; config.yml keeps the chosen `c`.

    python -m evaluation.cv_nlu [--c 4 8 16 32]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REPORTED = ("KindClassifier c=", "FacetClassifier fold", "FacetClassifier thresholds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.cv_nlu", description=__doc__)
    parser.add_argument("--c", type=float, nargs="+", default=[4.0, 8.0, 16.0, 32.0])
    args = parser.parse_args(argv)
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("KindClassifier"):
            component["cross_validate"] = args.c
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        command = [
            str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config", str(path),
            "--nlu", str(ROOT / "bot" / "data"), "--out", folder, "--fixed-model-name", "cv",
        ]  # fmt: skip
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    lines = [
        line for line in (run.stdout + run.stderr).splitlines() if any(r in line for r in REPORTED)
    ]
    for line in lines:
        print(line.split(" - ", 1)[-1])
    if run.returncode != 0:
        print(run.stderr[-2000:], file=sys.stderr)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())

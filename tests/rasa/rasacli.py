"""Running the Rasa CLI from tests: subprocesses in the project root, results in results/rasa/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv" / "bin" / "rasa"
RESULTS = ROOT / "results" / "rasa"
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}
TRAIN = [
    "train", "--config", "config.yml", "--domain", "bot/domain.yml",
    "--data", "bot/data", "--out", "bot/models",
]  # fmt: skip


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run `rasa <args>` in the project root; the output is kept for the failure message."""
    return subprocess.run(
        [str(RASA), *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def tail(result: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    return "\n".join((result.stdout + result.stderr).splitlines()[-lines:])

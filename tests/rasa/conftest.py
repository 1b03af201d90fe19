"""Fixtures of the Rasa tests: generated NLU data and a trained model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.rasa.rasacli import TRAIN, rasa, tail  # noqa: E402


@pytest.fixture(scope="session")
def generated_data() -> Path:
    """bot/data/generated/bank.yml, regenerated from the question bank's train split
    (deterministic, cheap; unchanged data leaves the file and so the trained model alone)."""
    subprocess.run(
        [sys.executable, "scripts/generate_nlu.py"], cwd=ROOT, check=True, capture_output=True
    )
    return ROOT / "bot" / "data" / "generated" / "bank.yml"


@pytest.fixture(scope="session")
def model(generated_data: Path) -> Path:
    """The trained model for the current data: `rasa train` only retrains what changed."""
    result = rasa(*TRAIN)
    assert result.returncode == 0, f"rasa train failed:\n{tail(result)}"
    models = sorted((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    assert models, "rasa train produced no model"
    return models[-1]

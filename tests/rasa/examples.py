"""Read NLU examples (text without entity markup, lower-cased) from Rasa YAML files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples(path: Path) -> set[str]:
    """All intent examples under `path` (a file or a folder of YAML files)."""
    files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    found: set[str] = set()
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.add(" ".join(_ENTITY.sub(r"\1", line[2:]).lower().split()))
    return found

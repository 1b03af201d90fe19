"""Read NLU examples from Rasa YAML files, in either of Rasa's two forms: a block of "- text"
lines (entity markup removed) or a list of {text, metadata} (the facets in the metadata)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    intent: str
    text: str
    facets: tuple[str, ...] = ()


def _files(path: Path) -> list[Path]:
    return sorted(path.rglob("*.yml")) if path.is_dir() else [path]


def read(path: Path) -> list[Example]:
    """Every intent example under `path` (a file or a folder of YAML files)."""
    found: list[Example] = []
    for file in _files(path):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            raw = block.get("examples") or []
            if isinstance(raw, str):
                rows = [
                    {"text": line.strip()[2:]}
                    for line in raw.splitlines()
                    if line.strip().startswith("- ")
                ]
            else:
                rows = [r if isinstance(r, dict) else {"text": str(r)} for r in raw]
            for row in rows:
                text = " ".join(_ENTITY.sub(r"\1", str(row["text"])).split())
                facets = ((row.get("metadata") or {}).get("facets")) or ()
                found.append(Example(str(block["intent"]), text, tuple(facets)))
    return found


def examples(path: Path) -> set[str]:
    """The texts of every intent example under `path`, lower-cased."""
    return {e.text.lower() for e in read(path)}

"""The question bank (`tests/eval/bank/`): labelled questions as people really ask them.

Each writer's file holds single questions and conversations of 2–4 turns, every turn
labelled with its language, the kinds and aspects asked, the targets (knowledge ids), the
filters, whether the documents answer it and the facts a right answer must contain
(`tests/eval/bank/SCHEMA.md`). `load_bank` reads and validates them once; a problem names the
file, the item and the field. `splits.yml` assigns each writer to `train` or `dev`, so that
what is trained or tuned on never scores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from understanding.kinds import ASPECTS, QUESTION_KINDS

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "tests" / "eval" / "bank"

Split = Literal["train", "dev"]

# The bank's kinds (SCHEMA.md): the assistant's questions about the documents, small talk as
# one kind, and "current" (a question about today, beside its main kind).
KINDS: tuple[str, ...] = (*QUESTION_KINDS, "smalltalk", "current")
# The bank's aspects (SCHEMA.md) are the assistant's: one list, `understanding.kinds.ASPECTS`.
BEYOND: tuple[str, ...] = (
    "cost",
    "phone",
    "first_name",
    "after_2019",
    "today",
    "other_city",
    "other_project",
    "service",
    "opinion",
    "personal_data",
    "other",
)
LANGUAGES = ("de", "en", "mixed")
RELATIONS = ("running", "starts", "ends", "before", "after")
STATUSES = ("planned", "in_review", "running")


class BankError(ValueError):
    """The bank does not validate; the message lists every problem with file, item, field."""


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    year: int | None = None
    relation: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Labelled:
    """One user turn and its labels."""

    q: str
    lang: str
    kinds: tuple[str, ...]
    aspects: tuple[str, ...]
    targets: tuple[str, ...]  # knowledge ids, person:<surname>, or ("none",)
    answerable: bool
    filters: Filters = Filters()
    beyond: tuple[str, ...] = ()
    must: tuple[str, ...] = ()
    must_any: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    context: bool = False  # only makes sense with the earlier turns

    @property
    def about_nothing(self) -> bool:
        return self.targets == ("none",)

    @property
    def two_things(self) -> bool:
        return len(self.kinds) > 1 or len(self.aspects) > 1


@dataclass(frozen=True)
class Item:
    """A single question (one turn) or a conversation (2–4 turns) of one writer."""

    id: str
    writer: str
    persona: str
    lang: str
    turns: tuple[Labelled, ...]
    note: str = ""
    source: str = ""  # the file it came from

    @property
    def conversation(self) -> bool:
        return len(self.turns) > 1

    @property
    def last(self) -> Labelled:
        return self.turns[-1]


@dataclass(frozen=True)
class Bank:
    items: tuple[Item, ...]
    splits: Mapping[str, Split]  # writer → split

    def split(self, name: Split) -> tuple[Item, ...]:
        return tuple(i for i in self.items if self.splits.get(i.writer) == name)

    def writers(self, name: Split | None = None) -> tuple[str, ...]:
        found = dict.fromkeys(i.writer for i in self.items)
        return tuple(w for w in found if name is None or self.splits.get(w) == name)

    def turns(self, items: Iterable[Item] | None = None) -> Iterator[tuple[Item, Labelled]]:
        for item in self.items if items is None else items:
            for turn in item.turns:
                yield item, turn


# --------------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems

    def fail(self, field: str, message: str) -> None:
        self.problems.append(f"{self.where}: {field}: {message}")

    def text(self, raw: Mapping[str, Any], field: str, required: bool = True) -> str:
        value = raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "missing")
            return ""
        if not isinstance(value, str | int | float):
            self.fail(field, f"not a text: {value!r}")
            return ""
        return str(value)

    def texts(self, raw: Mapping[str, Any], field: str) -> tuple[str, ...]:
        value = raw.get(field)
        if value is None:
            return ()
        if isinstance(value, str | int | float):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            self.fail(field, f"not a list of texts: {value!r}")
            return ()
        return tuple(str(v) for v in value)

    def choices(
        self, raw: Mapping[str, Any], field: str, allowed: tuple[str, ...]
    ) -> tuple[str, ...]:
        values = self.texts(raw, field)
        for value in values:
            if value not in allowed:
                self.fail(field, f"{value!r} is none of {', '.join(allowed)}")
        return tuple(v for v in values if v in allowed)


def _filters(r: _Reader, raw: Any) -> Filters:
    if raw is None:
        return Filters()
    if not isinstance(raw, Mapping):
        r.fail("filters", f"not a mapping: {raw!r}")
        return Filters()
    year = raw.get("year")
    if year is not None and not (isinstance(year, int) or str(year).isdigit()):
        r.fail("filters.year", f"not a year: {year!r}")
        year = None
    relation = raw.get("relation")
    if relation is not None and relation not in RELATIONS:
        r.fail("filters.relation", f"{relation!r} is none of {', '.join(RELATIONS)}")
        relation = None
    status = raw.get("status")
    if status is not None and status not in STATUSES:
        r.fail("filters.status", f"{status!r} is none of {', '.join(STATUSES)}")
        status = None
    region = raw.get("region")
    return Filters(
        region=str(region) if region else None,
        year=int(year) if year is not None else None,
        relation=relation,
        status=status,
    )


def _turn(r: _Reader, raw: Any, lang: str) -> Labelled | None:
    if not isinstance(raw, Mapping):
        r.fail("turn", f"not a mapping: {raw!r}")
        return None
    q = r.text(raw, "q")
    turn_lang = str(raw.get("lang") or lang)
    if turn_lang not in LANGUAGES:
        r.fail("lang", f"{turn_lang!r} is none of {', '.join(LANGUAGES)}")
    kinds = r.choices(raw, "kinds", KINDS)
    if not kinds:
        r.fail("kinds", "missing")
    targets = r.texts(raw, "targets")
    if not targets:
        r.fail("targets", "missing (use [none])")
    answerable = raw.get("answerable")
    if not isinstance(answerable, bool):
        r.fail("answerable", f"not true/false: {answerable!r}")
    return Labelled(
        q=q,
        lang=turn_lang,
        kinds=kinds,
        aspects=r.choices(raw, "aspects", ASPECTS),
        targets=targets,
        answerable=bool(answerable),
        filters=_filters(r, raw.get("filters")),
        beyond=r.choices(raw, "beyond", BEYOND),
        must=r.texts(raw, "must"),
        must_any=r.texts(raw, "must_any"),
        must_not=r.texts(raw, "must_not"),
        context=bool(raw.get("context", False)),
    )


def _item(raw: Any, writer: str, source: str, problems: list[str]) -> Item | None:
    if not isinstance(raw, Mapping) or not raw.get("id"):
        problems.append(f"{source}: an item without id: {str(raw)[:80]!r}")
        return None
    r = _Reader(f"{source}: {raw['id']}", problems)
    lang = str(raw.get("lang") or "")
    if "turns" in raw:
        turns_raw = raw["turns"]
        if not isinstance(turns_raw, list) or not 2 <= len(turns_raw) <= 4:
            r.fail("turns", "a conversation has 2 to 4 turns")
            turns_raw = turns_raw if isinstance(turns_raw, list) else []
    else:
        turns_raw = [raw]
        lang = lang or str(raw.get("lang") or "")
    if lang not in LANGUAGES:
        r.fail("lang", f"{lang!r} is none of {', '.join(LANGUAGES)}")
    turns = [_turn(r, t, lang) for t in turns_raw]
    return Item(
        id=str(raw["id"]),
        writer=writer,
        persona=str(raw.get("persona") or ""),
        lang=lang,
        turns=tuple(t for t in turns if t is not None),
        note=str(raw.get("note") or ""),
        source=source,
    )


def load_bank(directory: Path = BANK_DIR) -> Bank:
    """Read every `<writer>*.yml` of the bank and `splits.yml`; raise `BankError` listing
    every problem."""
    problems: list[str] = []
    items: list[Item] = []
    for path in sorted(directory.glob("w*.yml")):
        rel = path.relative_to(directory.parent.parent.parent) if path.is_absolute() else path
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(f"{rel}: not YAML: {exc}")
            continue
        writer = str(data.get("writer") or "")
        if not writer:
            problems.append(f"{rel}: writer: missing")
        for raw in data.get("items") or ():
            item = _item(raw, writer, str(rel), problems)
            if item is not None:
                items.append(item)
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{item.source}: {item.id}: id: used twice")
        seen.add(item.id)
    splits = _splits(directory / "splits.yml", problems)
    for writer in dict.fromkeys(i.writer for i in items):
        if writer not in splits:
            problems.append(f"splits.yml: writer {writer!r} is in no split")
    if problems:
        raise BankError("\n".join(problems))
    return Bank(tuple(items), splits)


def _splits(path: Path, problems: list[str]) -> dict[str, Split]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: {exc}")
        return {}
    found: dict[str, Split] = {}
    for split in ("train", "dev"):
        for writer in raw.get(split) or ():
            found[str(writer)] = split  # type: ignore[assignment]
    return found


def describe(bank: Bank) -> str:
    """The bank's make-up: items per writer and split, turns per language and kind, and the
    shares the bank was written to (English, not answerable, services, two-part)."""
    from collections import Counter

    lines = []
    singles = [i for i in bank.items if not i.conversation]
    conversations = [i for i in bank.items if i.conversation]
    turns = [t for i in bank.items for t in i.turns]
    lines.append(
        f"{len(bank.items)} items: {len(singles)} single questions, {len(conversations)} "
        f"conversations ({sum(len(i.turns) for i in conversations)} turns); {len(turns)} turns"
    )
    lines.append("\nwriter  split  singles  conversations  turns")
    for writer in bank.writers():
        own = [i for i in bank.items if i.writer == writer]
        lines.append(
            f"{writer:<7} {bank.splits.get(writer, '?'):<6} "
            f"{sum(not i.conversation for i in own):>7} {sum(i.conversation for i in own):>14} "
            f"{sum(len(i.turns) for i in own):>6}"
        )

    def share(count: int, total: int) -> str:
        return f"{count} ({100 * count / max(1, total):.1f} %)"

    n = len(singles)
    lines.append("\nsingle questions:")
    for lang, count in Counter(i.last.lang for i in singles).most_common():
        lines.append(f"  language {lang}: {share(count, n)}")
    lines.append(f"  not answerable: {share(sum(not i.last.answerable for i in singles), n)}")
    lines.append(
        f"  general municipal service: {share(sum('service' in i.last.kinds for i in singles), n)}"
    )
    lines.append(f"  two things at once: {share(sum(i.last.two_things for i in singles), n)}")
    lines.append("\nturns per kind (a turn may have two):")
    kinds = Counter(k for t in turns for k in t.kinds)
    for kind, count in kinds.most_common():
        lines.append(f"  {kind:<20} {count:>5}")
    lines.append(
        f"\nturns per language: {dict(Counter(t.lang for t in turns).most_common())}; "
        f"answerable {sum(t.answerable for t in turns)}, not {sum(not t.answerable for t in turns)}"
    )
    return "\n".join(lines)

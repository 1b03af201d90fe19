"""How the understanding of a turn is scored against the bank's labels (`make eval-bank`).

A reading of a turn (`Reading`) is what the assistant understood: the kinds and aspects asked,
the targets, and whether it answers from the documents. It is compared with the labels:

- **kind**: right when the main kind read is one of the labelled kinds (a question may ask
  two kinds); `kinds exact` additionally needs the same set of kinds (`current` aside, which
  marks a question about today on top of another kind);
- **aspect** (turns labelled with aspects): right when the set of aspects read equals the
  labels;
- **target** (turns labelled with targets of the documents and answerable): right when the
  first target read is one of the labelled targets — for a list (a region's projects, a count,
  an ordering, a period or status filter, a region's make-up), whose labels name the region
  or the projects, when what is read and the labels share one; turns labelled `none` are
  right when nothing of the documents is read as the target or the reading says "not in the
  documents";
- **answerable**: no-answer precision and recall over all turns.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evaluation.bank import Item, Labelled

OVERLAY_KINDS = frozenset({"current"})
LIST_KINDS = frozenset(
    {"region_projects", "region_makeup", "count", "ordering", "period_filter", "status_filter"}
)


@dataclass(frozen=True)
class Reading:
    kinds: tuple[str, ...]  # main kind first
    aspects: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # most relevant first
    answerable: bool = True

    @property
    def kind(self) -> str:
        return self.kinds[0] if self.kinds else "?"


@dataclass(frozen=True)
class Scored:
    item: Item
    index: int  # turn number within the item
    label: Labelled
    reading: Reading

    @property
    def kind_ok(self) -> bool:
        read, labelled = self.reading, set(self.label.kinds)
        return read.kind in labelled or (
            read.kind in OVERLAY_KINDS and bool(set(read.kinds) & labelled)
        )

    @property
    def kinds_exact(self) -> bool:
        return set(self.reading.kinds) - OVERLAY_KINDS == set(self.label.kinds) - OVERLAY_KINDS

    @property
    def has_aspects(self) -> bool:
        return bool(self.label.aspects)

    @property
    def aspects_ok(self) -> bool:
        return set(self.reading.aspects) == set(self.label.aspects)

    @property
    def has_targets(self) -> bool:
        return not self.label.about_nothing and self.label.answerable

    @property
    def target_ok(self) -> bool:
        if self.label.about_nothing:
            return not self.reading.answerable or not self.reading.targets
        if self.label.kinds[0] in LIST_KINDS:
            return bool(set(self.reading.targets) & set(self.label.targets))
        return bool(self.reading.targets) and self.reading.targets[0] in self.label.targets

    @property
    def followup(self) -> bool:
        return self.index > 0


@dataclass
class Tally:
    n: int = 0
    ok: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.ok += bool(ok)

    @property
    def rate(self) -> float:
        return self.ok / self.n if self.n else float("nan")

    def __str__(self) -> str:
        return f"{self.rate:6.3f} ({self.ok}/{self.n})" if self.n else "     –"


@dataclass
class Report:
    scored: list[Scored]
    groups: dict[str, dict[str, dict[str, Tally]]] = field(default_factory=dict)

    @classmethod
    def of(cls, scored: Iterable[Scored]) -> Report:
        report = cls(list(scored))
        for s in report.scored:
            keys = {
                "all": "all",
                "language": s.label.lang,
                "writer": s.item.writer,
                "turn": "follow-up" if s.followup else "first",
            }
            for group, key in keys.items():
                tallies = report.groups.setdefault(group, {}).setdefault(key, defaultdict(Tally))
                tallies["kind"].add(s.kind_ok)
                tallies["kinds exact"].add(s.kinds_exact)
                if s.has_aspects:
                    tallies["aspect"].add(s.aspects_ok)
                if s.has_targets or s.label.about_nothing:
                    tallies["target"].add(s.target_ok)
        return report

    def no_answer(self) -> tuple[float, float, int, int, int]:
        said = [s for s in self.scored if not s.reading.answerable]
        gold = [s for s in self.scored if not s.label.answerable]
        true = [s for s in said if not s.label.answerable]
        precision = len(true) / len(said) if said else float("nan")
        recall = len(true) / len(gold) if gold else float("nan")
        return precision, recall, len(true), len(said), len(gold)

    def confusion(self) -> Counter[tuple[str, str]]:
        """(labelled main kind, kind read) of the turns whose kind was wrong."""
        return Counter((s.label.kinds[0], s.reading.kind) for s in self.scored if not s.kind_ok)

    def render(self, title: str = "") -> str:
        lines = [title] if title else []
        columns = ("kind", "kinds exact", "aspect", "target")
        for group in ("all", "language", "turn", "writer"):
            lines.append(f"\n{group:<12}" + "".join(f"{c:>20}" for c in columns))
            for key, tallies in sorted(self.groups.get(group, {}).items()):
                lines.append(f"{key:<12}" + "".join(f"{tallies[c]!s:>20}" for c in columns))
        p, r, true, said, gold = self.no_answer()
        lines.append(
            f"\nno-answer: precision {p:.3f} ({true}/{said}), recall {r:.3f} ({true}/{gold})"
        )
        confusion = self.confusion()
        if confusion:
            lines.append("\nkind confusions (labelled → read), most frequent first:")
            lines += [f"  {a:<20} → {b:<20} {n:>4}" for (a, b), n in confusion.most_common(25)]
        return "\n".join(lines)


def score(item: Item, readings: Sequence[Reading]) -> list[Scored]:
    return [
        Scored(item, i, label, reading)
        for i, (label, reading) in enumerate(zip(item.turns, readings, strict=True))
    ]

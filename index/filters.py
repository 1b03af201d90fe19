"""Hard filters over the documents: kind, region, status and the years a project is active.

`Filters` holds the per-document facts once per knowledge base, so a filter is a few numpy
comparisons rather than a loop over the documents per question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from index.domain import STATUSES, Document, Knowledge, Project

KINDS: tuple[str, ...] = ("project", "topic")


class UnknownRegion(ValueError):
    """A region filter that names no model region."""


class Filters:
    def __init__(self, knowledge: Knowledge, resolve_region: Callable[[str], str | None]) -> None:
        self.documents: tuple[Document, ...] = knowledge.documents
        self.regions = {r.id for r in knowledge.regions}
        self._resolve = resolve_region
        self.is_project = np.array([isinstance(d, Project) for d in self.documents], dtype=bool)
        self.kind = np.array([d.kind for d in self.documents])
        self.region_of = np.array([getattr(d, "region", None) or "" for d in self.documents])
        self.status = np.array([getattr(d, "status", None) or "" for d in self.documents])
        periods = [d.period if isinstance(d, Project) else None for d in self.documents]
        # First and last active year per document; -1/9999 for an open end, 0 = no dates.
        self.dated = np.array(
            [p is not None and (p.start is not None or p.end is not None) for p in periods]
        )
        self.first = np.array([p.start.year if p and p.start else -1 for p in periods])
        self.last = np.array([p.end.year if p and p.end else 9999 for p in periods])

    def region_id(self, region: str) -> str:
        if region in self.regions:
            return region
        found = self._resolve(region)
        if found:
            return found
        known = ", ".join(sorted(self.regions))
        raise UnknownRegion(f"unknown region {region!r}; known regions: {known}")

    def active_in(self, year: int) -> np.ndarray:
        return self.dated & (self.first <= year) & (year <= self.last)

    def status_is(self, status: str) -> np.ndarray:
        return self.status == status

    def mask(
        self,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = KINDS,
    ) -> np.ndarray:
        """Which documents pass the hard filters; raises on an unknown region or status.
        A region, year or status filter keeps only projects (topics have none of them)."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use {', '.join(STATUSES)}")
        mask = np.isin(self.kind, list(kinds))
        if region is not None:
            mask &= self.region_of == self.region_id(region)
        if status is not None:
            mask &= self.status_is(status)
        if year is not None:
            mask &= self.active_in(year)
        if region is not None or status is not None or year is not None:
            mask &= self.is_project
        return mask

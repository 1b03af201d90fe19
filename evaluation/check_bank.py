"""`make check-bank`: the bank's labels checked against `knowledge/`.

For every labelled turn:

- every target and the region filter exist (project, region, actor, programme topic, or a
  contact's `person:<surname>`);
- an e-mail address a right answer must contain belongs to a contact of a target (of a
  project, its region's office counts too; of a region, its projects' contacts) and is
  printed exactly so; the reply to an unanswerable turn may name any printed contact;
- a year a right answer must contain lies within the period of a project target;
- every other fact a right answer must contain occurs in the text of a target (compared
  folded, so "Buergerportal" matches "Bürgerportal"); counts are skipped;
- an answerable turn names a target of the documents, and an unanswerable one requires no
  fact.

Prints each disagreement with file, item and field. The documents decide each one: either the
label or `knowledge/` is wrong, and that is corrected (tests/eval/bank/README.md lists them).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass

from evaluation.bank import BankError, Item, Labelled, describe, load_bank
from index.domain import Contact, Knowledge, Project
from index.loader import load
from index.text import fold

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The printed forms of a status ("GovBot (in Planung)", "in der Antragsprüfung").
STATUS_WORDS = {
    "planned": ["geplant", "in Planung"],
    "in_review": ["in der Antragsprüfung"],
    "running": ["bewilligt", "laufend"],
}
# A count ("5", "fünf"): answered from the list, not printed in a target's text.
COUNT = re.compile(
    r"^\s*\d{1,3}\s*$|^(?:eins|zwei|drei|vier|fünf|sechs|one|two|three|four|five|six)$", re.I
)


@dataclass(frozen=True)
class Problem:
    item: Item
    turn: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.item.source}: {self.item.id}"
        if self.item.conversation:
            where += f" turn {self.turn + 1}"
        return f"{where}: {self.field}: {self.message}"


class Targets:
    """What the knowledge knows of each target id: its contacts, text and period."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.contacts: dict[str, list[Contact]] = {}
        self.texts: dict[str, str] = {}
        self.projects = {p.id: p for p in knowledge.projects}
        regions = {r.id: r for r in knowledge.regions}
        for region in knowledge.regions:
            own = [c for p in knowledge.projects if p.region == region.id for c in p.contacts]
            self.contacts[region.id] = list(region.contacts) + own
            parts = [region.name, region.short_name, *region.aliases, region.lead_municipality]
            parts += [*region.partners, region.district_government, region.summary]
            parts += [p.title for p in knowledge.projects if p.region == region.id]
            self.texts[region.id] = " ".join(parts + _contact_texts(region.contacts))
        for project in knowledge.projects:
            own = list(project.contacts)
            office = list(regions[project.region].contacts) if project.region in regions else []
            self.contacts[project.id] = own + office
            region = regions.get(project.region or "")
            parts = [project.text, project.municipality, *project.aliases]
            if project.period is not None:
                parts.append(project.period.printed)
            if region is not None:
                parts += [region.name, region.lead_municipality, *region.partners]
            parts += STATUS_WORDS.get(project.status or "", [])
            self.texts[project.id] = " ".join(parts + _contact_texts(project.contacts))
        for actor in knowledge.actors:
            self.contacts[actor.id] = list(actor.contacts)
            self.texts[actor.id] = " ".join(
                [actor.name, actor.short_name, actor.summary, *_contact_texts(actor.contacts)]
            )
        for topic in knowledge.topics:
            self.contacts[topic.id] = []
            date = topic.source.date
            self.texts[topic.id] = f"{topic.title} {topic.text} {date.year} {date:%d.%m.%Y}"
        for contact, owner in knowledge.contacts():
            pid = contact.person_id
            self.contacts.setdefault(pid, []).append(contact)
            owner_text = self.texts.get(owner, "")
            self.texts[pid] = " ".join([self.texts.get(pid, ""), *_contact_texts([contact])])
            self.texts[pid] += " " + owner_text[:200]

    @property
    def all_emails(self) -> set[str]:
        return {c.email for c, _ in self.knowledge.contacts() if c.email}

    def known(self, target: str) -> bool:
        return target in self.texts

    def emails(self, targets: tuple[str, ...]) -> set[str]:
        found = {c.email for t in targets for c in self.contacts.get(t, []) if c.email}
        for target in targets:  # a topic of an actor's talk: the actor's printed contacts
            if target.startswith("stadt-land-digital"):
                found |= {c.email for c in self.contacts.get("stadt-land-digital", []) if c.email}
        return found

    def text(self, targets: tuple[str, ...]) -> str:
        return fold(" ".join(self.texts.get(t, "") for t in targets))


def _contact_texts(contacts) -> list[str]:
    return [
        " ".join(x for x in (c.display_name, c.role, c.organisation, c.email, c.phone) if x)
        for c in contacts
    ]


def _in_period(project: Project, year: int) -> bool | None:
    period = project.period
    if period is None or period.start is None or period.end is None:
        return None
    return period.start.year <= year <= period.end.year


def check_turn(item: Item, index: int, turn: Labelled, targets: Targets) -> list[Problem]:
    problems: list[Problem] = []

    def fail(field: str, message: str) -> None:
        problems.append(Problem(item, index, field, message))

    ids = tuple(t for t in turn.targets if t != "none")
    for target in ids:
        if not targets.known(target):
            fail("targets", f"{target!r} is no id of the knowledge")
    if turn.filters.region and turn.filters.region not in {r.id for r in targets.knowledge.regions}:
        fail("filters.region", f"{turn.filters.region!r} is no region")
    if turn.answerable and not ids and "smalltalk" not in turn.kinds:
        fail("targets", "answerable, but no target of the documents")
    if not turn.answerable and turn.must:
        fail("must", f"not answerable, but requires {list(turn.must)}")
    known = [t for t in ids if targets.known(t)]
    if not known:
        return problems
    # an unanswerable turn's reply names who could help: any printed address will do
    emails = targets.emails(tuple(known)) if turn.answerable else targets.all_emails
    text = targets.text(tuple(known))
    for field, values in (("must", turn.must), ("must_any", turn.must_any)):
        misses = []
        for value in values:
            for address in EMAIL.findall(value):
                if address not in emails:
                    close = [e for e in emails if e.lower() == address.lower()]
                    hint = f" (printed {close[0]!r})" if close else ""
                    fail(field, f"e-mail {address!r} is no contact of {known}{hint}")
            if EMAIL.search(value) or COUNT.match(value):
                continue
            for year in YEAR.findall(value):
                verdicts = [
                    _in_period(targets.projects[t], int(year))
                    for t in known
                    if t in targets.projects
                ]
                if verdicts and all(v is False for v in verdicts):
                    fail(field, f"year {year} outside the period of every target {known}")
            if fold(value) not in text:
                misses.append(value)
        if misses and (field == "must" or len(misses) == len(values)):
            fail(field, f"not in the text of {known}: {misses}")
    for value in turn.must_not:
        if fold(value) in text and not EMAIL.search(value):
            pass  # a wrong fact may well be printed elsewhere; nothing to check
    return problems


def check(items: list[Item], knowledge: Knowledge) -> list[Problem]:
    targets = Targets(knowledge)
    return [
        p
        for item in items
        for i, turn in enumerate(item.turns)
        for p in check_turn(item, i, turn, targets)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.check_bank", description=__doc__)
    parser.parse_args(argv)
    try:
        bank = load_bank()
    except BankError as exc:
        print(f"The question bank does not validate:\n{exc}", file=sys.stderr)
        return 2
    print(describe(bank), end="\n\n")
    problems = check(list(bank.items), load())
    for problem in problems:
        print(problem)
    turns = sum(len(i.turns) for i in bank.items)
    by_field = Counter(p.field for p in problems)
    print(
        f"\n{len(bank.items)} items, {turns} turns: {len(problems)} disagreements"
        + (f" ({', '.join(f'{f} {n}' for f, n in by_field.most_common())})" if problems else "")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate the knowledge-dependent NLU data: bot/data/generated/lookups.yml.

Everything the bot must recognise by name comes from `knowledge/` (via `index.loader`), never
from hand-copied lists:

- lookup tables `project`, `region`, `person`, `topic` (RegexFeaturizer features for DIET),
- synonyms: project names and aliases → project id, region names, lead municipalities and
  partners → region id, surnames → the printed name of the person,
- templated training examples in German and English that use these names, so DIET learns to
  tag them in context. Every project name and alias, region name and person appears at least
  once; the number of examples stays moderate (training time).

A new project in knowledge/ reaches the bot by `make nlu-data` (this script) and retraining.
Deterministic: the same knowledge gives the same file.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.domain import Contact, Knowledge  # noqa: E402
from index.loader import load  # noqa: E402
from index.text import fold  # noqa: E402

OUT = ROOT / "bot" / "data" / "generated" / "lookups.yml"
SEED = 20190705

# --- templates ----------------------------------------------------------------------------
# {p} project, {r} region, {t} topic, {n} person name, {s} surname (after a salutation), {y} year

PROJECT_TEMPLATES: dict[str, tuple[Sequence[str], Sequence[str]]] = {
    "project_details": (
        [
            "Erzähl mir mehr über {p}",
            "Was ist {p}?",
            "Worum geht es bei {p}?",
            "Was macht das Projekt {p}?",
            "Infos zu {p} bitte",
            "Details zu {p}",
            "Was steckt hinter {p}?",
            "Beschreib mir {p}",
            "Was verbirgt sich hinter {p}?",
            "Kannst du mir {p} erklären?",
            "Was hat es mit {p} auf sich?",
        ],
        [
            "Tell me more about {p}",
            "What is {p}?",
            "What is {p} about?",
            "Give me details on {p}",
            "Describe the project {p}",
            "Can you explain {p} to me?",
            "What's {p}?",
            "Explain {p} please",
        ],
    ),
    "project_contact": (
        [
            "Wer ist Ansprechpartner für {p}?",
            "Wen kann ich zu {p} kontaktieren?",
            "Kontakt zu {p}",
            "Wer ist für {p} zuständig?",
            "Wie erreiche ich die Leute von {p}?",
            "E-Mail-Adresse für {p}",
            "An wen wende ich mich bei {p}?",
            "Wer betreut {p}?",
        ],
        [
            "Who is the contact for {p}?",
            "Who is responsible for {p}?",
            "How can I reach the {p} team?",
            "Contact person for {p}",
            "Who should I contact about {p}?",
            "Who runs {p}?",
        ],
    ),
    "project_period": (
        [
            "Wie lange läuft {p}?",
            "Wann startet {p}?",
            "Welche Meilensteine hat {p}?",
            "Laufzeit von {p}",
            "Wann ist {p} fertig?",
            "Zeitplan für {p}",
            "Wie sieht der Zeitplan von {p} aus?",
            "Ab wann kann man {p} nutzen?",
        ],
        [
            "How long does {p} run?",
            "When does {p} start?",
            "What are the milestones of {p}?",
            "When will {p} be finished?",
            "Timeline of {p}",
            "What's the schedule of {p}?",
            "When can I use {p}?",
        ],
    ),
    "transferability": (
        [
            "Ist {p} übertragbar?",
            "Kann man {p} auf andere Kommunen übertragen?",
            "Lässt sich {p} in anderen Städten nutzen?",
            "Übertragbarkeit von {p}",
        ],
        [
            "Is {p} transferable?",
            "Can other municipalities reuse {p}?",
            "Could {p} be adopted by other cities?",
        ],
    ),
}

TOPIC_TEMPLATES: tuple[Sequence[str], Sequence[str]] = (
    [
        "Gibt es Projekte zu {t}?",
        "Welche Projekte beschäftigen sich mit {t}?",
        "Projekte zum Thema {t}",
        "Was wird im Bereich {t} gemacht?",
        "Ich suche Projekte über {t}",
        "Gibt es etwas zu {t} in {r}?",
        "Welche Modellregion macht etwas mit {t}?",
        "Was gibt es zu {t}?",
    ],
    [
        "Are there projects about {t}?",
        "Which projects deal with {t}?",
        "Projects on {t}",
        "Is anything being done about {t} in {r}?",
        "I'm looking for projects about {t}",
        "Which model region works on {t}?",
    ],
)

REGION_TEMPLATES: tuple[Sequence[str], Sequence[str]] = (
    [
        "Welche Projekte gibt es in {r}?",
        "Was macht {r}?",
        "Projekte in {r}",
        "Welche Projekte hat die Modellregion {r}?",
        "Zeig mir die Projekte von {r}",
        "Welche Projekte laufen {y} in {r}?",
        "Was läuft {y} in {r}?",
        "Welche Projekte sind in {r} geplant?",
        "Welche Vorhaben gibt es in {r}?",
    ],
    [
        "Which projects are there in {r}?",
        "What is {r} working on?",
        "Projects in {r}",
        "Show me the projects of {r}",
        "Which projects run in {r} in {y}?",
        "What's planned in {r}?",
    ],
)

PERSON_TEMPLATES: tuple[Sequence[str], Sequence[str]] = (
    [
        "Wer ist {n}?",
        "Wie erreiche ich {n}?",
        "Wofür ist {n} zuständig?",
        "Kontaktdaten von {n}",
        "Welche Projekte betreut {n}?",
        "Wie kann ich {n} kontaktieren?",
        "Für was ist {n} verantwortlich?",
        "Wie erreiche ich {sal_acc} {s}?",
        "Was macht {sal_nom} {s}?",
        "Welche Projekte betreut {sal_nom} {s}?",
    ],
    [
        "Who is {n}?",
        "How can I reach {n}?",
        "What is {n} responsible for?",
        "Contact details of {n}",
        "Tell me about {n}",
        "How do I contact {sal_en} {s}?",
        "Who is {sal_en} {s}?",
    ],
)

SURNAME_TEMPLATES: tuple[Sequence[str], Sequence[str]] = (
    ["Wofür ist {s} zuständig?", "Wer ist eigentlich {s}?", "Kontakt {s}"],
    ["Who is {s}?", "What does {s} do?"],
)
SALUTATIONS = {"Herr": ("Herrn", "Herr", "Mr"), "Frau": ("Frau", "Frau", "Ms")}
TAGGABLE = re.compile(r"^\w(?:[^()„“\"]*\w)?$")
YEARS = ("2018", "2019", "2020", "2021", "2022")
NON_PERSON = ("projektbuero", "initiative", "poststelle", "ministerium", "modellregion", "team")


@dataclass
class Generated:
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lookups: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    synonyms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        item = " ".join(item.split())
        if item and fold(item) not in seen:
            seen[fold(item)] = item
    return list(seen.values())


def _cycle(items: Sequence[str], rng: random.Random) -> Iterator[str]:
    """Every item once (shuffled), then again, forever."""
    while True:
        order = list(items)
        rng.shuffle(order)
        yield from order


def _strip_prefix(name: str) -> str:
    return re.sub(r"^(Stadt|Kreis|Gemeinde)\s+", "", name)


def is_person(contact: Contact) -> bool:
    """Contacts that are people (not a project office, initiative or mailbox)."""
    folded = fold(contact.name)
    if any(word in folded for word in NON_PERSON):
        return False
    return " " in contact.name.strip() or bool(contact.salutation or contact.role or contact.title)


# --- names --------------------------------------------------------------------------------


def project_names(knowledge: Knowledge) -> dict[str, list[str]]:
    """Project id → its names (title and aliases), names that belong to two projects dropped."""
    owners: dict[str, set[str]] = defaultdict(set)
    for project in knowledge.projects:
        for name in project.names:
            owners[fold(name)].add(project.id)
    return {
        p.id: [n for n in _unique(p.names) if len(owners[fold(n)]) == 1] for p in knowledge.projects
    }


def region_names(knowledge: Knowledge) -> dict[str, list[str]]:
    """Region id → names people use: name, short name, aliases, lead municipality, partners."""
    found: dict[str, list[str]] = {}
    for region in knowledge.regions:
        places = [region.lead_municipality, *region.partners]
        names = [region.name, region.short_name, *region.aliases, *places]
        names += [_strip_prefix(p) for p in places]
        found[region.id] = _unique(names)
    return found


def person_names(knowledge: Knowledge) -> dict[str, tuple[Contact, list[str]]]:
    """Printed name → (contact, [surname forms]) for every person among the contacts."""
    people: dict[str, tuple[Contact, list[str]]] = {}
    for contact, _ in knowledge.contacts():
        if not is_person(contact) or contact.name in people:
            continue
        parts = contact.name.split()
        surnames = [" ".join(parts[1:])] if len(parts) > 1 else []
        if len(parts) > 2:
            surnames.append(parts[-1])
        people[contact.name] = (contact, [s for s in surnames if len(s) >= 4])
    # a surname shared by two people identifies nobody
    counts: dict[str, int] = defaultdict(int)
    for _, surnames in people.values():
        for s in surnames:
            counts[fold(s)] += 1
    return {n: (c, [s for s in ss if counts[fold(s)] == 1]) for n, (c, ss) in people.items()}


def topic_words(knowledge: Knowledge, taken: set[str]) -> list[str]:
    """Topic words of the projects, minus the words that are names of something."""
    words = [t for p in knowledge.projects for t in p.topics]
    return sorted((w for w in _unique(words) if fold(w) not in taken and len(w) > 2), key=fold)


# --- generation ---------------------------------------------------------------------------


def generate(knowledge: Knowledge, seed: int = SEED) -> Generated:
    rng = random.Random(seed)
    out = Generated()
    projects = project_names(knowledge)
    regions = region_names(knowledge)
    people = person_names(knowledge)

    synonym_owner: dict[str, str] = {}

    def synonym(value: str, text: str) -> None:
        key = fold(text)
        if fold(value) == key:
            return
        if synonym_owner.setdefault(key, value) != value:
            return  # the same words for two things: leave it to the actions' name matching
        out.synonyms[value].append(text)

    for project_id, names in projects.items():
        out.lookups["project"] += names
        for name in names:
            synonym(project_id, name)
    for region_id, names in regions.items():
        out.lookups["region"] += names
        for name in names:
            synonym(region_id, name)
    for name, (_, surnames) in people.items():
        out.lookups["person"] += [name, *surnames]
        for surname in surnames:
            synonym(name, surname)
    taken = {fold(n) for names in [*projects.values(), *regions.values()] for n in names}
    taken |= {fold(n) for name, (_, s) in people.items() for n in [name, *s]}
    topics = topic_words(knowledge, taken)
    out.lookups["topic"] += topics

    def mark(text: str, entity: str) -> str:
        return f"[{text}]({entity})"

    # projects: every (project, name) pair once, spread over the project intents; names that
    # begin or end with punctuation ("… e.V.", "„Guido“") stay out of examples, because the
    # tokenizer drops that punctuation and the annotation would not align with the tokens
    intents = list(PROJECT_TEMPLATES)
    pairs = [(pid, n) for pid, names in projects.items() for n in names if TAGGABLE.match(n)]
    rng.shuffle(pairs)
    for i, (_, name) in enumerate(pairs):
        intent = intents[i % len(intents)]
        german, english = PROJECT_TEMPLATES[intent]
        templates = english if i % 3 == 2 else german
        template = rng.choice(templates)
        out.examples[intent].append(template.format(p=mark(name, "project")))

    # regions: every name once, a year in some
    region_cycle = _cycle([n for names in regions.values() for n in names], rng)
    all_region_names = [n for names in regions.values() for n in names]
    year_cycle = _cycle(YEARS, rng)
    for i in range(max(len(all_region_names), 36)):
        german, english = REGION_TEMPLATES
        template = rng.choice(english if i % 3 == 2 else german)
        out.examples["region_projects"].append(
            template.format(r=mark(next(region_cycle), "region"), y=mark(next(year_cycle), "year"))
        )

    # topics: a moderate sample, some with a region
    short_regions = _cycle([r.short_name for r in knowledge.regions], rng)
    for i, topic in enumerate(rng.sample(topics, min(len(topics), 60))):
        german, english = TOPIC_TEMPLATES
        template = rng.choice(english if i % 3 == 2 else german)
        out.examples["projects_by_topic"].append(
            template.format(t=mark(topic, "topic"), r=mark(next(short_regions), "region"))
        )

    # people: every person once; a surname alone only after a printed salutation ("Frau Gerke")
    for i, (name, (contact, _)) in enumerate(sorted(people.items())):
        german, english = PERSON_TEMPLATES
        templates = english if i % 3 == 2 else german
        template = rng.choice(templates)
        if contact.salutation and " " not in contact.name:
            template = rng.choice([t for t in templates if "{s}" in t])
        elif "{s}" in template:
            template = rng.choice([t for t in templates if "{n}" in t])
        salutation = SALUTATIONS.get(contact.salutation or "", ("", "", ""))
        out.examples["person_info"].append(
            template.format(
                n=mark(name, "person"),
                s=mark(contact.name, "person"),  # only used after a printed salutation
                sal_acc=salutation[0],
                sal_nom=salutation[1],
                sal_en=salutation[2],
            )
        )

    # and every other person with a surname form alone ("Wofür ist Boschin-Heinz zuständig?")
    with_surnames = [(n, s) for n, (c, s) in sorted(people.items()) if s and not c.salutation]
    for i, (_, surnames) in enumerate(with_surnames[::2]):
        template = rng.choice(SURNAME_TEMPLATES[1] if i % 3 == 2 else SURNAME_TEMPLATES[0])
        out.examples["person_info"].append(template.format(s=mark(surnames[0], "person")))

    for key in out.lookups:
        out.lookups[key] = _unique(out.lookups[key])
    for key in out.examples:
        out.examples[key] = _unique(out.examples[key])
    return out


# --- output -------------------------------------------------------------------------------


def _item(text: str) -> str:
    return f"      - {text}"


def render(gen: Generated) -> str:
    lines = [
        "# GENERATED by scripts/generate_nlu.py from knowledge/ – do not edit, do not commit.",
        "# Regenerate with `make nlu-data` (or .venv/bin/python scripts/generate_nlu.py).",
        'version: "3.1"',
        "nlu:",
    ]
    for intent in sorted(gen.examples):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [_item(e) for e in gen.examples[intent]]
    for name in sorted(gen.lookups):
        lines += [f"  - lookup: {name}", "    examples: |"]
        lines += [_item(e) for e in gen.lookups[name]]
    for value in sorted(gen.synonyms):
        lines += [f"  - synonym: {_quote(value)}", "    examples: |"]
        lines += [_item(e) for e in gen.synonyms[value]]
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    gen = generate(load(), args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(gen), encoding="utf-8")
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(gen.examples.items()))
    print(
        f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
        f"{sum(len(v) for v in gen.examples.values())} examples ({counts}); "
        f"lookups: {', '.join(f'{k} {len(v)}' for k, v in sorted(gen.lookups.items()))}; "
        f"{len(gen.synonyms)} synonym groups"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

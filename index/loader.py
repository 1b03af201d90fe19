"""Read and validate `knowledge/` once, into the frozen dataclasses of `index.domain`.

Every problem is collected and reported together, each naming the file and the field
(`regions/soest.yml: projects[2].contacts[0].email: 'x@' is not an e-mail address`), so one
run of `make validate` shows everything that needs fixing.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import yaml

from index.domain import (
    DOCUMENTS,
    PRECISIONS,
    STATUSES,
    Actor,
    Contact,
    DatePoint,
    Duration,
    Knowledge,
    Milestone,
    Period,
    Project,
    Region,
    Source,
    Topic,
)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "knowledge"


def knowledge_root() -> Path:
    """`knowledge/` of the checkout, or the folder the environment variable `KNOWLEDGE_DIR`
    names: every process that reads the knowledge — the index build, the action server, the
    NLU — reads the same one."""
    return Path(os.environ.get("KNOWLEDGE_DIR") or DEFAULT_ROOT)


EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE = re.compile(r"^[+0-9][0-9 ()/+-]{4,}$")
DATE_VALUE = {
    "day": re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "half_year": re.compile(r"^\d{4}-H[12]$"),
    "season": re.compile(r"^\d{4}$"),
    "year": re.compile(r"^\d{4}$"),
}


class KnowledgeError(Exception):
    """The knowledge base is invalid; `problems` lists every finding as 'file: field: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in knowledge/:\n" + "\n".join(f"  {p}" for p in problems)
        )


class _Reader:
    """Typed access to one YAML mapping that records problems instead of raising."""

    def __init__(self, problems: list[str], file: str) -> None:
        self.problems = problems
        self.file = file

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, got {type(value).__name__}")
            return {}
        return value

    def check_keys(self, data: dict[str, Any], where: str, allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed):
            self.fail(f"{where}.{key}", "unknown field")

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", f"expected non-empty text, got {value!r}")
            return None
        return value.strip()

    def texts(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"{where}.{key}", "expected a list of non-empty texts")
            return ()
        return tuple(v.strip() for v in value)

    def items(self, data: dict[str, Any], key: str, where: str) -> list[tuple[str, Any]]:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", "expected a list")
            return []
        return [(f"{where}.{key}[{i}]" if where else f"{key}[{i}]", v) for i, v in enumerate(value)]

    def slug(self, data: dict[str, Any], where: str) -> str:
        value = self.text(data, "id", where) or ""
        if value and not SLUG.match(value):
            self.fail(f"{where}.id", f"{value!r} is not a lowercase ASCII slug")
        return value

    def source(self, data: dict[str, Any], where: str) -> Source:
        raw = self.mapping(data.get("source"), f"{where}.source")
        self.check_keys(raw, f"{where}.source", {"document", "location"})
        document = self.text(raw, "document", f"{where}.source") or ""
        if document and document not in DOCUMENTS:
            self.fail(f"{where}.source.document", f"unknown document {document!r}")
        return Source(
            document=document, location=self.text(raw, "location", f"{where}.source") or ""
        )

    def contact(self, value: Any, where: str) -> Contact:
        raw = self.mapping(value, where)
        fields = {"name", "salutation", "title", "role", "organisation", "email", "phone"}
        self.check_keys(raw, where, fields)
        email = self.text(raw, "email", where, required=False)
        if email and not EMAIL.match(email):
            self.fail(f"{where}.email", f"{email!r} is not an e-mail address")
        phone = raw.get("phone")
        if phone is not None and not (isinstance(phone, str) and PHONE.match(phone)):
            self.fail(f"{where}.phone", f"{phone!r} is not a phone number written as text")
            phone = None
        return Contact(
            name=self.text(raw, "name", where) or "",
            salutation=self.text(raw, "salutation", where, required=False),
            title=self.text(raw, "title", where, required=False),
            role=self.text(raw, "role", where, required=False),
            organisation=self.text(raw, "organisation", where, required=False),
            email=email,
            phone=phone,
        )

    def contacts(self, data: dict[str, Any], where: str) -> tuple[Contact, ...]:
        return tuple(self.contact(v, w) for w, v in self.items(data, "contacts", where))

    def date_point(self, value: Any, where: str) -> DatePoint | None:
        if value is None:
            return None
        raw = self.mapping(value, where)
        self.check_keys(raw, where, {"printed", "value", "precision"})
        precision = self.text(raw, "precision", where) or ""
        if precision and precision not in PRECISIONS:
            self.fail(f"{where}.precision", f"{precision!r} is not one of {', '.join(PRECISIONS)}")
            return None
        date = raw.get("value")
        date = str(date) if isinstance(date, int) else date
        if not isinstance(date, str) or (precision and not DATE_VALUE[precision].match(date)):
            self.fail(f"{where}.value", f"{date!r} does not fit precision {precision!r}")
            return None
        printed = self.text(raw, "printed", where) or ""
        return DatePoint(printed=printed, value=date, precision=precision)  # type: ignore[arg-type]

    def period(self, value: Any, where: str) -> Period | None:
        if value is None:
            return None
        raw = self.mapping(value, where)
        self.check_keys(raw, where, {"printed", "start", "end", "duration"})
        start = self.date_point(raw.get("start"), f"{where}.start")
        end = self.date_point(raw.get("end"), f"{where}.end")
        duration = None
        if raw.get("duration") is not None:
            d = self.mapping(raw["duration"], f"{where}.duration")
            months = d.get("months")
            if not isinstance(months, int) or months <= 0:
                self.fail(f"{where}.duration.months", f"expected a positive number, got {months!r}")
            else:
                duration = Duration(self.text(d, "printed", f"{where}.duration") or "", months)
        if start and end and start.value > end.value:
            self.fail(where, f"starts ({start.value}) after it ends ({end.value})")
        if not (start or end or duration):
            self.fail(where, "needs start/end or a duration (omit the period if none is printed)")
        return Period(
            printed=self.text(raw, "printed", where) or "", start=start, end=end, duration=duration
        )

    def milestones(self, data: dict[str, Any], where: str) -> tuple[Milestone, ...]:
        found = []
        for w, value in self.items(data, "milestones", where):
            raw = self.mapping(value, w)
            self.check_keys(raw, w, {"when", "what"})
            found.append(
                Milestone(
                    when=self.text(raw, "when", w) or "", what=self.text(raw, "what", w) or ""
                )
            )
        return tuple(found)


PROJECT_FIELDS = {
    "id", "title", "aliases", "region", "actor", "municipality", "summary", "description",
    "topics", "period", "status", "milestones", "transferability", "contacts", "source",
}  # fmt: skip


def _project(r: _Reader, value: Any, where: str, region: str | None) -> Project:
    raw = r.mapping(value, where)
    r.check_keys(raw, where, PROJECT_FIELDS)
    if "region" in raw and raw["region"] != region:
        r.fail(f"{where}.region", f"is {raw['region']!r}, but the file is for {region!r}")
    # Omitted when the documents print no status: None, never a guessed "running".
    status = r.text(raw, "status", where, required=False)
    if status is not None and status not in STATUSES:
        r.fail(f"{where}.status", f"{status!r} is not one of {', '.join(STATUSES)}")
    contacts = r.contacts(raw, where)
    if not contacts and status != "in_review":
        r.fail(f"{where}.contacts", "a project needs at least one contact")
    return Project(
        id=r.slug(raw, where),
        title=r.text(raw, "title", where) or "",
        aliases=r.texts(raw, "aliases", where),
        region=region,
        actor=r.text(raw, "actor", where, required=False),
        municipality=r.text(raw, "municipality", where) or "",
        summary=r.text(raw, "summary", where) or "",
        description=r.text(raw, "description", where) or "",
        topics=r.texts(raw, "topics", where),
        period=r.period(raw.get("period"), f"{where}.period"),
        status=status,  # type: ignore[arg-type]
        milestones=r.milestones(raw, where),
        transferability=r.text(raw, "transferability", where, required=False),
        contacts=contacts,
        source=r.source(raw, where),
    )


def _region(r: _Reader, value: Any, expected_id: str) -> Region:
    raw = r.mapping(value, "region")
    fields = {
        "id", "name", "short_name", "aliases", "lead_municipality", "partners",
        "district_government", "summary", "contacts", "source",
    }  # fmt: skip
    r.check_keys(raw, "region", fields)
    region_id = r.slug(raw, "region")
    if region_id and region_id != expected_id:
        r.fail("region.id", f"{region_id!r} must equal the file name {expected_id!r}")
    return Region(
        id=region_id,
        name=r.text(raw, "name", "region") or "",
        short_name=r.text(raw, "short_name", "region") or "",
        aliases=r.texts(raw, "aliases", "region"),
        lead_municipality=r.text(raw, "lead_municipality", "region") or "",
        partners=r.texts(raw, "partners", "region"),
        district_government=r.text(raw, "district_government", "region") or "",
        summary=r.text(raw, "summary", "region") or "",
        contacts=r.contacts(raw, "region"),
        source=r.source(raw, "region"),
    )


def _actor(r: _Reader, value: Any, where: str) -> Actor:
    raw = r.mapping(value, where)
    r.check_keys(
        raw, where, {"id", "name", "short_name", "aliases", "summary", "contacts", "source"}
    )
    return Actor(
        id=r.slug(raw, where),
        name=r.text(raw, "name", where) or "",
        short_name=r.text(raw, "short_name", where) or "",
        aliases=r.texts(raw, "aliases", where),
        summary=r.text(raw, "summary", where) or "",
        contacts=r.contacts(raw, where),
        source=r.source(raw, where),
    )


def _topic(r: _Reader, value: Any, where: str) -> Topic:
    raw = r.mapping(value, where)
    r.check_keys(raw, where, {"id", "title", "aliases", "text", "keywords", "actor", "source"})
    return Topic(
        id=r.slug(raw, where),
        title=r.text(raw, "title", where) or "",
        aliases=r.texts(raw, "aliases", where),
        text=r.text(raw, "text", where) or "",
        keywords=r.texts(raw, "keywords", where),
        source=r.source(raw, where),
        actor=r.text(raw, "actor", where, required=False),
    )


def _read_yaml(path: Path, rel: str, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(f"{rel}: not valid YAML: {exc}".replace("\n", " "))
        return {}
    if not isinstance(data, dict):
        problems.append(f"{rel}: expected a mapping at the top level")
        return {}
    return data


def knowledge_files(root: Path | None = None) -> list[Path]:
    root = root or knowledge_root()
    """The YAML files that make up the knowledge base, in a stable order."""
    return sorted(root.rglob("*.yml"))


def digest(root: Path | None = None) -> str:
    root = root or knowledge_root()
    """sha256 over the relative names and bytes of every knowledge file."""
    sha = hashlib.sha256()
    for path in knowledge_files(root):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def load(root: Path | None = None) -> Knowledge:
    """Load and validate the whole knowledge base; raise `KnowledgeError` listing every problem."""
    root = root or knowledge_root()
    problems: list[str] = []
    regions: list[Region] = []
    actors: list[Actor] = []
    projects: list[Project] = []
    topics: list[Topic] = []

    # Where each id was defined ("regions/soest.yml: projects[1].id"), to name both places
    # of a duplicate.
    places: list[tuple[str, str]] = []

    def placed(items: list[Any], file: str, where: list[str]) -> list[Any]:
        places.extend((item.id, f"{file}: {w}.id") for item, w in zip(items, where, strict=True))
        return items

    for path in sorted((root / "regions").glob("*.yml")):
        rel = path.relative_to(root).as_posix()
        r = _Reader(problems, rel)
        data = _read_yaml(path, rel, problems)
        r.check_keys(data, "(top level)", {"region", "projects"})
        region = _region(r, data.get("region"), path.stem)
        regions += placed([region], rel, ["region"])
        items = r.items(data, "projects", "")
        projects += placed(
            [_project(r, v, w, region.id) for w, v in items], rel, [w for w, _ in items]
        )

    state_project_start = len(projects)
    for name in ("state.yml", "programme.yml"):
        path = root / name
        if not path.exists():
            problems.append(f"{name}: file is missing")
            continue
        r = _Reader(problems, name)
        data = _read_yaml(path, name, problems)
        if name == "state.yml":
            r.check_keys(data, "(top level)", {"actors", "projects"})
            items = r.items(data, "actors", "")
            actors += placed([_actor(r, v, w) for w, v in items], name, [w for w, _ in items])
            items = r.items(data, "projects", "")
            projects += placed(
                [_project(r, v, w, None) for w, v in items], name, [w for w, _ in items]
            )
        else:
            r.check_keys(data, "(top level)", {"topics"})
            items = r.items(data, "topics", "")
            topics += placed([_topic(r, v, w) for w, v in items], name, [w for w, _ in items])

    if not regions:
        problems.append("regions/: no region files found")
    actor_ids = {a.id for a in actors}
    for i, project in enumerate(projects[state_project_start:]):
        if project.actor is not None and project.actor not in actor_ids:
            problems.append(f"state.yml: projects[{i}].actor: {project.actor!r} is not an actor id")
    for i, topic in enumerate(topics):
        if topic.actor is not None and topic.actor not in actor_ids:
            problems.append(f"programme.yml: topics[{i}].actor: {topic.actor!r} is not an actor id")
    first_place: dict[str, str] = {}
    for item_id, place in places:
        if item_id and item_id in first_place:
            problems.append(f"{place}: {item_id!r} is used twice (first at {first_place[item_id]})")
        first_place.setdefault(item_id, place)

    if problems:
        raise KnowledgeError(problems)
    return Knowledge(
        regions=tuple(regions),
        actors=tuple(actors),
        projects=tuple(projects),
        topics=tuple(topics),
        digest=digest(root),
    )

"""Pure functions that turn knowledge objects into reply text and buttons.

Replies are written once, in the project's one small markup (docs/messengers.md, "Message
format"): **bold**, _italic_, `- ` lists, `1. ` lists, [label](url) links, line breaks and
blank lines between paragraphs. Every channel renders it (widget/chat-widget.js,
channels/markdown.py for Telegram, Matrix, socket.io and `rasa shell`); e-mail addresses and
phone numbers are printed exactly as in `knowledge/` and the channels make them links.
Buttons are either replies ({"title", "payload": "/intent{…}"}) or links ({"title",
"payload"/"url": "mailto:…"}, the hand-over), which every channel shows as a link.
Nothing here reads slots or talks to Rasa.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from actions.texts import t
from index.domain import Contact, DatePoint, Fact, Knowledge, Project, Region, Source, Topic

Button = dict[str, str]

PAGE_SIZE = 8  # a list this long fits on a phone screen as one line per project
LIST_LINE_LIMIT = 110
DATED_LINE_LIMIT = 70
MAX_CONTACTS_IN_CARD = 2
TOPIC_TEXT_LIMIT = 900
ECHO_LIMIT = 60


# --- buttons ------------------------------------------------------------------------------


def payload(intent: str, **entities: str) -> str:
    """A Rasa button payload that triggers `intent` with `entities` ("/intent{...}")."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def button(title: str, intent: str, **entities: str) -> Button:
    return {"title": title, "payload": payload(intent, **entities)}


ASPECT_BUTTONS = (
    ("contact", "button_contact"),
    ("period", "button_period"),
    ("transferability", "button_transfer"),
    ("source", "button_source"),
)
BUTTON_TITLE_LIMIT = 34


def short_title(project: Project) -> str:
    """The project's title for a button: its shortest printed name, cut to fit."""
    names = [n for n in (project.title, *project.aliases) if len(n) >= 4]
    return shorten(
        min(names, key=len) if len(project.title) > BUTTON_TITLE_LIMIT else project.title,
        BUTTON_TITLE_LIMIT,
    )


def follow_up_buttons(
    project: Project, language: str, *, without: Iterable[str] = ()
) -> list[Button]:
    """The natural next questions about one project, each labelled with the project: a button
    under an earlier answer still says which project it asks about."""
    name = short_title(project)
    return [
        button(f"{t(label, language)}: {name}", "project", project=project.id, aspect=aspect)
        for aspect, label in ASPECT_BUTTONS
        if aspect not in without
    ]


def details_button(project: Project, language: str) -> Button:
    return button(
        f"{t('button_details', language)}: {short_title(project)}",
        "project",
        project=project.id,
        aspect="description",
    )


def choice_buttons(
    projects: Iterable[Project], knowledge: Knowledge, aspect: str | None = None
) -> list[Button]:
    """One button per project, asking `aspect` about it (its details when None)."""
    extra = {"aspect": aspect} if aspect else {}
    return [button(choice_title(p, knowledge), "project", project=p.id, **extra) for p in projects]


def choice_title(project: Project, knowledge: Knowledge) -> str:
    place = region_short(project, knowledge)
    return f"{project.title} ({place})" if place else project.title


def more_button(language: str) -> Button:
    return button(t("button_more", language), "show_more")


def start_buttons(language: str) -> list[Button]:
    """Example questions offered after a greeting or when the bot did not understand."""
    return [
        {
            "title": t("example_topic_query", language),
            "payload": t("example_topic_query", language),
        },
        {
            "title": t("example_region_query", language),
            "payload": t("example_region_query", language),
        },
        button(t("button_programme", language), "programme"),
    ]


def region_buttons(regions: Iterable[Region], language: str) -> list[Button]:
    return [
        button(
            t("button_region_projects", language, region=r.short_name),
            "region_projects",
            region=r.id,
        )
        for r in regions
    ]


# --- hand-over: "Nachricht an … schreiben" ----------------------------------------------------

MAX_HANDOVERS = 2
QUESTION_LIMIT = 500


def plain_question(text: str) -> str:
    """The citizen's question without the greeting it opens with or the thanks it closes with
    (the mail has its own), bounded; "" for a button payload."""
    from index.vocabulary import GREETINGS, SIGN_OFFS

    text = " ".join(text.split())
    if text.startswith("/"):
        return ""
    changed = True
    while changed:
        changed = False
        lowered = text.lower()
        for greeting in GREETINGS:
            if lowered.startswith(greeting) and len(text) > len(greeting) + 3:
                text = text[len(greeting) :].lstrip(" ,!.:;–-")
                changed = True
                break
    lowered = text.lower()
    for sign_off in SIGN_OFFS:
        at = lowered.rfind(sign_off)
        if at > len(text) // 2:
            text = text[:at].rstrip(" ,!.;–-")
            break
    return text[:QUESTION_LIMIT]


def mailto(address: str, subject: str, body: str) -> str:
    """A `mailto:` URL with a prefilled subject and body (RFC 6068, percent-encoded)."""
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def handover(
    contact: Contact,
    about: str,
    question: str,
    language: str,
    *,
    kind: str = "project",
    as_of: str = "",
) -> Button | None:
    """A link button "Nachricht an … schreiben" that opens the citizen's own mail program with
    an e-mail to `contact` about a project (`kind="project"`), a region's project office
    (`kind="region"`) or the programme (`kind="general"`): one greeting, what it is about, the
    citizen's question (`plain_question`), and where the address came from. None without an
    e-mail address. No server sends or stores anything."""
    if not contact.email:
        return None
    subject = t(f"handover_subject_{kind}", language, about=about)
    question = plain_question(question)
    lines = [
        t("handover_greeting", language),
        t(f"handover_about_{kind}", language, about=about),
        question or t("handover_no_question", language),
        t("handover_closing", language),
        t("handover_origin", language, date=as_of),
    ]
    url = mailto(contact.email, subject, "\r\n\r\n".join(lines) + "\r\n")
    title = t("handover_button", language, name=contact.display_name)
    return {"title": title, "payload": url, "url": url}


def handover_buttons(
    contacts: Iterable[Contact],
    about: str,
    question: str,
    language: str,
    *,
    kind: str = "project",
    as_of: str = "",
) -> list[Button]:
    """`handover` for the first `MAX_HANDOVERS` contacts that have an e-mail address."""
    found = (handover(c, about, question, language, kind=kind, as_of=as_of) for c in contacts)
    return [b for b in found if b is not None][:MAX_HANDOVERS]


def project_handover(
    project: Project, knowledge: Knowledge, question: str, language: str
) -> list[Button]:
    """Hand-over for a project: its contacts, or else its region's project office."""
    date = date_text(project.source.date, language)
    buttons = handover_buttons(project.contacts, project.title, question, language, as_of=date)
    if buttons or not project.region:
        return buttons
    region = knowledge.region(project.region)
    return handover_buttons(
        region.contacts, region.short_name, question, language, kind="region", as_of=date
    )


def person_handover(
    contact: Contact, projects: Sequence[Project], question: str, language: str, as_of: str
) -> list[Button]:
    """Hand-over to one person: about their project if they have exactly one."""
    if len(projects) == 1:
        found = handover(contact, projects[0].title, question, language, as_of=as_of)
    else:
        found = handover(contact, "", question, language, kind="general", as_of=as_of)
    return [found] if found else []


# --- timeline: a picture of periods for the widget (custom payload) ------------------------

TIMELINE_YEARS = (2018, 2022)  # the programme's years: the axis of every timeline
_MONTH_YEAR = re.compile(r"\b(\d{1,2})/(20\d\d)\b")
_YEAR = re.compile(r"\b(20\d\d)\b")


def year_position(value: str, *, end: bool = False) -> float:
    """A DatePoint value ("2019-04-01", "2019-08", "2021") as a fractional year; a year or a
    month alone counts from its start, or to its end for the end of a period."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    if not month:
        return year + (1.0 if end else 0.0)
    if not day:
        return year + (month if end else month - 1) / 12
    return year + (month - 1) / 12 + (day - 1) / 365


def milestone_position(when: str) -> float | None:
    """Where a printed milestone date ("09/2019", "bis 12/2019", "Anfang 2020", "2020") lies,
    or None for texts without a date ("M 1", "aktuell")."""
    month_year = _MONTH_YEAR.search(when)
    if month_year:
        return int(month_year.group(2)) + (int(month_year.group(1)) - 0.5) / 12
    year = _YEAR.search(when)
    if not year:
        return None
    from index.text import fold
    from index.vocabulary import SEASON_POSITION

    season = next((v for k, v in SEASON_POSITION.items() if k in fold(when)), 0.5)
    return int(year.group(1)) + season


def timeline(projects: Sequence[Project], language: str) -> dict | None:
    """The widget's timeline (custom payload {"timeline": …}): one bar per project with a
    start or end date on the 2018–2022 axis, its dated milestones as marks. The answer's text
    states the same facts, so the picture adds nothing a screen reader or another channel
    misses; None when no project has dates."""
    rows = []
    first, last = TIMELINE_YEARS
    for project in projects:
        period = project.period
        if period is None or (period.start is None and period.end is None):
            continue
        start = year_position(period.start.value) if period.start else float(first)
        end = year_position(period.end.value, end=True) if period.end else float(last + 1)
        marks = [(milestone_position(m.when), m) for m in project.milestones]
        rows.append(
            {
                "title": project.title,
                "period": period.printed,
                "start": round(start, 3),
                "end": round(end, 3),
                "milestones": [
                    {"at": round(at, 3), "text": f"{m.when}: {m.what}"}
                    for at, m in marks
                    if at is not None
                ],
            }
        )
    if not rows:
        return None
    return {
        "timeline": {
            "from": first,
            "to": last,
            "label": t("timeline_label", language),
            "rows": rows,
        }
    }


# --- small pieces -------------------------------------------------------------------------


def status_label(status: str, language: str) -> str:
    return t(f"status_{status}", language)


def region_name(project: Project, knowledge: Knowledge, language: str) -> str:
    """Where a project belongs: its model region, or the presenting state actor."""
    if project.region:
        return knowledge.region(project.region).name
    actor = next((a for a in knowledge.actors if a.id == project.actor), None)
    state = t("label_state_level", language)
    return f"{actor.short_name} ({state})" if actor else state


def region_short(project: Project, knowledge: Knowledge) -> str:
    if project.region:
        return knowledge.region(project.region).short_name
    actor = next((a for a in knowledge.actors if a.id == project.actor), None)
    return actor.short_name if actor else ""


def contact_line(contact: Contact, language: str) -> str:
    """„Name (role, organisation) – e-mail – phone“, each part only where printed."""
    details = ", ".join(p for p in (contact.role, contact.organisation) if p)
    head = contact.display_name + (f" ({details})" if details else "")
    parts = [head]
    if contact.email:
        parts.append(contact.email)
    if contact.phone:
        parts.append(f"{t('label_phone', language)} {contact.phone}")
    return " – ".join(parts)


MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
}


def date_text(day: datetime.date, language: str) -> str:
    """„Juli 2019“ / "July 2019"."""
    names = MONTHS["en" if language == "en" else "de"].split()
    return f"{names[day.month - 1]} {day.year}"


def as_of(knowledge: Knowledge, language: str) -> str:
    """The date the facts are as of: the newest document's month."""
    return date_text(knowledge.as_of, language)


def point_text(point: DatePoint, language: str) -> str:
    """A date point as a reader says it: „Dezember 2021“ for "31.12.21", else as printed."""
    if point.precision in ("day", "month"):
        return date_text(datetime.date(point.year, point.month, 1), language)
    return point.printed


def period_span(project: Project, language: str) -> str:
    """„Januar 2019 – Dezember 2021“, the duration, or "not stated"."""
    period = project.period
    if period is None:
        return t("label_no_period", language)
    if period.start is None and period.end is None:
        return period.printed
    start = point_text(period.start, language) if period.start else "?"
    end = point_text(period.end, language) if period.end else "?"
    return f"{start} – {end}"


def period_text(project: Project, language: str) -> str:
    if project.period is None:
        return t("label_no_period", language)
    return f"{t('label_period', language)}: {period_span(project, language)}"


def planned_note(
    project: Project, knowledge: Knowledge, language: str, today: datetime.date
) -> str:
    """„Laut den Unterlagen vom Juli 2019 geplant bis Dezember 2021; …“ once that end has
    passed: the documents cannot say how it went."""
    end = project.period.end if project.period else None
    if end is None or end.sort_key >= (today.year, today.month):
        return ""
    return t(
        "planned_until", language, date=as_of(knowledge, language), end=point_text(end, language)
    )


def source_line(source: Source) -> str:
    return f"{source.document_title} – {source.location}"


def shorten(text: str, limit: int) -> str:
    """`text` cut at a sentence (or word) boundary before `limit` characters, with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind(".\n"))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1] + " …"
    return cut.rsplit(" ", 1)[0] + " …"


_UNSAFE = re.compile(r"[<>*_`\[\]{}()#|\\]")


def echo(text: str) -> str:
    """User text made safe to repeat in a reply: no markup characters, bounded length."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split())
    return shorten(cleaned, ECHO_LIMIT)


# --- project answers ----------------------------------------------------------------------


def project_card(
    project: Project,
    knowledge: Knowledge,
    language: str,
    *,
    number: int | None = None,
    detailed: bool = False,
) -> str:
    """One compact card: what (the summary, or with `detailed` the slide text without picture
    credits), where, when (and the printed status), who."""
    prefix = f"{number}. " if number is not None else ""
    place = region_name(project, knowledge, language)
    what = project.details if detailed else project.summary
    lines = [f"**{prefix}{project.title}** – {place}, {project.municipality}", what]
    period = period_text(project, language)
    if project.status is None:  # the documents print no status: claim none
        lines.append(period)
    else:
        lines.append(f"{period} · {status_text(project, knowledge, language)}")
    lines.append(contacts_text(project.contacts, language))
    return "\n".join(lines)


def status_text(project: Project, knowledge: Knowledge, language: str) -> str:
    """„Status laut Unterlagen vom Juli 2019: bewilligt / laufend“ ("" when none is printed)."""
    if project.status is None:
        return ""
    when = date_text(project.source.date, language)
    return f"{t('status_as_of', language, date=when)}: {status_label(project.status, language)}"


def list_line(
    project: Project, knowledge: Knowledge, language: str, number: int, *, dates: bool = False
) -> str:
    """One line of a compact list: number, title, where, and a short line of what it is (or,
    with `dates`, its period)."""
    where = project.municipality or region_short(project, knowledge)
    if dates:
        what = f"{period_span(project, language)}: {shorten(project.summary, DATED_LINE_LIMIT)}"
    else:
        what = shorten(project.summary, LIST_LINE_LIMIT)
    return f"{number}. **{project.title}** ({where}) – {what}"


def contacts_text(contacts: Sequence[Contact], language: str) -> str:
    if not contacts:
        return t("label_no_contact", language)
    shown = "; ".join(contact_line(c, language) for c in contacts[:MAX_CONTACTS_IN_CARD])
    rest = len(contacts) - MAX_CONTACTS_IN_CARD
    more = f" (+{rest})" if rest > 0 else ""
    return f"{t('label_contact', language)}: {shown}{more}"


def project_list(
    projects: Sequence[Project],
    knowledge: Knowledge,
    language: str,
    *,
    start: int = 1,
    dates: bool = False,
) -> str:
    """A numbered list, one line per project; details are a button away."""
    return "\n".join(
        list_line(p, knowledge, language, start + i, dates=dates) for i, p in enumerate(projects)
    )


def contact_answer(project: Project, knowledge: Knowledge, language: str) -> str:
    """All contacts of a project, plus the project office of its region."""
    if project.contacts:
        date = date_text(project.source.date, language)
        lines = [t("contact_intro", language, title=project.title, date=date)]
        lines += [f"- {contact_line(c, language)}" for c in project.contacts]
    else:
        lines = [t("contact_none", language, title=project.title)]
    if project.region:
        region = knowledge.region(project.region)
        office = [c for c in region.contacts if c not in project.contacts]
        if office:
            lines.append(t("contact_office", language, region=region.short_name))
            lines += [f"- {contact_line(c, language)}" for c in office]
    return "\n".join(lines)


def region_contacts(region: Region, language: str) -> str:
    date = date_text(region.source.date, language)
    lines = [t("region_contact_intro", language, region=region.short_name, date=date)]
    lines += [f"- {contact_line(c, language)}" for c in region.contacts]
    return "\n".join(lines)


def period_answer(
    project: Project, knowledge: Knowledge, language: str, today: datetime.date
) -> str:
    """The printed period once (with what the documents' date means for an end that has
    passed), the milestones and the printed status."""
    if project.period is None:
        lines = [t("period_none", language, title=project.title)]
    else:
        span = period_span(project, language)
        printed = project.period.printed
        # the printed dates beside the reading only where the reading is no mere rendering of
        # them ("01.01.19 – 31.12.21"), not where it translates the months ("Juni" → "June")
        shown = span if printed in period_span(project, "de") else f"{span} ({printed})"
        end = project.period.end
        if end is not None and end.sort_key < (today.year, today.month):
            date = as_of(knowledge, language)
            lines = [t("period_planned", language, title=project.title, period=shown, date=date)]
        else:
            lines = [t("period_intro", language, title=project.title, period=shown)]
    if project.milestones:
        lines.append(f"{t('label_milestones', language)}:")
        lines += [f"- {m.when}: {m.what}" for m in project.milestones]
    else:
        lines.append(t("milestones_none", language))
    if status := status_text(project, knowledge, language):
        lines.append(status)
    return "\n".join(lines)


def transferability_answer(project: Project, language: str) -> str:
    """What the slide says about transferability; without such a line, that, and the slide
    text, which may still say what is taken over from elsewhere."""
    if not project.transferability:
        return t("transfer_none", language, title=project.title) + f"\n{project.details}"
    return t("transfer_intro", language, title=project.title) + f"\n„{project.transferability}“"


def source_answer(named_sources: Sequence[tuple[str, Source]], language: str) -> str:
    """„This comes from:“ and one line per (what, source)."""
    lines = [t("source_intro", language)]
    lines += [f"- **{name}**: {source_line(source)}" for name, source in named_sources]
    return "\n".join(lines)


# --- people, regions, topics --------------------------------------------------------------


def owner_label(owner_id: str, knowledge: Knowledge, language: str) -> str:
    """What a contact is printed for: a project, a region's office or a state actor."""
    for project in knowledge.projects:
        if project.id == owner_id:
            summary = shorten(project.summary, LIST_LINE_LIMIT)
            return f"**{project.title}** ({region_short(project, knowledge)}) – {summary}"
    for region in knowledge.regions:
        if region.id == owner_id:
            return t("person_office", language, name=region.short_name)
    for actor in knowledge.actors:
        if actor.id == owner_id:
            return actor.name
    return owner_id


def person_card(
    contact: Contact, owners: Sequence[str], knowledge: Knowledge, language: str
) -> str:
    lines = [f"**{contact_line(contact, language)}**"]
    if owners:
        lines.append(t("person_responsible", language))
        lines += [f"- {owner_label(o, knowledge, language)}" for o in owners]
    return "\n".join(lines)


def regions_overview(knowledge: Knowledge, language: str) -> str:
    lines = [t("regions_overview", language)]
    for region in knowledge.regions:
        count = sum(p.region == region.id for p in knowledge.projects)
        line = t(
            "region_line", language, name=region.name, lead=region.lead_municipality, count=count
        )
        lines.append(f"- {line}")
    state = sum(p.region is None for p in knowledge.projects)
    if state:
        lines.append(f"- {t('state_line', language, count=state)}")
    return "\n".join(lines)


def facts_answer(topic: Topic, facts: Sequence[Fact], language: str) -> str:
    """The printed facts that answer the question, quoted, with the topic and its source."""
    lines = [f"**{topic.title}**"]
    lines += [f"„{fact.text}“" for fact in facts]
    lines.append(f"_{t('label_source', language)}: {source_line(topic.source)}_")
    return "\n".join(lines)


def topic_answer(topic: Topic, language: str, limit: int = TOPIC_TEXT_LIMIT) -> str:
    return "\n".join(
        [
            f"**{topic.title}**",
            shorten(topic.text, limit),
            f"_{t('label_source', language)}: {source_line(topic.source)}_",
        ]
    )


def with_note(text: str, language: str) -> str:
    """Append the "documents are German" note to English answers that quote the documents."""
    note = t("note_german", language)
    return f"{text}\n\n{note}" if note else text

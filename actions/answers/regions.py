"""A region's make-up: its lead municipality, partner towns and districts, district government
and project office, as asked; no region named: the five regions."""

from __future__ import annotations

from actions import formatting as fmt
from actions.answers.common import region_contact, unknown_place
from actions.context import Update
from actions.texts import t
from actions.turn import Reply, Turn
from index.domain import Region

MAKEUP_ASPECTS = ("lead", "partners", "district_government")


def region_makeup(turn: Turn) -> Reply:
    q = turn.question
    if q.targets.place and not q.filters.region:
        return unknown_place(turn, q.targets.place)
    if q.filters.region is None:
        return all_regions(turn)
    region = turn.knowledge.region(q.filters.region)
    if q.asks("contact") and not any(q.asks(a) for a in MAKEUP_ASPECTS):
        return region_contact(turn, region)  # „Gibt es ein Projektbüro?“
    reply = makeup(turn, region)
    if q.asks("contact"):
        office = region_contact(turn, region)
        reply.texts += office.texts
        reply.buttons = office.buttons
    return reply


def makeup(turn: Turn, region: Region) -> Reply:
    language = turn.language
    lines = [
        t("makeup_intro", language, region=region.name),
        f"- {t('makeup_lead', language, lead=region.lead_municipality)}",
    ]
    partners = [p for p in region.partners if p != region.lead_municipality]
    if partners:
        lines.append(f"- {t('makeup_partners', language, partners=', '.join(partners))}")
    else:
        lines.append(f"- {t('makeup_no_partners', language)}")
    if region.district_government:
        government = region.district_government
        lines.append(f"- {t('makeup_government', language, government=government)}")
    lines.append(f"_{t('label_source', language)}: {fmt.source_line(region.source)}_")
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.region_buttons([region], language),
        update=Update().set(
            last_documents=[region.id],
            current_region=region.id,
            last_query={"kind": "makeup", "region": region.id},
        ),
    )


def all_regions(turn: Turn) -> Reply:
    language = turn.language
    regions = turn.knowledge.regions
    lines = [t("makeup_all", language)]
    lines += [f"- **{r.name}** – {r.lead_municipality}; {r.district_government}" for r in regions]
    return Reply(texts=["\n".join(lines)], buttons=fmt.region_buttons(regions, language))


def compare_regions(turn: Turn) -> Reply:
    """„Was haben Paderborn und Bielefeld gemeinsam?“, „Hat Soest mehr Projekte als Aachen?“:
    the regions named side by side — members, district government, how many projects and
    which — and the subjects their projects share. One region named: its make-up."""
    language, knowledge = turn.language, turn.knowledge
    regions = [knowledge.region(r) for r in turn.question.targets.regions]
    if len(regions) < 2:
        return region_makeup(turn)
    if len({r.id for r in regions}) == 1:  # two towns of one region („Paderborn und Bielefeld“)
        region = regions[0]
        reply = makeup(turn, region)
        reply.texts.insert(0, t("compare_same_region", language, region=region.name))
        return reply
    lines = [t("compare_intro", language)]
    topics: list[set[str]] = []
    for region in regions:
        projects = [p for p in knowledge.projects if p.region == region.id]
        titles = ", ".join(p.title for p in projects)
        lines.append(
            f"- **{region.name}** – {region.lead_municipality}; {region.district_government}; "
            + t("compare_projects", language, count=len(projects), titles=titles)
        )
        topics.append({topic for p in projects for topic in p.topics})
    common = sorted(set.intersection(*topics)) if topics else []
    if common:
        lines.append(t("compare_common", language, topics=", ".join(common)))
    else:
        lines.append(t("compare_nothing_common", language))
    lines.append(t("as_of", language, date=fmt.as_of(knowledge, language)))
    return Reply(
        texts=["\n".join(lines)],
        buttons=fmt.region_buttons(regions, language),
        update=Update().set(last_documents=[r.id for r in regions], current_region=None),
    )

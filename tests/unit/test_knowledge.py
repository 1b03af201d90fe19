"""The knowledge base checked against an independent transcription of the two documents.

The expected values below were transcribed by hand, without looking at the YAML, from the
plain-text extractions of the slides of 5 July 2019 (`praesentation-2019`) and of the
ministry's report of November 2017 (`bericht-2017`). They are written into this file as data:
the test reads nothing but `knowledge/` (a clone has no copy of the source documents).

Printed slips that are facts are kept as printed (`nobert.pohlmann@…`, `Nicole.malavasi@…`,
`andreas.engel@KDN.de`); layout noise is not (`Städte3eck`).

The slide order of the extraction is scrambled in the Gelsenkirchen block: a slide's period or
contact is sometimes extracted after the slide body, never before it. So "15.11.18 – 31.12.21"
and Prof. Pohlmann belong to "Der 7. Sinn …", "01.04.19 – 31.12.21" and David Bothe to IVOD,
Susanne Becker to the MR festival, and Manfred vom Sondern to the Bürger-ID and to LoRaTLS.

What the loader already enforces (non-empty fields, known sources, unique ids, ordered
periods) is tested in `test_loader_validation.py`, not here. The last section pins four
claims an audit found that the documents do not make, so they cannot come back.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from actions.formatting import project_card
from index.domain import Knowledge, Project
from index.loader import DEFAULT_ROOT, load

# --------------------------------------------------------------------------- transcription

# region id: (lead municipality, partners, district government) – slide "Modellregionen"
REGIONS: dict[str, tuple[str, set[str], str]] = {
    "aachen": ("Stadt Aachen", {"Städteregion Aachen"}, "Bezirksregierung Köln"),
    "gelsenkirchen": (
        "Stadt Gelsenkirchen",
        {"Stadt Bottrop", "Kreis Recklinghausen"},
        "Bezirksregierung Münster",
    ),
    "owl-paderborn": (
        "Stadt Paderborn",
        {"Stadt Bielefeld", "Stadt Delbrück", "Kreis Paderborn"},
        "Bezirksregierung Detmold",
    ),
    "soest": (
        "Stadt Soest",
        {"Stadt Iserlohn", "Stadt Lippstadt", "Kreis Soest"},
        "Bezirksregierung Arnsberg",
    ),
    "bergisches-staedtedreieck": (
        "Stadt Wuppertal",
        {"Stadt Solingen", "Stadt Remscheid"},
        "Bezirksregierung Düsseldorf",
    ),
}

PAUELS = ("Wolfgang Pauels", "Wolfgang.Pauels@mail.aachen.de")
SOMMER = ("Nicole Sommer", "nicole.sommer@stadt.wuppertal.de")
VOM_SONDERN = ("Manfred vom Sondern", "manfred.vom.sondern@gelsenkirchen.de")
GERKE = ("Gerke", "u.gerke@soest.de")  # printed "Frau Gerke"
ENGEL = ("Andreas Engel", "andreas.engel@KDN.de")
SCHUCHARDT = ("Michael Schuchardt", "michael.schuchardt@KDN.de")
PLATTE = ("Jürgen Platte", "platte@d-nrw.de")


@dataclasses.dataclass(frozen=True)
class Expected:
    region: str | None
    title: str
    status: str | None  # None: the documents print no status (the state projects)
    period: str | None  # the whole period as printed, None when none is printed
    contacts: frozenset[tuple[str, str]]  # (name, e-mail)
    printed_as: str | None = None  # the full slide heading, when the title drops a suffix


def _p(region, title, status, period, *contacts, printed_as=None) -> Expected:
    return Expected(region, title, status, period, frozenset(contacts), printed_as)


PROJECTS: list[Expected] = [
    # Aachen
    _p("aachen", "govchain nrw", "planned", "August 2019 – Juni 2021", PAUELS),
    _p("aachen", "Gesundheit und digitaler Wandel", "in_review", None, PAUELS),
    _p("aachen", "egov Multidigital", "in_review", None, PAUELS),
    _p("aachen", "Ausbau Open Data", "in_review", None, PAUELS),
    # Gelsenkirchen (slide order scrambled in the extraction, see the module docstring)
    _p(
        "gelsenkirchen",
        "Der 7. Sinn der Digitalisierung in Regionen",
        "running",
        "15.11.18 – 31.12.21",
        ("Norbert Pohlmann", "nobert.pohlmann@internet-sicherheit.de"),
    ),
    _p("gelsenkirchen", "Smartphone-Bürger-ID", "running", "01.01.19 – 31.12.21", VOM_SONDERN),
    _p(
        "gelsenkirchen",
        "Interaktive Visualisierung von Open Data – IVOD",
        "running",
        "01.04.19 – 31.12.21",
        ("David Bothe", "bothe@internet-sicherheit.de"),
    ),
    _p(
        "gelsenkirchen",
        "Mixed Reality-TechnologieFestival",
        "running",
        "01.09.19 – 31.12.21",
        ("Susanne Becker", "susanne.becker2@gelsenkirchen.de"),
    ),
    _p(
        "gelsenkirchen",
        "Verbrauchsdatenmanagement mittels LoRaTLS",
        "running",
        "2 Jahre",
        VOM_SONDERN,
    ),
    # OWL / Paderborn
    _p(
        "owl-paderborn",
        "Digitales Bürgerbüro",
        "running",
        "Oktober 2018 – Ende 2021",
        ("Thorsten Unterberg", "t.unterberg@paderborn.de"),
        ("Thomas Kloppenburg", "t.kloppenburg@paderborn.de"),
        printed_as="Digitales Bürgerbüro – Stadt PB",
    ),
    _p(
        "owl-paderborn",
        "Serviceportal",
        "running",
        "Oktober 2018 – Dezember 2021",
        ("Marco Schwabe", "schwabem@kreis-paderborn.de"),
        printed_as="Serviceportal – Kreis Paderborn",
    ),
    _p(
        "owl-paderborn",
        "Local Open Data Plattform",
        "running",
        "Januar 2019 – Dezember 2021",
        ("Andreas Brodowski", "a.brodowski@paderborn.de"),
        printed_as="Local Open Data Plattform – Stadt Paderborn",
    ),
    _p(
        "owl-paderborn",
        "ZEonline",
        "running",
        "Sommer 2019 – Dezember 2021",
        ("Rainer Ahmann", "r.ahmann@paderborn.de"),
        printed_as="ZEonline – Stadt Paderborn u. weitere",
    ),
    _p(
        "owl-paderborn",
        "Modellprojekt Schlosskreuzung",
        "running",
        "Januar 2019 – Dezember 2021",
        ("Andrea Willebrand", "a.willebrand@paderborn.de"),
        printed_as="Modellprojekt Schlosskreuzung – Stadt Paderborn u. weitere",
    ),
    _p(
        "owl-paderborn",
        "INSPIRE",
        "running",
        "Sommer 2019 – Sommer 2022",
        ("Robin Marterer", "marterer@safetyinnovation.center"),
        printed_as="INSPIRE – safety innovations center e.V. u. weitere",
    ),
    # Soest
    _p(
        "soest",
        "Digitale Bürgerdienstleistungen – Weiterentwicklung Bürgerportal",
        "running",
        "Oktober 2018 – Oktober 2020",
        GERKE,
    ),
    _p(
        "soest",
        "Digitale Bürgerdienstleistungen – Folgeantrag",
        "running",
        "Juni 2019 – Dezember 2020",
        GERKE,
    ),
    _p(
        "soest",
        "Digitale Bürgerdienstleistungen – Online-Bewerbungsverfahren für Veranstaltungen",
        "running",
        "September 2019 – April 2021",
        ("Matteikat", "k.matteikat@soest.de"),
    ),
    _p(
        "soest",
        "Open-Government- und Beteiligungsplattform",
        "running",
        "Juni 2019 – Dezember 2021",
        GERKE,
    ),
    _p("soest", "GovBot", "planned", None, GERKE),
    # Bergisches Städtedreieck
    _p(
        "bergisches-staedtedreieck",
        "Digitalisierung Bürger, Sicherheit und Ordnung",
        "running",
        "September 2019 – Februar 2021",
        ("Arnd Zimmermann", "arnd.zimmermann@remscheid.de"),
    ),
    _p(
        "bergisches-staedtedreieck",
        "Digitalisierung Ausländerwesen",
        "running",
        "September 2019 – Februar 2021",
        ("Nils Gerken", "n.gerken@solingen.de"),
    ),
    _p(
        "bergisches-staedtedreieck",
        "Digitaler Aktenplan",
        "running",
        "Dezember 2018 – September 2021",
        SOMMER,
    ),
    _p(
        "bergisches-staedtedreieck",
        "Bürgerservice im Bereich Kinder, Jugend und Familie",
        "running",
        "Juli 2019 – Dezember 2021",
        SOMMER,
    ),
    # State level (CIO talk; contact slide "Vielen Dank für Ihr Interesse!": KDN, d-NRW AÖR)
    _p(
        None,
        "Gewerbe-Service-Portal NRW – Projekt zur Integration in kommunale Portale und Webseiten",
        None,
        None,
        ENGEL,
        SCHUCHARDT,
        PLATTE,
    ),
    _p(
        None,
        "Gewerbe-Service-Portal NRW – WZ-Schlüssel-Projekt (WZ = Wirtschaftszweige-Schlüssel)",
        None,
        None,
        ENGEL,
        SCHUCHARDT,
        PLATTE,
    ),
]

# Every (person, e-mail) pair printed in the two documents, exactly as printed.
PERSON_EMAILS: set[tuple[str, str]] = {
    ("Arnd Zimmermann", "arnd.zimmermann@remscheid.de"),
    ("Nils Gerken", "n.gerken@solingen.de"),
    SOMMER,
    ("Jörg Weidemann", "joerg.weidemann@stadt.wuppertal.de"),
    ("Nicole Malavasi", "Nicole.malavasi@stadt.wuppertal.de"),
    ("Norbert Pohlmann", "nobert.pohlmann@internet-sicherheit.de"),
    VOM_SONDERN,
    ("David Bothe", "bothe@internet-sicherheit.de"),
    ("Susanne Becker", "susanne.becker2@gelsenkirchen.de"),
    PAUELS,
    GERKE,
    ("Matteikat", "k.matteikat@soest.de"),
    ("Thorsten Unterberg", "t.unterberg@paderborn.de"),
    ("Thomas Kloppenburg", "t.kloppenburg@paderborn.de"),
    ("Marco Schwabe", "schwabem@kreis-paderborn.de"),
    ("Andreas Brodowski", "a.brodowski@paderborn.de"),
    ("Rainer Ahmann", "r.ahmann@paderborn.de"),
    ("Andrea Willebrand", "a.willebrand@paderborn.de"),
    ("Robin Marterer", "marterer@safetyinnovation.center"),
    ("Christiane Boschin-Heinz", "c.boschin-heinz@paderborn.de"),
    ("Anna Hoblitz", "a.hoblitz@paderborn.de"),
    ("Matthias Böhm", "Matthias.Boehm@bielefeld.de"),
    ("Miriam Mattiza", "Miriam.Mattiza@stadt-delbrueck.de"),
    ("Florian Eikenberg", "EikenbergF@kreis-paderborn.de"),
    ENGEL,
    SCHUCHARDT,
    PLATTE,
    ("Thilo Zelt", "thilo.zelt@stadt-land-digital.de"),
}
# Addresses printed without a person.
OFFICE_EMAILS = {
    "projektbuero@stadt.wuppertal.de",  # Projektbüro Bergisches Städtedreieck
    "info@stadt-land-digital.de",
    "poststelle@mwide.nrw.de",  # letterhead of the 2017 report
}
PRINTED_EMAILS = {email for _, email in PERSON_EMAILS} | OFFICE_EMAILS

# Every (person, phone) pair, exactly as printed (spaces and brackets included).
PERSON_PHONES = {
    ("Christiane Boschin-Heinz", "+49(5251)882371"),
    ("Anna Hoblitz", "+49(5251)882368"),
    ("Matthias Böhm", "+49(521) 518805"),
    ("Miriam Mattiza", "+49(5250) 996134"),
    ("Florian Eikenberg", "+49(5251)3081027"),
    ("Andreas Engel", "0221/22125070"),
    ("Michael Schuchardt", "02241 999 1180"),
    ("Jürgen Platte", "0231/22243828"),
}
MINISTRY_PHONE = "0211 61772-0"  # letterhead of the 2017 report
MINISTRY_FAX = "0211 61772-777"
PRINTED_PHONES = {phone for _, phone in PERSON_PHONES} | {MINISTRY_PHONE}

# People printed without an e-mail address: (name, where they belong)
PEOPLE_WITHOUT_EMAIL = {
    ("Radandt", "soest"),  # "Herr Radandt, Modellregion Soest" (Podiumsdiskussion)
    ("Hartmut Beuß", "cio-nrw"),
    ("Dammermann", "mwide"),  # "Staatssekretär Dammermann"
    ("Andreas Pinkwart", "mwide"),  # "Prof. Dr. Andreas Pinkwart", the minister (2017 report)
}

# Regional representatives on the slide "Podiumsdiskussion"
PODIUM = {
    ("Anna Hoblitz", "owl-paderborn"),
    ("Thomas Kloppenburg", "owl-paderborn"),
    ("Radandt", "soest"),
    ("Wolfgang Pauels", "aachen"),
    ("Jörg Weidemann", "bergisches-staedtedreieck"),
    ("Manfred vom Sondern", "gelsenkirchen"),
}

# Region contact slides
REGION_CONTACTS = {
    "owl-paderborn": {
        "Christiane Boschin-Heinz",
        "Anna Hoblitz",
        "Matthias Böhm",
        "Miriam Mattiza",
        "Florian Eikenberg",
    },
    "bergisches-staedtedreieck": {"Jörg Weidemann", "Nicole Malavasi"},
    "aachen": {"Wolfgang Pauels"},
}

# project title: (period printed, (printed, value, precision) of start, of end)
PERIODS = {
    "Der 7. Sinn der Digitalisierung in Regionen": (
        "15.11.18 – 31.12.21",
        ("15.11.18", "2018-11-15", "day"),
        ("31.12.21", "2021-12-31", "day"),
    ),
    "Interaktive Visualisierung von Open Data – IVOD": (
        "01.04.19 – 31.12.21",
        ("01.04.19", "2019-04-01", "day"),
        ("31.12.21", "2021-12-31", "day"),
    ),
    "govchain nrw": (
        "August 2019 – Juni 2021",
        ("August 2019", "2019-08", "month"),
        ("Juni 2021", "2021-06", "month"),
    ),
    "Digitaler Aktenplan": (
        "Dezember 2018 – September 2021",
        ("Dezember 2018", "2018-12", "month"),
        ("September 2021", "2021-09", "month"),
    ),
    "Digitales Bürgerbüro": (
        "Oktober 2018 – Ende 2021",
        ("Oktober 2018", "2018-10", "month"),
        ("Ende 2021", "2021", "season"),
    ),
    "ZEonline": (
        "Sommer 2019 – Dezember 2021",
        ("Sommer 2019", "2019", "season"),
        ("Dezember 2021", "2021-12", "month"),
    ),
    "INSPIRE": (
        "Sommer 2019 – Sommer 2022",
        ("Sommer 2019", "2019", "season"),
        ("Sommer 2022", "2022", "season"),
    ),
    "Digitale Bürgerdienstleistungen – Online-Bewerbungsverfahren für Veranstaltungen": (
        "September 2019 – April 2021",
        ("September 2019", "2019-09", "month"),
        ("April 2021", "2021-04", "month"),
    ),
}

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# "Post- eingangs": a line-break hyphen left standing (enumerations like "Auskunfts- und" are fine)
BROKEN_HYPHENATION = re.compile(r"\w- (?!und\b|oder\b|bzw\.|sowie\b)\w")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Wingdings arrows of the extraction


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load()


def _strings(obj: Any) -> Iterator[str]:
    """Every text held anywhere in the loaded knowledge."""
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _strings(getattr(obj, f.name))
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _strings(item)


def _by_title(knowledge: Knowledge) -> dict[str, Project]:
    return {p.title: p for p in knowledge.projects}


# --------------------------------------------------------------------------- regions


def test_regions_lead_municipality_partners_and_district_government(knowledge: Knowledge):
    found = {
        r.id: (r.lead_municipality, set(r.partners), r.district_government)
        for r in knowledge.regions
    }
    assert found == REGIONS


def test_region_contact_slides(knowledge: Knowledge):
    for region_id, names in REGION_CONTACTS.items():
        printed = {c.name for c in knowledge.region(region_id).contacts}
        assert names <= printed, region_id


def test_podium_representatives_are_printed_for_their_region(knowledge: Knowledge):
    for name, region_id in PODIUM:
        owners = {owner for contact, owner in knowledge.contacts() if contact.name == name}
        region_projects = {p.id for p in knowledge.projects if p.region == region_id}
        assert owners & ({region_id} | region_projects), (name, region_id, owners)


# --------------------------------------------------------------------------- projects


def test_number_of_projects_per_region_and_their_titles(knowledge: Knowledge):
    expected = Counter(p.region for p in PROJECTS)
    found = Counter(p.region for p in knowledge.projects)
    assert found == expected
    for region in expected:
        titles = {p.title for p in knowledge.projects if p.region == region}
        assert titles == {p.title for p in PROJECTS if p.region == region}, region


@pytest.mark.parametrize("expected", PROJECTS, ids=lambda e: e.title[:50])
def test_project_matches_transcription(knowledge: Knowledge, expected: Expected):
    project = _by_title(knowledge)[expected.title]
    assert project.region == expected.region
    assert project.status == expected.status
    assert (project.period.printed if project.period else None) == expected.period
    contacts = {(c.name, c.email) for c in project.contacts}
    if project.status == "in_review":
        # the slide lists the project with the region's contact; none is also acceptable
        assert contacts <= expected.contacts
    else:
        assert contacts == expected.contacts
    if expected.printed_as:
        assert expected.printed_as in project.aliases


@pytest.mark.parametrize("title", sorted(PERIODS))
def test_period_parsed_as_printed(knowledge: Knowledge, title: str):
    period = _by_title(knowledge)[title].period
    assert period is not None
    printed, start, end = PERIODS[title]
    assert period.printed == printed
    assert period.start is not None and period.end is not None
    assert (period.start.printed, period.start.value, period.start.precision) == start
    assert (period.end.printed, period.end.value, period.end.precision) == end
    assert period.duration is None


def test_period_given_as_duration(knowledge: Knowledge):
    period = _by_title(knowledge)["Verbrauchsdatenmanagement mittels LoRaTLS"].period
    assert period is not None
    assert period.start is None and period.end is None
    assert period.duration is not None
    assert (period.duration.printed, period.duration.months) == ("2 Jahre", 24)


def test_projects_without_printed_period_have_none(knowledge: Knowledge):
    for expected in PROJECTS:
        if expected.period is None:
            assert _by_title(knowledge)[expected.title].period is None, expected.title


# --------------------------------------------------------------------------- contacts


def test_every_printed_person_email_pair_is_in_the_knowledge(knowledge: Knowledge):
    found = {(c.name, c.email) for c, _ in knowledge.contacts() if c.email}
    assert PERSON_EMAILS - found == set()


def test_every_printed_email_and_nothing_else(knowledge: Knowledge):
    found = {c.email for c, _ in knowledge.contacts() if c.email}
    assert found == PRINTED_EMAILS


def test_every_email_in_any_text_is_printed_exactly(knowledge: Knowledge):
    """Also addresses quoted in summaries and descriptions: case and slips as printed."""
    found = {m for s in _strings(knowledge) for m in EMAIL_IN_TEXT.findall(s)}
    assert found - PRINTED_EMAILS == set()


def test_every_printed_person_phone_pair_is_in_the_knowledge(knowledge: Knowledge):
    found = {(c.name, c.phone) for c, _ in knowledge.contacts() if c.phone}
    assert PERSON_PHONES - found == set()


def test_every_phone_is_printed_exactly(knowledge: Knowledge):
    found = {c.phone for c, _ in knowledge.contacts() if c.phone}
    assert found == PRINTED_PHONES


def test_ministry_fax_is_kept(knowledge: Knowledge):
    mwide = next(a for a in knowledge.actors if a.id == "mwide")
    assert MINISTRY_FAX in mwide.summary


def test_people_without_email_are_printed_for_their_owner(knowledge: Knowledge):
    for name, owner in PEOPLE_WITHOUT_EMAIL:
        owners = {o for c, o in knowledge.contacts() if c.name == name}
        assert owner in owners, (name, owners)


def test_salutations_and_titles_as_printed(knowledge: Knowledge):
    people = {c.name: c for c, _ in knowledge.contacts()}
    assert people["Gerke"].display_name == "Frau Gerke"
    assert people["Matteikat"].display_name == "Herr Matteikat"
    assert people["Radandt"].display_name == "Herr Radandt"
    assert people["Norbert Pohlmann"].display_name == "Prof. Norbert Pohlmann"
    assert people["Andreas Engel"].display_name == "Prof. Dr. Andreas Engel"
    assert people["Anna Hoblitz"].display_name == "Dr. Anna Hoblitz"
    assert people["Jörg Weidemann"].display_name == "Dr. Jörg Weidemann"
    assert people["Arnd Zimmermann"].role == "CDO"


def test_the_addressee_of_the_2017_report_is_known(knowledge: Knowledge):
    assert any("Thorsten Schick" in s for s in _strings(knowledge))


# --------------------------------------------------------------------------- conventions
# (not enforced by the loader)


def test_region_project_ids_start_with_the_region(knowledge: Knowledge):
    for p in knowledge.projects:
        if p.region is not None:
            assert p.id.startswith(p.region + "-"), p.id


def test_no_layout_noise_in_the_files():
    for path in sorted(DEFAULT_ROOT.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert "Städte3eck" not in text, path.name
        assert not PRIVATE_USE.search(text), path.name


def test_no_layout_noise_in_the_loaded_texts(knowledge: Knowledge):
    for s in _strings(knowledge):
        assert "Städte3eck" not in s
        assert not BROKEN_HYPHENATION.search(s), s[:120]


# ------------------------------------------------------------------ nothing beyond the documents
# Four claims an independent audit found in an earlier transcription; none is printed.

# 1. The slides print only "KDN" (contact slide of the CIO's talk, "KDN Task Force
#    Standardisierung", "Herr Prof. Dr. Engel, KDN"), never an expansion of it.
KDN_EXPANSION = re.compile(r"Dachverband|IT-Dienstleister", re.IGNORECASE)

# 2. The bottom row of the slide "Abstimmungsbedarf" is extracted run together, twice:
#    "CIO ETND-NRWKDNCIO ETND-NRWKDN". "ETND-NRW" is no printed name.
ABSTIMMUNG_LABEL = "CIO ETND-NRWKDN"

# 3. The two Gewerbe-Service-Portal projects are slides of the CIO's talk (Hartmut Beuß); its
#    contact slide lists KDN and d-NRW AÖR. No slide says who runs them or what their state is.
GSP_TITLES = [e.title for e in PROJECTS if e.region is None]

# 4. Stadt.Land.Digital: the competition and workshop slides credit "Quelle: Roland Berger,
#    Initiative Stadt.Land.Digital"; only the survey slides (A–C) credit the Kommunalbefragung.
SLD_ACTIVITIES_SOURCE = "Roland Berger, Initiative Stadt.Land.Digital"
COMPETITION_AS_PRINTED = [
    "über 200 Beiträge",
    "8-wöchiger Wettbewerb",
    "über 1.700 Mitgliedern",
    "218 Beiträgen",
    "im Januar 2019 im BMWi",
]
# (place, date, focus) of the slide "Übersicht der bisherigen Regionenworkshops"
WORKSHOPS_AS_PRINTED = [
    (
        "Altmarkkreis Salzwedel",
        "30.08.2018",
        "Digitalisierung in den Bereichen Energie, Mobilität und Landwirtschaft",
    ),
    ("Paderborn", "05.09.2018", "Digitalisierung im Mobilitätssektor"),
    ("Saarland", "07.02.2018", "Digitalisierung im Gesundheitssektor"),
    ("Jena", "18.10.2018", "Digitalisierung im Bereich Mobilität und Tourismus"),
    ("Cottbus", "29.08.2018", "Digitalisierung im Bereich Energie und Mobilität"),
    ("Landau", "05.12.2018", "Digitalisierung der Verwaltung"),
    ("Meißen", "21.05.2019", "Regionale Digitalisierungsstrategien"),
]
# Words that mark a line as being about the competition or the workshops.
SLD_ACTIVITY_WORDS = re.compile(r"Wettbewerb|Regionen-?workshop|218 Beitr|1\.700", re.IGNORECASE)


def test_kdn_is_named_only_as_printed(knowledge: Knowledge):
    kdn = next(a for a in knowledge.actors if a.id == "kdn")
    assert (kdn.name, kdn.short_name) == ("KDN", "KDN")
    assert [s for s in _strings(knowledge) if KDN_EXPANSION.search(s)] == []


def test_the_run_together_label_is_never_read_as_a_name(knowledge: Knowledge):
    """ "ETND" occurs only inside the label quoted whole, never as an organisation of its own."""
    quoted = [s for s in _strings(knowledge) if ABSTIMMUNG_LABEL in s]
    assert quoted, "the slide's label should be quoted as printed where the slide is described"
    leftovers = [s for s in _strings(knowledge) if "ETND" in s.replace(ABSTIMMUNG_LABEL, "")]
    assert leftovers == []


@pytest.mark.parametrize("title", GSP_TITLES)
def test_state_projects_claim_no_owner_and_no_status(knowledge: Knowledge, title: str):
    project = _by_title(knowledge)[title]
    assert project.status is None
    assert project.actor is None
    assert not re.search(r"KDN|d-NRW", project.municipality), project.municipality
    assert "Hartmut Beuß" in project.description  # presented in the CIO's talk


@pytest.mark.parametrize("title", GSP_TITLES)
def test_a_state_project_card_states_no_status(knowledge: Knowledge, title: str):
    card = project_card(_by_title(knowledge)[title], knowledge, "de")
    assert "Status" not in card
    assert "Landesebene" in card


def test_competition_and_workshop_figures_are_not_credited_to_the_survey(knowledge: Knowledge):
    """A line that speaks of the competition or the workshops does not name the survey."""
    lines = [line for s in _strings(knowledge) for line in s.splitlines()]
    mixed = [
        line for line in lines if SLD_ACTIVITY_WORDS.search(line) and "Kommunalbefragung" in line
    ]
    assert mixed == []


def test_competition_figures_as_printed_with_their_source(knowledge: Knowledge):
    (text,) = [t.text for t in knowledge.topics if "218 Beiträgen" in t.text]
    for figure in COMPETITION_AS_PRINTED:
        assert figure in text, figure
    assert SLD_ACTIVITIES_SOURCE in text
    assert "Kommunalbefragung" not in text


def test_workshops_as_printed_with_their_source(knowledge: Knowledge):
    (text,) = [t.text for t in knowledge.topics if "Meißen" in t.text and "21.05.2019" in t.text]
    assert "sieben Regionenworkshops" in text
    lines = text.splitlines()
    for place, date, focus in WORKSHOPS_AS_PRINTED:
        assert any(place in ln and date in ln and focus in ln for ln in lines), place
    assert SLD_ACTIVITIES_SOURCE in text
    assert "Kommunalbefragung" not in text
